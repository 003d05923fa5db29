/*
 * Tracking snippet: records this browser's engagement for lead scoring.
 *
 * One anonymous id per browser (the `visitor_id` cookie, one year, also the
 * chat's sender id) and one per tab (`session_id` in sessionStorage). Every
 * page load sends a `page_view`; forms and other scripts call
 * `window.dmqlTrack(type, properties)`. Events go to the app's events API as
 * JSON, with navigator.sendBeacon so they survive navigating away.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var endpoint = (script && script.getAttribute("data-endpoint")) || "/api/events";
  var VISITOR_COOKIE = "visitor_id";
  var SESSION_KEY = "dmql.session_id";
  var ONE_YEAR_S = 365 * 24 * 60 * 60;
  var ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) +
      "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) {
        return decodeURIComponent(parts[i].slice(eq + 1));
      }
    }
    return null;
  }

  function ensureVisitorId() {
    var id = readCookie(VISITOR_COOKIE);
    if (!id || !ID_PATTERN.test(id)) {
      id = "v_" + uuid().replace(/-/g, "");
    }
    // Re-set on every page so the year counts from the last visit.
    document.cookie = VISITOR_COOKIE + "=" + encodeURIComponent(id) +
      "; Max-Age=" + ONE_YEAR_S + "; Path=/; SameSite=Lax" +
      (location.protocol === "https:" ? "; Secure" : "");
    return id;
  }

  function ensureSessionId() {
    try {
      var id = window.sessionStorage.getItem(SESSION_KEY);
      if (!id) {
        id = "s_" + uuid().replace(/-/g, "");
        window.sessionStorage.setItem(SESSION_KEY, id);
      }
      return id;
    } catch (err) {
      // Storage blocked (privacy mode): one session per page is the best we can do.
      if (!ensureSessionId.fallback) {
        ensureSessionId.fallback = "s_" + uuid().replace(/-/g, "");
      }
      return ensureSessionId.fallback;
    }
  }

  var visitorId = ensureVisitorId();
  var sessionId = ensureSessionId();

  function send(events) {
    var body = JSON.stringify({ visitor_id: visitorId, events: events });
    if (navigator.sendBeacon) {
      try {
        var blob = new Blob([body], { type: "application/json" });
        if (navigator.sendBeacon(endpoint, blob)) {
          return;
        }
      } catch (err) {
        // Fall through to fetch.
      }
    }
    if (window.fetch) {
      window.fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: body,
        keepalive: true,
        credentials: "same-origin",
      }).catch(function () {
        // Tracking never interrupts the visitor.
      });
    }
  }

  /**
   * Record one engagement event, e.g. dmqlTrack("newsletter_signup", {email}).
   * `session_id` is added for you; returns the event that was sent.
   */
  function track(type, properties) {
    var props = {};
    var source = properties || {};
    for (var key in source) {
      if (Object.prototype.hasOwnProperty.call(source, key)) {
        props[key] = source[key];
      }
    }
    props.session_id = sessionId;
    var event = {
      event_id: uuid(),
      type: type,
      occurred_at: new Date().toISOString(),
      properties: props,
    };
    send([event]);
    return event;
  }

  window.dmql = {
    visitorId: function () { return visitorId; },
    sessionId: function () { return sessionId; },
    track: track,
  };
  window.dmqlTrack = track;

  track("page_view", { path: location.pathname, title: document.title });
})();
