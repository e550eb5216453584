/* The home map: a live map (live_map.js) whose filters, URL, counts and list beside it stay
   in step without reloading the page. Hooks: #map (see live_map.js), #map-filters
   (data-panel-url), #map-panel, #reset-filters, the JSON in #state-extents (each
   state's box: choosing a state shows it), and #map-status: the live region, which says
   only the new counts, once the filters have stopped changing for a moment (the list is
   not read out again). */
(function () {
  "use strict";

  var ANNOUNCE_AFTER_MS = 700;

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

    var status = document.getElementById("map-status");
    var announcing = null;
    function announce() {
      clearTimeout(announcing);
      announcing = setTimeout(function () {
        var counts = panel.querySelectorAll(".match-count");
        status.textContent = Array.prototype.map.call(counts, function (node) {
          return node.textContent.replace(/\s+/g, " ").trim();
        }).join("; ");
      }, ANNOUNCE_AFTER_MS);
    }

    var asked = 0;
    function loadPanel(query) {
      var url = form.dataset.panelUrl + (query ? "?" + query : "");
      var mine = ++asked;
      return fetch(url, { credentials: "omit" }).then(function (r) { return r.text(); })
        .then(function (html) {
          if (mine !== asked) return;
          panel.innerHTML = html;
          if (status) announce();
        });
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
