/* Formulas are not tab stops (MathJax's inTabOrder: false in _config.yml),
   except a displayed formula wider than the column: it scrolls sideways, so
   it stays focusable for the keyboard to scroll it (WCAG 2.1.1; axe
   scrollable-region-focusable). Checked after MathJax typesets, and again
   when the window is resized. */
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll('mjx-container[display="true"]').forEach(function (math) {
      var wide = math.scrollWidth > math.clientWidth + 1;
      if (wide) math.setAttribute("tabindex", "0");
      else if (math.getAttribute("tabindex") === "0") math.removeAttribute("tabindex");
    });
  }
  var tries = 0;
  (function wait() {
    var mj = window.MathJax;
    if (mj && mj.startup && mj.startup.promise) { mj.startup.promise.then(mark); return; }
    if (++tries < 400) setTimeout(wait, 50);
  })();
  var timer = null;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(mark, 200); });
})();
