// The language picker (see _language_picker.html): suggestions for the language under the caret
// in a comma-separated list, chosen with the arrow keys and Enter, or by tapping. Without this
// file the input still works: the server reads names, codes and "Name (code)".
(function () {
  "use strict";

  var MAX = 8;

  function normalise(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/\s+/g, " ").trim();
  }

  function setup(root, index) {
    var input = root.querySelector("input[list]");
    if (!input) { return; }
    var datalist = document.getElementById(input.getAttribute("list"));
    var options = Array.prototype.map.call(datalist.options, function (option) {
      var terms = (option.getAttribute("data-terms") || "").split(" | ");
      return { value: option.value, terms: terms, code: option.getAttribute("data-code") };
    });
    input.removeAttribute("list");  // our list replaces the browser's

    var list = document.createElement("ul");
    list.id = input.id + "-listbox";
    list.className = "list-group position-absolute w-100 shadow z-3";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var label = root.querySelector("label");
    if (label) { list.setAttribute("aria-label", label.textContent.trim()); }
    input.insertAdjacentElement("afterend", list);

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    root.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    var shown = [];
    var active = -1;

    function token() {
      var value = input.value;
      var caret = input.selectionStart === null ? value.length : input.selectionStart;
      var start = value.lastIndexOf(",", caret - 1) + 1;
      var end = value.indexOf(",", caret);
      if (end < 0) { end = value.length; }
      return { start: start, end: end, text: value.slice(start, end) };
    }

    function score(option, query) {
      if (option.code === query) { return 0; }
      var best = 9;
      option.terms.forEach(function (term) {
        if (term === query) { best = Math.min(best, 1); }
        else if (term.indexOf(query) === 0) { best = Math.min(best, 2); }
        else if (term.indexOf(" " + query) >= 0) { best = Math.min(best, 3); }
        else if (term.indexOf(query) > 0) { best = Math.min(best, 4); }
      });
      return best;
    }

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (item, j) {
        item.classList.toggle("active", j === i);
        item.setAttribute("aria-selected", j === i ? "true" : "false");
      });
      if (i >= 0) { input.setAttribute("aria-activedescendant", list.children[i].id); }
      else { input.removeAttribute("aria-activedescendant"); }
    }

    function update() {
      var query = normalise(token().text);
      shown = [];
      if (query && !/\(\w{2,3}\)$/.test(query) && query.indexOf("=") < 0) {
        shown = options.map(function (option, order) {
          return { option: option, score: score(option, query), order: order };
        }).filter(function (hit) { return hit.score < 9; })
          .sort(function (a, b) { return a.score - b.score || a.order - b.order; })
          .slice(0, MAX).map(function (hit) { return hit.option; });
      }
      list.textContent = "";
      shown.forEach(function (option, i) {
        var item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.className = "list-group-item list-group-item-action";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = option.value;
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { choose(i); });
        list.appendChild(item);
      });
      if (shown.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        highlight(0);
        status.textContent = "";
      } else {
        close();
        status.textContent = query ? input.getAttribute("data-no-results") : "";
      }
    }

    function choose(i) {
      var part = token();
      var value = input.value;
      var before = value.slice(0, part.start).replace(/\s*$/, "");
      var after = value.slice(part.end);
      var text = (before ? before + " " : "") + shown[i].value;
      var tail = after.replace(/^\s*,?\s*/, "");
      input.value = text + ", " + tail;
      var caret = text.length + 2;
      input.setSelectionRange(caret, caret);
      close();
      status.textContent = shown[i] ? shown[i].value : "";
      input.focus();
    }

    input.addEventListener("input", update);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        if (event.key === "ArrowDown") { update(); event.preventDefault(); }
        return;
      }
      if (event.key === "ArrowDown") {
        highlight((active + 1) % shown.length);
        event.preventDefault();
      } else if (event.key === "ArrowUp") {
        highlight((active - 1 + shown.length) % shown.length);
        event.preventDefault();
      } else if (event.key === "Enter" && active >= 0) {
        choose(active);
        event.preventDefault();  // choosing a language does not send the form
      } else if (event.key === "Escape") {
        close();
        event.preventDefault();
      }
    });
    // A trailing ", " left after choosing is not a language: the server skips empty parts.
  }

  document.querySelectorAll("[data-language-picker]").forEach(setup);
})();
