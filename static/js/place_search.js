/* Place search on a map (tracker/includes/place_search.html): type the start of a place's
   or state's name, in English or Hindi, and the map moves there. The names come from the
   site's own gazetteer (data-url); nothing is sent elsewhere.

   A combobox with a list box (the WAI-ARIA pattern): Up and Down choose among the places
   found, Enter shows the chosen one (or the first), Esc closes the list and then clears
   the box. A status line tells screen readers how many places were found and which one
   the map shows. Needs map.js; the map is the one whose id the form's data-map names. */
(function () {
  "use strict";

  var P = window.PanopticMap;
  var WAIT_MS = 120;

  function placeSearch(form) {
    var map = P.map(form.dataset.map);
    if (!map) return;
    var input = form.querySelector("input[type=search]");
    var list = form.querySelector("[role=listbox]");
    var status = form.querySelector("[role=status]");
    var results = [], active = -1, timer = null, asked = 0, lastQuery = null;
    form.hidden = false;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      Array.prototype.forEach.call(options, function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render() {
      list.textContent = "";
      results.forEach(function (place, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "place-name";
        name.textContent = place.name;
        option.appendChild(name);
        if (place.other_name) {
          var other = document.createElement("span");
          other.className = "place-other";
          other.textContent = place.other_name;
          if (/[\u0900-\u097f]/.test(place.other_name) !== (document.documentElement.lang === "hi")) {
            other.lang = document.documentElement.lang === "hi" ? "en" : "hi";
          }
          option.appendChild(document.createTextNode(" "));
          option.appendChild(other);
        }
        var where = document.createElement("span");
        where.className = "place-where";
        where.textContent = place.state || P.say("state_or_territory");
        option.appendChild(document.createTextNode(", "));
        option.appendChild(where);
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { show(i); });
        list.appendChild(option);
      });
      var open = results.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      active = -1;
      status.textContent = results.length
        ? P.counted(results.length, "places_found_one", "places_found_other")
        : P.say("places_none");
    }

    function ask(query) {
      if (query === lastQuery) return Promise.resolve();
      lastQuery = query;
      var mine = ++asked;
      if (!query.trim()) {
        results = [];
        close();
        return Promise.resolve();
      }
      return P.getJSON(form.dataset.url + "?q=" + encodeURIComponent(query)).then(function (answer) {
        if (mine !== asked) return;
        results = answer.results;
        render();
      }).catch(function () {
        if (mine !== asked) return;
        results = [];
        close();
        status.textContent = P.say("places_none");
      });
    }

    function show(index) {
      var place = results[index];
      if (!place) return;
      if (place.box) {
        map.fitBounds([[place.box[1], place.box[0]], [place.box[3], place.box[2]]], { animate: false });
      } else {
        map.setView([place.lat, place.lon], Math.max(place.zoom, map.getZoom()), { animate: false });
      }
      input.value = place.name;
      lastQuery = place.name;
      close();
      status.textContent = P.say("place_shown", { name: place.name });
      form.dataset.shown = place.name;
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { ask(input.value); }, WAIT_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden && results.length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        if (!results.length) return;
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + results.length) % results.length);
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          results = [];
          lastQuery = null;
        }
      }
    });
    input.addEventListener("blur", close);
    function showChosen() {
      clearTimeout(timer);
      var chosen = input.value === lastQuery ? active : -1;
      ask(input.value).then(function () { show(chosen >= 0 ? chosen : 0); });
    }
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // never the submission form around a point picker
        showChosen();
      }
    });
    form.querySelector("button").addEventListener("click", showChosen);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".place-search"), function (form) {
      if (P.map(form.dataset.map)) return placeSearch(form);
      var container = document.getElementById(form.dataset.map);
      if (container) container.addEventListener("panoptic:map-ready", function () { placeSearch(form); }, { once: true });
    });
  });
})();
