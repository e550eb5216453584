/* Shared map helpers (window.PanopticMap): every map of the site is made by baseMap().

   The background is drawn by the site unless the operator configured one: state outlines
   and names (data-states-url) and the place names of each view from the gazetteer
   (data-labels-url), denser as one zooms in. data-pmtiles-url draws the operator's PMTiles
   archive with protomaps-leaflet; data-tiles-url a raster tile server. data-state-outline
   (a state's code) outlines that state in every mode. The interface strings come from the
   JSON in #map-strings (tracker/includes/map_scripts.html), in the page's language.

   Markers are reachable from the keyboard and named for screen readers: clusters say how
   many entries they hold and zoom in on Enter or Space; entries at the same spot become
   one marker whose popup lists them all; popups take the focus, close on Esc and give the
   focus back to their marker. */
(function () {
  "use strict";

  var STRINGS = null;
  function strings() {
    if (STRINGS === null) {
      var node = document.getElementById("map-strings");
      STRINGS = node ? JSON.parse(node.textContent) : {};
    }
    return STRINGS;
  }
  function say(name, values) {
    var text = strings()[name] || name;
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }
  function counted(count, one, other, values) {
    return say(count === 1 ? one : other, Object.assign({ count: count }, values || {}));
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function pageLanguage() {
    return document.documentElement.lang || "en";
  }

  /* Record text is written in English: on a page in another language it says so. */
  function english(node) {
    if (pageLanguage() !== "en") node.lang = "en";
    return node;
  }

  var maps = {};

  /* The view's box widened to whole tiles of its zoom, as a query string: small pans ask
     the same URL again, which the browser answers from its cache or revalidates. */
  function viewQuery(map) {
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

  function getJSON(url) {
    return fetch(url, { credentials: "omit" }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  var outlines = {};
  function stateOutlines(url) {
    if (!outlines[url]) outlines[url] = getJSON(url);
    return outlines[url];
  }

  /* ---------- labels: state names and the gazetteer's place names ---------- */

  function labelMarker(lon, lat, text, className, language) {
    var span = el("span", null, text);
    if (language !== pageLanguage()) span.lang = language;
    var marker = L.marker([lat, lon], {
      icon: L.divIcon({ className: "map-label " + className, html: span.outerHTML, iconSize: null }),
      interactive: false,
      keyboard: false,
      pane: "labels"
    });
    marker.labelText = text;
    return marker;
  }

  /* Hide every label that overlaps one drawn before it (largest places, then states,
     then the rest): the server thins labels by a grid, the screen decides what fits. */
  function declutter(ordered) {
    var kept = [];
    ordered.forEach(function (marker) {
      var node = marker.getElement();
      if (!node) return;
      var text = node.firstChild;
      node.style.visibility = "";
      var r = text.getBoundingClientRect();
      var clash = kept.some(function (k) {
        return r.left < k.right + 4 && r.right > k.left - 4 && r.top < k.bottom + 2 && r.bottom > k.top - 2;
      });
      if (clash) node.style.visibility = "hidden";
      else kept.push(r);
    });
  }

  function inRing(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var a = ring[i], b = ring[j];
      if ((a[1] > y) !== (b[1] > y) && x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]) inside = !inside;
    }
    return inside;
  }

  function contains(geometry, x, y) {
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    return polygons.some(function (rings) {
      return inRing(rings[0], x, y) && !rings.slice(1).some(function (hole) { return inRing(hole, x, y); });
    });
  }

  function labelLayers(map, container) {
    var pane = map.createPane("labels");
    pane.setAttribute("aria-hidden", "true");
    var states = L.layerGroup().addTo(map);
    var places = L.layerGroup().addTo(map);
    var stateMarkers = [], placeMarkers = [], lastUrl = null, asked = 0, outlines = null;
    // Zoomed in past its name, the state the map is in is named at the map's top edge.
    var context = el("div", "map-context");
    context.setAttribute("aria-hidden", "true");
    context.hidden = true;
    container.appendChild(context);

    function nameTheStateHere() {
      var centre = map.getCenter(), bounds = map.getBounds();
      var here = outlines && outlines.features.filter(function (f) {
        return contains(f.geometry, centre.lng, centre.lat);
      })[0];
      var marker = here && stateMarkers.filter(function (m) { return m.code === here.properties.code; })[0];
      var shown = marker && states.hasLayer(marker) && bounds.contains(marker.getLatLng()) &&
        marker.getElement() && marker.getElement().style.visibility !== "hidden";
      context.hidden = !here || !!shown;
      if (here) {
        context.textContent = here.properties.name;
        if (here.properties.lang !== pageLanguage()) context.lang = here.properties.lang;
        else context.removeAttribute("lang");
      }
    }

    function redraw() {
      var zoom = map.getZoom();
      stateMarkers.forEach(function (marker) {
        var show = zoom >= marker.minzoom;
        if (show && !states.hasLayer(marker)) states.addLayer(marker);
        if (!show && states.hasLayer(marker)) states.removeLayer(marker);
      });
      var big = placeMarkers.filter(function (m) { return m.size === 1; });
      var rest = placeMarkers.filter(function (m) { return m.size !== 1; });
      declutter(big.concat(stateMarkers.filter(function (m) { return states.hasLayer(m); }), rest));
      nameTheStateHere();
      container.dataset.labels = String(placeMarkers.length);
    }

    function loadPlaces() {
      var url = container.dataset.labelsUrl + "?" + viewQuery(map);
      if (url === lastUrl) return redraw();
      lastUrl = url;
      var mine = ++asked;
      getJSON(url).then(function (answer) {
        if (mine !== asked) return;
        places.clearLayers();
        placeMarkers = answer.labels.map(function (row) {
          var marker = labelMarker(row[0], row[1], row[2], "place-label place-size-" + row[3], row[4]);
          marker.size = row[3];
          places.addLayer(marker);
          return marker;
        });
        redraw();
        container.dataset.labelsState = "ready";
      }).catch(function () { lastUrl = null; });
    }

    return {
      setStates: function (collection) {
        outlines = collection;
        stateMarkers = collection.features.map(function (feature) {
          var p = feature.properties;
          var marker = labelMarker(p.label[0], p.label[1], p.name, "state-label", p.lang);
          marker.minzoom = p.minzoom;
          marker.code = p.code;
          return marker;
        }).reverse(); // largest first
        redraw();
      },
      load: loadPlaces
    };
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* The site's own background: the states and the gazetteer's place names. */
  function defaultBackground(map, container) {
    var labels = labelLayers(map, container);
    if (container.dataset.statesUrl) {
      stateOutlines(container.dataset.statesUrl).then(function (collection) {
        L.geoJSON(collection, {
          interactive: false,
          style: { className: "state-shape", color: "#6b7280", weight: 1, fillColor: "#f3f4f6", fillOpacity: 1 }
        }).addTo(map).bringToBack();
        labels.setStates(collection);
      });
    }
    if (container.dataset.labelsUrl) {
      map.on("moveend", labels.load);
      map.whenReady(labels.load);
    }
    var about = container.dataset.aboutUrl;
    map.attributionControl.addAttribution(
      '<a href="' + escapeHtml(about) + '#map-data">' + escapeHtml(strings().attribution_places || "") + "</a>"
    );
  }

  /* The outline of one state, drawn over any background (a state page, a detail map). */
  function outlineState(map, container, code) {
    stateOutlines(container.dataset.statesUrl).then(function (collection) {
      var feature = collection.features.filter(function (f) { return f.properties.code === code; })[0];
      if (!feature) return;
      L.geoJSON(feature, {
        interactive: false,
        style: { className: "state-outline", color: "#1e3a8a", weight: 3, fill: false }
      }).addTo(map);
      container.dataset.outlined = code;
    });
  }

  function baseMap(container, options) {
    var map = L.map(container, Object.assign({
      center: [22.5, 80.0],
      zoom: 4,
      minZoom: 3,
      maxZoom: 18,
      zoomControl: false,
      attributionControl: true
    }, options || {}));
    L.control.zoom({ zoomInTitle: say("zoom_in"), zoomOutTitle: say("zoom_out") }).addTo(map);
    map.attributionControl.setPrefix("");
    // The controls (zoom, layers) come before the markers in the tab order.
    var controls = container.querySelector(".leaflet-control-container");
    if (controls) container.insertBefore(controls, container.firstChild);
    var attribution = container.dataset.tilesAttribution || "";
    if (container.dataset.pmtilesUrl && window.protomapsL) {
      var settings = {
        url: new URL(container.dataset.pmtilesUrl, window.location.href).href,
        flavor: "light",
        lang: pageLanguage()
      };
      if (attribution) settings.attribution = attribution;
      window.protomapsL.leafletLayer(settings).addTo(map);
      container.dataset.background = "pmtiles";
    } else if (container.dataset.tilesUrl) {
      L.tileLayer(container.dataset.tilesUrl, { attribution: attribution }).addTo(map);
      container.dataset.background = "tiles";
    } else {
      defaultBackground(map, container);
      container.dataset.background = "gazetteer";
    }
    if (container.dataset.stateOutline && container.dataset.statesUrl) {
      outlineState(map, container, container.dataset.stateOutline);
    }
    if (container.id) maps[container.id] = map;
    container.dispatchEvent(new CustomEvent("panoptic:map-ready"));
    return map;
  }

  /* ---------- markers, keyboard and popups ---------- */

  /* Enter or Space on a marker does what a click does; Esc closes its open popup. */
  function onActivate(marker, action) {
    marker.on("add", function () {
      var icon = marker.getElement();
      if (!icon || icon.dataset.keys) return;
      icon.dataset.keys = "true";
      icon.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
          event.preventDefault();
          event.stopPropagation();
          action();
        } else if (event.key === "Escape" && marker.isPopupOpen && marker.isPopupOpen()) {
          marker.closePopup();
        }
      });
    });
  }

  function named(marker, label) {
    marker.on("add", function () {
      var icon = marker.getElement();
      if (icon) icon.setAttribute("aria-label", label);
    });
    return marker;
  }

  /* A popup that takes the focus when it opens, closes on Esc, and gives the focus back to
     its marker when it closes. */
  function accessiblePopup(marker, content) {
    marker.bindPopup(content, { autoPanPadding: [24, 24] });
    onActivate(marker, function () { marker.openPopup(); });
    marker.on("popupopen", function (event) {
      var box = event.popup.getElement();
      var close = box.querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", say("close_popup"));
        close.title = say("close_popup");
      }
      if (!box.dataset.keys) {
        box.dataset.keys = "true";
        box.addEventListener("keydown", function (e) {
          if (e.key === "Escape") {
            e.stopPropagation();
            marker.closePopup();
          }
        });
      }
      var target = content.querySelector("a") || content;
      if (target === content) content.tabIndex = -1;
      target.focus({ preventScroll: true });
    });
    marker.on("popupclose", function () {
      var icon = marker.getElement();
      var inside = document.activeElement && marker.getPopup().getElement() &&
        marker.getPopup().getElement().contains(document.activeElement);
      if (icon && (inside || document.activeElement === document.body)) icon.focus({ preventScroll: true });
    });
    return marker;
  }

  function entryLink(title, url) {
    var link = english(el("a", null, title));
    link.href = url;
    return link;
  }

  function deploymentSummary(props, box) {
    box.appendChild(el("strong")).appendChild(entryLink(props.title, props.url));
    box.appendChild(el("div", null, [props.technology_label, props.status_label].join(" · ")));
    if (props.agency) {
      var agency = el("div", null, say("agency") + ": ");
      agency.appendChild(english(el("span", null, props.agency)));
      box.appendChild(agency);
    }
    var place = [props.city, props.state].filter(Boolean).join(", ");
    if (place) box.appendChild(el("div", null, place));
  }

  function hotspotSummary(props, box) {
    box.appendChild(el("strong")).appendChild(entryLink(props.name, props.url));
    var facts = [props.kind_label, props.city].filter(Boolean);
    if (props.camera_count !== null && props.camera_count !== undefined) {
      facts.push(say("cameras") + ": " + props.camera_count);
    }
    box.appendChild(el("div", null, facts.join(" · ")));
  }

  function osmSummary(props, box) {
    box.appendChild(el("strong", null, say("osm_camera")));
    [["osm_camera_type", props.camera_type], ["osm_zone", props.zone], ["osm_operator", props.operator]]
      .forEach(function (row) {
        if (row[1]) box.appendChild(el("div", null, say(row[0]) + ": " + row[1]));
      });
    var link = el("a", null, say("osm_see"));
    link.href = "https://www.openstreetmap.org/" + props.osm_type + "/" + props.osm_id;
    link.rel = "external";
    box.appendChild(el("div")).appendChild(link);
  }

  var KINDS = {
    deployment: {
      summary: deploymentSummary,
      name: function (props) { return props.title; },
      icon: L.divIcon({ className: "deployment-marker", html: "<span></span>", iconSize: [18, 18], iconAnchor: [9, 9], popupAnchor: [0, -8] }),
      clusterOne: "cluster_deployments_one",
      clusterOther: "cluster_deployments_other",
      stackOne: "stack_deployments_one",
      stackOther: "stack_deployments_other",
      zIndexOffset: 1000 // above hotspots, so a tap on a deployment reaches it
    },
    hotspot: {
      summary: hotspotSummary,
      name: function (props) { return say("hotspot_named", { name: props.name }); },
      icon: L.divIcon({ className: "hotspot-marker", html: "<span></span>", iconSize: [16, 16], iconAnchor: [8, 8], popupAnchor: [0, -8] }),
      clusterOne: "cluster_hotspots_one",
      clusterOther: "cluster_hotspots_other",
      stackOne: "stack_hotspots_one",
      stackOther: "stack_hotspots_other",
      zIndexOffset: 0
    },
    osm: {
      summary: osmSummary,
      name: function () { return say("osm_camera"); },
      icon: L.divIcon({ className: "osm-marker", html: "<span></span>", iconSize: [12, 12], iconAnchor: [6, 6], popupAnchor: [0, -6] }),
      clusterOne: "cluster_osm_one",
      clusterOther: "cluster_osm_other",
      stackOne: "stack_osm_one",
      stackOther: "stack_osm_other",
      zIndexOffset: -1000 // under our own entries
    }
  };

  /* One entry's marker with its popup. */
  function pointMarker(feature, kind) {
    var k = KINDS[kind];
    var c = feature.geometry.coordinates;
    var marker = L.marker([c[1], c[0]], {
      icon: k.icon,
      title: k.name(feature.properties),
      keyboard: true,
      zIndexOffset: k.zIndexOffset
    });
    var box = el("div", "popup");
    k.summary(feature.properties, box);
    named(marker, k.name(feature.properties));
    return accessiblePopup(marker, box);
  }

  /* Entries at the same spot (within a few pixels at the deepest zoom): one marker showing
     how many, whose popup lists every one of them. */
  function stackMarker(features, kind, map) {
    var k = KINDS[kind];
    var lat = 0, lon = 0;
    features.forEach(function (f) { lon += f.geometry.coordinates[0]; lat += f.geometry.coordinates[1]; });
    var label = counted(features.length, k.stackOne, k.stackOther);
    var count = el("span", null, String(features.length));
    var marker = L.marker([lat / features.length, lon / features.length], {
      icon: L.divIcon({ className: kind + "-marker stack-marker", html: count.outerHTML, iconSize: [24, 24], iconAnchor: [12, 12], popupAnchor: [0, -10] }),
      title: label,
      keyboard: true,
      zIndexOffset: k.zIndexOffset + 10
    });
    var box = el("div", "popup stack-popup");
    box.appendChild(el("p", "stack-heading", label));
    var list = el("ul", "stack-list");
    features.forEach(function (feature) {
      var item = el("li");
      k.summary(feature.properties, item);
      list.appendChild(item);
    });
    box.appendChild(list);
    named(marker, label);
    return accessiblePopup(marker, box);
  }

  var STACK_PIXELS = 8;

  /* Point features grouped by position: those within STACK_PIXELS of each other at the
     map's deepest zoom share a group. */
  function stacks(features, map) {
    var groups = [];
    var zoom = map.getMaxZoom();
    features.forEach(function (feature) {
      var c = feature.geometry.coordinates;
      var p = map.project([c[1], c[0]], zoom);
      var group = groups.filter(function (g) { return g.point.distanceTo(p) <= STACK_PIXELS; })[0];
      if (group) group.features.push(feature);
      else groups.push({ point: p, features: [feature] });
    });
    return groups.map(function (g) { return g.features; });
  }

  function clusterIcon(count, kind) {
    var size = count < 100 ? "small" : count < 1000 ? "medium" : "large";
    var span = el("span", null, String(count));
    span.dataset.count = String(count);
    var inner = el("div");
    inner.appendChild(span);
    var prefix = { deployment: "marker-cluster", hotspot: "hotspot-cluster", osm: "osm-cluster" }[kind];
    return L.divIcon({ html: inner.outerHTML, className: prefix + " " + prefix + "-" + size, iconSize: [40, 40] });
  }

  /* A cluster: it says how many entries it holds; a click, Enter or Space zooms in on it,
     and the focus stays on the map while the layer is redrawn. */
  function clusterMarker(latlng, count, kind, map) {
    var k = KINDS[kind];
    var label = counted(count, k.clusterOne, k.clusterOther);
    var marker = L.marker(latlng, {
      icon: clusterIcon(count, kind), title: label, keyboard: true, zIndexOffset: k.zIndexOffset + 5
    });
    function zoomIn() {
      map.getContainer().focus({ preventScroll: true });
      map.setView(latlng, Math.min(map.getZoom() + 2, map.getMaxZoom()));
    }
    marker.on("click", zoomIn);
    onActivate(marker, zoomIn);
    marker.isCluster = true;
    return named(marker, label);
  }

  /* A layer from the server's answer for one view: clusters, and points (single markers,
     or one marker for entries at the same spot). */
  function clusteredLayer(collection, map, kind) {
    var group = L.layerGroup();
    var points = [];
    collection.features.forEach(function (feature) {
      var c = feature.geometry.coordinates;
      if (feature.properties.cluster) {
        group.addLayer(clusterMarker(L.latLng(c[1], c[0]), feature.properties.count, kind, map));
      } else {
        points.push(feature);
      }
    });
    stacks(points, map).forEach(function (features) {
      group.addLayer(features.length === 1 ? pointMarker(features[0], kind) : stackMarker(features, kind, map));
    });
    return group;
  }

  // Half the size of a marker's target on screen, and the gap kept between two targets.
  var CLUSTER_RADIUS = 20, POINT_RADIUS = 12, SPREAD_GAP = 2;
  var SPREAD_RING = [[1, 0], [0, 1], [-1, 0], [0, -1], [1, 1], [-1, 1], [-1, -1], [1, -1]];

  function markersIn(layer, found) {
    if (layer.eachLayer) layer.eachLayer(function (child) { markersIn(child, found); });
    else if (layer.getLatLng && layer.getElement && layer.getElement()) found.push(layer);
    return found;
  }

  /* Spread markers that would cover each other on screen (a deployment beside a hotspot,
     two entries a few metres apart): clusters stay where they are, then each point, in
     the order of ``layers``, moves to the nearest free place around its position, so every
     one can be clicked and is a target of its own. */
  function spread(map, layers) {
    var placed = [];
    var all = [];
    layers.forEach(function (layer) { markersIn(layer, all); });
    function free(p) {
      return placed.every(function (q) {
        return q.point.distanceTo(p) >= q.radius + POINT_RADIUS + SPREAD_GAP;
      });
    }
    all.filter(function (m) { return m.isCluster; }).forEach(function (m) {
      placed.push({ point: map.latLngToContainerPoint(m.getLatLng()), radius: CLUSTER_RADIUS });
    });
    var step = 2 * POINT_RADIUS + SPREAD_GAP;
    all.filter(function (m) { return !m.isCluster; }).forEach(function (m) {
      var at = map.latLngToContainerPoint(m.getLatLng());
      var shift = L.point(0, 0);
      for (var ring = 1; !free(at.add(shift)) && ring <= 4; ring++) {
        var options = SPREAD_RING.map(function (d) { return L.point(d[0], d[1]).multiplyBy(step * ring); });
        var found = options.filter(function (o) { return free(at.add(o)); })[0];
        if (found) shift = found;
      }
      m.getElement().style.translate = shift.x || shift.y ? shift.x + "px " + shift.y + "px" : "";
      placed.push({ point: at.add(shift), radius: POINT_RADIUS });
    });
  }

  /* A small map on a detail page: its point, the state around it and the nearest places. */
  function miniMap(container) {
    var lat = parseFloat(container.dataset.lat), lon = parseFloat(container.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) return;
    var map = baseMap(container, { center: [lat, lon], zoom: 9, minZoom: 3 });
    var marker = L.marker([lat, lon], { icon: KINDS.deployment.icon, title: container.dataset.label || "", keyboard: false });
    marker.addTo(map);
    container.dataset.ready = "true";
  }

  window.PanopticMap = {
    baseMap: baseMap,
    clusteredLayer: clusteredLayer,
    counted: counted,
    english: english,
    getJSON: getJSON,
    map: function (id) { return maps[id]; },
    miniMap: miniMap,
    say: say,
    spread: spread,
    viewQuery: viewQuery
  };

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".mini-map"), miniMap);
  });
})();
