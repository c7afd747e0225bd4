/*
 * The knowledge graph views: a local graph under every note, the global graph on its page.
 *
 * A view is an element `[data-kb-graph="local"|"global"]` that the generator writes
 * (generator/templates/note.md.j2, graph.md.j2) with `data-kb-graph-src`, the language's
 * graph.json relative to the page (format: generator/graph/data.py), and, for a local view,
 * `data-kb-graph-node`, the note's id. Nothing is fetched until a view scrolls into sight: then
 * the bundled force-graph library (assets/vendor/force-graph/: canvas drawing, pan, zoom,
 * pointer) and the JSON are loaded, once per page load, and shared by the views of later pages.
 * The layout runs in a Web Worker (graph-layout.js, d3-force) so that a large graph settles
 * without blocking the page; force-graph's own engine only moves a note that a reader drags.
 *
 * Material's instant navigation swaps the page content without a reload, so views are set up
 * from `document$` (Material's observable of each new page) and the previous page's views are
 * stopped. Colours come from Material's CSS variables and follow palette switches.
 *
 * What a view exposes, for tests and the curious: data-kb-graph-state (loading, drawn,
 * settled, error), data-kb-graph-nodes, data-kb-graph-links, data-kb-graph-settle-ms (from data
 * loaded to layout stopped, also logged with console.info), data-kb-graph-hover (the id of the
 * note under the pointer), data-kb-graph-scheme (the Material colour scheme it is drawn in),
 * data-kb-graph-labels and data-kb-graph-labels-skipped (in the last frame, the labels drawn
 * and those left out because they would cover one drawn before), `element.kbGraphLabels` (the
 * drawn labels' boxes in CSS pixels of the canvas: {id, left, top, right, bottom}), and
 * `element.kbGraph`, the force-graph instance.
 *
 * Labels are drawn after the notes, in order of importance (the hovered note, the centre note
 * of a local graph, MOCs, then by number of links), and a label whose box meets one already
 * drawn in the frame is left out, as maps and graph tools do: zoomed in, a crowd of notes shows
 * the names that can be read rather than a smear of overlapping ones.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  // The bundled libraries: shared by both languages at the site root when the page says so
  // (<meta name="kb-vendor">, theme_overrides/main.html), else beside this script.
  var vendorMeta = document.querySelector('meta[name="kb-vendor"]');
  var VENDOR = vendorMeta ? new URL(vendorMeta.content, location.href).href
    : new URL("../vendor/", script.src).href;
  var LIBRARY = VENDOR + "force-graph/force-graph.min.js";
  var LAYOUT = new URL("graph-layout.js", script.src).href + "?vendor=" + encodeURIComponent(VENDOR);

  var EDGE = { related: 1, moc: 2, wikilink: 4, embed: 8 }; // bits, as in graph.json
  var LOCAL_LIMIT = 60; // notes in a local graph at most
  var HUB_DEGREE = 40; // a neighbour linked with more notes is shown, not expanded
  var GLOBAL_LABELS = 15; // the best connected notes of the global graph keep their label
  var LABEL_GAP = 2; // CSS pixels kept free around a label (its halo is 1.5 px wide)
  var LABEL_CELL = 64; // CSS pixels: the grid that finds the drawn labels near a new one
  // d3-force settings. The global graph (1,300+ notes on the real vault) trades a little
  // polish for settling within a few seconds: faster cooling, a coarser Barnes-Hut (theta),
  // a weak pull to the centre that keeps unlinked notes in view.
  var FORCES = {
    local: { charge: -90, theta: 0.9, distanceMax: 300, distance: 36, gravity: 0.04,
             alphaDecay: 0.035, alphaMin: 0.002, velocityDecay: 0.4 },
    global: { charge: -30, theta: 1.1, distanceMax: 350, distance: 28, gravity: 0.03,
              alphaDecay: 0.06, alphaMin: 0.002, velocityDecay: 0.45 }
  };
  var TOPIC_COLOURS = [
    "#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7",
    "#9c755f", "#86bcb6", "#d37295", "#8cd17d", "#b6992d", "#499894", "#a0cbe8", "#ffbe7d",
    "#f1ce63", "#d4a6c8", "#79706e", "#fabfd2"
  ];

  var library = null; // promise of ForceGraph
  var datasets = {}; // graph.json URL -> promise of prepared data
  var views = []; // the views of the current page

  /* Loading ----------------------------------------------------------------------------- */

  function loadLibrary() {
    if (window.ForceGraph) return Promise.resolve(window.ForceGraph);
    if (!library) {
      library = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = LIBRARY;
        tag.async = true;
        tag.onload = function () { resolve(window.ForceGraph); };
        tag.onerror = function () {
          library = null;
          reject(new Error("could not load " + LIBRARY));
        };
        document.head.appendChild(tag);
      });
    }
    return library;
  }

  function loadData(url) {
    if (!datasets[url]) {
      datasets[url] = fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(url + ": HTTP " + response.status);
          return response.json();
        })
        .then(function (data) { return prepare(data, url); });
      datasets[url].catch(function () { delete datasets[url]; });
    }
    return datasets[url];
  }

  /* The graph as loaded: nodes with absolute URLs, undirected adjacency, degrees. */
  function prepare(data, url) {
    var nodes = data.nodes.map(function (node, index) {
      return {
        index: index, id: node.id, title: node.title, url: new URL(node.url, url).href,
        topic: node.topic, kind: data.kinds[node.kind] || "note", degree: 0
      };
    });
    var byId = {};
    nodes.forEach(function (node) { byId[node.id] = node; });
    var adjacent = nodes.map(function () { return {}; });
    data.edges.forEach(function (edge) {
      var a = edge[0], b = edge[1];
      if (!(b in adjacent[a])) { nodes[a].degree++; nodes[b].degree++; }
      adjacent[a][b] = (adjacent[a][b] || 0) | edge[2];
      adjacent[b][a] = (adjacent[b][a] || 0) | edge[2];
    });
    return { nodes: nodes, edges: data.edges, byId: byId, adjacent: adjacent, topics: data.topics };
  }

  /* The part of the graph a view shows, as fresh objects (force-graph adds positions). */
  function subgraph(data, keep, rings) {
    var nodes = [], position = {};
    keep.forEach(function (index) {
      var node = data.nodes[index];
      position[index] = nodes.length;
      nodes.push({
        id: node.id, index: index, title: node.title, url: node.url, topic: node.topic,
        kind: node.kind, degree: node.degree, ring: rings ? rings[index] : 0
      });
    });
    var links = [];
    data.edges.forEach(function (edge) {
      if (edge[0] in position && edge[1] in position) {
        links.push({ source: nodes[position[edge[0]]], target: nodes[position[edge[1]]],
                     kinds: edge[2] });
      }
    });
    nodes.forEach(function (node) { node.neighbours = []; node.links = []; });
    links.forEach(function (link) {
      link.source.neighbours.push(link.target);
      link.target.neighbours.push(link.source);
      link.source.links.push(link);
      link.target.links.push(link);
    });
    return { nodes: nodes, links: links };
  }

  /* The note, its neighbours and theirs, as {index: ring} (0 the note, 1 its neighbours, 2
     theirs). A MOC's or a hub's neighbours are not pulled in through it (that would be the
     whole topic); past LOCAL_LIMIT, the best connected are kept. */
  function neighbourhood(data, centre) {
    var rings = {};
    var count = 1;
    rings[centre] = 0;
    var first = Object.keys(data.adjacent[centre]).map(Number);
    first.sort(function (a, b) { return data.nodes[b].degree - data.nodes[a].degree || a - b; });
    first.forEach(function (index) {
      if (count < LOCAL_LIMIT) { rings[index] = 1; count++; }
    });
    var second = {};
    first.forEach(function (index) {
      var node = data.nodes[index];
      if (rings[index] !== 1 || node.kind === "moc" || node.degree > HUB_DEGREE) return;
      Object.keys(data.adjacent[index]).forEach(function (key) {
        var other = Number(key);
        if (!(other in rings)) second[other] = (second[other] || 0) + 1;
      });
    });
    Object.keys(second).map(Number)
      .sort(function (a, b) {
        return (second[b] - second[a]) || (data.nodes[b].degree - data.nodes[a].degree) || (a - b);
      })
      .forEach(function (index) {
        if (count < LOCAL_LIMIT) { rings[index] = 2; count++; }
      });
    return rings;
  }

  /* Colours ----------------------------------------------------------------------------- */

  function palette() {
    var style = getComputedStyle(document.body);
    function get(name, fallback) { return style.getPropertyValue(name).trim() || fallback; }
    return {
      fg: get("--md-default-fg-color", "rgba(0,0,0,.87)"),
      light: get("--md-default-fg-color--light", "rgba(0,0,0,.54)"),
      lighter: get("--md-default-fg-color--lighter", "rgba(0,0,0,.32)"),
      lightest: get("--md-default-fg-color--lightest", "rgba(0,0,0,.07)"),
      bg: get("--md-default-bg-color", "#fff"),
      accent: get("--md-accent-fg-color", "#526cfe"),
      font: get("--md-text-font-family", "") || style.fontFamily || "sans-serif",
      scheme: document.body.getAttribute("data-md-color-scheme") || "default"
    };
  }

  function topicColour(view, topic) {
    return topic >= 0 ? TOPIC_COLOURS[topic % TOPIC_COLOURS.length] : view.colours.lighter;
  }

  /* A view ------------------------------------------------------------------------------ */

  function View(element) {
    this.element = element;
    this.local = element.getAttribute("data-kb-graph") === "local";
    this.src = new URL(element.getAttribute("data-kb-graph-src"), location.href).href;
    this.colours = palette();
    element.setAttribute("data-kb-graph-scheme", this.colours.scheme);
    this.hovered = null;
    this.highlight = null; // Set of nodes and links to show, while a node is hovered
    this.labels = []; // the labels the notes of this frame ask for (paintNode -> paintLabels)
    this.labelCounts = ""; // drawn and skipped in the last frame, as last written
    this.graph = null;
    this.stopped = false;
  }

  View.prototype.status = function (state, text) {
    this.element.setAttribute("data-kb-graph-state", state);
    var line = this.element.querySelector(".kb-graph__status");
    if (line) {
      line.textContent = text || "";
      line.hidden = !text;
    }
  };

  View.prototype.start = function () {
    var view = this;
    view.status("loading", view.element.getAttribute("data-kb-graph-text-loading"));
    Promise.all([loadLibrary(), loadData(view.src)]).then(function (loaded) {
      if (!view.stopped) view.draw(loaded[0], loaded[1]);
    }).catch(function (error) {
      view.status("error", view.element.getAttribute("data-kb-graph-text-failed"));
      console.warn("kb-graph:", error);
    });
  };

  View.prototype.draw = function (ForceGraph, data) {
    var view = this;
    var started = performance.now(); // the data is loaded: the clock of the settle time starts
    var keep, rings = null;
    if (view.local) {
      var centre = data.byId[view.element.getAttribute("data-kb-graph-node")];
      if (!centre) {
        view.status("error", view.element.getAttribute("data-kb-graph-text-failed"));
        return;
      }
      rings = neighbourhood(data, centre.index);
      keep = Object.keys(rings).map(Number);
      view.centreId = centre.id;
    } else {
      keep = data.nodes.map(function (node) { return node.index; });
    }
    var shown = subgraph(data, keep, rings);
    shown.nodes.slice().sort(function (a, b) { return b.degree - a.degree; })
      .forEach(function (node, rank) { node.rank = rank; });
    view.source = data;
    view.data = shown;
    seedPositions(shown.nodes, view.centreId);
    var canvas = view.element.querySelector(".kb-graph__canvas");

    // force-graph draws and handles the pointer; the layout runs in graph-layout.js, so its
    // own engine is off (cooldownTicks 0) until the layout is done.
    var graph = new ForceGraph(canvas)
      .width(canvas.clientWidth)
      .height(canvas.clientHeight)
      .backgroundColor("rgba(0,0,0,0)")
      .nodeId("id")
      .nodeRelSize(view.local ? 3 : 2)
      .nodeVal(nodeValue)
      .nodeLabel(null)
      .nodeCanvasObject(function (node, ctx, scale) { view.paintNode(node, ctx, scale); })
      .nodeCanvasObjectMode(function () { return "replace"; })
      .onRenderFramePre(function () { view.labels = []; })
      .onRenderFramePost(function (ctx, scale) { view.paintLabels(ctx, scale); })
      .linkColor(function (link) { return view.linkColour(link); })
      .linkWidth(function (link) { return view.linkWidth(link); })
      .linkLineDash(view.local ? function (link) {
        return link.kinds === EDGE.moc ? [2, 2] : null;
      } : null)
      .linkDirectionalArrowLength(view.local ? 3 : 0)
      .linkDirectionalArrowRelPos(1)
      .warmupTicks(0)
      .cooldownTicks(0)
      .enableNodeDrag(view.local)
      .onNodeHover(function (node) { view.hover(node); })
      .onNodeClick(function (node) { openPage(node.url); })
      .graphData(shown);
    var forces = FORCES[view.local ? "local" : "global"];
    graph.d3Force("link").distance(forces.distance).strength(linkStrength);
    graph.d3Force("charge").strength(forces.charge).distanceMax(forces.distanceMax);
    view.graph = graph;
    view.element.kbGraph = graph;
    view.element.setAttribute("data-kb-graph-nodes", String(shown.nodes.length));
    view.element.setAttribute("data-kb-graph-links", String(shown.links.length));
    view.status("drawn", "");
    if (!view.local) view.legend(data);
    view.resizer = new ResizeObserver(function () {
      if (view.graph) view.graph.width(canvas.clientWidth).height(canvas.clientHeight);
    });
    view.resizer.observe(canvas);
    view.layout(forces, started);
  };

  /* Run the layout in a worker; show its progress; when it stops, the view has settled. */
  View.prototype.layout = function (forces, started) {
    var view = this;
    var nodes = view.data.nodes, links = view.data.links;
    var position = new Map();
    var positions = new Float32Array(nodes.length * 2);
    nodes.forEach(function (node, i) {
      position.set(node, i);
      positions[2 * i] = node.x;
      positions[2 * i + 1] = node.y;
    });
    var pairs = new Int32Array(links.length * 2);
    var strengths = new Float32Array(links.length);
    links.forEach(function (link, k) {
      pairs[2 * k] = position.get(link.source);
      pairs[2 * k + 1] = position.get(link.target);
      strengths[k] = linkStrength(link);
    });
    var fixed = view.centreId ? nodes.findIndex(function (node) { return node.id === view.centreId; }) : -1;
    var worker = new Worker(LAYOUT);
    view.worker = worker;
    worker.onmessage = function (event) {
      if (view.stopped) return;
      var out = event.data.positions;
      nodes.forEach(function (node, i) {
        node.x = out[2 * i];
        node.y = out[2 * i + 1];
      });
      if (!event.data.done) {
        view.refresh();
        return;
      }
      worker.terminate();
      view.worker = null;
      view.settled(started, event.data.ticks);
    };
    worker.onerror = function (error) {
      view.status("error", view.element.getAttribute("data-kb-graph-text-failed"));
      console.warn("kb-graph: layout failed:", error.message || error);
    };
    worker.postMessage({ positions: positions, links: pairs, strengths: strengths, fixed: fixed,
                         forces: forces, every: 120 },
                       [positions.buffer, pairs.buffer, strengths.buffer]);
  };

  View.prototype.settled = function (started, ticks) {
    var ms = Math.round(performance.now() - started);
    this.element.setAttribute("data-kb-graph-settle-ms", String(ms));
    this.status("settled", "");
    console.info("kb-graph: " + (this.local ? "local" : "global") + " graph of " +
                 this.data.nodes.length + " notes and " + this.data.links.length +
                 " links settled in " + ms + " ms (" + ticks + " layout steps) after its data loaded");
    // From here on force-graph's engine may run: a dragged note pulls its neighbours along.
    this.graph.cooldownTime(2000).cooldownTicks(Infinity);
    this.graph.zoomToFit(0, this.local ? 16 : 24);
    this.refresh();
  };

  View.prototype.hover = function (node) {
    this.hovered = node || null;
    if (node) {
      var set = new Set([node]);
      node.neighbours.forEach(function (other) { set.add(other); });
      node.links.forEach(function (link) { set.add(link); });
      this.highlight = set;
    } else {
      this.highlight = null;
    }
    this.element.querySelector(".kb-graph__canvas").style.cursor = node ? "pointer" : "";
    this.element.setAttribute("data-kb-graph-hover", node ? node.id : "");
    this.refresh();
  };

  View.prototype.refresh = function () {
    // Setting an accessor again makes force-graph redraw, even when its engine has stopped.
    if (this.graph) this.graph.linkColor(this.graph.linkColor());
  };

  View.prototype.linkColour = function (link) {
    var c = this.colours;
    if (this.highlight) return this.highlight.has(link) ? c.accent : c.lightest;
    if (!this.local) return c.lightest; // thousands of links: a haze, with the notes on top
    if (link.kinds & EDGE.related) return c.light;
    if (link.kinds & (EDGE.wikilink | EDGE.embed)) return c.lighter;
    return c.lighter; // moc only, dashed
  };

  View.prototype.linkWidth = function (link) {
    if (this.highlight && this.highlight.has(link)) return 1.5;
    if (!this.local) return link.kinds & EDGE.related ? 0.7 : 0.35;
    return link.kinds & EDGE.related ? 1.2 : 0.7;
  };

  View.prototype.paintNode = function (node, ctx, scale) {
    var c = this.colours;
    var radius = Math.sqrt(nodeValue(node)) * (this.local ? 3 : 2);
    if (node.id === this.centreId) radius = Math.max(radius, 7);
    var hovered = node === this.hovered;
    var dimmed = this.highlight && !this.highlight.has(node);
    ctx.globalAlpha = dimmed ? 0.15 : 1;
    ctx.beginPath();
    ctx.arc(node.x, node.y, radius, 0, 2 * Math.PI);
    ctx.fillStyle = topicColour(this, node.topic);
    ctx.fill();
    if (node.kind === "moc" || node.id === this.centreId || hovered) {
      ctx.lineWidth = (node.id === this.centreId || hovered ? 2.5 : 1.5) / scale;
      ctx.strokeStyle = node.id === this.centreId || hovered ? c.accent : c.fg;
      ctx.stroke();
    }
    var labelled;
    if (this.local) {
      // The note and its neighbours are named; their neighbours when hovered or zoomed in.
      labelled = this.highlight ? !dimmed : node.ring < 2 || radius * scale > 12;
    } else if (this.highlight) {
      labelled = hovered || (!dimmed && (this.highlight.size < 80 || radius * scale > 6));
    } else {
      labelled = node.rank < GLOBAL_LABELS || radius * scale > 9;
    }
    // The label waits for paintLabels, after every note of the frame is drawn.
    if (labelled) this.labels.push({ node: node, radius: radius, hovered: hovered });
    ctx.globalAlpha = 1;
  };

  /* The frame's labels, most important first, each only where it covers no label drawn before
     it (a grid of the drawn boxes finds their neighbours); those off the canvas are not
     counted. Boxes are in canvas pixels, from the transform force-graph draws with. */
  View.prototype.paintLabels = function (ctx, scale) {
    var view = this, c = this.colours;
    var matrix = ctx.getTransform();
    var ratio = matrix.a / scale; // canvas pixels per CSS pixel
    var width = ctx.canvas.width, height = ctx.canvas.height;
    var gap = LABEL_GAP * ratio, cell = LABEL_CELL * ratio;
    var grid = new Map(), boxes = [], skipped = 0;
    var candidates = this.labels.map(function (label) {
      label.order = label.hovered ? 0 : label.node.id === view.centreId ? 1
        : label.node.kind === "moc" ? 2 : 3;
      return label;
    });
    candidates.sort(function (a, b) { return a.order - b.order || a.node.rank - b.node.rank; });
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3 / scale;
    ctx.strokeStyle = c.bg;
    var margin = 400 * ratio; // wider than any label: a note this far off the canvas has none
    candidates.forEach(function (label) {
      var node = label.node, strong = label.hovered || node.id === view.centreId;
      var px = matrix.a * node.x + matrix.e, py = matrix.d * node.y + matrix.f;
      if (px < -margin || px > width + margin || py < -margin || py > height + margin) return;
      var title = node.title.length > 40 && !label.hovered ? node.title.slice(0, 38) + "…"
        : node.title;
      var size = (label.hovered ? 12 : 10) / scale;
      var y = node.y + label.radius + 2 / scale;
      ctx.font = (strong ? "600 " : "") + size + "px " + c.font;
      var half = ctx.measureText(title).width / 2;
      // The box on the canvas: the text's width by 1.2 lines of it, with a gap around.
      var box = {
        left: matrix.a * (node.x - half) + matrix.e - gap,
        right: matrix.a * (node.x + half) + matrix.e + gap,
        top: matrix.d * y + matrix.f - gap,
        bottom: matrix.d * (y + size * 1.2) + matrix.f + gap
      };
      if (box.right < 0 || box.left > width || box.bottom < 0 || box.top > height) return;
      var x0 = Math.floor(box.left / cell), x1 = Math.floor(box.right / cell);
      var y0 = Math.floor(box.top / cell), y1 = Math.floor(box.bottom / cell);
      var gx, gy, near, i;
      for (gx = x0; gx <= x1; gx++) {
        for (gy = y0; gy <= y1; gy++) {
          near = grid.get(gx + "," + gy);
          for (i = 0; near && i < near.length; i++) {
            if (overlaps(box, near[i])) { skipped++; return; }
          }
        }
      }
      for (gx = x0; gx <= x1; gx++) {
        for (gy = y0; gy <= y1; gy++) {
          near = grid.get(gx + "," + gy);
          if (near) near.push(box); else grid.set(gx + "," + gy, [box]);
        }
      }
      box.id = node.id;
      boxes.push(box);
      ctx.globalAlpha = view.highlight && !view.highlight.has(node) ? 0.15 : 1;
      ctx.strokeText(title, node.x, y);
      ctx.fillStyle = strong ? c.fg : c.light;
      ctx.fillText(title, node.x, y);
    });
    ctx.globalAlpha = 1;
    this.element.kbGraphLabels = boxes.map(function (box) {
      return { id: box.id, left: (box.left + gap) / ratio, top: (box.top + gap) / ratio,
               right: (box.right - gap) / ratio, bottom: (box.bottom - gap) / ratio };
    });
    var counts = boxes.length + "/" + skipped;
    if (counts !== this.labelCounts) { // attributes written when they change, not each frame
      this.labelCounts = counts;
      this.element.setAttribute("data-kb-graph-labels", String(boxes.length));
      this.element.setAttribute("data-kb-graph-labels-skipped", String(skipped));
    }
  };

  View.prototype.legend = function (data) {
    var box = this.element.querySelector(".kb-graph__legend");
    if (!box || box.childElementCount) return;
    var counts = {};
    data.nodes.forEach(function (node) { counts[node.topic] = (counts[node.topic] || 0) + 1; });
    var view = this;
    function item(colour, label) {
      var entry = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "kb-graph__swatch";
      swatch.style.background = colour;
      entry.appendChild(swatch);
      entry.appendChild(document.createTextNode(label));
      box.appendChild(entry);
    }
    data.topics.forEach(function (topic, index) {
      item(topicColour(view, index), topic + " (" + counts[index] + ")");
    });
    if (counts[-1]) {
      item(view.colours.lighter,
           (this.element.getAttribute("data-kb-graph-text-no-topic") || "—") + " (" + counts[-1] + ")");
    }
  };

  View.prototype.recolour = function () {
    this.colours = palette();
    this.element.setAttribute("data-kb-graph-scheme", this.colours.scheme);
    var box = this.element.querySelector(".kb-graph__legend");
    if (box && this.graph) {
      box.textContent = "";
      this.legend(this.source);
    }
    this.refresh();
  };

  View.prototype.stop = function () {
    this.stopped = true;
    if (this.observer) this.observer.disconnect();
    if (this.resizer) this.resizer.disconnect();
    if (this.worker) this.worker.terminate();
    if (this.graph) {
      this.graph.pauseAnimation();
      if (this.graph._destructor) this.graph._destructor();
      this.graph = null;
    }
  };

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function nodeValue(node) {
    return 1 + Math.sqrt(node.degree) * 1.5;
  }

  /* d3's default link strength, 1/degree of the less connected end; links to MOCs, which bind
     hundreds of notes to one point, are kept loose. */
  function linkStrength(link) {
    var base = 1 / Math.max(1, Math.min(link.source.neighbours.length, link.target.neighbours.length));
    return link.kinds === EDGE.moc ? base * 0.15 : base;
  }

  /* Start nodes near others of their topic (the centre note in the middle), so that the layout
     has less to untangle and settles sooner. */
  function seedPositions(nodes, centreId) {
    var radius = 40 + 6 * Math.sqrt(nodes.length);
    nodes.forEach(function (node, i) {
      if (node.id === centreId) { node.x = 0; node.y = 0; return; }
      var angle = node.topic >= 0 ? node.topic * 2.39996 : 0;
      var spread = radius * (0.35 + 0.65 * ((i * 0.618034) % 1));
      node.x = Math.cos(angle) * radius * 0.6 + Math.cos(i) * spread * 0.5;
      node.y = Math.sin(angle) * radius * 0.6 + Math.sin(i) * spread * 0.5;
    });
  }

  /* Open a page the way a click on a link would, so Material's instant navigation takes it. */
  function openPage(url) {
    var link = document.createElement("a");
    link.href = url;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  /* Setup per page ------------------------------------------------------------------------ */

  function setup() {
    views.forEach(function (view) { view.stop(); });
    views = [];
    document.querySelectorAll("[data-kb-graph]").forEach(function (element) {
      if (!element.querySelector(".kb-graph__canvas")) return;
      var view = new View(element);
      views.push(view);
      if (!("IntersectionObserver" in window)) { view.start(); return; }
      view.observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          view.observer.disconnect();
          view.start();
        }
      }, { rootMargin: "200px" });
      view.observer.observe(element);
    });
  }

  new MutationObserver(function () {
    views.forEach(function (view) { view.recolour(); });
  }).observe(document.body, { attributes: true,
                              attributeFilter: ["data-md-color-scheme", "data-md-color-primary",
                                                "data-md-color-accent"] });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
