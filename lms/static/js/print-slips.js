// The password slips' print button: a script file, not an inline handler.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector("[data-print]");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
});
