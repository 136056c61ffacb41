/* Progress that survives a reload (see _ext/reader.py): every answer to a
   self-marking question and its result, kept in localStorage under the
   book's version and the question's label, restored on the next visit; the
   chapter's score; the progress page's table and its Clear button.
   Reads only what questions.js shows (data-state on the question box), so
   the marking stays in questions.js. */
(function () {
  "use strict";
  var script = document.currentScript;
  var VERSION = (script && script.getAttribute("data-book-version")) || "0";
  var KEY = "mmlbook-progress:" + VERSION;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY)) || {}; } catch (error) { return {}; }
  }
  function store(all) {
    try { window.localStorage.setItem(KEY, JSON.stringify(all)); return true; } catch (error) { return false; }
  }
  /* A fingerprint of what the question asks and accepts: a saved answer to a
     question that has changed since is not restored. */
  function fingerprint(box) {
    var text = (box.getAttribute("data-kind") || "") + "|" + (box.getAttribute("data-answer") || "") +
               "|" + (box.getAttribute("data-tolerance") || "");
    var h = 5381;
    for (var i = 0; i < text.length; i++) h = ((h * 33) ^ text.charCodeAt(i)) >>> 0;
    return h.toString(36);
  }
  function page() { return window.location.pathname.replace(/^.*\/book\//, "book/"); }

  function read(box) {
    if (box.getAttribute("data-kind") === "choice") {
      return Array.prototype.map.call(box.querySelectorAll(".mml-choices input"), function (i) { return i.checked; });
    }
    return Array.prototype.map.call(box.querySelectorAll("input.mml-entry"), function (i) { return i.value; });
  }
  function write(box, values) {
    if (box.getAttribute("data-kind") === "choice") {
      box.querySelectorAll(".mml-choices input").forEach(function (input, i) { input.checked = !!values[i]; });
    } else {
      box.querySelectorAll("input.mml-entry").forEach(function (input, i) { input.value = values[i] || ""; });
    }
  }

  function score() {
    var boxes = document.querySelectorAll("div.mml-question[data-question]");
    var answered = 0, right = 0;
    boxes.forEach(function (box) {
      var state = box.getAttribute("data-state");
      if (state === "correct" || state === "wrong") answered++;
      if (state === "correct") right++;
    });
    var out = document.querySelector(".mml-score .mml-score-text");
    if (out) {
      out.textContent = boxes.length + " questions in this chapter: " + answered + " answered, " + right + " right.";
    }
  }

  function setupQuestions() {
    var all = load();
    var boxes = document.querySelectorAll("div.mml-question[data-question]");
    var restoring = false;
    var observer = new MutationObserver(function (records) {
      var saved = load();
      records.forEach(function (record) {
        var box = record.target, state = box.getAttribute("data-state");
        if (restoring || (state !== "correct" && state !== "wrong")) return;
        var values = read(box);
        // "Choose an answer first" is no answer.
        if (!values.some(function (v) { return v === true || (typeof v === "string" && v.trim()); })) return;
        saved[box.getAttribute("data-question")] = {page: page(), state: state, values: values,
                                                    fp: fingerprint(box), time: Date.now()};
      });
      store(saved);
      score();
    });
    boxes.forEach(function (box) {
      var entry = all[box.getAttribute("data-question")];
      if (entry && entry.fp === fingerprint(box) && Array.isArray(entry.values)) {
        write(box, entry.values);
        var form = box.querySelector("form.mml-question-form");
        restoring = true;
        if (form && form.requestSubmit) form.requestSubmit();
        restoring = false;
        box.setAttribute("data-restored", "1");
      }
      observer.observe(box, {attributes: true, attributeFilter: ["data-state"]});
    });
    score();
  }

  function setupProgressPage() {
    var table = document.querySelector("table.mml-progress-table");
    if (!table) return;
    function fill() {
      var all = load(), totals = [0, 0];
      table.querySelectorAll("tbody tr[data-labels]").forEach(function (row) {
        var labels = JSON.parse(row.getAttribute("data-labels")), answered = 0, right = 0;
        labels.forEach(function (label) {
          var entry = all[label];
          if (!entry) return;
          answered++;
          if (entry.state === "correct") right++;
        });
        row.querySelector(".mml-answered").textContent = answered;
        row.querySelector(".mml-right").textContent = right;
        totals[0] += answered; totals[1] += right;
      });
      var foot = table.querySelector("tfoot");
      if (foot) {
        foot.querySelector(".mml-answered").textContent = totals[0];
        foot.querySelector(".mml-right").textContent = totals[1];
      }
    }
    var button = document.querySelector(".mml-progress-clear");
    var status = document.querySelector(".mml-progress-status");
    if (button) {
      button.addEventListener("click", function () {
        var ok = true;
        try {
          for (var i = window.localStorage.length - 1; i >= 0; i--) {
            var key = window.localStorage.key(i);
            if (key && key.indexOf("mmlbook-progress:") === 0) window.localStorage.removeItem(key);
          }
        } catch (error) { ok = false; }
        fill();
        if (status) status.textContent = ok ? "Your saved answers are cleared." : "This browser keeps no saved answers.";
      });
    }
    fill();
  }

  function setup() { setupQuestions(); setupProgressPage(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
