# 京津冀协同发展平台 — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := src/jingjinji/web/static/vendor
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: run test install install-test assets db model chromium lint typecheck pytest suite fuzz bench clean

run: install assets db
	$(BIN)/jjj serve

test: install-test assets chromium lint suite

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test,data]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(VENDOR)/.copied: node_modules/.package-lock.json
	mkdir -p $(VENDOR)/echarts $(VENDOR)/swagger-ui $(VENDOR)/elkjs
	cp node_modules/echarts/dist/echarts.min.js node_modules/echarts/LICENSE $(VENDOR)/echarts/
	cp node_modules/elkjs/lib/elk.bundled.js node_modules/elkjs/LICENSE.md $(VENDOR)/elkjs/
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
	   node_modules/swagger-ui-dist/LICENSE $(VENDOR)/swagger-ui/
	touch $@

assets: $(VENDOR)/.copied

db: install
	$(BIN)/jjj db init

# The embedding model of dense retrieval, distilled once into var/models/ (about 20 s): made
# before the tests so that their processes do not each make it.
model: install
	$(BIN)/jjj match distil

chromium:
	@{ command -v chromium >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; } || { \
	  echo "installing Debian's chromium and CJK fonts for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium fonts-noto-cjk; }

lint:
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck:
	$(BIN)/mypy

# schemathesis collapses its per-operation tests under xdist, so the fuzz suite runs without
# it: its anonymous and its admin half in two processes side by side (one per core).
FUZZ := tests/web/test_schemathesis.py

pytest: model
	$(BIN)/pytest $(PYTEST_ARGS) --ignore=$(FUZZ)

fuzz:
	$(BIN)/pytest -p no:xdist -q $(FUZZ) -k anonymous & anonymous=$$!; \
	  $(BIN)/pytest -p no:xdist -q $(FUZZ) -k "not anonymous"; admin=$$?; \
	  wait $$anonymous; anonymous=$$?; \
	  test $$anonymous -eq 0 && test $$admin -eq 0

# What `make test` runs after the lint: the main suite, then the fuzz suite's halves side by
# side with the type check after the shorter (anonymous) half, so that no core waits.
suite: pytest
	{ $(BIN)/pytest -p no:xdist -q $(FUZZ) -k anonymous && $(BIN)/mypy; } & lane=$$!; \
	  $(BIN)/pytest -p no:xdist -q $(FUZZ) -k "not anonymous"; admin=$$?; \
	  wait $$lane; lane=$$?; \
	  test $$lane -eq 0 && test $$admin -eq 0

bench: install-test
	$(BIN)/python benchmarks/indicators.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .mypy_cache .pytest_cache .ruff_cache
