# The two commands of the README: `make run` (set up, load the bundled data, serve) and
# `make test` (set up, run the whole suite). Everything is installed from the project's own files.
VENV ?= .venv
PY := $(VENV)/bin/python
KPSS := $(VENV)/bin/kpss
STAMP := $(VENV)/.installed

.PHONY: setup run test neo4j bench bench-quick eval lock clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt tools/cypher-lint/package-lock.json dashboard/package-lock.json server/explorer/package-lock.json
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	npm ci --prefix tools/cypher-lint --no-audit --no-fund
	npm ci --prefix dashboard --no-audit --no-fund
	npm ci --prefix server/explorer --no-audit --no-fund
	touch $@

run: setup
	$(KPSS) load
	$(KPSS) serve

# Runs the suite on the embedded store and on a real Neo4j: unless KPSS_NEO4J_URI names one, an
# in-process Neo4j Community (tools/neo4j) is started for the run and stopped after it.
with_neo4j = if [ -z "$$KPSS_NEO4J_URI" ] && command -v java >/dev/null && command -v mvn >/dev/null; \
	then tools/neo4j/run -- $(1); else $(1); fi

# pytest-xdist spreads the tests over the cores; the Neo4j ones stay in one worker, in turn (tests/conftest.py).
# The slow ones (live servers, Chromium, `kpss` processes; some measure stalls) run after, one at a time.
test: setup
	@$(call with_neo4j,sh -c '$(PY) -m pytest -n auto -m "not slow" && $(PY) -m pytest -m slow')

# Neo4j for a person, in the foreground until Ctrl-C: prints the KPSS_NEO4J_URI to use.
neo4j:
	@tools/neo4j/run | sed -u '1s/^/KPSS_NEO4J_URI=/'

# The national-scale suite (BENCHMARKS.md), with the load into an in-process Neo4j (a 4 GB heap holds
# scale 1's load in its one transaction); bench-quick runs it at scale 0.02 on the embedded store.
bench: setup
	@export KPSS_NEO4J_HEAP=$${KPSS_NEO4J_HEAP:-4g}; \
	$(call with_neo4j,sh -c '$(PY) -m bench $${KPSS_NEO4J_URI:+--neo4j}')

bench-quick: setup
	$(PY) -m bench --quick

# The page extractor against the hand-checked facts of the corpus pages (../shared/corpus or KPSS_CORPUS_DIR).
eval: setup
	$(PY) -m bench.eval

# Refresh the constraints after changing dependencies in pyproject.toml.
lock: setup
	$(PY) -m pip freeze --exclude-editable | grep -v '^kpss-graph' > constraints.txt

clean:
	rm -rf $(VENV) var
