/* The home map: loads the filtered GeoJSON, clusters it, and keeps the filters, the URL,
   the counts and the list beside the map in step without reloading the page. */
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
    var clusters = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
    clusters.addTo(map);
    var hotspots = L.layerGroup().addTo(map);
    var overlays = {};
    overlays[labels.deployments] = clusters;
    overlays[labels.hotspots] = hotspots;
    L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    var requestNumber = 0;

    function queryOf() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        if (value !== "") params.append(key, value);
      });
      return params.toString();
    }

    function loadMarkers(query) {
      var mine = ++requestNumber;
      container.dataset.state = "loading";
      var url = container.dataset.geojsonUrl + (query ? "?" + query : "");
      return fetch(url, { credentials: "omit" }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }).then(function (collection) {
        if (mine !== requestNumber) return;
        var markers = P.deploymentMarkers(collection, labels);
        clusters.clearLayers();
        clusters.addLayers(markers);
        container.dataset.markerCount = String(markers.length);
        container.dataset.state = "ready";
      }).catch(function () {
        if (mine === requestNumber) container.dataset.state = "error";
      });
    }

    /* Hotspots follow the state filter only: the other filters describe deployments. */
    function loadHotspots(query) {
      var state = new URLSearchParams(query).get("state");
      var url = container.dataset.hotspotsUrl + (state ? "?state=" + encodeURIComponent(state) : "");
      fetch(url, { credentials: "omit" })
        .then(function (r) { return r.json(); })
        .then(function (collection) {
          hotspots.clearLayers();
          P.hotspotLayer(collection, labels).addTo(hotspots);
          container.dataset.hotspotCount = String(collection.features.length);
        });
    }

    function loadPanel(query) {
      var url = form.dataset.panelUrl + (query ? "?" + query : "");
      return fetch(url, { credentials: "omit" }).then(function (r) { return r.text(); })
        .then(function (html) { panel.innerHTML = html; });
    }

    function apply() {
      var query = queryOf();
      var url = window.location.pathname + (query ? "?" + query : "");
      window.history.replaceState(null, "", url);
      loadHotspots(query);
      return Promise.all([loadMarkers(query), loadPanel(query)]);
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

    loadMarkers(container.dataset.query || "");
    loadHotspots(container.dataset.query || "");
  });
})();
