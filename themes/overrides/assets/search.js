// Starts Pagefind's search box on the search page; `?q=词` opens with that search done.
// The index holds each Chinese character as a word of its own (generator/index.py), whatever the
// dictionary would have cut, so the query is spelt out the same way: a query without spaces is
// looked for as an exact phrase (its characters side by side, as typed), one with spaces finds
// the records that hold every character. The benchmark and tests search through this too.
var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

function vpSearchTerm(term) {
  var query = term.trim();
  if (!HAN.test(query)) return term;
  var spelt = query.replace(new RegExp(HAN.source, "g"), " $& ").replace(/\s+/g, " ").trim();
  return /\s/.test(query) ? spelt : '"' + spelt + '"';
}

// The index's spelt-out text puts a zero-width space around each character: taken out of what
// the reader sees (and might copy), titles and excerpts.
var SPACER = /\u200b/g;

function vpShown(result) {
  result.meta.title = (result.meta.title || "").replace(SPACER, "");
  result.excerpt = result.excerpt.replace(SPACER, "");
  (result.sub_results || []).forEach(function (sub) {
    sub.title = sub.title.replace(SPACER, "");
    sub.excerpt = sub.excerpt.replace(SPACER, "");
  });
  return result;
}

// The township's page searches several villages' indexes at once: it gives the bundles (merged
// into the first, each with its village as a filter) and the villages' names, which head each
// result, in the box's data-options.
function vpTownship(options, extra) {
  var names = extra.villageNames || {};
  delete extra.villageNames;
  var base = document.baseURI;
  if (extra.bundlePath) extra.bundlePath = new URL(extra.bundlePath, base).pathname;
  (extra.mergeIndex || []).forEach(function (index) { index.bundlePath = new URL(index.bundlePath, base).pathname; });
  var shown = options.processResult;
  options.processResult = function (result) {
    var found = /\/([a-z0-9-]+)\/\d{4}\//.exec(result.url || "");
    result = shown(result);
    if (found && names[found[1]]) result.meta.title = names[found[1]] + " · " + result.meta.title;
    return result;
  };
  return Object.assign(options, extra);
}

// A village's earlier years (data-options' `later`) are merged into its search only once this
// year's first results show, or this year has none: fetched first, their indexes delayed the
// first result on GPRS by seconds (benchmarks/search_speed.py). Their chunks for the query are
// loaded before it is run again over every year, so the results shown do not blank meanwhile.
function vpMergeLater(ui, box, later) {
  var script = document.querySelector('script[src*="pagefind-ui.js"]');
  var watch = new MutationObserver(function () {
    var list = box.querySelector("ol.pagefind-ui__results");
    if (!list || (list.children.length && !box.querySelector(".pagefind-ui__result-link"))) return;
    watch.disconnect();
    // The module Pagefind's interface imported (one URL, one module): its search gains the years.
    import(new URL("pagefind.js", script.src).href).then(function (pagefind) {
      return Promise.all(later.map(function (index) {
        return pagefind.mergeIndex(new URL(index.bundlePath, document.baseURI).pathname, {});
      })).then(function () { return pagefind.preload(vpSearchTerm(box.querySelector("input").value)); });
    }).then(function () {
      // The interface runs a search only when the term changes: a trailing space is trimmed again.
      var term = box.querySelector("input").value;
      ui.triggerSearch(/\s$/.test(term) ? term.trim() : term + " ");
    }).catch(function () {});
  });
  watch.observe(box, {childList: true, subtree: true});
}

window.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("#vp-search");
  var extra = box && box.dataset.options ? JSON.parse(box.dataset.options) : null;
  var later = extra && extra.later;
  if (later) extra = null;
  var options = {
    element: "#vp-search",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    autofocus: true,
    processTerm: vpSearchTerm,
    processResult: vpShown,
    // Counted in words, each Chinese character now one: about as much text as before.
    excerptLength: 60,
  };
  var ui = new PagefindUI(extra ? vpTownship(options, extra) : options);
  if (later) vpMergeLater(ui, box, later);
  // Pagefind's box has only a tooltip for a name; the page's heading names it, visibly.
  document.querySelector("#vp-search input").setAttribute("aria-labelledby", "vp-search-title");
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
