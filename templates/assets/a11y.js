/* meshdocs: accessibility fixes to markup Material's JavaScript adds after the page has loaded.
   - Material gives each code block's copy button a <nav>: a page with several code blocks then has
     several unnamed navigation landmarks beside the real ones (axe's landmark-unique), and a screen
     reader's list of landmarks fills with code blocks. Each is made a plain container (role none, which
     ARIA in HTML allows on nav); its buttons keep their names ("Copy to clipboard").
   - A wide table (Material wraps each in a scrolling box) or a tall example that scrolls, with nothing
     focusable inside, could not be scrolled without a mouse (axe's scrollable-region-focusable): such a
     box becomes a tab stop, so the arrow keys scroll it. Checked again when the window is resized. */
(function () {
  "use strict";
  var SCROLLERS = ".md-typeset__scrollwrap, .md-typeset pre > code, .mdx-topology, .mdx-example";
  var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";
  function scrolls(box) {
    return box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
  }
  function fix() {
    Array.prototype.forEach.call(document.querySelectorAll("nav.md-code__nav"), function (nav) {
      nav.setAttribute("role", "none");
    });
    Array.prototype.forEach.call(document.querySelectorAll(SCROLLERS), function (box) {
      var ours = box.getAttribute("data-mdx-scroll") === "1";
      if (scrolls(box) && (ours || !box.querySelector(FOCUSABLE)) && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-mdx-scroll", "1");
      } else if (ours && !scrolls(box)) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-mdx-scroll");
      }
    });
  }
  function watch() {
    fix();
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i += 1) {
        if (records[i].addedNodes.length) { fix(); return; }
      }
    }).observe(document.querySelector("main") || document.body, { childList: true, subtree: true });
    var pending = 0;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(fix, 150);
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", watch); } else { watch(); }
})();
