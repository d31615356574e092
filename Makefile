# slotlock — one entry point for people and CI.
#   make run    install what is missing, build, start the demo at http://127.0.0.1:8080
#   make test   install what is missing, build, run every test suite
# Meant for a fresh Debian 12 as root (apt-get runs through sudo otherwise).

SHELL := /bin/bash

# Debian packages, in two lists (docs/adr/0018-deploy.md). Building and running: the compiler,
# the libraries, the time zones (--time-zone) and the Python that embeds the OpenAPI document.
BUILD_PACKAGES := build-essential cmake ninja-build pkg-config \
	libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
	libsqlite3-dev libsodium-dev libspdlog-dev libcli11-dev libpq-dev tzdata \
	python3 python3-yaml
# What the tests, the linters and the sanitizer builds add: GoogleTest, pytest and its helpers,
# Chromium for the browser tests, clang and its tools, PostgreSQL for the throw-away cluster,
# and nginx, openssl and systemd for checking deploy/.
TEST_PACKAGES := libgtest-dev python3-pytest python3-aiohttp python3-jsonschema \
	python3-prometheus-client python3-brotli chromium \
	clang libclang-rt-14-dev clang-format clang-tidy \
	postgresql nginx openssl systemd

BUILD_DIR := build
# Always Debian's interpreter: the first python3 on PATH may lack Debian's packages.
PYTHON := /usr/bin/python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Prerequisites run in order (deps before build before the command).
.NOTPARALLEL:
.PHONY: all deps test-deps build build-tests deploy-test run demo test unit-test integration-test web-test e2e-test server-test clean lint format \
	test-asan asan-suites test-tsan fuzz fuzz-build

all: build

# Installs the Debian packages of $(1) that are missing, in one apt-get.
define apt_install
	@missing=""; \
	for p in $(1); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi
endef

# What building and running need: the build packages and the web app's npm packages.
deps:
	$(call apt_install,$(BUILD_PACKAGES))
	@command -v node >/dev/null && command -v npm >/dev/null || \
	  { echo "deps: Node.js 20 and npm are needed for the web app (the machine image provides them)"; exit 1; }
	@if [ -f web/package.json ]; then \
	  if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules ]; then \
	    (cd web && npm ci) && touch web/node_modules; \
	  fi; \
	fi

# The build packages and what the tests add, in one apt-get (the npm packages come with build).
test-deps:
	$(call apt_install,$(BUILD_PACKAGES) $(TEST_PACKAGES))

# The server binary and the web app: no test packages needed (GoogleTest is optional to CMake).
build: deps
	@[ -f $(BUILD_DIR)/build.ninja ] || cmake -S server -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release
	ninja -C $(BUILD_DIR) slotlock
	@# The web app is rebuilt only when something it is built from changed.
	@if [ -f web/package.json ] && { [ ! -f web/dist/index.html ] || \
	    [ -n "$$(find web/src web/scripts web/index.html web/package-lock.json web/vite.config.ts web/tsconfig*.json \
	             -newer web/dist/index.html -print -quit)" ]; }; then \
	  (cd web && npm run build); \
	fi

# Everything, the unit tests included. A build directory configured before GoogleTest was
# installed (make build, make run) has no test targets: CMake looks for it again when asked to
# configure, because it does not keep a "not found" answer.
build-tests: test-deps build
	@ninja -C $(BUILD_DIR) -t targets all | grep -q '^slotlock_unit_tests:' || cmake -S server -B $(BUILD_DIR)
	@ninja -C $(BUILD_DIR) -t targets all | grep -q '^slotlock_unit_tests:' || \
	  { echo "build-tests: CMake did not find GoogleTest (libgtest-dev)"; exit 1; }
	ninja -C $(BUILD_DIR)

run: build
	@mkdir -p data
	exec ./$(BUILD_DIR)/slotlock --demo --db sqlite:data/slotlock.db $$([ -d web/dist ] && echo --static web/dist)

unit-test:
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j2

integration-test:
	SLOTLOCK_BIN=$(CURDIR)/$(BUILD_DIR)/slotlock $(PYTHON) -m pytest -q server/test/integration

# Type check, lint and Vitest of the web app.
web-test:
	cd web && npm run check

# Two and three browsers at once (Debian's Chromium) against the real server; with
# SLOTLOCK_TEST_PG (make test sets it), also against two processes on one PostgreSQL.
e2e-test:
	cd web && SLOTLOCK_BIN=$(CURDIR)/$(BUILD_DIR)/slotlock npm run e2e

# The server with scripted visitors whose pointers wander over an appointment.
demo: build
	cd web && SLOTLOCK_BIN=$(CURDIR)/$(BUILD_DIR)/slotlock npm run demo

# Every suite runs even when an earlier one fails; the target fails if any did.
test: build-tests
	@rc=0; \
	server/test/with-postgres.sh $(MAKE) --no-print-directory server-test || rc=1; \
	$(MAKE) --no-print-directory web-test || rc=1; \
	server/test/with-postgres.sh $(MAKE) --no-print-directory e2e-test || rc=1; \
	$(MAKE) --no-print-directory deploy-test || rc=1; \
	exit $$rc

# deploy/: the systemd unit (systemd-analyze verify and security), the example config (the
# built server starts on it) and the nginx site (nginx -t), all in a temporary folder.
deploy-test:
	SLOTLOCK_BIN=$(CURDIR)/$(BUILD_DIR)/slotlock deploy/check.sh

# Unit and integration tests, both run even when the first fails. make test runs them inside
# server/test/with-postgres.sh: a throw-away PostgreSQL cluster whose URL is in SLOTLOCK_TEST_PG.
server-test:
	@rc=0; \
	$(MAKE) --no-print-directory unit-test || rc=1; \
	$(MAKE) --no-print-directory integration-test || rc=1; \
	exit $$rc

