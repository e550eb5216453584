/* A page whose one live map needs nothing kept in step with it: a state page (its state
   filter fixed in data-query, its first view the state's box in data-extent) and the
   embedded map (the embed's filters and first view). */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("map");
    if (container) window.PanopticMap.liveMap(container);
  });
})();
