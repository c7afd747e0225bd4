/*
 * Search over Pagefind's index of this language (pagefind/ under the language root), shown in
 * Material's search box and result style (partials/search.html, partials/header.html).
 *
 * Material's own search component stays off: it needs Material's search plugin and its lunr
 * index. This script does what that component does for a reader:
 *   - the `__search` checkbox of Material's base.html opens and closes the overlay (Material's
 *     CSS keys on it), and Material closes it on instant navigation;
 *   - keys as in Material: `/`, `s`, `f` focus the box (when not typing elsewhere), Escape or Tab
 *     close it, arrow keys move through the results, Enter opens the focused or first result;
 *   - `?q=…` in the address opens the search with that query;
 *   - results as Material renders them: the page title, then its best matching sections with
 *     an excerpt, further sections under "N more on this page"; ten pages at first, ten more
 *     each time the reader scrolls to the end of the list;
 *   - with Material's `search.highlight` feature, the opened page marks the words found.
 * Pagefind is imported only when the search opens, so reading a page fetches no index. The
 * header is not replaced by instant navigation, so everything here is set up once per full load.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 10;       // result pages rendered at first and per "more" step, as Material
  var VISIBLE_SECTIONS = 2; // sections of a page shown before "N more on this page"
  var DEBOUNCE_MS = 150;    // wait for a pause in typing before querying
  var HIGHLIGHT = "h";      // the address parameter naming words to mark, as Material's

  var root = document.querySelector("[data-kb-search]");
  var toggle = document.getElementById("__search");
  if (!root || !toggle) return;

  var form = root.querySelector("[data-kb-search-form]");
  var input = root.querySelector("[data-kb-search-query]");
  var result = root.querySelector("[data-kb-search-result]");
  var meta = result.querySelector(".md-search-result__meta");
  var list = result.querySelector(".md-search-result__list");
  var scrollwrap = root.querySelector(".md-search__scrollwrap");

  // base_url is relative to the page that rendered the header; resolve it now, while the
  // address is still that page's (instant navigation changes the address, not the header).
  var base = new URL(root.getAttribute("data-kb-base").replace(/\/*$/, "/"), location.href);
  var highlighting = root.hasAttribute("data-kb-highlight");

  // Material's translations of the result texts, from the configuration it writes into every
  // page; the "initializing" text is the one the result list starts with.
  var translations = {};
  try {
    translations = JSON.parse(document.getElementById("__config").textContent).translations || {};
  } catch (error) { /* no configuration: the texts stay empty */ }
  translations["search.result.initializer"] = meta.textContent.trim();

  function text(name, count) {
    var key = "search.result." + name.replace("-", ".");
    return (translations[key] || "").replace("#", String(count));
  }

  /* Pagefind, loaded on first use ------------------------------------------------------------ */

  var pagefind = null;

  function loadPagefind() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", base).href).then(function (module) {
        return Promise.resolve(module.options({ excerptLength: 24 }))
          .then(function () { return module.init(); })
          .then(function () { return module; });
      });
      pagefind.catch(function (error) {
        pagefind = null; // let the next opening try again
        console.error("Search index could not be loaded:", error);
      });
    }
    return pagefind;
  }

  /* Opening and closing ---------------------------------------------------------------------- */

  function isOpen() {
    return toggle.checked;
  }

  function setOpen(open) {
    // A click, as Material's setToggle does, so that every listener sees a change event.
    if (toggle.checked !== open) toggle.click();
  }

  toggle.addEventListener("change", function () {
    list.hidden = !isOpen();
    list.setAttribute("role", isOpen() ? "list" : "presentation");
    if (isOpen()) {
      loadPagefind().then(function () {
        if (!input.value.trim()) showMeta(text("placeholder"));
      }, function () {});
    } else {
      input.blur();
      dropQueryParameter();
    }
  });

  input.addEventListener("focus", function () {
    // Later, not now: a click on a `for=__search` label focuses the box and then toggles the
    // checkbox itself; opening here first would let that toggle close it again.
    setTimeout(function () { if (document.activeElement === input) setOpen(true); }, 0);
  });

  // The header's search button (phones) and the box's icon: focus the box within the click,
  // which is what brings up the on-screen keyboard on phones.
  root.parentNode.addEventListener("click", function (event) {
    var label = event.target instanceof Element && event.target.closest("label[for=__search]");
    if (!label || label.classList.contains("md-search__overlay")) return;
    if (!isOpen()) input.focus();
  });

  // A click on a result closes the search; the link itself navigates (instantly, via Material).
  result.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("a")) setOpen(false);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });

  form.addEventListener("reset", function () {
    setTimeout(function () { input.focus(); search(); }, 0); // after the form has cleared
  });

  /* Keyboard --------------------------------------------------------------------------------- */

  function isTyping(element) {
    if (!element) return false;
    if (element instanceof HTMLInputElement) return element.type !== "radio";
    return element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement ||
      element.isContentEditable;
  }

  window.addEventListener("keydown", function (event) {
    if (event.metaKey || event.ctrlKey || event.isComposing) return;
    var active = document.activeElement;

    if (!isOpen()) {
      if (isTyping(active)) return;
      if (event.key === "/" || event.key === "s" || event.key === "f") {
        event.preventDefault(); // neither type the key into the box nor start the browser's find
        input.focus();
        input.select();
      }
      return;
    }

    switch (event.key) {
      case "Enter":
        if (active === input) {
          event.preventDefault();
          openFirstResult();
        }
        break; // on a focused result or summary, Enter does what it does natively

      case "Escape":
      case "Tab":
        setOpen(false);
        input.blur();
        break;

      case "ArrowUp":
      case "ArrowDown":
        event.preventDefault(); // move through the results, not the page
        var items = [input].concat(Array.prototype.slice.call(list.querySelectorAll(
          ":not(details) > [href], summary, details[open] [href]")));
        var index = Math.max(0, items.indexOf(active));
        items[(index + items.length + (event.key === "ArrowUp" ? -1 : 1)) % items.length].focus();
        break;

      default:
        // Any other key goes to the box, so typing on a focused result refines the query.
        if (active !== input && event.key.length === 1) input.focus();
    }
  });

  /* Querying --------------------------------------------------------------------------------- */

  var generation = 0;       // increases with every query; answers to older ones are dropped
  var timer = null;         // the debounce of typing
  var searching = false;    // a query is on its way to Pagefind
  var enterPending = false; // Enter was pressed before the results of the query arrived
  var observer = null;      // loads the next PAGE_SIZE results when the list end scrolls in

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, DEBOUNCE_MS);
  });

  function openFirstResult() {
    var first = list.querySelector(".md-search-result__link");
    if (first && !timer && !searching) first.click();
    else enterPending = true;
  }

  function search() {
    clearTimeout(timer);
    timer = null;
    var current = ++generation;
    var query = input.value.trim();
    if (observer) observer.disconnect();
    if (!query) {
      searching = enterPending = false;
      result.removeAttribute("data-kb-query");
      list.replaceChildren();
      showMeta(pagefind ? text("placeholder") : text("initializer"));
      return Promise.resolve();
    }
    searching = true;
    return loadPagefind()
      .then(function (module) {
        return module.search(query);
      })
      .then(function (answer) {
        if (current !== generation) return null;
        var results = answer ? answer.results : [];
        // A one-word query may name a topic: its concept comes first (conceptsNamed).
        return conceptsNamed(query, results).then(function (named) {
          return named.concat(results.filter(function (item) {
            return !named.some(function (concept) { return concept.id === item.id; });
          }));
        });
      })
      .then(function (results) {
        if (results === null || current !== generation) return null;
        return loadData(results.slice(0, PAGE_SIZE)).then(function (pages) {
          if (current !== generation) return;
          showCount(results.length);
          result.setAttribute("data-kb-query", query); // which query the list shows
          list.replaceChildren();
          scrollwrap.scrollTop = 0;
          renderPages(titleFirst(pages, query));
          watchListEnd(results, PAGE_SIZE, current);
        });
      })
      .catch(function (error) {
        if (current === generation) console.error("Search failed:", error);
      })
      .then(function () {
        if (current !== generation) return;
        searching = false;
        if (enterPending) {
          enterPending = false;
          var first = list.querySelector(".md-search-result__link");
          if (first) first.click();
        }
      });
  }

  function loadData(results) {
    return Promise.all(results.map(function (item) { return item.data(); }));
  }

  // A page whose title is the query comes first: Pagefind weights titles highly but ranks by
  // term frequency too, so "Caching" could otherwise rank "Caching strategies" above "Caching".
  function titleFirst(pages, query) {
    var wanted = normalise(query);
    var exact = pages.filter(function (page) { return normalise(page.meta.title) === wanted; });
    return exact.concat(pages.filter(function (page) { return exact.indexOf(page) < 0; }));
  }

  // The concept notes a one-word query names: search-names.json (generator/site/data_files.py) maps a
  // concept's one-word title and aliases to its page, read once; the query names one when it
  // is that word, allowing for word endings («coroutine» names "coroutines", «корутина»
  // "корутины"). A topic's concept explains it; Pagefind alone ranks it below the many
  // questions whose titles use the word, so it is looked for among the first results and put
  // first. (Not a Pagefind filter: Pagefind writes filters in a different order every build.)
  var conceptNames = null;
  var LOOK_AMONG = 40;

  function conceptsNamed(query, results) {
    if (/\s/.test(query) || !results.length) return Promise.resolve([]);
    if (!conceptNames) {
      conceptNames = fetch(new URL("search-names.json", base))
        .then(function (response) { return response.ok ? response.json() : {}; })
        .then(function (data) { return (data && data.names) || {}; }, function () { return {}; });
    }
    return conceptNames.then(function (names) {
      var urls = [];
      Object.keys(names).forEach(function (name) {
        if (sameWord(name, query)) urls = urls.concat(names[name]);
      });
      if (!urls.length) return [];
      var head = results.slice(0, LOOK_AMONG);
      return loadData(head).then(function (pages) {
        return head.filter(function (item, index) {
          var path = new URL(pages[index].url, location.href).pathname;
          return urls.some(function (url) { return path.endsWith("/" + url); });
        }).slice(0, 3);
      });
    });
  }

  function sameWord(name, query) {
    var a = normalise(name), b = normalise(query);
    if (a === b) return true;
    if (!a || !b || /\s/.test(a) || /\s/.test(b)) return false;
    var common = 0;
    while (common < a.length && a[common] === b[common]) common++;
    return common >= 4 && common >= Math.max(a.length, b.length) - 2;
  }

  function normalise(value) {
    return String(value || "").toLowerCase().replace(/[\p{P}\p{S}\s]+/gu, " ").trim();
  }

  function watchListEnd(results, shown, current) {
    if (shown >= results.length || !("IntersectionObserver" in window)) return;
    observer = new IntersectionObserver(function (entries) {
      if (!entries.some(function (entry) { return entry.isIntersecting; })) return;
      observer.disconnect();
      loadData(results.slice(shown, shown + PAGE_SIZE)).then(function (pages) {
        if (current !== generation) return;
        renderPages(pages);
        watchListEnd(results, shown + PAGE_SIZE, current);
      }, function (error) { console.error("Search failed:", error); });
    }, { root: scrollwrap, rootMargin: "0px 0px 200px 0px" });
    observer.observe(list.lastElementChild);
  }

  /* Rendering, in Material's markup (templates/search/index.tsx of mkdocs-material) ---------- */

  function showMeta(message) {
    meta.textContent = message;
  }

  function showCount(count) {
    showMeta(count === 0 ? text("none") : count === 1 ? text("one") : text("other", count));
  }

  function renderPages(pages) {
    pages.forEach(function (page) { list.appendChild(renderPage(page)); });
  }

  function renderPage(page) {
    var terms = markedWords([page.excerpt].concat(page.sub_results.map(function (section) {
      return section.excerpt;
    })));
    // Sections are the page's headings with matches under them. The one under the page's
    // own title (h1) holds the title and badges only; the page link stands for it.
    var sections = page.sub_results.filter(function (section) {
      return section.url !== page.url && !(section.anchor && section.anchor.element === "h1");
    });
    var ranked = sections.slice().sort(function (a, b) {
      return b.locations.length - a.locations.length;
    });
    var best = ranked.slice(0, VISIBLE_SECTIONS);
    var more = sections.filter(function (section) { return best.indexOf(section) < 0; });
    best = sections.filter(function (section) { return best.indexOf(section) >= 0; });

    var item = element("li", "md-search-result__item");
    var article = element("article", "md-search-result__article md-typeset");
    article.appendChild(element("div", "md-search-result__icon md-icon"));
    article.appendChild(withMarks(element("h1"), page.meta.title || page.url, terms));
    if (!best.length) article.appendChild(excerpt(page.excerpt));
    item.appendChild(link(page.url, article, terms));

    best.forEach(function (section) { item.appendChild(renderSection(section, terms)); });
    if (more.length) {
      var details = element("details", "md-search-result__more");
      var summary = element("summary");
      summary.tabIndex = -1;
      var label = element("div");
      label.textContent = more.length === 1 ? text("more-one") : text("more-other", more.length);
      summary.appendChild(label);
      details.appendChild(summary);
      more.forEach(function (section) { details.appendChild(renderSection(section, terms)); });
      item.appendChild(details);
    }
    return item;
  }

  function renderSection(section, terms) {
    var article = element("article", "md-search-result__article md-typeset");
    article.appendChild(withMarks(element("h2"), section.title, terms));
    article.appendChild(excerpt(section.excerpt, section.title));
    return link(section.url, article, terms);
  }

  // With Material's search.highlight feature, as in Material: ?h=… names the words to mark on
  // the opened page, here the forms Pagefind matched on that page.
  function link(url, article, terms) {
    var anchor = element("a", "md-search-result__link");
    var target = new URL(url, location.href);
    if (highlighting && terms.size) target.searchParams.set(HIGHLIGHT, Array.from(terms).join(" "));
    anchor.href = target.href;
    anchor.tabIndex = -1; // reached with the arrow keys, as in Material
    anchor.appendChild(article);
    return anchor;
  }

  function element(name, className) {
    var node = document.createElement(name);
    if (className) node.className = className;
    return node;
  }

  // Pagefind's excerpt is escaped text with <mark> around matches. Keep exactly that: text and
  // marks, nothing else, with punctuation moved out of the marks ("<mark>корутин,</mark>").
  // A section's excerpt starts with its heading ("Ответ. …"), which the result shows above it,
  // and is cut out of running text, which an ellipsis shows.
  function excerpt(html, heading) {
    var paragraph = element("p");
    var template = document.createElement("template"); // inert: nothing in it loads or runs
    template.innerHTML = html || "";
    template.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") appendMarked(paragraph, node.textContent);
      else paragraph.appendChild(document.createTextNode(node.textContent));
    });
    var first = paragraph.firstChild;
    if (heading && first && first.nodeType === Node.TEXT_NODE &&
        first.data.indexOf(heading + ". ") === 0) {
      first.data = first.data.slice(heading.length + 2);
    }
    var content = paragraph.textContent.trim();
    if (/^[\p{Ll}\p{Pd},;:)\]»]/u.test(content)) {
      if (first && first.nodeType === Node.TEXT_NODE) {
        first.data = first.data.replace(/^\s*[\p{Pd},;:]\s*/u, ""); // "… — находится" → "… находится"
      }
      paragraph.insertBefore(document.createTextNode("… "), paragraph.firstChild);
    }
    if (content && !/[.!?…:»)]$/.test(content)) {
      paragraph.appendChild(document.createTextNode(" …"));
    }
    return paragraph;
  }

  function appendMarked(parent, value) {
    var parts = /^([\p{P}\p{S}\s]*)([\s\S]*?)([\p{P}\p{S}\s]*)$/u.exec(value);
    if (parts[1]) parent.appendChild(document.createTextNode(parts[1]));
    if (parts[2]) {
      var mark = element("mark");
      mark.textContent = parts[2];
      parent.appendChild(mark);
    }
    if (parts[3]) parent.appendChild(document.createTextNode(parts[3]));
  }

  // The word forms Pagefind marked in the excerpts ("корутина", "корутин", …): marking the same
  // forms in titles follows Pagefind's stemming without doing any of it here.
  function markedWords(excerpts) {
    var words = new Set();
    excerpts.forEach(function (html) {
      var found = /<mark>([\s\S]*?)<\/mark>/g;
      var match;
      while ((match = found.exec(html || ""))) {
        normalise(match[1].replace(/&[#\w]+;/g, " ")).split(" ").forEach(function (word) {
          if (word) words.add(word);
        });
      }
    });
    return words;
  }

  function withMarks(heading, title, terms) {
    String(title).split(/([\p{L}\p{N}_]+)/u).forEach(function (part) {
      if (part && terms.has(normalise(part))) appendMarked(heading, part);
      else if (part) heading.appendChild(document.createTextNode(part));
    });
    return heading;
  }

  /* Marking the words of the search on the page it opened (?h=…) ---------------------------- */

  function highlight() {
    var content = document.querySelector("[data-md-component=content]");
    var words = new URL(location.href).searchParams.get(HIGHLIGHT);
    if (!content || !words) return;
    var wanted = new Set(words.split(/\s+/).map(normalise).filter(Boolean));
    var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    var nodes = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var parent = node.parentElement;
      if (parent.offsetHeight && !parent.closest(".headerlink, mark, script, style")) {
        nodes.push(node);
      }
    }
    nodes.forEach(function (node) {
      var parts = node.data.split(/([\p{L}\p{N}_]+)/u);
      if (!parts.some(function (part) { return wanted.has(part.toLowerCase()); })) return;
      var marked = document.createDocumentFragment();
      parts.forEach(function (part) {
        if (wanted.has(part.toLowerCase())) {
          var mark = element("mark");
          mark.setAttribute("data-md-highlight", "");
          mark.textContent = part;
          marked.appendChild(mark);
        } else if (part) {
          marked.appendChild(document.createTextNode(part));
        }
      });
      node.replaceWith(marked);
    });
  }

  if (highlighting) {
    // Material's document$ emits the first page and every page instant navigation brings.
    if (window.document$) window.document$.subscribe(highlight);
    else highlight();
  }

  /* Deep links: ?q=… --------------------------------------------------------------------------- */

  function dropQueryParameter() {
    var url = new URL(location.href);
    if (!url.searchParams.has("q")) return;
    url.searchParams.delete("q");
    history.replaceState(history.state, "", url.href);
  }

  var initial = new URL(location.href).searchParams.get("q");
  if (initial) {
    input.value = initial;
    setOpen(true);
    input.focus();
    search();
  }
})();
