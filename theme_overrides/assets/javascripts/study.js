/*
 * Study mode (generator/site/study.py). On a question page: with study mode on, the answer is hidden
 * behind a "Show answer" button; "I know this" marks the question; "Random question" opens
 * another question within the reader's filter. On the study page: the questions filtered by
 * topic and difficulty (and, if asked, without those the reader knows), their counts, a random
 * one within the filter, and what the reader knows.
 *
 * State lives in the browser's localStorage, one origin for both languages, so a question
 * marked in English is marked in Russian too:
 *   kb-study-mode    true when study mode is on (off by default)
 *   kb-known         {"<question key>": 1, ...}; the key is the question's URL below its
 *                    language root (data-kb-study on its page, the url in study.json)
 *   kb-study-filter  {"topic": "", "levels": ["easy", "medium", "hard", "other"],
 *                     "hideKnown": false}
 * A reveal lasts while the reader stays on the page: a question opened again (or reloaded) in
 * study mode hides its answer again. Material replaces the page with a fresh copy of itself on
 * the first click on a link within it (a table of contents entry); that keeps the reveal.
 *
 * The controls come from the generator (templates/note.md.j2, study.md.j2) with their words
 * (generator/i18n.py), hidden until this script shows them. The answer is the element the
 * generator put after the heading it marked `.kb-answer` (`.kb-answer-content`, the whole
 * answer whatever its heading levels); on a page without one, what follows that heading up to
 * the next heading of its level or above or to the first block the generator added after the
 * note's text (every such block is `data-pagefind-ignore`). The answer's entries in the table
 * of contents are hidden with it. Material's instant navigation swaps pages without a reload, so
 * pages are set up from `document$`, as graph.js does. study.json is fetched by the study page,
 * and by a question page only when the reader points at or clicks its random link.
 */
