// The Hub's small helpers; every page works without them.
(function () {
  "use strict";
  // Signing in: remember the browser's timezone, the one the Hub shows times in.
  var zone = document.getElementById("browser-timezone");
  if (zone) {
    zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  }

  // On a phone a table is shown as a stack of rows (rota.css): each cell carries its
  // column's heading as data-label, so a stacked row still says what each value is.
  function labelCells(root) {
    var tables = root.querySelectorAll("main table:not(.month)");
    Array.prototype.forEach.call(tables, function (table) {
      var headings = table.querySelectorAll("thead th");
      if (!headings.length) {
        return;
      }
      // A heading only screen readers hear ("Remove") needs no label on screen.
      var labels = Array.prototype.map.call(headings, function (th) {
        var copy = th.cloneNode(true);
        Array.prototype.forEach.call(copy.querySelectorAll(".sr-only"), function (hidden) {
          hidden.remove();
        });
        return copy.textContent.trim();
      });
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (!cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", labels[index] || "");
          }
        });
      });
      table.classList.add("stacked");
    });
  }
  labelCells(document);
  // Parts swapped in by htmx (filters, reassigning) bring new tables.
  document.addEventListener("htmx:afterSettle", function () {
    labelCells(document);
  });

  // A host's timezone: found by searching (zone_search.js); the form sends it on Save.
  var zones = document.querySelector("select[data-zone-picker]");
  if (zones && window.rotaZoneSearch) {
    window.rotaZoneSearch(zones, function () {});
  }

  // The organization's colour: the picker and the #rrggbb field show the same colour.
  var typed = document.getElementById("brand-colour");
  var picked = document.getElementById("brand-colour-pick");
  if (typed && picked) {
    picked.addEventListener("input", function () {
      typed.value = picked.value;
    });
    typed.addEventListener("input", function () {
      if (/^#[0-9a-f]{6}$/i.test(typed.value.trim())) {
        picked.value = typed.value.trim().toLowerCase();
      }
    });
  }
})();
