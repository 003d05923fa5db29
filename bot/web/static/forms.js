/*
 * Website forms (e-book, webinar, newsletter): record the sign-up through the
 * tracking snippet, then show the result in place.
 *
 * A form declares what it records: data-track="<event type>", plus optional
 * data-asset / data-webinar identifiers, and data-success="<id>" of the
 * element to reveal. The browser's own validation runs first (required,
 * type="email"); without scripts the form posts to the page instead.
 */
(function () {
  "use strict";

  var FIELDS = ["name", "email", "company"];

  function collect(form) {
    var properties = {};
    if (form.dataset.asset) {
      properties.asset = form.dataset.asset;
    }
    if (form.dataset.webinar) {
      properties.webinar = form.dataset.webinar;
    }
    FIELDS.forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (input && input.value) {
        properties[name] = input.value.trim();
      }
    });
    return properties;
  }

  function onSubmit(event) {
    var form = event.currentTarget;
    if (typeof window.dmqlTrack !== "function") {
      return; // Snippet missing: let the form post normally.
    }
    event.preventDefault();
    // content_download {asset, name, email, company}
    // webinar_signup {webinar, name, email, company}
    // newsletter_signup {email}
    window.dmqlTrack(form.dataset.track, collect(form));
    var success = document.getElementById(form.dataset.success);
    if (success) {
      var nameInput = form.elements.namedItem("name");
      var thanks = success.querySelector("p");
      if (thanks && nameInput && nameInput.value.trim()) {
        thanks.textContent = thanks.textContent.replace(
          /^Thanks!/, "Thanks, " + nameInput.value.trim() + "!"
        );
      }
      form.hidden = true;
      success.hidden = false;
      success.focus();
    }
  }

  function init() {
    var forms = document.querySelectorAll("form[data-track]");
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener("submit", onSubmit);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
