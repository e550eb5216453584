/* A state page's map: a live map (live_map.js) of that state's deployments and hotspots,
   its state filter fixed in data-query and its first view the state's box (data-extent). */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("map");
    if (container) window.PanopticMap.liveMap(container);
  });
})();
