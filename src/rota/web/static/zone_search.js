// The timezone picker of the booking pages and of the Hub's host forms: a search box
// over the zones of a <select data-zone-picker> ("new york", "UTC-05", "berlin") in
// place of its long list. The select stays in the form, hidden, and carries the IANA
// name; without JavaScript it is the picker. A zone is taken only once it is chosen
// (Enter or a click), so moving through the list with the arrow keys changes nothing.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\u2212/g, "-")
      .replace(/_/g, " ").toLowerCase();
  }

  // Turns `select` into the search box; `chosen(name)` is called when another zone is
  // chosen, once the select holds it. Returns the box, or null if it was done already.
  window.rotaZoneSearch = function (select, chosen) {
    if (select.hasAttribute("data-enhanced")) {
      return null;
    }
    select.setAttribute("data-enhanced", "");
    var zones = Array.prototype.map.call(select.options, function (option) {
      return { name: option.value, label: option.textContent, key: fold(option.textContent + " " + option.value) };
    });
    var current = zones[select.selectedIndex] || zones[0];
    var box = document.createElement("div");
    box.className = "zone-search";
    var input = document.createElement("input");
    input.id = select.id + "-search";
    input.type = "text";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", select.id + "-list");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    input.value = current.label;
    var list = document.createElement("ul");
    list.id = select.id + "-list";
    list.className = "zone-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Timezones");
    list.hidden = true;
    box.appendChild(input);
    box.appendChild(list);
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) {
        input.setAttribute(name, select.getAttribute(name)); // its hint and its error
      }
    });
    var label = document.querySelector("label[for='" + select.id + "']");
    if (label) {
      label.setAttribute("for", input.id);
    }
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.parentNode.insertBefore(box, select);
    var shown = [];
    var active = -1;

    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0 && list.children[index]) {
        input.setAttribute("aria-activedescendant", list.children[index].id);
        list.children[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open(query) {
      var words = fold(query).split(/\s+/).filter(Boolean);
      shown = zones.filter(function (zone) {
        return words.every(function (word) {
          return zone.key.indexOf(word) >= 0;
        });
      }).slice(0, 60);
      list.textContent = "";
      shown.forEach(function (zone, i) {
        var item = document.createElement("li");
        item.id = select.id + "-option-" + i;
        item.setAttribute("role", "option");
        item.textContent = zone.label;
        var id = document.createElement("span");
        id.className = "zone-id";
        id.textContent = zone.name;
        item.appendChild(id);
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box until the choice is made
          choose(zone);
        });
        list.appendChild(item);
      });
      if (!shown.length) {
        var none = document.createElement("li");
        none.className = "zone-empty";
        none.textContent = "No timezone matches \u201c" + query + "\u201d";
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(shown.length ? 0 : -1);
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(zone) {
      close();
      input.value = zone.label;
      if (zone.name === current.name) {
        return;
      }
      current = zone;
      select.value = zone.name;
      chosen(zone.name);
    }

    input.addEventListener("focus", function () {
      input.select();
    });
    input.addEventListener("input", function () {
      open(input.value);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) {
          open(input.value === current.label ? "" : input.value);
          return;
        }
        var step = event.key === "ArrowDown" ? 1 : -1;
        if (shown.length) {
          highlight((active + step + shown.length) % shown.length);
        }
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (!list.hidden && active >= 0) {
          choose(shown[active]);
        }
      } else if (event.key === "Escape") {
        close();
        input.value = current.label;
      }
    });
    input.addEventListener("blur", function () {
      close();
      input.value = current.label;
    });
    return input;
  };
})();
