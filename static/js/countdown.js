// Exam countdown: counts the server's remaining seconds down; at zero, reloads so the server
// finishes the attempt. The server enforces the deadline; this is only a display.
(function () {
  "use strict";
  function format(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-countdown]");
    if (!box) return;
    var text = box.querySelector("[data-countdown-text]");
    var end = Date.now() + parseInt(box.getAttribute("data-countdown"), 10) * 1000;
    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      text.textContent = format(left);
      box.classList.toggle("countdown-low", left <= 60);
      if (left === 0) { window.location.reload(); return; }
      window.setTimeout(tick, 1000);
    }
    tick();
  });
})();
