/* The home map: asks the server for what the current view shows (clusters and points for
   its box and zoom), and keeps the filters, the URL, the counts and the list beside the map
   in step without reloading the page. Hooks: #map (data-geojson-url, data-hotspots-url,
   data-query; sets data-state, data-marker-count, data-hotspot-count, data-zoom),
   #map-filters (data-panel-url), #map-panel, #reset-filters, and the JSON in
   #state-extents (each state's box: choosing a state shows it). */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("map");
    var form = document.getElementById("map-filters");
    var panel = document.getElementById("map-panel");
    if (!container || !form || !panel) return;

    var P = window.PanopticMap;
    var labels = P.labelsOf(container);
    var map = P.baseMap(container);
    var deployments = L.layerGroup().addTo(map);
    var hotspots = L.layerGroup().addTo(map);
    var overlays = {};
    overlays[labels.deployments] = deployments;
    overlays[labels.hotspots] = hotspots;
    L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    var filterQuery = container.dataset.query || "";
    var extentsNode = document.getElementById("state-extents");
    var stateExtents = extentsNode ? JSON.parse(extentsNode.textContent) : {};

    /* Show the chosen state; returns true when the view moved (moveend then loads it). */
    function showState(query) {
      var box = stateExtents[new URLSearchParams(query).get("state") || ""];
      if (!box) return false;
      var before = map.getBounds().toBBoxString();
      map.fitBounds([[box[1], box[0]], [box[3], box[2]]]);
      return map.getBounds().toBBoxString() !== before;
    }
    var requestNumber = { deployments: 0, hotspots: 0 };

    function queryOf() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        if (value !== "") params.append(key, value);
      });
      return params.toString();
    }

    /* The view's box, widened to whole tiles of its zoom: small pans ask the same URL again,
       which the browser revalidates with its ETag instead of downloading. */
    function viewParams() {
      var zoom = map.getZoom();
      var step = 360 / Math.pow(2, zoom);
      var b = map.getBounds();
      function down(v) { return Math.floor(v / step) * step; }
      function up(v) { return Math.ceil(v / step) * step; }
      var box = [
        Math.max(-180, down(b.getWest())), Math.max(-90, down(b.getSouth())),
        Math.min(180, up(b.getEast())), Math.min(90, up(b.getNorth()))
      ].map(function (v) { return +v.toFixed(6); });
      return "bbox=" + box.join(",") + "&zoom=" + zoom;
    }

    var lastUrl = {};

    function fetchLayer(kind, url) {
      if (lastUrl[kind] === url) return Promise.resolve("same"); // the same view: keep the layer
      lastUrl[kind] = url;
      var mine = ++requestNumber[kind];
      return fetch(url, { credentials: "omit" }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }).then(function (collection) {
        return mine === requestNumber[kind] ? collection : null;
      });
    }

    function loadDeployments() {
      container.dataset.state = "loading";
      var url = container.dataset.geojsonUrl + "?" + (filterQuery ? filterQuery + "&" : "") + viewParams();
      return fetchLayer("deployments", url).then(function (collection) {
        if (collection === "same") container.dataset.state = "ready";
        if (!collection || collection === "same") return;
        deployments.clearLayers();
        P.clusteredLayer(collection, labels, map, "deployment").addTo(deployments);
        container.dataset.markerCount = String(collection.total);
        container.dataset.zoom = String(collection.zoom);
        container.dataset.state = "ready";
      }).catch(function () {
        lastUrl.deployments = null;
        container.dataset.state = "error";
      });
    }

    /* Hotspots follow the state filter only: the other filters describe deployments. */
    function loadHotspots() {
      var state = new URLSearchParams(filterQuery).get("state");
      var url = container.dataset.hotspotsUrl + "?" +
        (state ? "state=" + encodeURIComponent(state) + "&" : "") + viewParams();
      return fetchLayer("hotspots", url).then(function (collection) {
        if (!collection || collection === "same") return;
        hotspots.clearLayers();
        P.clusteredLayer(collection, labels, map, "hotspot").addTo(hotspots);
        container.dataset.hotspotCount = String(collection.total);
      }).catch(function () { /* the deployments layer reports errors */ });
    }

    function loadPanel(query) {
      var url = form.dataset.panelUrl + (query ? "?" + query : "");
      return fetch(url, { credentials: "omit" }).then(function (r) { return r.text(); })
        .then(function (html) { panel.innerHTML = html; });
    }

    function loadView() {
      loadHotspots();
      return loadDeployments();
    }

    function apply() {
      var previousState = new URLSearchParams(filterQuery).get("state");
      filterQuery = queryOf();
      var url = window.location.pathname + (filterQuery ? "?" + filterQuery : "");
      window.history.replaceState(null, "", url);
      var moved = new URLSearchParams(filterQuery).get("state") !== previousState && showState(filterQuery);
      return Promise.all([moved ? null : loadView(), loadPanel(filterQuery)]);
    }

    /* Opening a popup pans the map to show it: reloading then would close the popup. */
    var popupOpen = false;
    map.on("popupopen", function () { popupOpen = true; });
    map.on("popupclose", function () { popupOpen = false; });
    map.on("moveend", function () {
      if (!popupOpen) loadView();
    });
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

    if (!showState(filterQuery)) loadView();
  });
})();
