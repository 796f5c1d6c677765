/* meshdocs: filter the catalog's cards by kind (design or model), design type and technology. Every card is
   in the static HTML; this only hides and shows them, so the page works (and is indexed) without JavaScript.
   Technologies are keyed in lower case: a design's "Istio" and the model "istio" are one option. */
(function () {
  "use strict";
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function setup() {
    var bar = document.querySelector("[data-mdx-filters]");
    var list = document.querySelector("[data-mdx-cards]");
    if (!bar || !list) { return; }
    var cards = Array.prototype.slice.call(list.querySelectorAll(".mdx-card"));
    var kind = bar.querySelector('[data-mdx-filter="kind"]');
    var type = bar.querySelector('[data-mdx-filter="type"]');
    var tech = bar.querySelector('[data-mdx-filter="technology"]');
    var count = bar.querySelector("[data-mdx-count]");
    var hasModels = cards.some(function (card) { return card.getAttribute("data-kind") === "model"; });
    function matches(card) {
      var cardKind = card.getAttribute("data-kind") || "design";
      var techs = (card.getAttribute("data-technologies") || "").split("|");
      if (kind && kind.value && cardKind !== kind.value) { return false; }
      // A design type says nothing about a model: choosing one shows designs only.
      if (type.value && (cardKind !== "design" || card.getAttribute("data-type") !== type.value)) { return false; }
      return !tech.value || techs.indexOf(tech.value) !== -1;
    }
    function apply() {
      var shown = { design: 0, model: 0 };
      cards.forEach(function (card) {
        var ok = matches(card);
        card.hidden = !ok;
        if (ok) { shown[card.getAttribute("data-kind") === "model" ? "model" : "design"] += 1; }
      });
      var what = hasModels ? plural(shown.design, "design") + " and " + plural(shown.model, "model")
                           : plural(shown.design, "design");
      count.textContent = what + " shown, of " + cards.length;
    }
    [kind, type, tech].forEach(function (select) { if (select) { select.addEventListener("change", apply); } });
    bar.hidden = false;
    apply();
  }
  if (typeof document$ !== "undefined") { document$.subscribe(setup); } else { document.addEventListener("DOMContentLoaded", setup); }
})();