(function () {
  "use strict";

  var MODE = "kb-study-mode";
  var KNOWN = "kb-known";
  var FILTER = "kb-study-filter";
  var OTHER = "other"; // the level of a question without one of study.json's difficulties

  /* Storage: JSON values; kept in memory when the browser refuses storage ------------------ */

  var memory = {};

  function read(name, fallback) {
    var text;
    try {
      text = window.localStorage.getItem(name);
    } catch (error) {
      text = memory[name];
    }
    if (text === null || text === undefined) return fallback;
    try {
      return JSON.parse(text);
    } catch (error) {
      return fallback; // not a value of ours
    }
  }

  function write(name, value) {
    var text = JSON.stringify(value);
    memory[name] = text;
    try {
      window.localStorage.setItem(name, text);
    } catch (error) { /* private mode or full: the value lasts as long as the page */ }
  }

  function studyMode() {
    return read(MODE, false) === true;
  }

  function known() {
    var value = read(KNOWN, {});
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  }

  function setKnown(key, isKnown) {
    var marks = known();
    if (isKnown) marks[key] = 1; else delete marks[key];
    write(KNOWN, marks);
  }

  function filter() {
    var value = read(FILTER, {}) || {};
    return {
      topic: typeof value.topic === "string" ? value.topic : "",
      levels: Array.isArray(value.levels) ? value.levels : null, // null: every level
      hideKnown: value.hideKnown === true
    };
  }

  /* The questions (study.json), fetched once per page load and shared by later pages -------- */

  var datasets = {}; // study.json URL -> promise of questions
  var loaded = {}; // study.json URL -> questions, once they are there

  function loadQuestions(url) {
    if (!datasets[url]) {
      datasets[url] = fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(url + ": HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          loaded[url] = data.questions.map(function (row) {
            return {
              key: row[0], href: new URL(row[0], url).href, title: row[1],
              topic: row[2] >= 0 ? data.topics[row[2]] : "",
              level: row[3] >= 0 ? data.difficulties[row[3]] : OTHER
            };
          });
          return loaded[url];
        });
      datasets[url].catch(function () { delete datasets[url]; });
    }
    return datasets[url];
  }

  function matches(question, chosen, marks) {
    return (!chosen.topic || question.topic === chosen.topic)
      && (!chosen.levels || chosen.levels.indexOf(question.level) >= 0)
      && !(chosen.hideKnown && marks[question.key]);
  }

  function selected(questions) {
    var chosen = filter(), marks = known();
    return questions.filter(function (question) { return matches(question, chosen, marks); });
  }

  /* One of `questions` at random, not the one whose key is `except`; null when none is left. */
  function pick(questions, except) {
    var candidates = questions.filter(function (question) { return question.key !== except; });
    if (!candidates.length) return null;
    return candidates[Math.floor(Math.random() * candidates.length)];
  }

  /* Buttons ------------------------------------------------------------------------------- */

  function press(button, pressed) {
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
  }

  function onModeClick(refresh) {
    return function () {
      write(MODE, !studyMode());
      refresh();
    };
  }

  /*
   * A random link: `choose(questions)` returns the URL to open, or null when no question is
   * left, and then the link opens what it says (the study page), or nothing with `stay`. The
   * URL is set on the link while its click is handled, before Material's instant navigation
   * (which listens on the body) reads it. While the questions are loading, the click waits for
   * them and is then repeated.
   */
  function randomLink(link, src, choose, stay) {
    var fallback = link.href;
    var repeating = false;

    function aim(questions, event) {
      var url = questions ? choose(questions) : null;
      if (url || !stay) {
        link.href = url || fallback;
        return true;
      }
      if (event) {
        event.preventDefault();
        event.stopPropagation();
      }
      return false;
    }

    link.addEventListener("click", function (event) {
      if (repeating) {
        repeating = false;
        return;
      }
      if (loaded[src]) {
        aim(loaded[src], event);
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      loadQuestions(src).then(function (questions) { return aim(questions, null); },
                              function () { return aim(null, null); })
        .then(function (go) {
          if (!go) return;
          repeating = true;
          link.click();
        });
    });
  }

  /* A question page ------------------------------------------------------------------------ */

  function endsAnswer(node, level) {
    if (node.nodeType !== 1) return false;
    var heading = /^H([1-6])$/.exec(node.tagName);
    return (heading && Number(heading[1]) <= level) || node.hasAttribute("data-pagefind-ignore");
  }

  /* Moves the answer into a wrapper the reveal button controls; null without an answer. */
  function setupAnswer(bar) {
    var heading = document.querySelector("article .kb-answer");
    if (!heading || !/^H[1-6]$/.test(heading.tagName)) return null;
    var level = Number(heading.tagName.slice(1));
    var body = document.createElement("div");
    body.className = "kb-answer__body";
    body.id = "kb-answer-body";
    var content = heading.nextElementSibling;
    var node = heading.nextSibling;
    if (content && content.classList.contains("kb-answer-content")) {
      // The generator wrapped the whole answer, whatever its heading levels (generator/site/note_body.py).
      while (node) {
        var following = node.nextSibling;
        body.appendChild(node);
        if (node === content) break;
        node = following;
      }
    } else {
      while (node && !endsAnswer(node, level)) {
        var next = node.nextSibling;
        body.appendChild(node);
        node = next;
      }
    }
    // The table of contents lists the answer's headings: they are hidden with it.
    // (Material may have made their addresses absolute: compared by their fragment.)
    var ids = {};
    body.querySelectorAll("[id]").forEach(function (target) { ids["#" + target.id] = true; });
    var entries = [];
    document.querySelectorAll(".md-nav--secondary a").forEach(function (link) {
      var hash = link.hash;
      try { hash = decodeURIComponent(hash); } catch (error) { /* left as it is */ }
      if (ids[hash]) entries.push(link.closest("li") || link);
    });
    var reveal = document.createElement("button");
    reveal.type = "button";
    reveal.className = "md-button md-button--primary kb-answer__reveal";
    reveal.setAttribute("aria-controls", body.id);
    heading.parentNode.insertBefore(body, heading.nextSibling);
    heading.parentNode.insertBefore(reveal, body);

    var texts = { show: bar.getAttribute("data-kb-text-show"),
                  hide: bar.getAttribute("data-kb-text-hide") };
    var answer = {
      body: body,
      mode: null, // the study mode the answer was last set for
      show: function (visible) {
        body.hidden = !visible;
        entries.forEach(function (entry) { entry.hidden = !visible; });
        if (lastQuestion) lastQuestion.revealed = visible;
        reveal.setAttribute("aria-expanded", visible ? "true" : "false");
        reveal.textContent = visible ? texts.hide : texts.show;
      },
      apply: function (on) {
        if (on === answer.mode) return; // a reveal stays until the mode changes
        answer.mode = on;
        reveal.hidden = !on;
        answer.show(!on);
      }
    };
    reveal.addEventListener("click", function () { answer.show(body.hidden); });
    return answer;
  }

  var currentAnswer = null;
  // The question page set up last, and whether its answer was revealed: when Material puts in
  // a fresh copy of the same page, the reveal is kept.
  var lastQuestion = null;

  /* Shows the part of the answer an address points at (a table of contents entry, a search
     result's section). */
  function revealTarget(hash) {
    if (!currentAnswer || !currentAnswer.body.hidden || hash.length < 2) return;
    var id;
    try {
      id = decodeURIComponent(hash.slice(1));
    } catch (error) {
      return;
    }
    var target = document.getElementById(id);
    if (target && currentAnswer.body.contains(target)) currentAnswer.show(true);
  }

  function setupQuestion(bar) {
    var key = bar.getAttribute("data-kb-study");
    var src = new URL(bar.getAttribute("data-kb-study-src"), location.href).href;
    var modeButton = bar.querySelector(".kb-study__mode");
    var knownButton = bar.querySelector(".kb-study__known");
    var random = bar.querySelector(".kb-study__random");
    var revealed = Boolean(lastQuestion && lastQuestion.key === key && lastQuestion.revealed);
    lastQuestion = { key: key, revealed: false };
    var answer = setupAnswer(bar);
    currentAnswer = answer;

    function refresh() {
      var on = studyMode();
      press(modeButton, on);
      press(knownButton, Boolean(known()[key]));
      if (answer) answer.apply(on);
    }

    modeButton.addEventListener("click", onModeClick(refresh));
    knownButton.addEventListener("click", function () {
      setKnown(key, knownButton.getAttribute("aria-pressed") !== "true");
      refresh();
    });
    ["pointerenter", "focus"].forEach(function (type) {
      random.addEventListener(type, function () { loadQuestions(src).catch(function () {}); });
    });
    randomLink(random, src, function (questions) {
      var question = pick(selected(questions), key);
      return question && question.href;
    });
    refresh();
    if (answer && revealed) answer.show(true);
    revealTarget(location.hash);
    bar.hidden = false;
    return refresh;
  }

  /* The study page ------------------------------------------------------------------------- */

  function setupStudyPage(root) {
    var src = new URL(root.getAttribute("data-kb-study-src"), location.href).href;
    var form = root.querySelector("form");
    var topic = form.elements.topic;
    var levels = [].slice.call(form.querySelectorAll("input[name=difficulty]"));
    var hideKnown = form.elements["hide-known"];
    var actions = root.querySelector(".kb-study-page__actions");
    var random = actions.querySelector(".kb-study__random");
    var modeButton = actions.querySelector(".kb-study__mode");
    var count = root.querySelector(".kb-study-page__count");
    var list = root.querySelector(".kb-study-page__list");
    var text = function (name) { return root.getAttribute("data-kb-text-" + name); };
    var levelNames = {};
    levels.forEach(function (input) { levelNames[input.value] = input.getAttribute("data-kb-name"); });
    var questions = null;

    // The saved filter into the form (a topic this site does not have means every topic).
    var saved = filter();
    topic.value = saved.topic;
    if (topic.value !== saved.topic) topic.value = "";
    levels.forEach(function (input) {
      input.checked = !saved.levels || saved.levels.indexOf(input.value) >= 0;
    });
    hideKnown.checked = saved.hideKnown;

    function save() {
      var chosen = levels.filter(function (input) { return input.checked; })
        .map(function (input) { return input.value; });
      write(FILTER, { topic: topic.value, hideKnown: hideKnown.checked,
                      levels: chosen.length === levels.length ? null : chosen });
    }

    function item(question, marks) {
      var li = document.createElement("li");
      li.className = "kb-study-page__item";
      var mark = document.createElement("button");
      mark.type = "button";
      mark.className = "kb-study-page__known";
      mark.setAttribute("aria-label", text("known") + ": " + question.title);
      press(mark, marks[question.key]);
      mark.addEventListener("click", function () {
        setKnown(question.key, !known()[question.key]);
        refresh();
      });
      var link = document.createElement("a");
      link.href = question.href;
      link.textContent = question.title;
      li.appendChild(mark);
      li.appendChild(link);
      if (levelNames[question.level]) {
        var badge = document.createElement("span");
        badge.className = "kb-badge kb-difficulty-" + question.level;
        badge.textContent = levelNames[question.level];
        li.appendChild(document.createTextNode(" "));
        li.appendChild(badge);
      }
      if (question.topic && !topic.value) {
        var where = document.createElement("span");
        where.className = "kb-study-page__topic-name";
        where.textContent = question.topic;
        li.appendChild(where);
      }
      return li;
    }

    /* The counts beside each topic and difficulty: the questions it would show with the
       other controls as they are. */
    function recount(marks) {
      var chosen = filter(), byTopic = { "": 0 }, byLevel = {};
      questions.forEach(function (question) {
        if (chosen.hideKnown && marks[question.key]) return;
        if (!chosen.topic || question.topic === chosen.topic) {
          byLevel[question.level] = (byLevel[question.level] || 0) + 1;
        }
        if (!chosen.levels || chosen.levels.indexOf(question.level) >= 0) {
          if (question.topic) byTopic[question.topic] = (byTopic[question.topic] || 0) + 1;
          byTopic[""] += 1; // every topic
        }
      });
      [].forEach.call(topic.options, function (option) {
        option.textContent = option.textContent.replace(/\(\d+\)$/,
                                                        "(" + (byTopic[option.value] || 0) + ")");
      });
      levels.forEach(function (input) {
        var number = input.parentNode.querySelector("[data-kb-count]");
        if (number) number.textContent = String(byLevel[input.value] || 0);
      });
    }

    function refresh() {
      press(modeButton, studyMode());
      if (!questions) return;
      var marks = known();
      recount(marks);
      var shown = selected(questions);
      var knownCount = questions.filter(function (question) { return marks[question.key]; }).length;
      count.textContent = text("count").replace("{shown}", shown.length)
        .replace("{total}", questions.length).replace("{known}", knownCount)
        + (shown.length ? "" : " · " + text("empty"));
      var items = document.createDocumentFragment();
      shown.forEach(function (question) { items.appendChild(item(question, marks)); });
      list.replaceChildren(items);
      random.setAttribute("aria-disabled", shown.length ? "false" : "true"); // a click stays
    }

    form.addEventListener("change", function () {
      save();
      refresh();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    modeButton.addEventListener("click", onModeClick(refresh));
    actions.querySelector(".kb-study-page__forget").addEventListener("click", function () {
      if (window.confirm(text("confirm"))) {
        write(KNOWN, {});
        refresh();
      }
    });
    randomLink(random, src, function (all) {
      var question = pick(selected(all), null);
      return question && question.href;
    }, true);

    form.hidden = false;
    actions.hidden = false;
    refresh();
    loadQuestions(src).then(function (all) {
      questions = all;
      refresh();
    }, function (error) {
      count.textContent = text("failed");
      console.warn(error.message);
    });
    return refresh;
  }

  /* Every page ---------------------------------------------------------------------------- */

  var refreshPage = null; // the current page's refresh, for changes made in another tab

  function setup() {
    refreshPage = null;
    currentAnswer = null;
    var bar = document.querySelector("article [data-kb-study]");
    if (!bar) lastQuestion = null;
    if (bar) refreshPage = setupQuestion(bar);
    var root = document.querySelector("article [data-kb-study-page]");
    if (root) refreshPage = setupStudyPage(root);
  }

  window.addEventListener("storage", function (event) {
    if (refreshPage && [MODE, KNOWN, FILTER].indexOf(event.key) >= 0) refreshPage();
  });
  window.addEventListener("hashchange", function () { revealTarget(location.hash); });
  // A link to a part of the hidden answer on this page: reveal it before the page scrolls there
  // (Material's instant navigation handles such clicks itself, without a hashchange).
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[href*='#']") : null;
    if (!link) return;
    var url = new URL(link.href, location.href);
    if (url.pathname === location.pathname) revealTarget(url.hash);
  }, true);

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
