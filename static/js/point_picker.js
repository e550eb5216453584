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
    map.on("click", function (event) {
      var latlng = event.latlng.wrap();
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

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".point-picker"), picker);
  });
})();
