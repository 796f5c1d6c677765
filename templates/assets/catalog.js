/* meshdocs: filter the catalog's cards by type and technology. Every card is in the static HTML; this
   only hides and shows them, so the page works (and is indexed) without JavaScript. */
(function () {
  "use strict";
  function setup() {
    var bar = document.querySelector("[data-mdx-filters]");
    var list = document.querySelector("[data-mdx-cards]");
    if (!bar || !list) { return; }
    var cards = Array.prototype.slice.call(list.querySelectorAll(".mdx-card"));
    var type = bar.querySelector('[data-mdx-filter="type"]');
    var tech = bar.querySelector('[data-mdx-filter="technology"]');
    var count = bar.querySelector("[data-mdx-count]");
    function apply() {
      var shown = 0;
      cards.forEach(function (card) {
        var techs = (card.getAttribute("data-technologies") || "").split("|");
        var ok = (!type.value || card.getAttribute("data-type") === type.value) &&
                 (!tech.value || techs.indexOf(tech.value) !== -1);
        card.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.textContent = shown + " of " + cards.length + " designs";
    }
    type.addEventListener("change", apply);
    tech.addEventListener("change", apply);
    bar.hidden = false;
    apply();
  }
  if (typeof document$ !== "undefined") { document$.subscribe(setup); } else { document.addEventListener("DOMContentLoaded", setup); }
})();
