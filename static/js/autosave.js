// Autosave for exam answers and flags: any form with data-autosave="<field name>" that htmx posts.
//
// The page says "saved" only after the server confirmed that exact value: every successful save
// answers with <span data-saved data-saved-value="..."> echoing what it stored, and the echo must
// equal the form's current value. Anything else (a 5xx such as the database's 503, a network
// error, a timeout, a 200 without the echo) says plainly that the value is NOT saved and retries
// with backoff. A 401 (signed out) keeps the choice on screen, offers the login link that the
// server sent in HX-Redirect, and remembers the choice (sessionStorage) so it is restored and
// saved on return. Refusals (4xx with a reason) are shown as they are and not retried.
//
// Attributes on the form: data-autosave (the field to confirm), data-autosave-status (selector
// of the status element, htmx's hx-target), data-autosave-what ("answer", "flag": for messages).
// A form whose submit button has data-label-flagged/-unflagged is a toggle: once confirmed, its
// field flips to the other value and the button's label follows.
(function () {
  "use strict";
  var RETRY_SECONDS = [1, 2, 4, 8, 15, 30];
  var STORE_PREFIX = "autosave:";
  var REFUSALS = [400, 409, 422];

  function autosaveForm(event) {
    var elt = event.detail && event.detail.elt;
    return elt && elt.closest ? elt.closest("form[data-autosave]") : null;
  }

  function state(form) {
    if (!form._autosave) form._autosave = { failures: 0, mismatches: 0, timer: null };
    return form._autosave;
  }

  // The field to confirm: the one data-autosave names, or else the form's first visible field
  // (so an answer form with another kind of input, e.g. a typed number, works unchanged).
  function fieldName(form) {
    var named = form.getAttribute("data-autosave");
    if (named && form.querySelector("[name='" + named + "']")) return named;
    var first = form.querySelector("input[name]:not([type=hidden]), select[name], textarea[name]");
    return first ? first.name : named;
  }
  function what(form) { return form.getAttribute("data-autosave-what") || "answer"; }
  function statusBox(form) { return document.querySelector(form.getAttribute("data-autosave-status")); }
  function storeKey(form) { return STORE_PREFIX + (form.getAttribute("hx-post") || form.action); }

  function currentValue(form) {
    var value = new FormData(form).get(fieldName(form));
    return value === null ? null : String(value).trim();  // the server stores a typed number trimmed
  }

  function setValue(form, value) {
    var inputs = form.querySelectorAll("[name='" + fieldName(form) + "']");
    Array.prototype.forEach.call(inputs, function (input) {
      if (input.type === "radio" || input.type === "checkbox") input.checked = input.value === value;
      else input.value = value;
    });
  }

  function remember(form, value) {
    try { window.sessionStorage.setItem(storeKey(form), value); } catch (e) { /* private mode */ }
  }

  function forget(form) {
    try { window.sessionStorage.removeItem(storeKey(form)); } catch (e) { /* private mode */ }
  }

  function remembered(form) {
    try { return window.sessionStorage.getItem(storeKey(form)); } catch (e) { return null; }
  }

  function say(form, text, isError, link) {
    var box = statusBox(form);
    if (!box) return;
    var span = document.createElement("span");
    span.textContent = text;
    if (isError) {
      span.className = "save-error";
      span.setAttribute("role", "alert");
    }
    box.replaceChildren(span);
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.textContent = link.text;
      box.append(" ", anchor);
    }
    box.setAttribute("data-autosave-state", isError ? "not-saved" : "pending");
  }

  function send(form) {
    var st = state(form);
    window.clearTimeout(st.timer);
    st.timer = null;
    window.htmx.trigger(form, form.getAttribute("hx-trigger") || "submit");
  }

  function notSaved(form, reason) {
    var st = state(form);
    var seconds = RETRY_SECONDS[Math.min(st.failures, RETRY_SECONDS.length - 1)];
    st.failures += 1;
    say(form, "Your " + what(form) + " is NOT saved (" + reason + "). Trying again in " + seconds +
        " s; keep this page open.", true);
    window.clearTimeout(st.timer);
    st.timer = window.setTimeout(function () { send(form); }, seconds * 1000);
  }

  function echoed(html) {
    var match = /data-saved-value="([^"]*)"/.exec(html || "");
    return match ? match[1] : null;
  }

  function confirmed(form, value) {
    var st = state(form);
    st.failures = 0;
    st.mismatches = 0;
    window.clearTimeout(st.timer);
    st.timer = null;
    forget(form);
    var button = form.querySelector("[data-label-flagged]");
    if (button) {  // a toggle: the next click asks for the other value
      setValue(form, value === "1" ? "0" : "1");
      button.textContent = button.getAttribute(value === "1" ? "data-label-flagged" : "data-label-unflagged");
    }
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = autosaveForm(event);
    if (!form) return;
    var st = state(form);
    window.clearTimeout(st.timer);
    st.timer = null;
    var value = currentValue(form);
    if (value !== null) remember(form, value);
    if (!st.failures && !st.mismatches) say(form, "Saving…", false);
  });

  document.addEventListener("htmx:beforeOnLoad", function (event) {
    var form = autosaveForm(event);
    if (!form || event.detail.xhr.status !== 401) return;
    event.preventDefault();  // no redirect: the unsaved choice stays on screen
    var login = event.detail.xhr.getResponseHeader("HX-Redirect") || "/accounts/login/";
    say(form, "Your " + what(form) + " is NOT saved: you have been signed out. Your choice is kept on this page.",
        true, { href: login, text: "Log in again to save it" });
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = autosaveForm(event);
    if (!form) return;
    var status = event.detail.xhr.status;
    if (status === 200) {
      var saved = echoed(event.detail.serverResponse);
      var current = currentValue(form);
      if (saved !== null && saved === current) {
        confirmed(form, saved);
        return;  // swap the server's "saved" message
      }
      event.detail.shouldSwap = false;
      var st = state(form);
      if (saved === null) {
        notSaved(form, "the server did not confirm it");
      } else if (st.mismatches < 2) {  // an earlier choice was saved; the current one goes next
        st.mismatches += 1;
        say(form, "Saving your latest choice…", false);
        send(form);
      } else {
        notSaved(form, "the server kept another value");
      }
      return;
    }
    if (REFUSALS.indexOf(status) !== -1) {  // refused with a reason: show it, do not retry
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      forget(form);
      state(form).failures = 0;
      return;
    }
    event.detail.shouldSwap = false;
    if (status === 403 || status === 404) {  // retrying cannot help: the page itself is stale
      say(form, "Your " + what(form) + " is NOT saved: the server refused it (" + status + "). " +
          "Reload the page and choose again.", true, { href: window.location.href, text: "Reload" });
      return;
    }
    notSaved(form, status === 503 ? "the database is briefly unavailable" : "the server answered " + status);
  });

  document.addEventListener("htmx:sendError", function (event) {
    var form = autosaveForm(event);
    if (form) notSaved(form, "no connection to the server");
  });

  document.addEventListener("htmx:timeout", function (event) {
    var form = autosaveForm(event);
    if (form) notSaved(form, "the server took too long");
  });

  // Back on the page (e.g. after logging in again): restore and save a choice that was not saved.
  document.addEventListener("DOMContentLoaded", function () {
    window.setTimeout(function () {
      var forms = document.querySelectorAll("form[data-autosave]");
      Array.prototype.forEach.call(forms, function (form) {
        var value = remembered(form);
        if (value === null) return;
        var box = statusBox(form);
        var savedNode = box && box.querySelector("[data-saved]");
        var saved = savedNode ? savedNode.getAttribute("data-saved-value") : null;
        if (value === saved || (form.querySelector("[data-label-flagged]") && value !== currentValue(form))) {
          forget(form);  // already stored, or a flag the page has since shown as changed
          return;
        }
        setValue(form, value);
        say(form, "Restoring your unsaved " + what(form) + "…", false);
        send(form);
      });
    }, 0);
  });
})();
