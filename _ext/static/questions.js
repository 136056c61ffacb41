/* Self-marking questions and slider figures of the book (see _ext/questions.py).
   Runs in the reader's browser: no kernel, no network. */
(function () {
  "use strict";

  /* A number typed by a reader: 0.5, -3, 1/3, sqrt(2)/2, 2*pi, 1e-3, (1+sqrt(5))/2. */
  function parseNumber(text) {
    const src = text.trim().replace(/\u2212/g, "-").replace(/\u03c0/g, "pi").replace(/\u221a/g, "sqrt");
    if (!src) return NaN;
    let at = 0;
    const peek = () => src[at];
    const skip = () => { while (src[at] === " ") at++; };
    function primary() {
      skip();
      if (peek() === "(") { at++; const v = sum(); skip(); if (src[at++] !== ")") throw 0; return v; }
      if (peek() === "-") { at++; return -power(); }
      if (peek() === "+") { at++; return power(); }
      const word = /^(sqrt|pi|e(?![0-9]))/.exec(src.slice(at));
      if (word) {
        at += word[0].length;
        if (word[0] === "pi") return Math.PI;
        if (word[0] === "e") return Math.E;
        skip(); if (src[at++] !== "(") throw 0;
        const v = sum(); skip(); if (src[at++] !== ")") throw 0;
        return Math.sqrt(v);
      }
      const number = /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(src.slice(at));
      if (!number) throw 0;
      at += number[0].length;
      return parseFloat(number[0]);
    }
    function power() {
      const base = primary(); skip();
      if (peek() === "^") { at++; return Math.pow(base, power()); }
      return base;
    }
    function product() {
      let v = power(); skip();
      while (peek() === "*" || peek() === "/") {
        const op = src[at++]; const w = power(); v = op === "*" ? v * w : v / w; skip();
      }
      return v;
    }
    function sum() {
      let v = product(); skip();
      while (peek() === "+" || peek() === "-") {
        const op = src[at++]; const w = product(); v = op === "+" ? v + w : v - w; skip();
      }
      return v;
    }
    try {
      const value = sum(); skip();
      return at === src.length ? value : NaN;
    } catch (error) {
      return NaN;
    }
  }

  function setupQuestion(box) {
    const kind = box.dataset.kind;
    const answer = JSON.parse(box.dataset.answer);
    const tolerance = parseFloat(box.dataset.tolerance);
    const form = box.querySelector("form.mml-question-form");
    const feedback = box.querySelector(".mml-feedback");
    const hint = box.querySelector(".mml-hint");
    const shown = box.querySelector(".mml-answer");
    const show = box.querySelector(".mml-show");
    if (!form || !feedback) return;

    function say(ok, text) {
      feedback.textContent = text;
      feedback.classList.toggle("mml-correct", ok);
      feedback.classList.toggle("mml-wrong", !ok);
      box.dataset.state = ok ? "correct" : "wrong";
      if (!ok && hint) hint.hidden = false;
    }

    function check() {
      if (kind === "choice") {
        const picked = Array.from(box.querySelectorAll(".mml-choices input"))
          .filter(input => input.checked).map(input => parseInt(input.value, 10)).sort((a, b) => a - b);
        if (!picked.length) { say(false, "Not yet: choose an answer first."); return; }
        const ok = picked.length === answer.length && picked.every((v, i) => v === answer[i]);
        say(ok, ok ? "Correct." : "Not yet. Try again" + (hint ? ": see the hint below." : "."));
        return;
      }
      const inputs = Array.from(box.querySelectorAll("input.mml-entry"));
      const wanted = kind === "numeric" ? [answer] : [].concat(...(kind === "matrix" ? answer : [answer]));
      let empty = 0, unreadable = 0, wrong = 0;
      inputs.forEach((input, i) => {
        const value = parseNumber(input.value);
        let bad = false;
        if (!input.value.trim()) { empty++; bad = true; }
        else if (!isFinite(value)) { unreadable++; bad = true; }
        else if (!(Math.abs(value - wanted[i]) <= tolerance + 1e-12)) { wrong++; bad = true; }
        if (bad) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
      });
      if (empty || unreadable) {
        const what = [];
        if (empty) what.push(empty === 1 ? "one entry is empty" : empty + " entries are empty");
        if (unreadable) what.push(unreadable === 1 ? "one entry is not a number" : unreadable + " entries are not numbers");
        say(false, "Not yet: " + what.join(" and ") + " (type numbers such as 0.5, -2, 1/3 or sqrt(2)/2).");
        return;
      }
      if (!wrong) { say(true, "Correct."); return; }
      const where = inputs.length > 1
        ? (wrong === 1 ? " One entry is off." : " " + wrong + " of " + inputs.length + " entries are off.")
        : "";
      say(false, "Not yet." + where + " Try again" + (hint ? ": see the hint below." : "."));
    }

    form.addEventListener("submit", event => { event.preventDefault(); check(); });
    box.querySelectorAll(".mml-choices input").forEach(input => {
      input.addEventListener("keydown", event => {
        if (event.key === "Enter") { event.preventDefault(); check(); }
      });
    });
    if (show && shown) {
      show.addEventListener("click", () => {
        shown.hidden = !shown.hidden;
        show.setAttribute("aria-expanded", String(!shown.hidden));
        show.textContent = shown.hidden ? "Show answer" : "Hide answer";
      });
    }
  }

  function setupSlider(figure) {
    const data = figure.querySelector("script.mml-frames");
    const image = figure.querySelector("img.mml-frame");
    const slider = figure.querySelector("input[type=range]");
    const output = figure.querySelector("output");
    if (!data || !image || !slider || figure.dataset.ready) return;
    figure.dataset.ready = "1";
    const frames = JSON.parse(data.textContent);
    function show() {
      const frame = frames[parseInt(slider.value, 10)];
      if (!frame) return;
      image.src = frame.src;
      image.alt = frame.alt;
      slider.setAttribute("aria-valuetext", frame.label);
      if (output) output.textContent = frame.label;
    }
    slider.addEventListener("input", show);
    slider.addEventListener("change", show);
  }

  function setup() {
    document.querySelectorAll("div.mml-question[data-question]").forEach(setupQuestion);
    document.querySelectorAll(".mml-slider").forEach(setupSlider);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
  window.mmlParseNumber = parseNumber;
})();
