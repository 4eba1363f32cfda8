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
  // Choosing another timezone shows the times again at once.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-autosubmit]") && target.form) {
      target.form.requestSubmit();
    }
  });
})();
