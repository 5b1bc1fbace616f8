# Two commands: `make demo` builds the demo portal and serves it; `make test` runs every test.
# Both work on a fresh Debian machine as root: they install what they need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
APT_STAMP := $(VENV)/.system-packages
PORT ?= 8000
# Debian packages the tests use: the browser, Chinese fonts for it (WenQuanYi Micro Hei: a TrueType
# font the PDFs embed as one small subset, issue 22), PDF/QR tools, and minisign,
# the independent tool that checks our signatures.
# nginx: the real server the demo is crawled under a sub-path on (tests/browser/test_subpath.py).
TEST_PACKAGES := chromium fonts-noto-cjk fonts-wqy-microhei zbar-tools poppler-utils minisign nginx
# npm packages the browser tests run (package.json): axe-core and the Nu HTML Checker (vnu-jar).
NPM_STAMP := node_modules/.installed

.PHONY: demo build serve check test test-fast lint fuzz bench lighthouse docs clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-venv python3-pip; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip 'setuptools>=68' 'wheel>=0.40'
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

$(APT_STAMP): $(STAMP)
	@missing=""; for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi
	@touch $@

# vnu-jar's install script would download a Java runtime: Debian's is used instead.
$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

build: $(STAMP)
	$(BIN)/village-portal build --content content --config site_config --out public

check: $(STAMP)
	$(BIN)/village-portal check --content content --config site_config

serve: $(STAMP)
	$(BIN)/village-portal serve --out public --port $(PORT)

demo: build serve

# The layers of generator/ (pyproject.toml, [tool.importlinter]): a layer imports only those below it.
lint: $(STAMP)
	$(BIN)/lint-imports

# The suite in two processes (pytest-xdist), a test file in one process so that the files'
# shared fixtures (the demo built once) are made once per process: a machine's 2 cores are kept
# busy where one process leaves one waiting on the browser. TEST_JOBS=0 runs it in this process.
TEST_JOBS ?= 2
PYTEST := $(BIN)/python -m pytest -q -n $(TEST_JOBS) --dist loadfile

test: lint $(STAMP) $(APT_STAMP) $(NPM_STAMP)
	$(PYTEST)

# The inner loop: every test but those that drive Chromium (no browser, fonts or npm needed).
test-fast: lint $(STAMP)
	$(PYTEST) -m "not browser"

# The readers fuzzed 20 times harder than `make test` does (200,000 inputs; about ten minutes).
fuzz: $(STAMP)
	VP_FUZZ_SCALE=20 $(BIN)/python -m pytest -q -p no:cacheprovider tests/input/test_fuzz.py

# Speed at county scale: writes benchmarks/RESULTS.md (BENCH_SIZES="100 1000" for a shorter run).
BENCH_SIZES ?= 100 1000 5000
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --sizes $(BENCH_SIZES)

# Lighthouse's mobile scores for the demo's pages (issue #4): too heavy for `make test`.
LIGHTHOUSE_STAMP := benchmarks/npm/node_modules/.installed
$(LIGHTHOUSE_STAMP): benchmarks/npm/package.json benchmarks/npm/package-lock.json $(NPM_STAMP)
	npm ci --prefix benchmarks/npm --no-audit --no-fund --ignore-scripts
	@touch $@

lighthouse: $(STAMP) $(APT_STAMP) $(LIGHTHOUSE_STAMP)
	$(BIN)/python benchmarks/lighthouse.py

# The documentation site (docs/guide/, MkDocs + Material), into docs/site/; --strict: a broken
# link or a page left out of the navigation fails the build.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict -f docs/mkdocs.yml

clean:
	rm -rf public build .pytest_cache
