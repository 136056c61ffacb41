# Mathematics for Machine Learning: build, test and preview the book.
#
#   make book    build the HTML book into _build/html (creates .venv first)
#   make test    run every test: the package, the chapters, the site, the learner
#                notebooks, the pages in Chromium (independent stages two at a time)
#   make check   the tests an edit can break, from git's changes against main
#   make serve   preview _build/html on http://127.0.0.1:8000
#   make bench   time mmlbook against the reference libraries
#   make clean   remove build output (keeps .venv)
#
# Only Python 3.10 to 3.13 and make are needed; .venv is created on first use.
# To use another interpreter: make book PYTHON=python3.12

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := binder/requirements.txt
PORT   ?= 8000
# Strict: warnings are errors, references are checked, and all problems are
# reported in one pass rather than stopping at the first.
JB_FLAGS ?= --warningiserror --nitpick --keep-going

export PATH := $(abspath $(BIN)):$(PATH)
export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Tests and builds never touch the network for MNIST.
export MMLBOOK_OFFLINE ?= 1

.PHONY: python-check check test-stages test-learner browser-deps browser-assets test-browser pdf book test test-package test-chapters test-site serve clean distclean bench lock venv

venv: $(VENV)/.installed

# The supported Pythons: numpy 2.2.6 and scipy 1.15.3 (the lock) have wheels
# for 3.10 to 3.13 and none for 3.14.
PY_MIN := 3.10
PY_MAX := 3.13
python-check:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: '$(PYTHON)' not found. mmlbook needs Python $(PY_MIN) to $(PY_MAX); run, for example, make PYTHON=python3.12"; exit 1; }
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 10) <= v <= (3, 13) else "make: $(PYTHON) is Python %d.%d, but mmlbook needs Python $(PY_MIN) to $(PY_MAX). Run, for example, make PYTHON=python3.12" % v)'

# .venv/.python records the interpreter that made .venv. A .venv made by
# another Python, or left half-made (no record, or a python that no longer
# runs), is removed and made again rather than reused.
$(VENV)/.installed: $(LOCK) pyproject.toml _ext/ipython_kernel_config.py | python-check
	@want="$$($(PYTHON) -c 'import sys; print(sys.version)')"; \
	if [ -e $(VENV) ] && ! { [ -f $(VENV)/.python ] && [ "$$(cat $(VENV)/.python)" = "$$want" ] && $(BIN)/python -c '' 2>/dev/null; }; then \
		echo "make: removing $(VENV), which was made by another Python or left half-made"; rm -rf $(VENV); fi
	$(PYTHON) -m venv $(VENV)
	$(PYTHON) -c 'import sys; print(sys.version)' > $(VENV)/.python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	mkdir -p $(VENV)/etc/ipython
	cp _ext/ipython_kernel_config.py $(VENV)/etc/ipython/ipython_kernel_config.py
	touch $@

book: venv
	$(BIN)/jupyter-book build . $(JB_FLAGS)

# make test runs the stages two at a time on their own sub-make (TEST_JOBS=1 for
# one at a time): the package tests start beside the build, and the stages
# that need the built book follow, longest first. Each stage says how long it
# took; with GNU make 4 each stage's output is printed whole when it ends.
# A failing stage does not stop the others (--keep-going); make test then fails.
TEST_JOBS ?= 2
SYNC := $(if $(filter output-sync,$(.FEATURES)),--output-sync=target)
# Stage timer: prints "make: <stage> took N s" when the recipe's shell exits.
TIMED = @t0=$$(date +%s); trap 'echo "make: $@ took $$(( $$(date +%s) - t0 )) s"' EXIT;
# pytest-xdist workers for the stages made of independent pieces (the package
# tests, the chapter executions); PYTEST_WORKERS=1 runs them in one process.
PYTEST_WORKERS ?= 2
XDIST = $(if $(filter-out 0 1,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS))

test:
	$(TIMED) $(MAKE) --no-print-directory --keep-going -j$(TEST_JOBS) $(SYNC) test-stages

test-stages: test-package test-learner test-chapters test-browser test-site

test-package: venv
	$(TIMED) $(BIN)/python -m pytest $(XDIST) tests --ignore=tests/book --ignore=tests/browser --ignore=tests/learner

# The chapters in the book's environment, once: each chapter executes again and
# must run without error, write nothing to stderr and give the text outputs the
# build stored in its execution cache (tests/book/test_determinism.py).
test-chapters: book
	$(TIMED) $(BIN)/python -m pytest $(XDIST) tests/book/test_determinism.py

