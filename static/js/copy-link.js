// "Copy link" buttons: put the button's data-copy-link on the clipboard and say so on the button
// for a moment. Where the Clipboard API is missing (a page not served over HTTPS), the link is
// selected in a prompt so it can be copied by hand.
(function () {
  "use strict";

  // Only the visible label changes; the hidden text naming the row stays for screen readers.
  function confirm(button) {
    const visible = button.querySelector("[data-copy-label]") || button;
    const label = visible.dataset.label || visible.textContent;
    visible.dataset.label = label;
    visible.textContent = button.dataset.copied;
    window.setTimeout(function () {
      visible.textContent = label;
    }, 2000);
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-copy-link]");
    if (!button) return;
    const link = button.dataset.copyLink;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(link).then(
        function () {
          confirm(button);
        },
        function () {
          window.prompt(button.dataset.prompt, link);
        }
      );
    } else {
      window.prompt(button.dataset.prompt, link);
    }
  });
})();
