// The certificate's print button. A file, not an onclick attribute: the site's
// Content-Security-Policy runs scripts from our own origin only, never inline handlers.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});
