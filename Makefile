# huhang — one-machine commands. See README.md.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= sqlite
PYTEST_ARGS ?=

export HUHANG_VAR ?= $(CURDIR)/var

.PHONY: up down test lint test-slow unit integration bench venv packages assets screenshots kafka-up kafka-down pg-up pg-down proxy-up proxy-down migrate docs clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

venv: $(STAMP)

## make assets: the portal's stylesheet and script, from npm (web/package-lock.json) by esbuild into web/dist/
ASSETS := web/dist/.built
$(ASSETS): web/package.json web/package-lock.json web/build.mjs $(wildcard web/src/*)
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent
	touch $(ASSETS)

assets: $(ASSETS)

## make packages: the Debian packages huhang needs (apt-get, as root; each checked first)
packages:
	bash deploy/local/packages.sh

## make up: the whole platform on this machine behind one front door, http://127.0.0.1:8100/
## (Ctrl-C or `make down` stops it)
up: packages $(STAMP) $(ASSETS)
	DB=$(DB) bash deploy/local/up.sh

down:
	bash deploy/local/up.sh stop

kafka-up:
	bash deploy/local/kafka.sh start
kafka-down:
	bash deploy/local/kafka.sh stop
pg-up:
	bash deploy/local/postgres.sh start
pg-down:
	bash deploy/local/postgres.sh stop
## the front door alone (nginx on HUHANG_HTTP_PORT, default 8100), e.g. after editing a manifest's routes
proxy-up: $(STAMP)
	bash deploy/local/proxy.sh start
proxy-down:
	bash deploy/local/proxy.sh stop

migrate: $(STAMP)
	$(BIN)/huhang db upgrade

## make lint: static type check (mypy strict, configured in pyproject.toml)
lint: $(STAMP)
	$(BIN)/mypy shared services deploy

## make test: type check, then every test (unit, integration over the real broker and PostgreSQL,
## and the browser journeys in Chromium over the stack up.sh starts)
test: $(STAMP) $(ASSETS) lint kafka-up pg-up
	KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 \
	TEST_DATABASE_URL=postgresql+psycopg://huhang:huhang@127.0.0.1:5433/huhang_test \
	$(BIN)/python -m pytest $(PYTEST_ARGS)

unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

## make test-slow: the slow and fault tests (broker killed under load, ...)
test-slow: $(STAMP) kafka-up pg-up
	KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 \
	TEST_DATABASE_URL=postgresql+psycopg://huhang:huhang@127.0.0.1:5433/huhang_test \
	$(BIN)/python -m pytest -m slow $(PYTEST_ARGS)

integration: $(STAMP) kafka-up pg-up
	KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 \
	TEST_DATABASE_URL=postgresql+psycopg://huhang:huhang@127.0.0.1:5433/huhang_test \
	$(BIN)/python -m pytest tests/integration $(PYTEST_ARGS)

## make screenshots: every main page at desktop and phone width, and the PDF receipt, into docs/screenshots/
screenshots: $(STAMP) $(ASSETS) kafka-up
	KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 \
	$(BIN)/python -m pytest tests/browser tests/unit/services/intake/test_receipt_pdf.py -m screenshots -p no:cacheprovider $(PYTEST_ARGS)

## make bench: benchmarks, each beside a baseline measured in the same run
BENCH_ENV := KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 TEST_DATABASE_URL=postgresql+psycopg://huhang:huhang@127.0.0.1:5433/huhang_test
bench: $(STAMP) $(ASSETS) kafka-up pg-up
	$(BENCH_ENV) $(BIN)/python -m tests.bench.e2e_latency $(BENCH_ARGS)
	$(BENCH_ENV) $(BIN)/python -m tests.bench.queue_page $(QUEUE_BENCH_ARGS)
	$(BENCH_ENV) $(BIN)/python -m tests.bench.queue_million $(QUEUE_MILLION_ARGS)
	$(BENCH_ENV) $(BIN)/python -m tests.bench.supervision_list $(SUPERVISION_BENCH_ARGS)
	$(BENCH_ENV) $(BIN)/python -m tests.bench.leniency_checks $(LENIENCY_BENCH_ARGS)
	$(BENCH_ENV) $(BIN)/python -m tests.bench.hanging_scan $(HANGING_SCAN_BENCH_ARGS)
	$(BENCH_ENV) $(BIN)/python -m tests.bench.audit_writers
	$(BENCH_ENV) $(BIN)/python -m tests.bench.intake_throughput $(THROUGHPUT_BENCH_ARGS)
	$(BENCH_ENV) $(BIN)/python -m tests.bench.public_query $(QUERY_BENCH_ARGS)
	$(BENCH_ENV) $(BIN)/python -m tests.bench.status_query
	$(BENCH_ENV) $(BIN)/python -m tests.bench.hanging_import $(HANGING_IMPORT_BENCH_ARGS)

docs: $(STAMP)
	$(BIN)/huhang docs events

clean: down
	bash deploy/local/kafka.sh stop; bash deploy/local/postgres.sh stop; bash deploy/local/proxy.sh stop; rm -rf var
