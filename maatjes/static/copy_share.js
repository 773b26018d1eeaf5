// Copy and share buttons for a link on the page. The buttons are hidden in the HTML and shown
// only where the browser can do what they promise: copying needs the Clipboard API, sharing
// needs the Web Share API (mostly phones). Without them the link stays selectable.
(function () {
  "use strict";

  var status = document.querySelector("[data-copy-status]");

  function say(text) {
    if (status) { status.textContent = text; }
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field || !navigator.clipboard || !window.isSecureContext) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        say(button.getAttribute("data-copied"));
      }, function () {
        field.select();
        say(button.getAttribute("data-copy-failed"));
      });
    });
  });

  document.querySelectorAll("[data-share-url]").forEach(function (button) {
    if (typeof navigator.share !== "function") { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.share({
        title: button.getAttribute("data-share-title") || document.title,
        text: button.getAttribute("data-share-text") || "",
        url: button.getAttribute("data-share-url")
      }).catch(function () { /* closed without sharing */ });
    });
  });

  // Selecting the whole link with one tap, for copying by hand.
  document.querySelectorAll("input[readonly][data-select-all], #password-link, #calendar-link")
    .forEach(function (field) {
      field.addEventListener("focus", function () { field.select(); });
    });
})();
