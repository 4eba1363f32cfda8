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

  // The timezone picker (zone_search.js): choosing a zone shows the times in it,
  // remembered for the next visit.
  var zoneChosen = false; // by the keyboard or a click: the new box gets the focus back

  function enhanceZonePicker() {
    var select = document.querySelector("select[data-zone-picker]");
    if (!select || !window.rotaZoneSearch) {
      return;
    }
    var input = window.rotaZoneSearch(select, function (zone) {
      rememberZone(zone);
      zoneChosen = true;
      select.form.requestSubmit();
    });
    if (!input) {
      return;
    }
    var button = select.form.querySelector("button[type=submit]");
    if (button) {
      button.hidden = true;
    }
    if (zoneChosen) {
      zoneChosen = false;
      input.focus({ preventScroll: true });
    }
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
