# booking-ledger — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
MOCHA := npx mocha
SPECS := {domain,commands,queries,projections,infra,scripts}/**/*
# What the production build (dist/) is made from: `make run` rebuilds when any is newer.
BUILD_INPUTS := $(shell find domain commands queries projections infra scripts -name '*.ts' -not -name '*.spec.ts' 2>/dev/null) \
	$(wildcard infra/postgres/migrations/*.sql) tsconfig.json tsconfig.build.json package-lock.json scripts/dev/build.sh

.PHONY: help setup services build run migrate test test-unit test-int test-e2e check bench

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## Install dependencies, PostgreSQL + Redis + Chromium (apt-get when missing), build the console
	bash scripts/dev/ensureServices.sh
	npm ci --no-audit --no-fund
	npm run build
	npm run build:console

services: ## Start PostgreSQL and Redis if they are stopped
	bash scripts/dev/ensureServices.sh

build: dist/.built console/dist/index.html ## Compile to JavaScript in dist/ and the console in console/dist/ when a source changed

dist/.built: $(BUILD_INPUTS)
	npm run build

console/dist/index.html: $(shell find console/src -type f 2>/dev/null) console/index.html console/vite.config.ts
	npm run build:console

run: dist/.built console/dist/index.html ## Serve the API and the console at /console from the compiled build (embedded PostgreSQL unless DATABASE_URL is set)
	node dist/scripts/serve.js

migrate: dist/.built ## Apply pending SQL migrations to DATABASE_URL (or the embedded database)
	node dist/scripts/migrate.js

test: dist/.built ## All tests: unit, integration (real PostgreSQL + Redis) and end-to-end
	$(MOCHA) --spec '$(SPECS).spec.ts'

test-unit: ## Pure tests only (no I/O)
	$(MOCHA) --spec '$(SPECS).unit.spec.ts'

test-int: dist/.built ## Integration tests against real PostgreSQL and Redis
	$(MOCHA) --spec '$(SPECS).int.spec.ts'

test-e2e: dist/.built ## End-to-end tests over HTTP
	$(MOCHA) --spec '$(SPECS).e2e.spec.ts'

check: ## Types, lint, format, and the OpenAPI document against Redocly's recommended rules
	npx tsc --noEmit
	npx tsc --noEmit -p console
	npx eslint .
	npx prettier --check .
	npx tsx scripts/openapi.ts .data/openapi.json
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx redocly lint --config redocly.yaml .data/openapi.json

bench: ## Benchmarks; results in bench/results/ and docs/benchmarks.md
	npx tsx bench/eventStore.ts
	npx tsx bench/httpRead.ts
	npx tsx bench/httpWrite.ts
	npx tsx bench/projectionRebuild.ts
	npx tsx bench/webhooks.ts