# ---- style (docs/adr/0013) ----------------------------------------------------------------------
# clang-format over the C++ (.clang-format), clang-tidy over the units without Beast (.clang-tidy:
# the domain, the stores and the runtime; the transport units take a minute each to parse), and
# the web app's ESLint and Prettier. `make format` applies the C++ format.
CXX_SOURCES = $(shell find server/src server/test server/fuzz bench/load -name '*.cpp' -o -name '*.hpp' | grep -v '^server/test/layers/')

lint: test-deps build
	@rc=0; \
	clang-format --dry-run -Werror $(CXX_SOURCES) || { rc=1; echo "lint: run make format"; }; \
	run-clang-tidy -p $(BUILD_DIR) -quiet -j 2 'server/src/(domain|store|runtime)/' >$(BUILD_DIR)/clang-tidy.log 2>&1 \
	  || { rc=1; grep -E 'error:|warning:' $(BUILD_DIR)/clang-tidy.log | sort -u; echo "lint: clang-tidy found the above"; }; \
	(cd web && npm run lint) || rc=1; \
	exit $$rc

format:
	clang-format -i $(CXX_SOURCES)

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(TSAN_DIR) $(FUZZ_DIR) web/dist .pytest_cache \
	  server/test/integration/__pycache__ server/test/__pycache__

# ---- hardening (docs/adr/0008-hardening.md) ---------------------------------------------------
ASAN_DIR := build-asan
TSAN_DIR := build-tsan
FUZZ_DIR := build-fuzz
# Every sanitizer finding is fatal; leaks are findings too.
ASAN_ENV := ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# The servers the integration tests start write their reports to files; the pytest plugin
# server/test/sanitizer_reports.py fails the test during which one appears.
SANITIZER_REPORTS := $(CURDIR)/$(ASAN_DIR)/sanitizer-reports
ASAN_LOG_ENV := ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0:log_path=$(SANITIZER_REPORTS)/asan \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$(SANITIZER_REPORTS)/ubsan \
	SLOTLOCK_SANITIZER_LOG_DIR=$(SANITIZER_REPORTS)
# The unit tests that run threads against each other (grep std::thread in server/test/unit).
TSAN_FILTER := *ConcurrentGrants*:*ManyReaders*:*ProcessesStartingTogether*:*lock_service_test.two_admins_racing*:*lock_service_test.contested_*:*PgEventBus*
FUZZ_TARGETS := fuzz_client_frame fuzz_json_body fuzz_route fuzz_parse_iso
FUZZ_SECONDS ?= 60

# ASan + UBSan build of the unit and the integration tests, on SQLite and PostgreSQL.
test-asan: test-deps
	@[ -f $(ASAN_DIR)/build.ninja ] || CC=clang CXX=clang++ cmake -S server -B $(ASAN_DIR) -G Ninja \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLOTLOCK_SANITIZE=ON
	ninja -C $(ASAN_DIR)
	server/test/with-postgres.sh $(MAKE) --no-print-directory asan-suites

asan-suites:
	@rm -rf $(SANITIZER_REPORTS); mkdir -p $(SANITIZER_REPORTS); rc=0; \
	$(ASAN_ENV) ctest --test-dir $(ASAN_DIR) --output-on-failure -j2 || rc=1; \
	$(ASAN_LOG_ENV) SLOTLOCK_BIN=$(CURDIR)/$(ASAN_DIR)/slotlock PYTHONPATH=$(CURDIR)/server/test \
	  $(PYTHON) -m pytest -q -p sanitizer_reports server/test/integration || rc=1; \
	exit $$rc

# ThreadSanitizer on the unit tests that race threads (slotlock_race_tests: the domain and store tests),
# SQLite and PostgreSQL (a throw-away cluster) alike.
test-tsan: test-deps
	@[ -f $(TSAN_DIR)/build.ninja ] || CC=clang CXX=clang++ cmake -S server -B $(TSAN_DIR) -G Ninja \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLOTLOCK_TSAN=ON
	ninja -C $(TSAN_DIR) slotlock_race_tests
	server/test/with-postgres.sh env TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  ./$(TSAN_DIR)/slotlock_race_tests --gtest_filter='$(TSAN_FILTER)'

fuzz-build: test-deps
	@[ -f $(FUZZ_DIR)/build.ninja ] || CC=clang CXX=clang++ cmake -S server -B $(FUZZ_DIR) -G Ninja \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLOTLOCK_FUZZ=ON
	ninja -C $(FUZZ_DIR) fuzz_targets

# Each target for FUZZ_SECONDS, from the committed seeds in server/fuzz/corpus/<target>; what it
# learns goes to build-fuzz/corpus/<target>, a crashing input to build-fuzz/crashes/.
fuzz: fuzz-build
	@mkdir -p $(FUZZ_DIR)/crashes; rc=0; \
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS)s"; \
	  ./$(FUZZ_DIR)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/crashes/$$t- \
	    $(FUZZ_DIR)/corpus/$$t server/fuzz/corpus/$$t 2>$(FUZZ_DIR)/$$t.log \
	    || { rc=1; echo "fuzz: $$t FAILED"; tail -n 60 $(FUZZ_DIR)/$$t.log; }; \
	  grep -E '^stat::number_of_executed_units|^Done' $(FUZZ_DIR)/$$t.log || true; \
	done; \
	exit $$rc

# ---- benchmarks (docs/adr/0011-benchmarks.md) ------------------------------------------------
# Release build in build-bench/, peers (Redis, nginx, the Node.js peer) started on free ports,
# results in bench/results/. BENCH_QUICK=1 make bench: a one-minute smoke run.
.PHONY: bench
bench: deps
	bench/run.sh
