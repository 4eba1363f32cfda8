// The booking pages' small helpers; the pages work without them.
(function () {
  "use strict";
  var ZONE_COOKIE = "rota_tz";
  var CLOCK_KEY = "rota.clock";
  var locale = document.documentElement.getAttribute("data-locale") || "en";

  function remember(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch (e) {
      // Storage refused (private mode, a sandboxed frame): the choice lasts this page.
    }
  }

  function recalled(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function rememberZone(zone) {
    // Read by the server on the next visit (booking_page.ZONE_COOKIE), so the times
    // come in this zone at once.
    document.cookie = ZONE_COOKIE + "=" + encodeURIComponent(zone) +
      "; path=/book; max-age=31536000; SameSite=Lax";
  }

  function withParams(params) {
    var query = new URLSearchParams(location.search);
    Object.keys(params).forEach(function (name) {
      query.set(name, params[name]);
    });
    return location.pathname + "?" + query.toString();
  }

  // First visit (neither the address nor the cookie names a timezone): the page came
  // in UTC with its times hidden (rota.css); fetch the picker in the browser's zone
  // and swap it in, without loading the whole page again.
  function detectZone() {
    var picker = document.getElementById("picker");
    if (!picker || !picker.hasAttribute("data-detect-timezone")) {
      return;
    }
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var select = document.getElementById("tz");
    if (!zone || !select || zone === select.value || !window.htmx) {
      picker.removeAttribute("data-detect-timezone");
      return;
    }
    rememberZone(zone);
    var address = withParams({ tz: zone });
    window.htmx.ajax("GET", address, {
      source: picker, target: picker, select: "#picker", swap: "outerHTML"
    })
      .then(function () {
        history.replaceState(history.state, "", address);
      }, function () {
        var stale = document.getElementById("picker");
        if (stale) {
          stale.removeAttribute("data-detect-timezone");
        }
      });
  }

  // The timezone picker: a search box over the zones ("new york", "UTC-05", "berlin")
  // in place of the long list; a zone is shown only once it is chosen (Enter or a
  // click), so moving through the list with the arrow keys loads nothing.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\u2212/g, "-")
      .replace(/_/g, " ").toLowerCase();
  }

  var zoneChosen = false; // by the keyboard or a click: the new box gets the focus back

  function enhanceZonePicker() {
    var select = document.querySelector("select[data-zone-picker]");
    if (!select || select.hasAttribute("data-enhanced")) {
      return;
    }
    select.setAttribute("data-enhanced", "");
    var form = select.form;
    var zones = Array.prototype.map.call(select.options, function (option) {
      return { name: option.value, label: option.textContent, key: fold(option.textContent + " " + option.value) };
    });
    var current = zones[select.selectedIndex] || zones[0];
    var box = document.createElement("div");
    box.className = "zone-search";
    var input = document.createElement("input");
    input.id = "tz-search";
    input.type = "text";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", "tz-list");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    input.value = current.label;
    var list = document.createElement("ul");
    list.id = "tz-list";
    list.className = "zone-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Timezones");
    list.hidden = true;
    box.appendChild(input);
    box.appendChild(list);
    var label = form.querySelector("label[for=tz]");
    if (label) {
      label.setAttribute("for", "tz-search");
    }
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.hidden = true;
    }
    select.parentNode.insertBefore(box, select);
    if (zoneChosen) {
      zoneChosen = false;
      input.focus({ preventScroll: true });
    }
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
        item.id = "tz-option-" + i;
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
      rememberZone(zone.name);
      zoneChosen = true;
      form.requestSubmit();
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
  }

  // The 12/24-hour switch: the choice is kept in this browser and every time on the
  // page is written again in it; until one is chosen, the reader's language decides.
  function clockChoice() {
    var choice = recalled(CLOCK_KEY);
    if (choice === "12" || choice === "24") {
      return choice;
    }
    var fieldset = document.querySelector("[data-hours-switch]");
    return fieldset ? fieldset.getAttribute("data-default") : null;
  }

  function writeTimes() {
    var choice = clockChoice();
    var fieldset = document.querySelector("[data-hours-switch]");
    if (fieldset) {
      fieldset.hidden = false;
      Array.prototype.forEach.call(fieldset.querySelectorAll("input[name=clock]"), function (radio) {
        radio.checked = radio.value === choice;
      });
    }
    if (!recalled(CLOCK_KEY)) {
      return; // the server wrote them as the reader's language does
    }
    var formats = {};
    Array.prototype.forEach.call(document.querySelectorAll("time[data-clock]"), function (time) {
      var zone = time.getAttribute("data-zone");
      if (!formats[zone]) {
        var options = {
          hour: "numeric", minute: "2-digit", hourCycle: choice === "12" ? "h12" : "h23", timeZone: zone
        };
        try {
          formats[zone] = new Intl.DateTimeFormat(locale, options);
        } catch (e) {
          try {
            formats[zone] = new Intl.DateTimeFormat(undefined, options);
          } catch (e2) {
            return; // a zone this browser does not know: the server's text stays
          }
        }
      }
      time.textContent = formats[zone].format(new Date(time.getAttribute("datetime")));
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.name === "clock" && target.closest("[data-hours-switch]")) {
      remember(CLOCK_KEY, target.value);
      writeTimes();
    }
  });

  // After choosing a time, the form for it comes into view with its first field
  // focused: on a phone it starts below the times, out of sight.
  function showDetails() {
    var details = document.getElementById("details");
    if (!details) {
      return;
    }
    details.scrollIntoView({ block: "start" });
    var first = details.querySelector("input:not([type=hidden]), textarea, button");
    if (first) {
      first.focus({ preventScroll: true });
    }
  }

  // After choosing a day, its times: on a phone they are below the month.
  function showTimes() {
    var title = document.getElementById("times-title");
    if (title && title.getBoundingClientRect().top > window.innerHeight * 0.6) {
      title.scrollIntoView({ block: "start" });
    }
  }

  // In a frame on another site (the embed snippet), tell the page around it how tall
  // this page is, so the frame grows with it instead of scrolling inside.
  function postHeight() {
    if (window.parent === window) {
      return;
    }
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({ type: "rota:height", height: height }, "*");
  }

  function setUp() {
    enhanceZonePicker();
    writeTimes();
    postHeight();
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    setUp();
    var source = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!source || !source.closest) {
      return;
    }
    if (source.closest("ul.times")) {
      showDetails();
    } else if (source.classList.contains("day")) {
      showTimes();
    }
  });
  setUp();
  detectZone();
  if (window.parent !== window && window.ResizeObserver) {
    new ResizeObserver(postHeight).observe(document.documentElement);
  }
})();
