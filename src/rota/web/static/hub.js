// The Hub's small helpers; every page works without them.
(function () {
  "use strict";
  // Signing in: remember the browser's timezone, the one the Hub shows times in.
  var zone = document.getElementById("browser-timezone");
  if (zone) {
    zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  }
})();
