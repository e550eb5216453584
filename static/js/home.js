/* The home map: a live map (live_map.js) whose filters, URL, counts and list beside it stay
   in step without reloading the page. Hooks: #map (see live_map.js), #map-filters
   (data-panel-url), #map-panel, #reset-filters, and the JSON in #state-extents (each
   state's box: choosing a state shows it). */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("map");
    var form = document.getElementById("map-filters");
    var panel = document.getElementById("map-panel");
    if (!container || !form || !panel) return;

    var extentsNode = document.getElementById("state-extents");
    var stateExtents = extentsNode ? JSON.parse(extentsNode.textContent) : {};
    var filterQuery = container.dataset.query || "";

    function stateOf(query) {
      return new URLSearchParams(query).get("state") || "";
    }

    var live = window.PanopticMap.liveMap(container, { extent: stateExtents[stateOf(filterQuery)] });

    function queryOf() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        if (value !== "") params.append(key, value);
      });
      return params.toString();
    }

    function loadPanel(query) {
      var url = form.dataset.panelUrl + (query ? "?" + query : "");
      return fetch(url, { credentials: "omit" }).then(function (r) { return r.text(); })
        .then(function (html) { panel.innerHTML = html; });
    }

    /* Apply the form: a newly chosen state is shown whole. */
    function apply() {
      var previousState = stateOf(filterQuery);
      filterQuery = queryOf();
      var url = window.location.pathname + (filterQuery ? "?" + filterQuery : "");
      window.history.replaceState(null, "", url);
      var state = stateOf(filterQuery);
      var box = state !== previousState ? stateExtents[state] : null;
      return Promise.all([live.setQuery(filterQuery, box), loadPanel(filterQuery)]);
    }

    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      apply();
    });
    var reset = document.getElementById("reset-filters");
    if (reset) {
      reset.addEventListener("click", function (event) {
        event.preventDefault();
        Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) { s.value = ""; });
        apply();
      });
    }
  });
})();
