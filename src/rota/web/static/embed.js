// rota's embed script, for other sites: a booking page in an <iframe data-rota-embed>
// grows to the height of what it shows (the page posts its height, booking.js), so the
// visitor scrolls the site and never a box inside it. Only messages from the frame's
// own page and origin are heard.
(function () {
  "use strict";
  if (window.rotaEmbed) {
    return; // the snippet pasted twice on one page
  }
  window.rotaEmbed = true;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "rota:height" || typeof data.height !== "number") {
      return;
    }
    var frames = document.querySelectorAll("iframe[data-rota-embed]");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) {
        continue;
      }
      if (new URL(frame.src, location.href).origin !== event.origin) {
        return;
      }
      var height = Math.max(200, Math.min(Math.ceil(data.height), 20000));
      frame.style.height = height + "px";
      return;
    }
  });
})();
