// The search page (/{lang}/search/): Pagefind's index of the whole edition, built with it, read
// through Pagefind's own API (its WebAssembly search, same origin) and shown as a plain list.
// The header's search box sends its words here as ?q=; typing here searches as you go.
(function () {
  "use strict";
  var box = document.getElementById("q");
  var list = document.getElementById("results");
  var live = document.getElementById("nexi-live");
  if (!box || !list || !live) return;
  // The report's words are not always a reader's: it says 太陽光, a reader types ソーラー.
  var SAME = {"ソーラー": "太陽光", "solar": "solar"};
  var found = list.getAttribute("data-found"), none = list.getAttribute("data-none");
  var engine = null, asked = 0;

  function words(q) {
    Object.keys(SAME).forEach(function (k) { q = q.split(k).join(SAME[k]); });
    return q;
  }

  function load() {
    if (!engine) {
      engine = import("/pagefind/pagefind.js").then(function (pf) {
        // No discount for a long page, so the page of all the agreements or all the projects
        // outranks a short page with one mention (measured on EXIAR and 太陽光; Egypt's own
        // page stays first by its title's weight).
        return pf.options({baseUrl: "/", ranking: {pageLength: 0}})
          .then(function () { return pf; });
      });
    }
    return engine;
  }

  function show(results, q) {
    list.textContent = "";
    results.forEach(function (r) {
      var li = document.createElement("li"), a = document.createElement("a");
      var p = document.createElement("p");
      a.href = r.url;
      a.textContent = (r.meta && r.meta.title) || r.url;
      // Pagefind's excerpt marks the words found: read as text, the marks kept as <mark>.
      r.excerpt.split(/(<mark>.*?<\/mark>)/).forEach(function (part) {
        var hit = /^<mark>(.*)<\/mark>$/.exec(part);
        var node = hit ? document.createElement("mark") : document.createTextNode("");
        node.textContent = (hit ? hit[1] : part).replace(/&lt;/g, "<").replace(/&gt;/g, ">")
          .replace(/&quot;/g, "\"").replace(/&#39;/g, "'").replace(/&amp;/g, "&");
        p.appendChild(node);
      });
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    });
    live.textContent = (results.length ? found : none).replace("{n}", results.length)
      .replace("{q}", q);
  }

  function run() {
    var q = box.value.trim(), mine = ++asked;
    if (!q) { list.textContent = ""; return; }
    load().then(function (pf) {
      return pf.debouncedSearch(words(q), {}, 200);
    }).then(function (search) {
      if (!search || mine !== asked) return null;
      return Promise.all(search.results.slice(0, 10).map(function (r) { return r.data(); }));
    }).then(function (results) {
      if (results && mine === asked) show(results, q);
    });
  }

  box.value = new URLSearchParams(location.search).get("q") || "";
  box.addEventListener("input", run);
  box.form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  if (box.value) run(); else load();
})();
