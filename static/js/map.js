/* Shared map helpers: an offline background (India outline) unless the operator set tiles,
   the server's clusters, deployment markers and hotspot circles built from its GeoJSON. */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function baseMap(container, options) {
    var map = L.map(container, Object.assign({
      center: [22.5, 80.0],
      zoom: 4,
      minZoom: 3,
      maxZoom: 18,
      attributionControl: true
    }, options || {}));
    map.attributionControl.setPrefix("");
    var tiles = container.dataset.tilesUrl;
    if (tiles) {
      L.tileLayer(tiles, { attribution: container.dataset.tilesAttribution || "" }).addTo(map);
    } else if (container.dataset.outlineUrl) {
      fetch(container.dataset.outlineUrl).then(function (r) { return r.json(); }).then(function (outline) {
        L.geoJSON(outline, {
          interactive: false,
          style: { color: "#6b7280", weight: 1, fillColor: "#f3f4f6", fillOpacity: 1 }
        }).addTo(map).bringToBack();
      });
    }
    return map;
  }

  function deploymentPopup(props, labels) {
    var box = el("div", "popup");
    var link = el("a", null, props.title);
    link.href = props.url;
    box.appendChild(el("strong")).appendChild(link);
    var facts = [props.technology_label, props.status_label, props.level_label].filter(Boolean);
    box.appendChild(el("div", null, facts.join(" · ")));
    if (props.agency) box.appendChild(el("div", null, labels.agency + ": " + props.agency));
    var place = [props.city, props.state].filter(Boolean).join(", ");
    if (place) box.appendChild(el("div", null, place));
    return box;
  }

  function hotspotPopup(props, labels) {
    var box = el("div", "popup");
    var link = el("a", null, props.name);
    link.href = props.url;
    box.appendChild(el("strong")).appendChild(link);
    var facts = [props.kind_label, props.city].filter(Boolean);
    if (props.camera_count !== null && props.camera_count !== undefined) {
      facts.push(labels.cameras + ": " + props.camera_count);
    }
    box.appendChild(el("div", null, facts.join(" · ")));
    return box;
  }

  function markerIcon(className) {
    return L.divIcon({
      className: className,
      html: "<span></span>",
      iconSize: [18, 18],
      iconAnchor: [9, 9],
      popupAnchor: [0, -8]
    });
  }
  var deploymentIcon = markerIcon("deployment-marker");
  // Not re-checked against a live source for VERIFY_AFTER_DAYS: drawn faded.
  var staleIcon = markerIcon("deployment-marker stale");

  function deploymentMarkers(collection, labels) {
    return collection.features.map(function (feature) {
      var c = feature.geometry.coordinates;
      var marker = L.marker([c[1], c[0]], {
        icon: feature.properties.stale ? staleIcon : deploymentIcon,
        title: feature.properties.title,
        alt: feature.properties.title,
        keyboard: true,
        zIndexOffset: 1000 // above hotspot clusters, so a tap on a deployment reaches it
      });
      marker.bindPopup(deploymentPopup(feature.properties, labels));
      return marker;
    });
  }

  function hotspotLayer(collection, labels) {
    return L.geoJSON(collection, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {
          radius: 7, color: "#7c2d12", weight: 2, fillColor: "#f97316", fillOpacity: 0.7,
          className: "hotspot-marker"
        });
      },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(hotspotPopup(feature.properties, labels));
      }
    });
  }

  function clusterIcon(count, kind) {
    var size = count < 100 ? "small" : count < 1000 ? "medium" : "large";
    var span = el("span", null, String(count));
    span.dataset.count = String(count);
    var inner = el("div");
    inner.appendChild(span);
    var prefix = kind === "deployment" ? "marker-cluster" : "hotspot-cluster";
    return L.divIcon({
      html: inner.outerHTML,
      className: prefix + " " + prefix + "-" + size,
      iconSize: [40, 40]
    });
  }

  /* A layer from the server's answer for one view: clusters (a count; a click zooms in)
     and points (a marker or a circle with its popup). */
  function clusteredLayer(collection, labels, map, kind) {
    var group = L.layerGroup();
    collection.features.forEach(function (feature) {
      var c = feature.geometry.coordinates;
      var latlng = L.latLng(c[1], c[0]);
      var props = feature.properties;
      if (props.cluster) {
        var marker = L.marker(latlng, {
          icon: clusterIcon(props.count, kind),
          title: String(props.count),
          keyboard: true
        });
        marker.on("click", function () {
          map.setView(latlng, Math.min(map.getZoom() + 2, map.getMaxZoom()));
        });
        group.addLayer(marker);
      } else if (kind === "deployment") {
        group.addLayer(deploymentMarkers({ features: [feature] }, labels)[0]);
      } else {
        hotspotLayer({ type: "FeatureCollection", features: [feature] }, labels).addTo(group);
      }
    });
    return group;
  }

  function labelsOf(container) {
    return {
      agency: container.dataset.labelAgency || "Agency",
      cameras: container.dataset.labelCameras || "Cameras",
      deployments: container.dataset.labelDeployments || "Deployments",
      hotspots: container.dataset.labelHotspots || "Hotspots"
    };
  }

  /* A small map on a detail page: one point, no clustering. */
  function miniMap(container) {
    var lat = parseFloat(container.dataset.lat), lon = parseFloat(container.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) return;
    var map = baseMap(container, { center: [lat, lon], zoom: 7, minZoom: 3 });
    L.marker([lat, lon], { icon: deploymentIcon, title: container.dataset.label || "", keyboard: false })
      .addTo(map);
    container.dataset.ready = "true";
  }

  window.PanopticMap = {
    baseMap: baseMap,
    clusteredLayer: clusteredLayer,
    deploymentMarkers: deploymentMarkers,
    hotspotLayer: hotspotLayer,
    labelsOf: labelsOf,
    miniMap: miniMap
  };

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".mini-map"), miniMap);
  });
})();
