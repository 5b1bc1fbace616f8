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

window.addEventListener("DOMContentLoaded", function () {
  var ui = new PagefindUI({
    element: "#vp-search",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    autofocus: true,
    processTerm: vpSearchTerm,
    processResult: vpShown,
    // Counted in words, each Chinese character now one: about as much text as before.
    excerptLength: 60,
  });
  // Pagefind's box has only a tooltip for a name; the page's heading names it, visibly.
  document.querySelector("#vp-search input").setAttribute("aria-labelledby", "vp-search-title");
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
