/* The "Share / embed" control (templates/tracker/includes/share.html): copies the link or
   the embed code, and on a live map keeps the code in step with the view. live_map.js
   announces each view on #map as "panoptic:view" ({query: the filters, bbox: the box
   shown}) and keeps the latest as #map.panopticView; the code then embeds /embed/map/ with those filters and that box. */
(function () {
  "use strict";

  function escapeAttr(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function iframe(src, title, height) {
    return '<iframe src="' + escapeAttr(src) + '" title="' + escapeAttr(title) + '" width="100%" height="' +
      escapeAttr(height) + '" style="border:0;max-width:100%" loading="lazy"></iframe>';
  }

  function copy(field, status) {
    field.select();
    var done = function () { status.textContent = status.dataset.done; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        if (document.execCommand("copy")) done();
      });
    } else if (document.execCommand("copy")) {
      done();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var share = document.getElementById("share");
    if (!share) return;
    var code = document.getElementById("share-code");
    var link = document.getElementById("share-link");
    var status = share.querySelector(".share-copied");
    Array.prototype.forEach.call(share.querySelectorAll("[data-copy]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(document.getElementById(button.dataset.copy), status);
      });
    });
    var map = document.getElementById("map");
    if (share.hasAttribute("data-follows-view") && map) {
      var follow = function (view) {
        var params = new URLSearchParams(view.query || "");
        params.delete("bbox");
        params.set("bbox", view.bbox);
        var src = share.dataset.embedMapUrl + "?" + params.toString();
        code.value = iframe(src, share.dataset.title, share.dataset.height);
        link.value = window.location.href;
        status.textContent = "";
        share.dataset.embedSrc = src;
      };
      map.addEventListener("panoptic:view", function (event) { follow(event.detail); });
      /* The map may have shown its first view before this script ran. */
      if (map.panopticView) follow(map.panopticView);
    }
  });
})();
