// Site search with Pagefind in Material's header box: loaded on first use, from this site only, and
// fetching only the index chunks a query needs. Results reuse Material's result markup and styles.
(function () {
  "use strict";
  var box = document.querySelector("[data-mdx-search]");
  if (!box) return;
  var input = box.querySelector("[data-mdx-search-query]");
  var result = box.querySelector("[data-mdx-search-result]");
  var meta = result.querySelector(".md-search-result__meta");
  var list = result.querySelector(".md-search-result__list");
  var toggle = document.getElementById("__search");
  var config = {};
  try { config = JSON.parse(document.getElementById("__config").textContent); } catch (e) { config = {}; }
  // "." or ".." on most pages; "/" on the 404 page, which any URL may serve (so no "//", a host-less URL).
  var base = new URL((config.base || ".").replace(/\/+$/, "") + "/", document.baseURI);
  var engine = null;
  var latest = 0;
  var MAX = 10;

  function load() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", base).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: base.pathname }).then(function () { return pagefind; });
      });
    }
    return engine;
  }

  function say(count) {
    var text = count === 0 ? result.dataset.none : count === 1 ? result.dataset.one : result.dataset.other;
    meta.textContent = (text || "").replace("#", String(count));
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = data.url;
    a.tabIndex = -1;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var h = document.createElement("h1");
    h.textContent = (data.meta && data.meta.title) || data.url;
    var p = document.createElement("p");
    // Pagefind's excerpt is the page's own text, escaped by Pagefind, with <mark> around the matches.
    p.innerHTML = data.excerpt || "";
    article.appendChild(h);
    article.appendChild(p);
    a.appendChild(article);
    li.appendChild(a);
    return li;
  }

  function search(query) {
    var ticket = ++latest;
    if (!query.trim()) {
      list.textContent = "";
      meta.textContent = result.dataset.initial || "";
      return;
    }
    load().then(function (pagefind) {
      return pagefind.debouncedSearch(query, {}, 150);
    }).then(function (found) {
      if (ticket !== latest || !found) return null;
      say(found.results.length);
      return Promise.all(found.results.slice(0, MAX).map(function (r) { return r.data(); }));
    }).then(function (pages) {
      if (ticket !== latest || !pages) return;
      list.textContent = "";
      pages.forEach(function (data) { list.appendChild(item(data)); });
    }).catch(function () {
      meta.textContent = "Search is not available here (open the site from a web server).";
    });
  }

  input.addEventListener("focus", function () { if (toggle) toggle.checked = true; load(); });
  input.addEventListener("input", function () { search(input.value); });
  box.querySelector("form").addEventListener("reset", function () { search(""); });
  box.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) window.location.href = first.href;
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle && toggle.checked) {
      toggle.checked = false;
      input.blur();
    } else if ((event.key === "/" || event.key === "s") && document.activeElement === document.body) {
      event.preventDefault();
      input.focus();
    } else if (event.key === "ArrowDown" && document.activeElement === input) {
      var first = list.querySelector("a");
      if (first) { event.preventDefault(); first.focus(); }
    }
  });
})();
