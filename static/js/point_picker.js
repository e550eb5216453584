/* The point picker on submission forms: click the map to fill in latitude and longitude.
   Without JavaScript the two fields are typed by hand; this only adds the map. */
(function () {
  "use strict";

  function picker(container) {
    var latInput = document.getElementById(container.dataset.latInput);
    var lonInput = document.getElementById(container.dataset.lonInput);
    if (!latInput || !lonInput || !window.L || !window.PanopticMap) return;
    container.hidden = false;
    var help = container.nextElementSibling;
    if (help && help.classList.contains("point-picker-help")) help.hidden = false;
    var map = window.PanopticMap.baseMap(container, {});
    var marker = null;

    function current() {
      var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
      return isNaN(lat) || isNaN(lon) ? null : L.latLng(lat, lon);
    }

    function place(latlng) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.marker(latlng, { keyboard: false }).addTo(map);
    }

    var start = current();
    if (start) {
      place(start);
      map.setView(start, 10);
    }
    var area = areaDrawing(container, map);
    map.on("click", function (event) {
      var latlng = event.latlng.wrap();
      if (area && area.drawing()) {
        area.add(latlng);
        return;
      }
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
      place(latlng);
      container.dataset.picked = "true";
    });
    function typed() {
      var latlng = current();
      if (latlng) place(latlng);
    }
    latInput.addEventListener("change", typed);
    lonInput.addEventListener("change", typed);
    container.dataset.ready = "true";
  }

  /* A hotspot's area: corners clicked on the map become a GeoJSON polygon in the area field. */
  function areaDrawing(container, map) {
    var input = document.getElementById(container.dataset.areaInput || "");
    if (!input) return null;
    var corners = [], drawing = false, shape = null;
    var bar = document.createElement("p");
    bar.className = "form-actions area-tools";
    function button(label, name, action) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "secondary";
      b.name = name;
      b.textContent = label;
      b.addEventListener("click", action);
      bar.appendChild(b);
      return b;
    }
    function redraw() {
      if (shape) map.removeLayer(shape);
      shape = corners.length ? L.polygon(corners, { color: "#b45309" }).addTo(map) : null;
    }
    var draw = button(container.dataset.labelDraw, "draw-area", function () {
      corners = [];
      drawing = true;
      redraw();
      draw.disabled = true;
      finish.disabled = false;
    });
    var finish = button(container.dataset.labelFinish, "finish-area", function () {
      drawing = false;
      draw.disabled = false;
      finish.disabled = true;
      if (corners.length < 3) {
        corners = [];
        redraw();
        return;
      }
      var ring = corners.map(function (c) { return [+c.lng.toFixed(6), +c.lat.toFixed(6)]; });
      ring.push(ring[0]);
      input.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
    });
    button(container.dataset.labelClear, "clear-area", function () {
      corners = [];
      drawing = false;
      draw.disabled = false;
      finish.disabled = true;
      input.value = "";
      redraw();
    });
    finish.disabled = true;
    container.parentNode.insertBefore(bar, container.nextSibling);
    return {
      drawing: function () { return drawing; },
      add: function (latlng) { corners.push(latlng); redraw(); }
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".point-picker"), picker);
  });
})();
