// Accessible names for the admin widgets that scripts build after the page loads (select2 behind
// autocomplete_fields, the filter_horizontal boxes, nested-admin's tabular inline rows): axe finds
// those unnamed otherwise. Re-run whenever the page grows (an inline row added, a select2 opened).
"use strict";
(function () {
  function labelText(element) {
    if (!element) return "";
    if (element.id) {
      const label = document.querySelector('label[for="' + CSS.escape(element.id) + '"]');
      if (label && label.textContent.trim()) return label.textContent.trim().replace(/:$/, "");
    }
    // A tabular inline or list_editable cell: the column's heading names it.
    const cell = element.closest("td");
    const table = cell && cell.closest("table");
    if (table) {
      const heading = table.querySelectorAll("thead th")[cell.cellIndex];
      const text = heading ? heading.textContent.trim() : "";
      if (text) return text.replace(/\?$/, "");
      if (element.name && element.name.endsWith("-DELETE")) return "Delete";
    }
    return "";
  }

  function hasName(element) {
    return (
      element.getAttribute("aria-label") ||
      element.getAttribute("aria-labelledby") ||
      (element.labels && element.labels.length > 0)
    );
  }

  function name(element, text) {
    if (text && !element.getAttribute("aria-label")) element.setAttribute("aria-label", text);
  }

  function fix(root) {
    // select2: the combobox, its rendered value and its search box take the <select>'s label.
    root.querySelectorAll("span.select2").forEach(function (container) {
      const select = container.previousElementSibling;
      const text = labelText(select && select.tagName === "SELECT" ? select : null);
      container.querySelectorAll('[role="combobox"], [role="textbox"], input.select2-search__field').forEach(
        function (element) {
          if (element.getAttribute("role") === "combobox" || element.tagName === "INPUT") {
            element.removeAttribute("aria-labelledby");
          }
          name(element, text);
        },
      );
      // A multiple select2 puts its clear button (a span) among the <li> choices.
      container.querySelectorAll("ul.select2-selection__rendered").forEach(function (list) {
        list.setAttribute("role", "list");
      });
    });
    // filter_horizontal's help icons carry an aria-label, which a plain <span> may not.
    root.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    // aria-describedby naming help text that is not on the page (a time zone warning not shown).
    root.querySelectorAll("[aria-describedby]").forEach(function (element) {
      const ids = element
        .getAttribute("aria-describedby")
        .split(/\s+/)
        .filter(function (id) {
          return id && document.getElementById(id);
        });
      if (ids.length) element.setAttribute("aria-describedby", ids.join(" "));
      else element.removeAttribute("aria-describedby");
    });
    // Inputs of tabular rows have no <label>: name them after their column.
    root.querySelectorAll("td input:not([type=hidden]), td select, td textarea").forEach(function (input) {
      if (!hasName(input)) name(input, labelText(input));
    });
  }

  function start() {
    fix(document);
    new MutationObserver(function () {
      fix(document);
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  window.addEventListener("load", function () {
    fix(document);
  });
})();
