// The lab page: htmx recomputes the run when a parameter changes. This file holds every bit of
// the page's behaviour (no inline script, no hx-on attributes), so a strict CSP can apply.
(function () {
  "use strict";
  var lab = document.querySelector(".lab");
  if (!lab) return;
  var results = document.getElementById("lab-results");

  // A 400 is the lab's answer (errors shown by the fields), not a crash: swap it in, and keep it
  // from django-htmx's DEBUG-only handler, which would replace the page with the response.
  lab.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  lab.addEventListener("htmx:beforeOnLoad", function (event) {
    if (event.detail.xhr.status === 400) event.stopPropagation();
  });
  // A recompute keeps open the phase the student is reading (forward, loss, backward, update).
  lab.addEventListener("htmx:configRequest", function (event) {
    if (!(event.detail.elt.classList && event.detail.elt.classList.contains("lab-form"))) return;
    var open = results.querySelector("details.lab-phase[open]");
    var kind = open && /lab-phase-(forward|loss|backward|update)/.exec(open.className);
    if (kind) event.detail.parameters.phase = kind[1];
  });

  var submitted = false;  // Enter, "Recompute" or "New seed" (not a field left with Tab)
  lab.addEventListener("htmx:beforeRequest", function (event) {
    if (!(event.detail.elt.closest && event.detail.elt.closest(".lab-form"))) return;
    results.setAttribute("aria-busy", "true");
    var trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    submitted = !trigger || trigger.type === "submit";
  });
  lab.addEventListener("htmx:afterRequest", function () {
    results.removeAttribute("aria-busy");
  });

  // After a recompute: mark the fields the server refused, then bring the student to what
  // changed (the summary). After a submit the focus goes there too (keyboards, screen
  // readers); after a field is left with Tab it stays on the next field.
  lab.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target !== results) return;
    var run = results.querySelector("[data-invalid]");
    var bad = run ? run.dataset.invalid.split(" ") : [];
    lab.querySelectorAll(".lab-form [name]").forEach(function (el) {
      if (bad.indexOf(el.name) >= 0) el.setAttribute("aria-invalid", "true");
      else el.removeAttribute("aria-invalid");
    });
    var target = results.querySelector("#lab-summary") || results.querySelector(".lab-problem");
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      if (submitted) target.focus({ preventScroll: true });
      var box = target.getBoundingClientRect();
      if (submitted || box.top < 0 || box.top > window.innerHeight * 0.8) {
        target.scrollIntoView({ block: "start", behavior: "smooth" });
      }
    }
  });

  // "New seed": a random seed, then recompute (without JavaScript the link itself has one).
  var newSeed = document.getElementById("lab-new-seed");
  if (newSeed) {
    newSeed.addEventListener("click", function (event) {
      var seed = document.getElementById("lab-field-seed");
      if (!seed || !seed.form.requestSubmit) return;
      event.preventDefault();
      seed.value = Math.floor(Math.random() * 1000000);
      seed.form.requestSubmit();
    });
  }

  // An anchor such as #step-11-dweight lives in a closed phase: open the phase holding step 11
  // (its body loads when it opens), then scroll to the anchor once it is there.
  function reveal(hash) {
    var id = decodeURIComponent((hash || "").replace(/^#/, ""));
    if (!id) return;
    var found = document.getElementById(id);
    var box = found && found.closest("details");
    var match = /^step-(\d+)/.exec(id);
    if (!box && match) {
      var step = Number(match[1]);
      results.querySelectorAll("details[data-first]").forEach(function (d) {
        if (Number(d.dataset.first) <= step && step <= Number(d.dataset.last)) box = d;
      });
    }
    if (!box) return;
    for (var d = box; d; d = d.parentElement && d.parentElement.closest("details")) d.open = true;
    var tries = 0;
    (function scroll() {
      var el = document.getElementById(id);
      if (el) el.scrollIntoView({ block: "start" });
      else if (tries++ < 40) setTimeout(scroll, 50);
    })();
  }
  window.addEventListener("hashchange", function () { reveal(location.hash); });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (link && link.getAttribute("href") === location.hash) reveal(location.hash);
  });
  reveal(location.hash);
})();
