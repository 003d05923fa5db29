/*
 * Chat widget: a launcher button that opens a chat with the website's Rasa
 * assistant over Rasa's REST channel.
 *
 *   <script src="/static/widget.js" data-rasa-url="https://chat.example.com"
 *           data-company="Brightlane" data-contact-email="hello@example.com" defer>
 *
 * The sender id is the tracking snippet's visitor id, so the conversation and
 * the visitor's engagement history meet. The visible history lives in
 * sessionStorage, so it follows the visitor from page to page in one tab.
 * Replies are rendered as text nodes only (never as HTML); links in them are
 * made clickable.
 */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector("script[data-rasa-url]");
  if (!script) {
    return;
  }
  var rasaUrl = (script.getAttribute("data-rasa-url") || "").replace(/\/+$/, "");
  var company = script.getAttribute("data-company") || "our";
  var contactEmail = script.getAttribute("data-contact-email") || "";
  var webhookUrl = rasaUrl + "/webhooks/rest/webhook";

  var HISTORY_KEY = "dmql.chat.history";
  var OPEN_KEY = "dmql.chat.open";
  var GREETED_KEY = "dmql.chat.greeted";
  var MAX_HISTORY = 200;
  // Rasa answers after its custom actions run; stay well under its 60 s lock.
  var TIMEOUT_MS = 30000;
  var ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

  // ---- storage ---------------------------------------------------------

  function load(key, fallback) {
    try {
      var raw = window.sessionStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (err) {
      return fallback;
    }
  }

  function save(key, value) {
    try {
      window.sessionStorage.setItem(key, JSON.stringify(value));
    } catch (err) {
      // Storage full or blocked: the chat still works, history just won't follow.
    }
  }

  function forget(key) {
    try {
      window.sessionStorage.removeItem(key);
    } catch (err) {
      // Nothing to forget.
    }
  }

  function visitorId() {
    if (window.dmql && typeof window.dmql.visitorId === "function") {
      return window.dmql.visitorId();
    }
    var match = document.cookie.match(/(?:^|; )visitor_id=([^;]*)/);
    var id = match ? decodeURIComponent(match[1]) : "";
    if (!ID_PATTERN.test(id)) {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      id = "v_" + Array.prototype.map.call(bytes, function (b) {
        return (b + 0x100).toString(16).slice(1);
      }).join("");
      document.cookie = "visitor_id=" + id + "; Max-Age=31536000; Path=/; SameSite=Lax" +
        (location.protocol === "https:" ? "; Secure" : "");
    }
    return id;
  }

  // ---- DOM helpers -----------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") {
        node.textContent = attrs[name];
      } else {
        node.setAttribute(name, attrs[name]);
      }
    });
    (children || []).forEach(function (child) {
      node.appendChild(child);
    });
    return node;
  }

  function icon(path, className) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    if (className) {
      svg.setAttribute("class", className);
    }
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "24");
    svg.setAttribute("height", "24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    p.setAttribute("fill", "currentColor");
    svg.appendChild(p);
    return svg;
  }

  var ICON_CHAT = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zm5 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zm5 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3z";
  var ICON_CLOSE = "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z";
  var ICON_SEND = "M3 20.5 21 12 3 3.5v6.6l12.5 1.9L3 13.9z";

  // Markdown links, bare URLs, email addresses, **bold** and line breaks.
  var TOKENS = /\[([^\]\n]+)\]\(((?:https?:\/\/|mailto:|\/(?!\/))[^\s)]*)\)|(https?:\/\/[^\s<]*[^\s<.,;:!?)\]'"])|([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})|\*\*([^*\n]+)\*\*|(\n)/g;

  function link(text, href) {
    var a = el("a", { href: href, text: text });
    if (/^https?:/.test(href) && new URL(href, location.href).origin !== location.origin) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
    }
    return a;
  }

  /** Append `text` to `node` as text nodes and safe links; never as HTML. */
  function renderText(node, text) {
    var last = 0;
    var match;
    TOKENS.lastIndex = 0;
    while ((match = TOKENS.exec(text)) !== null) {
      if (match.index > last) {
        node.appendChild(document.createTextNode(text.slice(last, match.index)));
      }
      if (match[1] !== undefined) {
        node.appendChild(link(match[1], match[2]));
      } else if (match[3] !== undefined) {
        node.appendChild(link(match[3], match[3]));
      } else if (match[4] !== undefined) {
        node.appendChild(link(match[4], "mailto:" + match[4]));
      } else if (match[5] !== undefined) {
        node.appendChild(el("strong", { text: match[5] }));
      } else {
        node.appendChild(document.createElement("br"));
      }
      last = TOKENS.lastIndex;
    }
    if (last < text.length) {
      node.appendChild(document.createTextNode(text.slice(last)));
    }
  }

  // ---- the widget ------------------------------------------------------

  var launcher = el("button", {
    type: "button",
    class: "dmql-launcher",
    "aria-expanded": "false",
    "aria-controls": "dmql-chat-panel",
  }, [
    icon(ICON_CHAT, "dmql-icon-chat"),
    icon(ICON_CLOSE, "dmql-icon-close"),
    el("span", { class: "dmql-launcher-label", text: "Chat with us" }),
  ]);
  launcher.setAttribute("aria-label", "Chat with us");

  var closeButton = el("button", {
    type: "button", class: "dmql-icon-button", "aria-label": "Close chat",
  }, [icon(ICON_CLOSE)]);

  var log = el("div", {
    class: "dmql-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
    "aria-label": "Conversation", tabindex: "0",
  });
  var typing = el("div", { class: "dmql-typing", hidden: "" }, [
    el("span", { class: "dmql-dot" }), el("span", { class: "dmql-dot" }),
    el("span", { class: "dmql-dot" }),
    el("span", { class: "dmql-sr-only", text: "The assistant is typing" }),
  ]);
  var replies = el("div", {
    class: "dmql-replies", role: "group", "aria-label": "Suggested replies",
  });
  var input = el("input", {
    id: "dmql-chat-input", class: "dmql-input", type: "text", autocomplete: "off",
    maxlength: "1000", placeholder: "Type your message…",
  });
  var sendButton = el("button", {
    type: "submit", class: "dmql-send", "aria-label": "Send message",
  }, [icon(ICON_SEND)]);
  var form = el("form", { class: "dmql-form" }, [
    el("label", { class: "dmql-sr-only", for: "dmql-chat-input", text: "Your message" }),
    input, sendButton,
  ]);

  var panel = el("section", {
    id: "dmql-chat-panel", class: "dmql-panel", role: "dialog",
    "aria-labelledby": "dmql-chat-title", hidden: "",
  }, [
    el("header", { class: "dmql-header" }, [
      el("div", {}, [
        el("h2", { id: "dmql-chat-title", class: "dmql-title", text: company + " assistant" }),
        el("p", { class: "dmql-subtitle", text: "Questions about the product, pricing or a demo" }),
      ]),
      closeButton,
    ]),
    log, typing, replies, form,
  ]);

  var root = el("div", { class: "dmql-chat" }, [panel, launcher]);

  // ---- messages --------------------------------------------------------

  var history = load(HISTORY_KEY, []);
  if (!Array.isArray(history)) {
    history = [];
  }

  function renderMessage(message) {
    var who = message.from === "visitor" ? "You" : message.from === "error" ? "Notice" : "Assistant";
    var bubble = el("div", { class: "dmql-msg dmql-msg-" + message.from }, [
      el("span", { class: "dmql-sr-only", text: who + ": " }),
    ]);
    if (message.text) {
      renderText(bubble, message.text);
    }
    if (message.image) {
      bubble.appendChild(el("img", { src: message.image, alt: "Image from the assistant", loading: "lazy" }));
    }
    log.appendChild(bubble);
    log.scrollTop = log.scrollHeight;
  }

  function showReplies(buttons) {
    replies.textContent = "";
    (buttons || []).forEach(function (button) {
      if (!button || typeof button.title !== "string") {
        return;
      }
      var chip = el("button", { type: "button", class: "dmql-reply", text: button.title });
      chip.addEventListener("click", function () {
        send(typeof button.payload === "string" ? button.payload : button.title, button.title);
        input.focus();
      });
      replies.appendChild(chip);
    });
  }

  function remember(message) {
    history.push(message);
    if (history.length > MAX_HISTORY) {
      history = history.slice(-MAX_HISTORY);
    }
    save(HISTORY_KEY, history);
    renderMessage(message);
  }

  function addReply(reply) {
    if (!reply || typeof reply !== "object") {
      return;
    }
    var message = { from: "bot" };
    if (typeof reply.text === "string" && reply.text) {
      message.text = reply.text;
    }
    if (typeof reply.image === "string" && /^https?:\/\//.test(reply.image)) {
      message.image = reply.image;
    }
    if (Array.isArray(reply.buttons) && reply.buttons.length) {
      message.buttons = reply.buttons;
    }
    if (message.text || message.image) {
      remember(message);
    }
    if (message.buttons) {
      showReplies(message.buttons);
    }
  }

  function showOffline() {
    var text = "Chat is offline right now — email us at " + (contactEmail || "our sales team") + ".";
    renderMessage({ from: "error", text: text });  // shown, not kept in history
  }

  // ---- talking to Rasa -------------------------------------------------

  var queue = Promise.resolve();
  var pending = 0;

  function setBusy(busy) {
    typing.hidden = !busy;
    log.setAttribute("aria-busy", busy ? "true" : "false");
    if (busy) {
      log.scrollTop = log.scrollHeight;
    }
  }

  function post(message) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    return window.fetch(webhookUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        sender: visitorId(),
        message: message,
        metadata: { page: location.pathname, title: document.title },
      }),
      signal: controller ? controller.signal : undefined,
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("chat server answered " + response.status);
      }
      return response.json();
    }).finally(function () {
      if (timer !== null) {
        window.clearTimeout(timer);
      }
    });
  }

  /** Send `payload` to the bot; `shown` is what appears as the visitor's bubble. */
  function send(payload, shown) {
    if (shown) {
      remember({ from: "visitor", text: shown });
      // Engagement counts that the visitor chatted, never what they wrote.
      if (typeof window.dmqlTrack === "function") {
        window.dmqlTrack("chat_message", {});
      }
    }
    replies.textContent = "";
    pending += 1;
    setBusy(true);
    var result = queue.then(function () {
      return post(payload);
    }).then(function (answers) {
      if (!Array.isArray(answers)) {
        throw new Error("unexpected reply from the chat server");
      }
      answers.forEach(addReply);
      return true;
    }).catch(function () {
      showOffline();
      return false;
    }).finally(function () {
      pending -= 1;
      setBusy(pending > 0);
    });
    queue = result;
    return result;
  }

  // ---- opening and closing ---------------------------------------------

  function open(focus) {
    panel.hidden = false;
    root.classList.add("dmql-open");
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", "Close chat");
    save(OPEN_KEY, true);
    log.scrollTop = log.scrollHeight;
    if (focus) {
      input.focus();
    }
    if (!load(GREETED_KEY, false)) {
      save(GREETED_KEY, true);
      send("/greet", null).then(function (ok) {
        if (!ok) {
          forget(GREETED_KEY);  // try again next time the chat opens
        }
      });
    }
  }

  function close() {
    panel.hidden = true;
    root.classList.remove("dmql-open");
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", "Chat with us");
    save(OPEN_KEY, false);
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) {
      open(true);
    } else {
      close();
    }
  });
  closeButton.addEventListener("click", close);
  // Esc closes the chat from inside it, or from anywhere no other control
  // has the focus (e.g. right after a page load restored an open chat).
  document.addEventListener("keydown", function (event) {
    var active = document.activeElement;
    var ours = !active || active === document.body || root.contains(active);
    if (event.key === "Escape" && !panel.hidden && ours && !event.defaultPrevented) {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) {
      return;
    }
    input.value = "";
    send(text, text);
  });

  function mount() {
    if (!document.querySelector("link[data-dmql-widget]")) {
      var css = el("link", {
        rel: "stylesheet",
        href: new URL("widget.css", script.src || location.href).href,
        "data-dmql-widget": "",
      });
      document.head.appendChild(css);
    }
    document.body.appendChild(root);
    history.forEach(renderMessage);
    var lastMessage = history[history.length - 1];
    if (lastMessage && lastMessage.from === "bot" && lastMessage.buttons) {
      showReplies(lastMessage.buttons);
    }
    if (load(OPEN_KEY, false)) {
      open(false);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
