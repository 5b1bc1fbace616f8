// Offline reading (issue 19): the pages a villager opened, and the year's home and section pages,
// kept on the phone. The network always comes first, so a page is never served from here while
// the phone is online; when the year is published again (the root hash of the newest line of
// log.jsonl changes, looked at once in ten minutes at most: the log is a few KB, the manifest
// tens) everything kept is dropped, so an older publication never reappears offline either.
var SCOPE = self.registration.scope, STORE = "vp-" + SCOPE, ROOT = SCOPE + "vp-root", looked = 0;

function keep(request, response) {
  if (response.ok && response.type == "basic") {
    var copy = response.clone();
    caches.open(STORE).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

function rootHash() {
  return fetch(SCOPE + "log.jsonl", {cache: "no-store"}).then(function (r) { return r.text(); })
    .then(function (log) { return JSON.parse(log.trim().split("\n").pop()).root; });
}

// The home page, its section pages and the stylesheets; the pages open now.
self.addEventListener("install", function (event) {
  event.waitUntil(Promise.all([caches.open(STORE), fetch(SCOPE), rootHash(),
    self.clients.matchAll({includeUncontrolled: true})]).then(function (got) {
    var cache = got[0], home = got[1], root = got[2], open = got[3];
    return home.clone().text().then(function (html) {
      var urls = ["assets/village-portal.css", "assets/stylesheets/vp-material.css"];
      // The section pages too, unless the phone is on a slow line or saving data.
      var line = navigator.connection || {};
      if (!line.saveData && !/2g/.test(line.effectiveType || ""))
        html.replace(/class="vp-tile"><a href="([\w-]+\/)"/g, function (_, href) { urls.push(href); });
      open.forEach(function (client) { if (client.url.indexOf(SCOPE) == 0) urls.push(client.url); });
      return Promise.all([cache.put(SCOPE, home), cache.put(ROOT, new Response(root)),
        cache.addAll(urls.map(function (url) { return new URL(url, SCOPE).href; }))]);
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

// A new publication: what was kept belongs to the old one.
function checkRoot() {
  if (Date.now() - looked < 600000) return Promise.resolve();
  looked = Date.now();
  return Promise.all([caches.open(STORE), rootHash()]).then(function (got) {
    return got[0].match(ROOT).then(function (kept) { return kept && kept.text(); }).then(function (old) {
      if (old == got[1]) return;
      return caches.delete(STORE).then(function () {
        return caches.open(STORE).then(function (cache) { return cache.put(ROOT, new Response(got[1])); });
      });
    });
  }).catch(function () {});
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method != "GET" || request.url.indexOf(SCOPE) != 0 || request.url.indexOf("/pagefind/") > 0) return;
  var page = request.mode == "navigate";
  event.respondWith(fetch(request).then(function (response) {
    if (page) {
      var copy = response.clone();
      event.waitUntil(checkRoot().then(function () { keep(request, copy); }));
    } else keep(request, response);
    return response;
  }).catch(function () {
    return caches.match(request, {ignoreSearch: page}).then(function (kept) { return kept || Response.error(); });
  }));
});
