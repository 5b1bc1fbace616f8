// Starts Pagefind's search box on the search page; `?q=词` opens with that search done.
window.addEventListener("DOMContentLoaded", function () {
  var ui = new PagefindUI({
    element: "#vp-search",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    autofocus: true,
  });
  // Pagefind's box has only a tooltip for a name; the page's heading names it, visibly.
  document.querySelector("#vp-search input").setAttribute("aria-labelledby", "vp-search-title");
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
