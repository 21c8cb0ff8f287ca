// norm site search: runs in the browser from static JSON, no server. The manifest lists each
// standard's versions and the stop words; without filters the global index's term files are
// fetched, one per word, with filters the chosen versions' shards. Query words are stemmed as
// the index was (search::stem) and may carry a typo. Everything is written with textContent,
// never as HTML.
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

  var KINDS = { e: "entity", f: "field", l: "code list", c: "code", r: "rule" };
  var stop = [];

  // The anchor of a code's row or a rule's entry, as the site writes it (context::code_anchor,
  // context::rule_anchor).
  function anchor(prefix, name) {
    return prefix + name.replace(/[^A-Za-z0-9_-]/gu, function (ch) {
      return "_" + ch.codePointAt(0).toString(16);
    });
  }

  // The version folder of a standard: on this site, or where the manifest says its pages
  // are (the catalogue of several sites).
  function folder(standard, version) {
    for (var k = 0; k < manifest.length; k++) {
      if (manifest[k].id === standard && manifest[k].href) { return manifest[k].href; }
    }
    return standard + "/" + version + "/";
  }

  // The page of an entry, from its kind and key (shards store no addresses).
  function href(standard, version, entry) {
    var base = folder(standard, version), name = entry[1], i;
    if (entry[0] === "e") { return base + "entities/" + name + ".html"; }
    if (entry[0] === "l") { return base + "codelists/" + name + ".html"; }
    if (entry[0] === "r") { return base + "rules.html#" + anchor("rule-", name); }
    if (entry[0] === "f") {
      i = name.indexOf(".");
      return base + "entities/" + name.slice(0, i) + ".html#" + name.slice(i + 1);
    }
    i = name.indexOf(":");
    return base + "codelists/" + name.slice(0, i) + ".html#" + anchor("code-", name.slice(i + 1));
  }

  // The same light stemmer the index was built with (search::stem): plurals, -ing, -ed and a
  // final e; words of three letters or fewer, or with digits or signs, stay as they are.
  function stem(word) {
    var w = Array.from(word);
    if (w.length <= 3 || !w.every(function (c) { return /^\p{L}$/u.test(c); })) { return word; }
    function ends(suffix) {
      return w.length > suffix.length && w.slice(w.length - suffix.length).join("") === suffix;
    }
    if (ends("ies") && w.length > 4) { w = w.slice(0, -3).concat(["y"]); }
    else if (ends("sses")) { w = w.slice(0, -2); }
    else if (ends("s") && !ends("ss") && !ends("us") && !ends("is")) { w = w.slice(0, -1); }
    if (ends("ing") && w.length >= 6) { w = w.slice(0, -3); }
    else if (ends("ed") && w.length >= 5) { w = w.slice(0, -2); }
    if (ends("e") && w.length > 3) { w = w.slice(0, -1); }
    return w.join("");
  }

  // Edit distance (with transpositions) of a and b, or limit + 1 once it is over limit.
  function distance(a, b, limit) {
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > limit) { return limit + 1; }
    var rows = [], i, j;
    for (i = 0; i <= a.length; i++) { rows.push([i]); }
    for (j = 1; j <= b.length; j++) { rows[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      var best = limit + 1;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d = Math.min(d, rows[i - 2][j - 2] + 1);
        }
        rows[i][j] = d;
        if (d < best) { best = d; }
      }
      if (best > limit) { return limit + 1; }
    }
    return rows[a.length][b.length];
  }

  // The terms of the index a query word stands for, each with how much a match counts: the
  // word itself (1), words it begins (1/2, from three letters), and only when neither exists,
  // words one typo away (two from eight letters), at 1/2.
  function expand(word, terms) {
    var found = [], typos = [];
    var limit = Array.from(word).length >= 8 ? 2 : Array.from(word).length >= 4 ? 1 : 0;
    terms.forEach(function (term) {
      if (term === word) { found.push([term, 1]); }
      else if (word.length >= 3 && term.indexOf(word) === 0) { found.push([term, 0.5]); }
      else if (limit && distance(word, term, limit) <= limit) { typos.push([term, 0.5]); }
    });
    return found.length ? found : typos;
  }

  function render(results, query, n, partial, wanted) {
    list.textContent = "";
    results.slice(0, 50).forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      // "./" keeps a path a path whatever the folder names, as the templates' `internal` filter
      // does; only the web addresses of other sites (from the manifest) stay as they are.
      a.href = /^https?:\/\//.test(r.href) ? r.href : "./" + r.href;
      a.textContent = r.entry[2] ? r.entry[2] + " (" + r.entry[1] + ")" : r.entry[1];
      li.appendChild(a);
      var meta = document.createElement("span");
      meta.className = "app-hint";
      meta.textContent = KINDS[r.entry[0]] + (r.entry[5] ? " " + r.entry[5] : "") + " · " +
        r.standard + " " + r.version + (r.entry[4] ? " · deprecated" : "");
      li.appendChild(meta);
      if (r.entry[3]) {
        var p = document.createElement("span");
        p.className = "app-hint";
        p.textContent = r.entry[3];
        li.appendChild(p);
      }
      list.appendChild(li);
    });
    var found = n + (n === 1 ? " result" : " results");
    status.textContent = n === 0 ? "No results for “" + query + "”." :
      (partial ? "Nothing matches every word of “" + query + "”. " + found + " with " + partial + " of its " + wanted + " words" :
        found + " for “" + query + "”") + (n > 50 ? ", showing the best 50." : ".");
  }

  // The same file name the site gives a term's first two characters (search::file_name).
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
  var termFiles = {};
  function termsFor(word) {
    var url = termFile(word);
    if (!termFiles[url]) {
      // A word whose first letters no element has: no file, no results.
      termFiles[url] = fetch(url).then(function (r) { return r.ok ? r.json() : {}; });
    }
    return termFiles[url];
  }

  // Adds each word's best score per entry, and `phrase`'s (the query's words joined as a name,
  // `legal_status`) on top. Entries with more of the words rank first, so those that have
  // every word win and the nearest ones follow; when none has every word, `partial` says how
  // many of the words the best have.
  function combine(perWord, phrase) {
    var total = {}, count = {}, most = 0;
    perWord.forEach(function (scores) {
      Object.keys(scores).forEach(function (id) {
        total[id] = (total[id] || 0) + scores[id];
        count[id] = (count[id] || 0) + 1;
        if (count[id] > most) { most = count[id]; }
      });
    });
    Object.keys(phrase || {}).forEach(function (id) {
      if (total[id]) { total[id] += phrase[id]; }
    });
    return { scores: total, count: count, partial: most < perWord.length ? most : 0 };
  }

  // The ids of a combined result, best first.
  function ranked(combined) {
    var total = combined.scores, count = combined.count;
    var ids = Object.keys(total).map(Number);
    ids.sort(function (a, b) { return count[b] - count[a] || total[b] - total[a] || a - b; });
    return ids;
  }

  // The query's words as one name (`date of birth` is `date_of_birth`), or null for one word.
  function phraseOf(query) {
    var raw = query.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(function (w) { return w; });
    return raw.length > 1 ? raw.join("_") : null;
  }

  // Without filters: the global index, one term file per word.
  function searchAll(words, query) {
    var phrase = phraseOf(query);
    var phraseScores = phrase ? termsFor(phrase).then(function (file) {
      var scores = {}, postings = file[phrase] || [];
      for (var i = 0; i < postings.length; i += 2) { scores[postings[i]] = postings[i + 1]; }
      return scores;
    }) : Promise.resolve({});
    return Promise.all([phraseScores].concat(words.map(function (w) {
      return termsFor(w).then(function (file) {
        var scores = {};
        expand(w, Object.keys(file)).forEach(function (match) {
          var postings = file[match[0]];
          for (var i = 0; i < postings.length; i += 2) {
            var s = postings[i + 1] * match[1];
            if (!(scores[postings[i]] >= s)) { scores[postings[i]] = s; }
          }
        });
        return scores;
      });
    }))).then(function (all) {
      var combined = combine(all.slice(1), all[0]), ids = ranked(combined);
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
          return { entry: entry, standard: entry[6], version: entry[7], href: href(entry[6], entry[7], entry) };
        });
        render(results, query, ids.length, combined.partial, words.length);
      });
    });
  }

  // With a standard or version chosen: those versions' shards, matched the same way.
  function searchShards(words, query) {
    var wanted = manifest.filter(function (s) { return !standardSelect.value || s.id === standardSelect.value; });
    return Promise.all(wanted.map(function (s) {
      return shard(s.id, versionSelect.value || s.latest);
    })).then(function (docs) {
      var entries = [], terms = {};
      docs.forEach(function (doc) {
        doc.e.forEach(function (entry) {
          entries.push({ entry: entry, standard: doc.s, version: doc.v, href: href(doc.s, doc.v, entry) });
          Object.keys(entry[6]).forEach(function (t) { terms[t] = true; });
        });
      });
      var phrase = phraseOf(query), phraseScores = {};
      if (phrase) {
        entries.forEach(function (r, id) { if (r.entry[6][phrase]) { phraseScores[id] = r.entry[6][phrase]; } });
      }
      var combined = combine(words.map(function (w) {
        var scores = {};
        expand(w, Object.keys(terms)).forEach(function (match) {
          entries.forEach(function (r, id) {
            var s = (r.entry[6][match[0]] || 0) * match[1];
            if (s && !(scores[id] >= s)) { scores[id] = s; }
          });
        });
        return scores;
      }), phraseScores);
      var ids = ranked(combined);
      render(ids.map(function (id) { return entries[id]; }), query, ids.length, combined.partial, words.length);
    });
  }

  function run() {
    var query = input.value.trim();
    if (!query) { status.textContent = ""; list.textContent = ""; return; }
    var words = query.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(function (w) {
      return Array.from(w).length >= 2 && stop.indexOf(w) < 0;
    }).map(stem);
    if (!words.length) { status.textContent = "Type at least two letters, and a word that is not as common as “of” or “the”."; list.textContent = ""; return; }
    status.textContent = "Searching…";
    var filtered = standardSelect.value || versionSelect.value;
    (filtered ? searchShards(words, query) : searchAll(words, query)).catch(function () {
      status.textContent = "The search index could not be loaded. Browse the standards instead.";
    });
  }

  fetchJson("assets/search-index.json").then(function (m) {
    manifest = m.standards;
    manifestChunk = m.chunk;
    stop = m.stop || [];
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
