/*
 * The only script every page loads. It moves keyboard focus to a form's error summary so
 * that people using a screen reader or the keyboard learn at once what to correct.
 */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  });
})();
