// norm site search: runs in the browser from static JSON, no server. The manifest lists each
// standard's versions; only the shards needed (the latest of each standard, or the filtered
// version) are fetched. Everything is written with textContent, never as HTML.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var form = document.querySelector(".app-search-page");
  var input = document.getElementById("q");
  var standardSelect = document.getElementById("standard");
  var versionSelect = document.getElementById("version");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var shards = {};
  var manifest = null;
  var manifestChunk = 100;

  function fetchJson(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }

  function shard(id, version) {
    var key = id + "/" + version;
    if (!shards[key]) { shards[key] = fetchJson(key + "/search.json"); }
    return shards[key];
  }

  function fillVersions(selected) {
    var std = standardSelect.value;
    while (versionSelect.options.length > 1) { versionSelect.remove(1); }
    versionSelect.disabled = !std;
    if (!std) { return; }
    manifest.forEach(function (s) {
      if (s.id !== std) { return; }
      s.versions.forEach(function (v) {
        var o = document.createElement("option");
        o.value = v;
        o.textContent = v;
        if (v === selected) { o.selected = true; }
        versionSelect.appendChild(o);
      });
    });
  }

  var KINDS = { e: "entity", f: "field", l: "code list", c: "code" };

  // The anchor of a code's row, as the site writes it (context::code_anchor).
  function codeAnchor(code) {
    return "code-" + code.replace(/[^A-Za-z0-9_-]/gu, function (ch) {
      return "_" + ch.codePointAt(0).toString(16);
    });
  }

  // The page of an entry, from its kind and name (shards store no addresses).
  function href(doc, entry) {
    var base = doc.s + "/" + doc.v + "/", name = entry[1], i;
    if (entry[0] === "e") { return base + "entities/" + name + ".html"; }
    if (entry[0] === "l") { return base + "codelists/" + name + ".html"; }
    if (entry[0] === "f") {
      i = name.indexOf(".");
      return base + "entities/" + name.slice(0, i) + ".html#" + name.slice(i + 1);
    }
    i = name.indexOf(":");
    return base + "codelists/" + name.slice(0, i) + ".html#" + codeAnchor(name.slice(i + 1));
  }

  // Higher is better; 0 means no match. Every word of the query must match.
  function score(entry, words) {
    var name = entry[1].toLowerCase(), title = entry[2].toLowerCase(), text = entry[3].toLowerCase();
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i], best = 0;
      var last = name.split(/[.: ]/).pop();
      if (name === w || last === w) { best = 100; }
      else if (last.indexOf(w) === 0 || name.indexOf(w) === 0) { best = 60; }
      else if (name.indexOf(w) >= 0) { best = 40; }
      else if (title.indexOf(w) >= 0) { best = 25; }
      else if (text.indexOf(w) >= 0) { best = 10; }
      if (!best) { return 0; }
      total += best;
    }
    if (entry[0] === "e" || entry[0] === "l") { total += 5; }
    if (entry[4]) { total = total / 2; }
    return total;
  }

  function render(results, query, n) {
    list.textContent = "";
    results.slice(0, 50).forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.href;
      a.textContent = r.entry[2] ? r.entry[2] + " (" + r.entry[1] + ")" : r.entry[1];
      li.appendChild(a);
      var meta = document.createElement("span");
      meta.className = "app-hint";
      meta.textContent = KINDS[r.entry[0]] + " · " + r.standard + " " + r.version + (r.entry[4] ? " · deprecated" : "");
      li.appendChild(meta);
      if (r.entry[3]) {
        var p = document.createElement("span");
        p.className = "app-hint";
        p.textContent = r.entry[3];
        li.appendChild(p);
      }
      list.appendChild(li);
    });
    status.textContent = n === 0 ? "No results for “" + query + "”." :
      n + (n === 1 ? " result" : " results") + " for “" + query + "”" + (n > 50 ? ", showing the best 50." : ".");
  }

  // The same file name the site gives a word's first two characters (search::file_name).
  function termFile(word) {
    var p = Array.from(word).slice(0, 2).map(function (ch) {
      return /^[a-z0-9]$/i.test(ch) ? ch : "_" + ch.codePointAt(0).toString(16);
    }).join("");
    return "search/terms/" + p + ".json";
  }

  var chunks = {};
  function chunk(n) {
    if (!chunks[n]) { chunks[n] = fetchJson("search/entries/" + n + ".json"); }
    return chunks[n];
  }
  var terms = {};
  function termsFor(word) {
    var url = termFile(word);
    if (!terms[url]) {
      // A word whose first letters no element has: no file, no results.
      terms[url] = fetch(url).then(function (r) { return r.ok ? r.json() : {}; });
    }
    return terms[url];
  }

  // Without filters: the global index. One term file per word; every word must match the
  // start of a word of the element; whole-word matches count double.
  function searchAll(words, query) {
    return Promise.all(words.map(function (w) {
      return termsFor(w).then(function (file) {
        var scores = {};
        Object.keys(file).forEach(function (term) {
          if (term.indexOf(w) !== 0) { return; }
          var postings = file[term], factor = term === w ? 2 : 1;
          for (var i = 0; i < postings.length; i += 2) {
            var s = postings[i + 1] * factor;
            if (!(scores[postings[i]] >= s)) { scores[postings[i]] = s; }
          }
        });
        return scores;
      });
    })).then(function (perWord) {
      var total = perWord[0];
      perWord.slice(1).forEach(function (scores) {
        Object.keys(total).forEach(function (id) {
          if (scores[id] === undefined) { delete total[id]; } else { total[id] += scores[id]; }
        });
      });
      var ids = Object.keys(total).map(Number);
      ids.sort(function (a, b) { return total[b] - total[a] || a - b; });
      var top = ids.slice(0, 50);
      var needed = {};
      top.forEach(function (id) { needed[Math.floor(id / manifestChunk)] = true; });
      return Promise.all(Object.keys(needed).map(function (n) {
        return chunk(n).then(function (entries) { return [Number(n), entries]; });
      })).then(function (loaded) {
        var byChunk = {};
        loaded.forEach(function (pair) { byChunk[pair[0]] = pair[1]; });
        var results = top.map(function (id) {
          var entry = byChunk[Math.floor(id / manifestChunk)][id % manifestChunk];
          var doc = { s: entry[5], v: entry[6] };
          return { entry: entry, score: total[id], standard: entry[5], version: entry[6], href: href(doc, entry) };
        });
        render(results, query, ids.length);
      });
    });
  }

  // With a standard or version chosen: that version's shard, scored in the browser.
  function searchShards(words, query) {
    var wanted = manifest.filter(function (s) { return !standardSelect.value || s.id === standardSelect.value; });
    return Promise.all(wanted.map(function (s) {
      return shard(s.id, versionSelect.value || s.latest);
    })).then(function (docs) {
      var results = [];
      docs.forEach(function (doc) {
        doc.e.forEach(function (entry) {
          var sc = score(entry, words);
          if (sc > 0) { results.push({ entry: entry, score: sc, standard: doc.s, version: doc.v, href: href(doc, entry) }); }
        });
      });
      results.sort(function (a, b) { return b.score - a.score || a.entry[1].localeCompare(b.entry[1]); });
      render(results, query, results.length);
    });
  }

  function run() {
    var query = input.value.trim();
    if (!query) { status.textContent = ""; list.textContent = ""; return; }
    var words = query.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(function (w) { return w.length >= 2; });
    if (!words.length) { status.textContent = "Type at least two letters."; list.textContent = ""; return; }
    status.textContent = "Searching…";
    var filtered = standardSelect.value || versionSelect.value;
    (filtered ? searchShards(words, query) : searchAll(words, query)).catch(function () {
      status.textContent = "The search index could not be loaded. Browse the standards instead.";
    });
  }

  fetchJson("assets/search-index.json").then(function (m) {
    manifest = m.standards;
    manifestChunk = m.chunk;
    input.value = params.get("q") || "";
    standardSelect.value = params.get("standard") || "";
    fillVersions(params.get("version") || "");
    standardSelect.addEventListener("change", function () { fillVersions(""); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var next = new URLSearchParams();
      next.set("q", input.value);
      if (standardSelect.value) { next.set("standard", standardSelect.value); }
      if (versionSelect.value) { next.set("version", versionSelect.value); }
      window.history.replaceState(null, "", "?" + next.toString());
      run();
    });
    run();
  }).catch(function () {
    status.textContent = "The search index could not be loaded. Browse the standards instead.";
  });
})();
