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

  /* The marking rules, the same as mmlbook/questions.py's mark() (one table of
     cases, tests/book/marking_cases.json, holds both to the same verdicts and
     words). spec: {kind, answer, tolerance (one per number, row by row),
     integer, choices}; entries: the letters picked for a choice, else the
     text of each entry; hint: where the hint is, or "". */
  const EXAMPLES = "type numbers such as 0.5, -2, 1/3 or sqrt(2)/2";
  const flat = value => Array.isArray(value) ? [].concat(...value.map(flat)) : [value];
  const count = (n, one, many) => n === 1 ? one : n + " " + many;
  const tryAgain = hint => hint ? "Try again: " + hint + "." : "Try again.";

  function mark(spec, entries, hint) {
    if (spec.kind === "choice") return markChoice(spec, entries, hint);
    const wanted = flat(spec.answer).map(Number);
    const tolerances = spec.tolerance.map(Number);
    if (entries.length !== wanted.length) {
      return {ok: false, bad: entries.map((_, i) => i),
              message: "Not yet: the answer has " + count(wanted.length, "one number", "numbers") +
                       ", not " + entries.length + "."};
    }
    const empty = [], unreadable = [], fractional = [], wrong = [];
    entries.forEach((entry, i) => {
      if (entry === null || entry === undefined || (typeof entry === "string" && !entry.trim())) {
        empty.push(i); return;
      }
      const value = typeof entry === "number" ? entry : parseNumber(String(entry));
      const answer = wanted[i];
      if (!isFinite(value)) unreadable.push(i);
      else if (spec.integer && value !== Math.round(value)) fractional.push(i);
      else if (!(Math.abs(value - answer) <= tolerances[i] + 1e-12 * Math.max(1, Math.abs(answer)))) wrong.push(i);
    });
    if (empty.length || unreadable.length) {
      const what = [];
      if (empty.length) what.push(count(empty.length, "one entry is empty", "entries are empty"));
      if (unreadable.length) what.push(count(unreadable.length, "one entry is not a number", "entries are not numbers"));
      return {ok: false, bad: empty.concat(unreadable).sort((a, b) => a - b),
              message: "Not yet: " + what.join(" and ") + " (" + EXAMPLES + ")."};
    }
    if (fractional.length) {
      const text = wanted.length === 1 ? "Not yet: the answer is a whole number."
        : "Not yet: " + count(fractional.length, "one entry is not a whole number", "entries are not whole numbers") +
          ", and every entry of the answer is one.";
      return {ok: false, bad: fractional, message: text};
    }
    if (!wrong.length) return {ok: true, bad: [], message: "Correct."};
    let where = "";
    if (wanted.length > 1) {
      where = wrong.length === 1 ? " One entry is off." : " " + wrong.length + " of " + wanted.length + " entries are off.";
    }
    return {ok: false, bad: wrong, message: "Not yet." + where + " " + tryAgain(hint)};
  }

  function markChoice(spec, entries, hint) {
    const letters = Array.from({length: spec.choices}, (_, i) => String.fromCharCode(97 + i));
    const picked = [];
    for (const entry of entries) {
      const letter = entry === null || entry === undefined ? ""
        : String(entry).trim().replace(/^[()]+|[()]+$/g, "").toLowerCase();
      if (!letter) continue;
      if (!letters.includes(letter)) {
        return {ok: false, bad: [], message: "Not yet: " + String(entry) + " is not one of the choices (a) to (" +
                                              letters[letters.length - 1] + ")."};
      }
      if (!picked.includes(letters.indexOf(letter))) picked.push(letters.indexOf(letter));
    }
    picked.sort((a, b) => a - b);
    if (!picked.length) return {ok: false, bad: [], message: "Not yet: choose an answer first."};
    const answer = spec.answer.slice().sort((a, b) => a - b);
    const ok = picked.length === answer.length && picked.every((v, i) => v === answer[i]);
    return ok ? {ok: true, bad: [], message: "Correct."}
              : {ok: false, bad: picked, message: "Not yet. " + tryAgain(hint)};
  }

  function setupQuestion(box) {
    const kind = box.dataset.kind;
    const answer = JSON.parse(box.dataset.answer);
    const tolerance = JSON.parse(box.dataset.tolerance || "[]");
    const integer = box.dataset.integer === "true";
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
      const where = hint ? "see the hint below" : "";
      if (kind === "choice") {
        const inputs = Array.from(box.querySelectorAll(".mml-choices input"));
        const picked = inputs.filter(input => input.checked)
          .map(input => String.fromCharCode(97 + parseInt(input.value, 10)));
        const result = mark({kind, answer, choices: inputs.length}, picked, where);
        say(result.ok, result.message);
        return;
      }
      const inputs = Array.from(box.querySelectorAll("input.mml-entry"));
      const result = mark({kind, answer, tolerance, integer}, inputs.map(input => input.value), where);
      inputs.forEach((input, i) => {
        if (result.bad.includes(i)) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      });
      say(result.ok, result.message);
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
  window.mmlMark = mark;
})();
