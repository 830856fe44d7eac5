// Onboarding and settings: filter the known-skills list as you type, and guess the time zone.
// Without JavaScript the form is a plain list and a plain select; nothing here is required.
(function () {
  "use strict";

  function setUpSkillFilter() {
    var box = document.querySelector("[data-skill-filter]");
    var input = document.getElementById("skill-filter-input");
    if (!box || !input) return;
    box.hidden = false;
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-skill-name]"));
    var groups = Array.prototype.slice.call(document.querySelectorAll(".skill-group"));
    input.addEventListener("input", function () {
      var query = input.value.trim().toLowerCase();
      items.forEach(function (item) {
        item.hidden = query !== "" && item.getAttribute("data-skill-name").indexOf(query) === -1;
      });
      groups.forEach(function (group) {
        var matches = group.querySelectorAll("[data-skill-name]:not([hidden])").length;
        group.hidden = matches === 0;
        // Folded categories open while a search finds skills in them.
        if (group.tagName === "DETAILS" && query !== "") group.open = matches > 0;
      });
    });
  }

  function guessTimeZone() {
    // Only on first onboarding, and only while the learner has not picked a zone themselves.
    if (!document.querySelector("[data-guess-time-zone]")) return;
    var select = document.getElementById("id_time_zone");
    if (!select || select.value !== "UTC" || !window.Intl) return;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && select.querySelector('option[value="' + zone.replace(/"/g, "") + '"]')) {
      select.value = zone;
    }
  }

  function start() {
    setUpSkillFilter();
    guessTimeZone();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
