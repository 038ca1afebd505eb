// Exam countdown: counts the server's remaining seconds down; at zero, reloads so the server
// finishes the attempt. The server enforces the deadline; this is only a display.
// Screen readers hear the time politely at a few milestones (every 5 minutes, then at 2 and 1
// minutes and 30 seconds left), never every second: the ticking clock itself is aria-live="off".
(function () {
  "use strict";
  var MILESTONES = [120, 60, 30];
  function format(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  function spoken(seconds) {
    if (seconds >= 60) {
      var minutes = Math.round(seconds / 60);
      return minutes + (minutes === 1 ? " minute" : " minutes") + " left in this exam.";
    }
    return seconds + " seconds left in this exam.";
  }
  function isMilestone(left) {
    return MILESTONES.indexOf(left) !== -1 || (left > 120 && left % 300 === 0);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-countdown]");
    if (!box) return;
    var text = box.querySelector("[data-countdown-text]");
    var announcer = document.querySelector("[data-countdown-announce]");
    var end = Date.now() + parseInt(box.getAttribute("data-countdown"), 10) * 1000;
    var lastSaid = null;
    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      text.textContent = format(left);
      box.classList.toggle("countdown-low", left <= 60);
      if (announcer && isMilestone(left) && lastSaid !== left) {
        announcer.textContent = spoken(left);
        lastSaid = left;
      }
      if (left === 0) { window.location.reload(); return; }
      window.setTimeout(tick, 1000);
    }
    tick();
  });
})();
