/*
 * The force layout of one graph view, in a Web Worker so that the page stays responsive while a
 * large graph settles (assets/javascripts/graph.js starts it; d3-force is bundled under
 * assets/vendor/d3-force/).
 *
 * In: {positions: Float32Array [x0, y0, x1, y1, ...] (seeded), links: Int32Array [s0, t0, ...],
 *      strengths: Float32Array (one per link), fixed: index of a node pinned at 0,0 or -1,
 *      forces: {charge, theta, distanceMax, distance, gravity, alphaDecay, alphaMin,
 *      velocityDecay}, every: ms between progress messages}.
 * Out: {positions: Float32Array, ticks, done} every `every` ms, and once more when d3's own
 *      stopping rule (alpha below alphaMin) ends the layout.
 */
/* global d3 */
"use strict";

// Where the bundled libraries are: given by graph.js in the worker's address.
var VENDOR = new URLSearchParams(self.location.search).get("vendor") || "../vendor/";
importScripts(VENDOR + "d3-force/d3-dispatch.min.js", VENDOR + "d3-force/d3-quadtree.min.js",
              VENDOR + "d3-force/d3-timer.min.js", VENDOR + "d3-force/d3-force.min.js");

self.onmessage = function (event) {
  var job = event.data;
  var forces = job.forces;
  var count = job.positions.length / 2;
  var nodes = new Array(count);
  for (var i = 0; i < count; i++) {
    nodes[i] = { index: i, x: job.positions[2 * i], y: job.positions[2 * i + 1] };
  }
  if (job.fixed >= 0) {
    nodes[job.fixed].fx = 0;
    nodes[job.fixed].fy = 0;
  }
  var links = new Array(job.strengths.length);
  for (var k = 0; k < links.length; k++) {
    links[k] = { source: job.links[2 * k], target: job.links[2 * k + 1], strength: job.strengths[k] };
  }
  var simulation = d3.forceSimulation(nodes).stop()
    .alphaDecay(forces.alphaDecay)
    .alphaMin(forces.alphaMin)
    .velocityDecay(forces.velocityDecay)
    .force("charge", d3.forceManyBody().strength(forces.charge).theta(forces.theta)
      .distanceMax(forces.distanceMax))
    .force("link", d3.forceLink(links).distance(forces.distance)
      .strength(function (link) { return link.strength; }))
    .force("x", d3.forceX(0).strength(forces.gravity))
    .force("y", d3.forceY(0).strength(forces.gravity));

  var ticks = 0;
  var last = Date.now();
  function post(done) {
    var out = new Float32Array(count * 2);
    for (var n = 0; n < count; n++) {
      out[2 * n] = nodes[n].x;
      out[2 * n + 1] = nodes[n].y;
    }
    self.postMessage({ positions: out, ticks: ticks, done: done }, [out.buffer]);
  }
  while (simulation.alpha() >= simulation.alphaMin()) {
    simulation.tick();
    ticks++;
    if (Date.now() - last >= job.every) {
      post(false);
      last = Date.now();
    }
  }
  post(true);
};
