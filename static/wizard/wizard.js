/* HostPolicy wizard: small progressive enhancements. Every page works without this file.
 *  - marks forms as script-enhanced (so the server need not re-ask shown questions);
 *  - shows/hides the EU/UK/Swiss representative and the Land/province questions as the country changes;
 *  - shows/hides the transfer safeguards as storage countries change, and the Quebec questions with Canada;
 *  - shows what each law's text will print as the response days change;
 *  - type-ahead filtering of long checkbox lists (processors, countries), and the short list of the
 *    processors ticked so far;
 *  - copy buttons for the secret link and the HTML snippet;
 *  - moves focus to the error summary when a page comes back with errors.
 */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function words(value) { return (value || "").split(/\s+/).filter(Boolean); }

  function representatives() {
    var form = document.querySelector("[data-rep-form]");
    if (!form) { return; }
    var country = form.querySelector("select[name=country]");
    if (!country) { return; }
    // each representative fieldset lists the countries where that law needs none (its territory);
    // each region question names the country it belongs to
    var reps = form.querySelectorAll("[data-rep]");
    var regions = form.querySelectorAll("[data-region-for]");
    function update() {
      var code = country.value;
      reps.forEach(function (fieldset) {
        // shown only once a country is chosen, and only where that law asks for a representative
        fieldset.hidden = code === "" || words(fieldset.getAttribute("data-rep-inside")).indexOf(code) !== -1;
      });
      regions.forEach(function (block) { block.hidden = code !== block.getAttribute("data-region-for"); });
    }
    country.addEventListener("change", update);
    update();
  }

  function transfers() {
    var form = document.querySelector("[data-transfer-form]");
    if (!form) { return; }
    var section = form.querySelector("[data-transfer-section]");
    if (!section) { return; }
    var safe = words(form.getAttribute("data-safe-codes"));
    var always = form.getAttribute("data-processors-transfer") === "1";
    var boxes = form.querySelectorAll("input[data-storage]");
    function update() {
      var leaves = always;
      boxes.forEach(function (box) {
        if (box.checked && safe.indexOf(box.value) === -1) { leaves = true; }
      });
      section.hidden = !leaves;
    }
    boxes.forEach(function (box) { box.addEventListener("change", update); });
    update();
  }

  function quebec() {
    var form = document.querySelector("[data-transfer-form]");
    var section = form && form.querySelector("[data-quebec-section]");
    var canada = form && form.querySelector("input[name=jurisdictions][value=ca]");
    if (!section || !canada) { return; }
    function update() { section.hidden = !canada.checked; }
    canada.addEventListener("change", update);
    update();
  }

  // what each law's rights text prints for the days typed (generator.laws.response_period)
  function responsePeriods() {
    var box = document.querySelector("[data-response-periods]");
    var input = document.querySelector("input[name=response_days]");
    if (!box || !input) { return; }
    function days(n) { return n === 1 ? "1 day" : n + " days"; }
    function update() {
      var n = parseInt(input.value, 10);
      if (!(n >= 1 && n <= 90) || String(n) !== input.value.trim()) { return; }
      box.querySelector("[data-response-days]").textContent = n;
      box.querySelectorAll("[data-response-law]").forEach(function (item) {
        var max = parseInt(item.getAttribute("data-max-days"), 10);
        var text = item.getAttribute("data-max-text");
        if (isNaN(max)) {
          text = days(n);
        } else if (n < max && !item.getAttribute("data-working")) {
          text = days(n);
        }
        item.querySelector("[data-response-text]").textContent = text;
      });
    }
    input.addEventListener("input", update);
  }

  // the short list of chosen processors above the catalogue follows the ticks, in the owner's order:
  // those saved keep their place, a new one is added at the end (as the answers will store them)
  function chosenList() {
    var scope = document.querySelector("[data-chosen-scope]");
    var out = document.querySelector("[data-chosen-names]");
    if (!scope || !out) { return; }
    var none = out.getAttribute("data-none");
    var names = out.textContent === none ? [] : out.textContent.split(", ");
    scope.querySelectorAll("input[type=checkbox][name=processors]").forEach(function (box) {
      var label = scope.querySelector("label[for='" + box.id + "'] .fw-semibold");
      var name = label ? label.textContent : box.value;
      box.addEventListener("change", function () {
        var at = names.indexOf(name);
        if (box.checked && at === -1) { names.push(name); }
        if (!box.checked && at !== -1) { names.splice(at, 1); }
        out.textContent = names.length ? names.join(", ") : none;
      });
    });
  }

  var filterCount = 0;
  function filters() {
    document.querySelectorAll("[data-filter-scope]").forEach(function (scope) {
      filterCount += 1;
      var id = "filter-" + filterCount;
      var wrap = document.createElement("div");
      wrap.className = "mb-2 filter-box";
      var label = document.createElement("label");
      label.className = "form-label";
      label.setAttribute("for", id);
      label.textContent = scope.getAttribute("data-filter-label") || "Search";
      var input = document.createElement("input");
      input.type = "search";
      input.id = id;
      input.className = "form-control";
      input.autocomplete = "off";
      input.placeholder = scope.getAttribute("data-filter-placeholder") || "";
      if (scope.hasAttribute("data-filter-large")) { input.className += " form-control-lg"; }
      var status = document.createElement("p");
      status.className = "form-text mt-1 mb-0";
      status.id = id + "-status";
      status.setAttribute("aria-live", "polite");
      input.setAttribute("aria-describedby", status.id);
      input.setAttribute("aria-controls", scope.id || (scope.id = id + "-list"));
      wrap.appendChild(label);
      wrap.appendChild(input);
      wrap.appendChild(status);
      scope.parentNode.insertBefore(wrap, scope);

      var items = scope.querySelectorAll("[data-filter-item]");
      var groups = scope.querySelectorAll("[data-filter-group]");
      var opened = new WeakMap();
      groups.forEach(function (g) { opened.set(g, g.open); });

      function apply() {
        var terms = words(input.value.toLowerCase());
        var shown = 0;
        items.forEach(function (item) {
          var text = item.getAttribute("data-filter-text") || "";
          var match = terms.every(function (t) { return text.indexOf(t) !== -1; });
          item.hidden = !match;
          if (match) { shown += 1; }
        });
        groups.forEach(function (g) {
          var any = g.querySelector("[data-filter-item]:not([hidden])");
          g.hidden = !any;
          if (terms.length) { g.open = !!any; } else { g.open = opened.get(g); }
        });
        status.textContent = terms.length ? (shown === 1 ? "1 match" : shown + " matches") : "";
      }
      input.addEventListener("input", apply);
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); } // Enter filters, it does not submit the step
        if (event.key === "Escape") { input.value = ""; apply(); }
      });
    });
  }

  function copyButtons() {
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
      var target = document.getElementById(button.getAttribute("data-copy-target"));
      if (!target) { return; }
      var original = button.textContent;
      var status = document.createElement("span");
      status.className = "visually-hidden";
      status.setAttribute("aria-live", "polite");
      button.insertAdjacentElement("afterend", status);
      button.hidden = false;
      button.addEventListener("click", function () {
        function done() {
          button.textContent = "Copied";
          status.textContent = "Copied to the clipboard";
          window.setTimeout(function () { button.textContent = original; status.textContent = ""; }, 2000);
        }
        function fallback() {
          target.focus();
          target.select();
          try { document.execCommand("copy"); done(); } catch (e) { status.textContent = "Press Control+C to copy"; }
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(target.value).then(done, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  function markScripted() {
    document.querySelectorAll("input[data-js-flag]").forEach(function (input) { input.value = "1"; });
  }

  function focusErrors() {
    var summary = document.getElementById("error-summary") || document.getElementById("upload-errors");
    if (summary) { summary.focus(); }
  }

  ready(function () {
    markScripted();
    representatives();
    transfers();
    quebec();
    responsePeriods();
    filters();
    chosenList();
    copyButtons();
    focusErrors();
  });
}());
