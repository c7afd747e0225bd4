/*
 * Mermaid diagrams and KaTeX math from the site's own copies (assets/vendor/), loaded only by
 * pages that have a diagram or a formula: Mermaid is 2.7 MB, KaTeX 0.9 MB with its fonts.
 *
 * Mermaid: Material draws `.mermaid` blocks itself, but fetches Mermaid from unpkg.com unless a
 * global `mermaid` already exists (it calls only `mermaid.initialize(config)` and
 * `mermaid.render(id, text)`). This script, which runs before Material mounts the page, puts a
 * stand-in there: `render` loads the vendored library on first use, hands it Material's
 * configuration, and renders with it. No third-party request, and no 2.7 MB on pages without
 * diagrams.
 *
 * Math: pymdownx.arithmatex (generic) leaves `\(…\)` in `span.arithmatex` and `\[…\]` in
 * `div.arithmatex`; each is rendered in place with KaTeX, on every page Material shows
 * (`document$`, also after instant navigation).
 */
(function () {
  "use strict";

  // The bundled libraries: shared by both languages at the site root when the page says so
  // (<meta name="kb-vendor">, theme_overrides/main.html), else beside this script.
  var vendorMeta = document.querySelector('meta[name="kb-vendor"]');
  var VENDOR = vendorMeta ? new URL(vendorMeta.content, location.href).href
    : new URL("../vendor/", document.currentScript.src).href;
  var loaded = {};

  function load(src, isStyle) {
    if (!loaded[src]) {
      loaded[src] = new Promise(function (resolve, reject) {
        var element = document.createElement(isStyle ? "link" : "script");
        if (isStyle) {
          element.rel = "stylesheet";
          element.href = VENDOR + src;
        } else {
          element.src = VENDOR + src;
        }
        element.onload = function () { resolve(); };
        element.onerror = function () {
          delete loaded[src];
          reject(new Error("could not load " + VENDOR + src));
        };
        document.head.appendChild(element);
      });
    }
    return loaded[src];
  }

  // --- Mermaid --------------------------------------------------------------------------------
  if (typeof window.mermaid === "undefined" || window.mermaid instanceof Element) {
    var settings = null;
    var real = null;
    var stub = {
      initialize: function (config) { settings = config; },
      render: function (id, text) {
        if (!real) {
          real = load("mermaid/mermaid.min.js").then(function () {
            var library = window.mermaid;
            if (!library || library === stub) throw new Error("Mermaid did not load");
            library.initialize(settings || { startOnLoad: false });
            return library;
          });
        }
        return real.then(function (library) { return library.render(id, text); });
      },
    };
    window.mermaid = stub;
  }

  // --- Math -----------------------------------------------------------------------------------
  var DELIMITERS = /^\s*\\[([]([\s\S]*)\\[)\]]\s*$/;

  function renderMath() {
    var elements = document.querySelectorAll(".arithmatex:not([data-kb-math])");
    if (!elements.length) return;
    Promise.all([load("katex/katex.min.css", true), load("katex/katex.min.js")]).then(function () {
      elements.forEach(function (element) {
        if (element.hasAttribute("data-kb-math")) return;
        var text = element.textContent;
        var match = DELIMITERS.exec(text);
        var display = element.tagName !== "SPAN";
        window.katex.render(match ? match[1] : text, element, {
          displayMode: display,
          throwOnError: false,  // a typo shows as red source text, not a broken page
        });
        element.setAttribute("data-kb-math", "");
      });
    }, function (error) {
      console.warn(error.message);  // the formulas stay readable as TeX source
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(renderMath);
  } else {
    document.addEventListener("DOMContentLoaded", renderMath);
  }
})();