# The built site and the learner notebooks' content, read from _build/html.
test-site: book
	$(TIMED) $(BIN)/python -m pytest tests/book --ignore=tests/book/test_determinism.py

# The learner notebooks in a learner's environment (tests/learner). The
# environment is made from the Binder requirements the build published
# (this step needs the package index, and is cached in _build/learner-env);
# the notebooks then run with the network cut off (tests/learner/offline.py):
# in a network namespace of their own with only the loopback interface where
# unshare works, else with every Python refusing connections beyond 127.0.0.1.
test-learner: book
	$(TIMED) $(BIN)/python -m tests.learner.env && $(BIN)/python -m tests.learner.offline $(BIN)/python -m pytest tests/learner

# The inner loop after editing a chapter or a module: the build, the package
# tests of the changed modules, the changed chapters (and those that use a
# changed module) executed again and in Chromium, and the site checks
# (tests/check.py). BASE=<ref> compares with another branch than main.
check: book browser-deps browser-assets
	$(TIMED) $(BIN)/python -m tests.check $(if $(BASE),--base $(BASE)) -- $(XDIST) $(if $(XDIST),--dist loadfile)

# The whole book as one PDF, _build/latex/mmlbook.pdf. Needs LaTeX: on Debian or
# Ubuntu, apt-get install texlive-latex-recommended texlive-latex-extra
# texlive-fonts-recommended texlive-xetex latexmk fonts-freefont-otf tex-gyre lmodern
pdf: venv
	@command -v latexmk >/dev/null || { echo "make pdf needs LaTeX (latexmk, TeX Live): see the README."; exit 1; }
	$(BIN)/jupyter-book build . --builder pdflatex
	@echo "PDF: _build/latex/mmlbook.pdf"

# Browser tests: Playwright (PyPI) driving an installed Chromium or Chrome
# (tests/browser/conftest.py finds it; MMLBOOK_CHROMIUM names another), with
# MathJax and axe-core from the npm registry installed into .venv (never committed).
BROWSER_ASSETS := $(VENV)/browser-assets

browser-deps: $(VENV)/.browser-installed
$(VENV)/.browser-installed: $(VENV)/.installed tests/browser/requirements.txt
	$(BIN)/python -m pip install --quiet -r tests/browser/requirements.txt
	touch $@

browser-assets: $(BROWSER_ASSETS)/.installed
# After .venv exists: making .venv removes a half-made one, browser assets included.
$(BROWSER_ASSETS)/.installed: tests/browser/package.json | $(VENV)/.installed
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "make: npm not found, so the browser tests will skip (under CI they fail): install Node.js and npm (see the README)"; \
		[ -z "$$CI" ]; exit $$?; fi; \
	set -ex; rm -rf $(BROWSER_ASSETS); mkdir -p $(BROWSER_ASSETS); \
	cp tests/browser/package.json $(BROWSER_ASSETS)/; \
	cd $(BROWSER_ASSETS) && npm install --no-package-lock --no-audit --no-fund --ignore-scripts --omit=dev --loglevel=error; \
	touch $(abspath $@)

test-browser: book browser-deps browser-assets
	$(TIMED) $(BIN)/python -m pytest tests/browser

serve:
	@test -d _build/html || { echo "No book yet: run 'make book' first."; exit 1; }
	$(PYTHON) -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

bench: venv
	$(BIN)/python -m benchmarks

# Re-resolve the pins. They are resolved on the oldest supported Python, so
# that they install on every supported one; LOCK_PYTHON picks another (the
# pins may then not install on older Pythons).
LOCK_PYTHON ?= python$(PY_MIN)
lock:
	@command -v $(LOCK_PYTHON) >/dev/null 2>&1 || { echo "make lock: $(LOCK_PYTHON) not found; install it or run make lock LOCK_PYTHON=python3.11 (for example)"; exit 1; }
	rm -rf _build/lockenv
	$(LOCK_PYTHON) -m venv _build/lockenv
	_build/lockenv/bin/pip install --quiet --upgrade pip setuptools
	_build/lockenv/bin/pip install --quiet -e '.[test,book,notebooks]' ipykernel
	{ head -4 $(LOCK); _build/lockenv/bin/pip freeze --all --exclude-editable | grep -v '^pip=='; } > $(LOCK).new
	mv $(LOCK).new $(LOCK)

clean:
	rm -rf _build .pytest_cache .hypothesis

distclean: clean
	rm -rf $(VENV) *.egg-info
