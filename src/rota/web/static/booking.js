// The booking pages' small helpers; the pages work without them.
(function () {
  "use strict";
  // First visit (the address names no timezone): show the times in the browser's zone.
  var picker = document.getElementById("picker");
  if (picker && picker.hasAttribute("data-detect-timezone")) {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var select = document.getElementById("tz");
    var known = select && Array.prototype.some.call(select.options, function (option) {
      return option.value === zone;
    });
    if (known && zone !== select.value) {
      var params = new URLSearchParams(location.search);
      params.set("tz", zone);
      location.replace(location.pathname + "?" + params.toString());
    }
  }
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
  document.addEventListener("htmx:afterSettle", function (event) {
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
  // Choosing another timezone shows the times again at once.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-autosubmit]") && target.form) {
      target.form.requestSubmit();
    }
  });
})();
