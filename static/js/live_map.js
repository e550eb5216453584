/* A map that loads what it shows, shared by the home map and the state pages. For every view
   it asks the server for the clusters and points of its box and zoom (deployments with the
   page's filters, hotspots with its state filter only), so no answer is ever the whole
   dataset. Needs map.js. Hooks on the container: data-geojson-url, data-hotspots-url,
   data-query (the filters), data-extent ("minlon,minlat,maxlon,maxlat": the first view);
   it sets data-state (loading, ready, error), data-marker-count, data-hotspot-count and
   data-zoom, which the tests and benchmarks wait on. With data-osm-url (and
   data-osm-attribution) it also shows OpenStreetMap's cameras, a layer of their own,
   setting data-osm-count. Each view is announced on the container as "panoptic:view". */
(function () {
  "use strict";

  var P = window.PanopticMap;

  function boxOf(text) {
    var box = (text || "").split(",").map(parseFloat);
    return box.length === 4 && box.every(isFinite) ? box : null;
  }

  /* Returns { setQuery(query, box) }. The map opens on options.extent, else
     on data-extent, else on India, and loads that first view itself. */
  function liveMap(container, options) {
    var map = P.baseMap(container);
    var deployments = L.layerGroup().addTo(map);
    var hotspots = L.layerGroup().addTo(map);
    var overlays = {};
    overlays[P.say("deployments")] = deployments;
    overlays[P.say("hotspots")] = hotspots;
    // OpenStreetMap's cameras (their own layer, with the ODbL attribution while shown).
    var osm = container.dataset.osmUrl ? L.layerGroup().addTo(map) : null;
    if (osm) {
      overlays[P.say("osm_cameras")] = osm;
      map.attributionControl.addAttribution(container.dataset.osmAttribution);
      map.on("overlayadd", function (event) {
        if (event.layer === osm) {
          map.attributionControl.addAttribution(container.dataset.osmAttribution);
          loadOsm();
        }
      });
      map.on("overlayremove", function (event) {
        if (event.layer === osm) map.attributionControl.removeAttribution(container.dataset.osmAttribution);
      });
    }
    L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    var filterQuery = container.dataset.query || "";
    var requestNumber = { deployments: 0, hotspots: 0, osm: 0 };
    var lastUrl = {};
    var lastAnswer = {};

    /* The layer's answer for ``url``; null when a newer request overtook it, and "same" when
       ``url`` is the last one asked: the layer it drew (or is about to draw) stays. */
    function fetchLayer(kind, url) {
      var mine = requestNumber[kind];
      if (lastUrl[kind] === url) {
        return lastAnswer[kind].then(function () { return mine === requestNumber[kind] ? "same" : null; });
      }
      lastUrl[kind] = url;
      mine = ++requestNumber[kind];
      lastAnswer[kind] = fetch(url, { credentials: "omit" }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }).then(function (collection) {
        return mine === requestNumber[kind] ? collection : null;
      });
      return lastAnswer[kind];
    }

    function loadDeployments() {
      container.dataset.state = "loading";
      var url = container.dataset.geojsonUrl + "?" + (filterQuery ? filterQuery + "&" : "") + P.viewQuery(map);
      return fetchLayer("deployments", url).then(function (collection) {
        if (collection === "same") container.dataset.state = "ready";
        if (!collection || collection === "same") return;
        deployments.clearLayers();
        P.clusteredLayer(collection, map, "deployment").addTo(deployments);
        P.spread(map, [deployments, hotspots, osm || L.layerGroup()]);
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
        (state ? "state=" + encodeURIComponent(state) + "&" : "") + P.viewQuery(map);
      return fetchLayer("hotspots", url).then(function (collection) {
        if (!collection || collection === "same") return;
        hotspots.clearLayers();
        P.clusteredLayer(collection, map, "hotspot").addTo(hotspots);
        P.spread(map, [deployments, hotspots, osm || L.layerGroup()]);
        container.dataset.hotspotCount = String(collection.total);
      }).catch(function () { /* the deployments layer reports errors */ });
    }

    /* OpenStreetMap's cameras take no filters of ours: only the view. */
    function loadOsm() {
      if (!osm || !map.hasLayer(osm)) return;
      var url = container.dataset.osmUrl + "?" + P.viewQuery(map);
      fetchLayer("osm", url).then(function (collection) {
        if (!collection || collection === "same") return;
        osm.clearLayers();
        P.clusteredLayer(collection, map, "osm").addTo(osm);
        P.spread(map, [deployments, hotspots, osm]);
        container.dataset.osmCount = String(collection.total);
      }).catch(function () { lastUrl.osm = null; });
    }

    /* Say what the view now shows, for the share control (share.js), and keep it on the
       container for a control whose script runs after the first view was announced. */
    function announceView() {
      var b = map.getBounds();
      var box = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v, i) {
        var limit = i % 2 ? 90 : 180;
        return +Math.max(-limit, Math.min(limit, v)).toFixed(4);
      });
      container.panopticView = { query: filterQuery, bbox: box.join(",") };
      container.dispatchEvent(new CustomEvent("panoptic:view", { detail: container.panopticView }));
    }

    function loadView() {
      loadHotspots();
      loadOsm();
      announceView();
      return loadDeployments();
    }

    /* Fit the view to a box; returns true when the view moved (moveend then loads it).
       Without animation the view changes at once: an animated fit would leave the old
       view in place for a moment, and the map would load that one first. */
    function show(box) {
      if (!box) return false;
      var before = map.getBounds().toBBoxString();
      map.fitBounds([[box[1], box[0]], [box[3], box[2]]], { animate: false });
      return map.getBounds().toBBoxString() !== before;
    }

    /* New filters: show ``box`` when given, and load what the view then holds. */
    function setQuery(query, box) {
      filterQuery = query;
      return show(box) ? Promise.resolve() : loadView();
    }

    /* Opening a popup pans the map to show it: reloading then would close the popup. */
    var popupOpen = false;
    map.on("popupopen", function () { popupOpen = true; });
    map.on("popupclose", function () { popupOpen = false; });
    map.on("moveend", function () {
      if (!popupOpen) loadView();
    });

    var extent = (options && options.extent) || boxOf(container.dataset.extent);
    if (!show(extent)) loadView();
    return { setQuery: setQuery };
  }

  P.liveMap = liveMap;
})();
