/* Live figures of linear maps (mmlbook.interactive.live_figure): an SVG drawn
   in the reader's browser and redrawn as the slider moves or a handle is
   dragged. No library, no network. Every number comes from the definitions
   the chapter uses (mmlbook.linalg.shear, change_basis, A @ x), written out
   below; tests/browser/test_live_figures.py compares the figure's state with
   mmlbook at several positions. Defines window.mmlLive once per page. */
(function () {
  "use strict";
  if (window.mmlLive) { window.mmlLive.setupAll(); return; }
  var NS = "http://www.w3.org/2000/svg";
  var W = 480;
  var COLORS = {grid0: "#e3e3e3", grid: "#b5b5b5", blue: "#0072B2", orange: "#D55E00",
                green: "#009E73", grey: "#8c8c8c", dark: "#4d4d4d"};

  function fmt(x, digits) {
    var s = x.toFixed(digits === undefined ? 2 : digits);
    return s.replace(/^-(0\.?0*)$/, "$1").replace("-", "\u2212");
  }
  function apply(M, v) { return [M[0][0] * v[0] + M[0][1] * v[1], M[1][0] * v[0] + M[1][1] * v[1]]; }
  // The maps the chapters define, in their symbols.
  var maps = {
    // mmlbook.linalg.shear(k): H_x = [[1, k], [0, 1]].
    shear: function (k) { return [[1, k], [0, 1]]; },
    // B_t = (1 - t) I + t B: the standard basis at t = 0, B at t = 1.
    basisAt: function (B, t) {
      return [[(1 - t) + t * B[0][0], t * B[0][1]], [t * B[1][0], (1 - t) + t * B[1][1]]];
    },
    // mmlbook.linalg.change_basis(x, B): the c with B c = x (Cramer's rule for 2 x 2).
    coordinates: function (B, x) {
      var det = B[0][0] * B[1][1] - B[0][1] * B[1][0];
      return [(B[1][1] * x[0] - B[0][1] * x[1]) / det, (B[0][0] * x[1] - B[1][0] * x[0]) / det];
    }
  };

  function el(parent, name, attrs) {
    var node = document.createElementNS(NS, name);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    parent.appendChild(node);
    return node;
  }

  function Figure(root) {
    this.root = root;
    this.spec = JSON.parse(root.getAttribute("data-live"));
    this.svg = root.querySelector("svg.mml-live-svg");
    this.slider = root.querySelector("input[type=range]");
    this.output = root.querySelector("output");
    this.title = this.svg.querySelector("title");
    var v = this.spec.view;   // [xmin, xmax, ymin, ymax]
    this.scale = W / (v[1] - v[0]);
    this.H = Math.round((v[3] - v[2]) * this.scale);
    this.svg.setAttribute("viewBox", "0 0 " + W + " " + this.H);
    this.layer = el(this.svg, "g", {});
    this.vector = this.spec.vector ? this.spec.vector.slice() : null;
  }

  Figure.prototype.px = function (p) {
    var v = this.spec.view;
    return [(p[0] - v[0]) * this.scale, (v[3] - p[1]) * this.scale];
  };
  Figure.prototype.fromPx = function (q) {
    var v = this.spec.view;
    return [q[0] / this.scale + v[0], v[3] - q[1] / this.scale];
  };
  Figure.prototype.line = function (a, b, stroke, width, dash) {
    var p = this.px(a), q = this.px(b);
    var attrs = {x1: p[0].toFixed(2), y1: p[1].toFixed(2), x2: q[0].toFixed(2), y2: q[1].toFixed(2),
                 stroke: stroke, "stroke-width": width || 1};
    if (dash) attrs["stroke-dasharray"] = dash;
    return el(this.layer, "line", attrs);
  };
  Figure.prototype.arrow = function (tip, color, name, from) {
    var o = this.px(from || [0, 0]), t = this.px(tip);
    var dx = t[0] - o[0], dy = t[1] - o[1], n = Math.hypot(dx, dy);
    var g = el(this.layer, "g", {"data-name": name});
    if (n < 1e-9) return g;
    var ux = dx / n, uy = dy / n, head = Math.min(12, n * 0.5);
    var bx = t[0] - ux * head, by = t[1] - uy * head;
    el(g, "line", {x1: o[0].toFixed(2), y1: o[1].toFixed(2), x2: bx.toFixed(2), y2: by.toFixed(2),
                   stroke: color, "stroke-width": 3});
    el(g, "polygon", {fill: color, points: [t[0], t[1], bx - uy * head * 0.45, by + ux * head * 0.45,
                                            bx + uy * head * 0.45, by - ux * head * 0.45]
                                           .map(function (z) { return z.toFixed(2); }).join(" ")});
    return g;
  };
  Figure.prototype.grid = function (M, reach, stroke, width) {
    for (var i = -reach; i <= reach; i++) {
      this.line(apply(M, [i, -reach]), apply(M, [i, reach]), stroke, width);
      this.line(apply(M, [-reach, i]), apply(M, [reach, i]), stroke, width);
    }
  };
  Figure.prototype.label = function (p, text, color) {
    var q = this.px(p);
    var t = el(this.layer, "text", {x: q[0].toFixed(1), y: q[1].toFixed(1), fill: color || COLORS.dark,
                                    "font-size": 17, "font-family": "sans-serif"});
    t.textContent = text;
    return t;
  };
  Figure.prototype.handle = function (p, color) {
    var q = this.px(p);
    // A 44 px target (radius 22 in the figure's units at full width) around a visible dot.
    var g = el(this.layer, "g", {"class": "mml-live-handle", "data-name": "handle"});
    el(g, "circle", {cx: q[0].toFixed(2), cy: q[1].toFixed(2), r: 22, fill: "transparent"});
    el(g, "circle", {cx: q[0].toFixed(2), cy: q[1].toFixed(2), r: 7, fill: "#fff", stroke: color,
                     "stroke-width": 3});
    return g;
  };

  Figure.prototype.value = function () { return parseFloat(this.slider.value); };

  Figure.prototype.draw = function () {
    var s = this.spec, p = this.value(), state, text, alt;
    while (this.layer.firstChild) this.layer.removeChild(this.layer.firstChild);
    var digits = s.param.digits;
    if (s.kind === "shear") {
      var M = maps.shear(p);
      var image = s.shape.map(function (v) { return apply(M, v); });
      this.grid([[1, 0], [0, 1]], 6, COLORS.grid0, 1);
      this.grid(M, 12, COLORS.grid, 1);
      el(this.layer, "polygon", {points: s.shape.map(this.px, this).map(function (q) { return q[0].toFixed(2) + "," + q[1].toFixed(2); }).join(" "),
                                 fill: "none", stroke: COLORS.grey, "stroke-dasharray": "5 4", "stroke-width": 1.5});
      el(this.layer, "polygon", {points: image.map(this.px, this).map(function (q) { return q[0].toFixed(2) + "," + q[1].toFixed(2); }).join(" "),
                                 fill: COLORS.green, "fill-opacity": 0.45, stroke: COLORS.green, "stroke-width": 2,
                                 "data-name": "image"});
      this.arrow(apply(M, [1, 0]), COLORS.blue, "e1");
      this.arrow(apply(M, [0, 1]), COLORS.orange, "e2");
      this.handle(apply(M, [0, 1]), COLORS.orange);
      state = {k: p, matrix: M, image: image, e2: apply(M, [0, 1])};
      text = "k = " + fmt(p, digits) + ": e\u2082 goes to (" + fmt(p, digits) + ", 1)";
      alt = "The grid and the house under the shear with k = " + fmt(p, digits) + ": e2 goes to (" +
            fmt(p, digits) + ", 1), so the house leans " + (p > 0 ? "right" : p < 0 ? "left" : "not at all") +
            " with its floor fixed.";
    } else if (s.kind === "change-of-basis") {
      var Bt = maps.basisAt(s.basis, p), x = this.vector, c = maps.coordinates(Bt, x);
      var b1 = [Bt[0][0], Bt[1][0]], b2 = [Bt[0][1], Bt[1][1]];
      this.grid([[1, 0], [0, 1]], 12, COLORS.grid0, 1);
      this.grid(Bt, 16, COLORS.grid, 1);
      this.arrow(b1, COLORS.dark, "b1");
      this.arrow(b2, COLORS.dark, "b2");
      var corner = [c[0] * b1[0], c[0] * b1[1]];
      this.line([0, 0], corner, COLORS.orange, 2, "6 4");
      this.line(corner, x, COLORS.orange, 2, "6 4");
      this.arrow(x, COLORS.blue, "x");
      this.handle(x, COLORS.blue);
      state = {t: p, basis: Bt, x: x.slice(), c: c};
      text = "t = " + fmt(p, digits) + ": x = (" + fmt(x[0]) + ", " + fmt(x[1]) + ") has coordinates (" +
             fmt(c[0]) + ", " + fmt(c[1]) + ")";
      alt = "The vector x = (" + fmt(x[0]) + ", " + fmt(x[1]) + ") over the grid of the basis at t = " +
            fmt(p, digits) + "; its coordinates there are (" + fmt(c[0]) + ", " + fmt(c[1]) + ").";
    } else if (s.kind === "eigenvector") {
      var A = s.matrix, rad = p * Math.PI / 180, v = [Math.cos(rad), Math.sin(rad)], Av = apply(A, v);
      var length = Math.hypot(Av[0], Av[1]);
      var turn = Math.atan2(v[0] * Av[1] - v[1] * Av[0], v[0] * Av[0] + v[1] * Av[1]) * 180 / Math.PI;
      var along = Math.abs(v[0] * Av[1] - v[1] * Av[0]) < 1e-9 * Math.max(1, length);
      var circle = [], ellipse = [];
      for (var i = 0; i <= 120; i++) {
        var a = 2 * Math.PI * i / 120, u = [Math.cos(a), Math.sin(a)];
        circle.push(this.px(u)); ellipse.push(this.px(apply(A, u)));
      }
      var pts = function (list) { return list.map(function (q) { return q[0].toFixed(2) + "," + q[1].toFixed(2); }).join(" "); };
      var reach = Math.max(s.view[1], s.view[3]) * 1.5;
      (s.eigenvectors || []).forEach(function (e) {
        this.line([-reach * e[0], -reach * e[1]], [reach * e[0], reach * e[1]], COLORS.grey, 1, "2 4");
      }, this);
      el(this.layer, "polyline", {points: pts(circle), fill: "none", stroke: COLORS.grid, "stroke-width": 1.5});
      el(this.layer, "polyline", {points: pts(ellipse), fill: "none", stroke: COLORS.grid0, "stroke-width": 1.5});
      this.arrow(Av, along ? COLORS.orange : COLORS.blue, "Ax");
      this.arrow(v, COLORS.grey, "x");
      this.handle(v, COLORS.dark);
      state = {theta: p, x: v, Ax: Av, length: length, turn: turn, eigenvector: along};
      text = "\u03b8 = " + fmt(p, 0) + "\u00b0: |Ax| = " + fmt(length) + ", turned by " +
             (turn >= 0 ? "+" : "\u2212") + Math.abs(turn).toFixed(0) + "\u00b0" + (along ? ": an eigenvector, Ax = " + fmt(length * (v[0] * Av[0] + v[1] * Av[1] >= 0 ? 1 : -1)) + " x" : "");
      alt = "A unit vector x at " + fmt(p, 0) + " degrees and its image Ax of length " + fmt(length) +
            ", turned by " + turn.toFixed(0) + " degrees" + (along ? ": an eigenvector." : ".");
    }
    this.root.setAttribute("data-state", JSON.stringify(state));
    this.slider.setAttribute("aria-valuetext", text);
    if (this.output) this.output.textContent = text;
    if (this.title) this.title.textContent = alt;
  };

  // Dragging: the handle moves the slider's parameter (shear, eigenvector) or the vector (change of basis).
  Figure.prototype.drag = function (event) {
    var rect = this.svg.getBoundingClientRect();
    var q = [(event.clientX - rect.left) * W / rect.width, (event.clientY - rect.top) * this.H / rect.height];
    var p = this.fromPx(q), s = this.spec, value = null;
    if (s.kind === "shear") value = p[0];
    else if (s.kind === "eigenvector") value = ((Math.atan2(p[1], p[0]) * 180 / Math.PI) + 360) % 360;
    else if (s.kind === "change-of-basis") {
      var v = s.view, step = 0.1;
      this.vector = [Math.min(v[1], Math.max(v[0], Math.round(p[0] / step) * step)),
                     Math.min(v[3], Math.max(v[2], Math.round(p[1] / step) * step))];
    }
    if (value !== null) {
      var lo = parseFloat(this.slider.min), hi = parseFloat(this.slider.max), st = parseFloat(this.slider.step);
      value = Math.min(hi, Math.max(lo, lo + Math.round((value - lo) / st) * st));
      this.slider.value = String(value);
    }
    this.draw();
  };

  Figure.prototype.setup = function () {
    var self = this;
    this.slider.addEventListener("input", function () { self.draw(); });
    this.slider.addEventListener("change", function () { self.draw(); });
    var dragging = false;
    this.svg.addEventListener("pointerdown", function (event) {
      if (!event.target.closest || !event.target.closest(".mml-live-handle")) return;
      dragging = true;
      self.svg.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    this.svg.addEventListener("pointermove", function (event) { if (dragging) self.drag(event); });
    var stop = function () { dragging = false; };
    this.svg.addEventListener("pointerup", stop);
    this.svg.addEventListener("pointercancel", stop);
    this.draw();
  };

  function setupAll() {
    var roots = document.querySelectorAll(".mml-live[data-live]");
    for (var i = 0; i < roots.length; i++) {
      var root = roots[i];
      if (root.getAttribute("data-ready")) continue;
      root.setAttribute("data-ready", "1");
      var fallback = root.querySelector(".mml-live-fallback");
      if (fallback) fallback.parentNode.removeChild(fallback);
      var figure = new Figure(root);
      figure.setup();
      root.mmlFigure = figure;
    }
  }

  window.mmlLive = {setupAll: setupAll, maps: maps};
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupAll);
  else setupAll();
})();
