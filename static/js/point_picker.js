/* The point picker on submission forms: a map that fills in latitude and longitude, and a
   hotspot's area, with a mouse, a finger or the keyboard.

   A cross marks the map's centre. Arrow keys move the map under it (Leaflet's keyboard
   handler) and + and - zoom; Enter places the point there, or, while an area is being
   drawn, adds a corner there. The buttons below the map do the same for anyone. A click
   or tap places the point (or a corner) where it lands. Focus never drops out of the
   controls: no button disables itself while it has focus, and a status line says what
   happened. Without JavaScript the fields are typed by hand; this only adds the map. */
(function () {
  "use strict";

  function round(value) {
    return +value.toFixed(6);
  }

  function picker(container) {
    var latInput = document.getElementById(container.dataset.latInput);
    var lonInput = document.getElementById(container.dataset.lonInput);
    if (!latInput || !lonInput || !window.L || !window.PanopticMap) return;
    var wrapper = container.closest(".point-picker-wrapper") || container.parentNode;
    wrapper.hidden = false;
    var labels = container.dataset;
    var status = wrapper.querySelector(".point-picker-status");
    var map = window.PanopticMap.baseMap(container, {});
    var marker = null;

    function say(text) {
      if (status) status.textContent = text;
    }

    function current() {
      var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
      return isNaN(lat) || isNaN(lon) ? null : L.latLng(lat, lon);
    }

    function place(latlng) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.marker(latlng, { keyboard: false, interactive: false }).addTo(map);
    }

    function setPoint(latlng) {
      latlng = latlng.wrap();
      latInput.value = round(latlng.lat);
      lonInput.value = round(latlng.lng);
      place(latlng);
      container.dataset.picked = "true";
      say(labels.labelPlaced.replace("%s", latInput.value + ", " + lonInput.value));
    }

    var start = current();
    if (start) {
      place(start);
      map.setView(start, 10);
    }

    var bar = wrapper.querySelector(".point-picker-tools");
    var area = areaDrawing(container, map, bar, say);
    var placeButton = button(bar, labels.labelPlace, "place-point", function () {
      setPoint(map.getCenter());
    });
    bar.insertBefore(placeButton, bar.firstChild);

    map.on("click", function (event) {
      if (area && area.drawing()) area.add(event.latlng.wrap());
      else setPoint(event.latlng);
    });
    container.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.target !== container) return;
      event.preventDefault();
      if (area && area.drawing()) area.add(map.getCenter().wrap());
      else setPoint(map.getCenter());
    });
    function typed() {
      var latlng = current();
      if (latlng) place(latlng);
    }
    latInput.addEventListener("change", typed);
    lonInput.addEventListener("change", typed);
    container.dataset.ready = "true";
  }

  function button(bar, label, name, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "secondary";
    b.name = name;
    b.textContent = label;
    b.addEventListener("click", action);
    bar.appendChild(b);
    return b;
  }

  /* A hotspot's area: corners (clicked, or added at the cross) become a GeoJSON polygon in
     the area field. While drawing, "Add a corner" and "Finish the area" show in place of
     "Draw an area"; focus moves to the button that comes next before any button hides. */
  function areaDrawing(container, map, bar, say) {
    var input = document.getElementById(container.dataset.areaInput || "");
    if (!input) return null;
    var labels = container.dataset;
    var corners = [], drawing = false, shape = null;

    function redraw() {
      if (shape) map.removeLayer(shape);
      shape = corners.length ? L.polygon(corners, { color: "#b45309" }).addTo(map) : null;
    }
    function show(drawingNow, focus) {
      drawing = drawingNow;
      container.dataset.drawing = drawingNow ? "true" : "false";
      if (focus) focus.hidden = false;
      if (focus) focus.focus();
      draw.hidden = drawingNow;
      corner.hidden = !drawingNow;
      finish.hidden = !drawingNow;
    }

    var draw = button(bar, labels.labelDraw, "draw-area", function () {
      corners = [];
      redraw();
      show(true, corner);
      say(labels.labelDrawing);
    });
    var corner = button(bar, labels.labelCorner, "add-corner", function () {
      add(map.getCenter().wrap());
    });
    var finish = button(bar, labels.labelFinish, "finish-area", function () {
      if (corners.length < 3) {
        say(labels.labelTooFew);
        return;
      }
      var ring = corners.map(function (c) { return [round(c.lng), round(c.lat)]; });
      ring.push(ring[0]);
      input.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
      show(false, draw);
      say(labels.labelFinished.replace("%s", corners.length));
    });
    button(bar, labels.labelClear, "clear-area", function () {
      corners = [];
      input.value = "";
      redraw();
      show(false, draw);
      say(labels.labelCleared);
    });
    show(false, null);

    function add(latlng) {
      corners.push(latlng);
      redraw();
      say(labels.labelCornerAdded.replace("%s", corners.length));
    }
    return {
      drawing: function () { return drawing; },
      add: add
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".point-picker"), picker);
  });
})();
