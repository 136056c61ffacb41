/* The book's JupyterLite: say so plainly when Python cannot start.
   The Pyodide kernel downloads Python from PYODIDE_URL (Pyodide's CDN unless
   the book serves it, see _ext/jupyterlite_site.py). Offline, or with that
   address blocked, JupyterLite shows the kernel as "Unknown" and a run cell
   as [*] for ever; this script asks for that file once and, if it cannot be
   had, shows a message with what the reader can do instead. */
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-pyodide-url");
  if (!url) return;
  var TIMEOUT_MS = 20000;

  function show(reason) {
    if (document.getElementById("mml-kernel-check")) return;
    var box = document.createElement("div");
    box.id = "mml-kernel-check";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:10000;padding:0.8rem 3rem 0.8rem 1rem;" +
      "background:#fff4e5;color:#3d2500;border-top:3px solid #b35900;font:15px/1.45 sans-serif;";
    var host = "";
    try { host = new URL(url, window.location.href).host; } catch (error) { host = url; }
    box.innerHTML =
      "<strong>Python cannot start here.</strong> The Pyodide kernel runs Python in your browser, " +
      "but it must first download Python from <code></code>, which this browser cannot reach (" +
      "<span class='why'></span>): you may be offline, or a firewall or an extension blocks that address. " +
      "You can still read the notebook. To run it, open the chapter in Binder or Colab from the book's page " +
      "(\u201cRun this chapter\u201d), or download the notebook (File, Download) and run it in your own Jupyter.";
    box.querySelector("code").textContent = host;
    box.querySelector(".why").textContent = reason;
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", "Close this message");
    close.style.cssText = "position:absolute;top:0.4rem;right:0.6rem;font-size:1.4rem;background:none;border:0;cursor:pointer;min-width:44px;min-height:44px;";
    close.addEventListener("click", function () { box.remove(); });
    box.appendChild(close);
    (document.body || document.documentElement).appendChild(box);
  }

  var done = false;
  var timer = setTimeout(function () { if (!done) { done = true; show("no answer in " + TIMEOUT_MS / 1000 + " s"); } }, TIMEOUT_MS);
  fetch(url, {method: "HEAD", cache: "no-store"}).then(function (response) {
    if (done) return;
    done = true; clearTimeout(timer);
    if (!response.ok) show("it answered " + response.status);
  }, function () {
    if (done) return;
    done = true; clearTimeout(timer);
    show("the request failed");
  });
  window.mmlKernelCheck = {url: url};
})();
