/* Loaded first on every page. It marks that scripts run, so the stylesheet can show the
   maps and hide the "needs JavaScript" notes before the first paint, and it opens the
   panels that sit beside the content on wide screens (details[data-open-when-wide]),
   which stay collapsible on phones. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  var WIDE = "(min-width: 64rem)";
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.matchMedia(WIDE).matches) return;
    Array.prototype.forEach.call(document.querySelectorAll("details[data-open-when-wide]"), function (panel) {
      panel.open = true;
    });
  });
})();
