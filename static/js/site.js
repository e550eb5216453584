/* Loaded first on every page. It marks that scripts run, so the stylesheet can show the
   maps and hide the "needs JavaScript" notes before the first paint, and it opens the
   panels that sit beside the content on wide screens (details[data-open-when-wide]),
   which stay collapsible on phones. On a form sent back with errors it moves focus to
   the error summary, and each of the summary's links to the field it names, with the
   field's label in view (the GOV.UK pattern); otherwise to a notice that asks for a
   decision ([data-focus-on-load], e.g. "is this already on its way?"). */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  var WIDE = "(min-width: 64rem)";

  function fieldLabel(input) {
    var legend = input.closest("fieldset") && input.closest("fieldset").querySelector("legend");
    if (legend) return legend;
    return (input.id && document.querySelector('label[for="' + input.id + '"]')) || input;
  }

  function errorSummary(summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var input = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!input) return;
      event.preventDefault();
      var folded = input.closest("details");
      if (folded) folded.open = true;
      fieldLabel(input).scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) errorSummary(summary);
    else if (document.querySelector("[data-focus-on-load]")) {
      document.querySelector("[data-focus-on-load]").focus();
    }
    if (!window.matchMedia(WIDE).matches) return;
    Array.prototype.forEach.call(document.querySelectorAll("details[data-open-when-wide]"), function (panel) {
      panel.open = true;
    });
  });
})();
