# microwish: `make run` serves the app with demo data, `make test` runs every test.
# Both install what they need first (skipping what is already installed).

SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

ADDR ?= 127.0.0.1:8080
DATABASE ?= sqlite://data/microwish.db
WASM_TARGET := wasm32-unknown-unknown

.PHONY: run test tools test-tools bench-tools spa server-release unit fuzz-api wasm-test e2e bench lint fmt serve-api dev clean

## run: install tools, build the SPA (release) and serve it with the API and demo data on $(ADDR)
##      (PAIRED=1: with 桔园村, paired with 星怡社区)
run: tools spa server-release
	./target/release/microwish-server serve --addr $(ADDR) --database $(DATABASE) --dist dist --demo $(if $(PAIRED),--demo-pairing)

## test: install what the tests need, then run them all (lint first, it is the quickest to
## fail; unit + API, browser, end-to-end)
test: test-tools
	$(MAKE) lint
	$(MAKE) unit
	$(MAKE) fuzz-api
	$(MAKE) wasm-test
	$(MAKE) e2e

tools:
	scripts/install-tools.sh build

test-tools:
	scripts/install-tools.sh test

bench-tools:
	scripts/install-tools.sh bench

spa:
	trunk build --release

server-release:
	cargo build --release -p microwish-server

## unit: core rules and the sync engine (unit + property tests), the API over real HTTP on
## SQLite and again on PostgreSQL, PostgreSQL's schema, change cursor and `migrate`, all in a
## throw-away cluster of our own (scripts/pg-cluster.sh, removed afterwards), the words
## (microwish-i18n), and the SPA's pure helpers natively. The PostgreSQL pass skips what is
## SQLite's alone: the file's crash and sync tests, and the tests of moving a SQLite database
## across (they ran in the first).
SQLITE_ONLY := --skip postgres:: --skip crash:: --skip health::the_database_syncs_every_commit
unit:
	url=$$(scripts/pg-cluster.sh start) || exit 1; status=0; \
	MICROWISH_TEST_POSTGRES=$$url cargo test -p microwish-core -p microwish-i18n -p microwish-server || status=$$?; \
	if [ $$status = 0 ]; then \
	  echo "== the API suite again, on PostgreSQL =="; \
	  MICROWISH_TEST_POSTGRES=$$url MICROWISH_TEST_ENGINE=postgres \
	    cargo test -p microwish-server --test api -- $(SQLITE_ONLY) || status=$$?; \
	fi; \
	scripts/pg-cluster.sh stop; exit $$status
	cargo test -p microwish --lib

## fuzz-api: schemathesis (PyPI, pinned in tests/fuzz/requirements.txt) fuzzes every operation of
## /api/openapi.json against a live server, anonymously and as each role: no 5xx, all within
## schema; on SQLite, then on PostgreSQL (the project's throw-away cluster)
fuzz-api:
	cargo build -p microwish-server
	tests/fuzz/schemathesis.sh target/debug/microwish-server
	url=$$(scripts/pg-cluster.sh start) || exit 1; status=0; \
	echo "== schemathesis again, the server on PostgreSQL =="; \
	psql "$$url" -qc "CREATE DATABASE fuzz" && \
	FUZZ_DATABASE=$${url%/postgres}/fuzz tests/fuzz/schemathesis.sh target/debug/microwish-server \
	  || status=$$?; \
	scripts/pg-cluster.sh stop; exit $$status

# chromedriver's Chromium leaves a ~140 MB profile in $$TMPDIR per test binary: keep them under
# target/ and remove them afterwards, whatever the tests' outcome (they filled a disk once).
BROWSER_TMP := $(CURDIR)/target/tmp/browser
in_browser_tmp = rm -rf $(BROWSER_TMP) && mkdir -p $(BROWSER_TMP) && \
	status=0; TMPDIR=$(BROWSER_TMP) $(1) || status=$$?; rm -rf $(BROWSER_TMP); exit $$status

## wasm-test: the SPA's components in headless Chromium
wasm-test:
	$(call in_browser_tmp,cargo test -p microwish --target $(WASM_TARGET))

## e2e: the real server with demo data and the release SPA, driven by Playwright at 360x800
## (each test bounded to 5 minutes: a hang fails, it does not eat CI's time)
e2e: spa
	cargo build -p microwish-server
	node --test --test-concurrency=1 --test-timeout=300000 tests/e2e/*.test.mjs

## bench: server pull of 10,000 changed wishes; the browser's decode, IndexedDB write and read of
## 10,000 wishes, a pull of 500 and of 1 changed wishes with 1,000 on screen; the phone budgets
## (first wish from a cache of 1,000, SPA download, LCP on slow 4G with 4x CPU, repeat visit);
## a cache of 10,000 wishes shown in full ("show more" cost, frames of a fling);
## the release server under wrk (claims/s, list reads/s beside json-server, pulls of 500
## changes, the cost curve). Every figure is printed; exits 1 when any budget broke.
bench: bench-tools spa
	cargo bench -p microwish-server --bench sync_pull
	cargo bench -p microwish-server --bench import
	$(call in_browser_tmp,cargo test -p microwish --release --target $(WASM_TARGET) --features bench --test bench -- --nocapture)
	cargo build -p microwish-server
	status=0; \
	node tests/bench/first_paint.mjs || status=1; \
	node tests/bench/long_list.mjs || status=1; \
	node tests/bench/phone.mjs || status=1; \
	cargo bench -p microwish-server --bench http || status=1; \
	exit $$status

## lint: formatting, and clippy with every warning an error, natively and for the SPA's wasm
lint:
	cargo fmt --all --check
	cargo clippy -p microwish-core -p microwish-i18n -p microwish-server --all-targets -- -D warnings
	cargo clippy -p microwish --target $(WASM_TARGET) --all-targets -- -D warnings

fmt:
	cargo fmt --all

## serve-api + dev: develop with live reload (`make serve-api` in one terminal, `make dev` in another)
serve-api:
	cargo run -p microwish-server -- serve --addr 127.0.0.1:8080 --database $(DATABASE) --demo

dev: tools
	trunk serve

clean:
	cargo clean
	rm -rf dist
