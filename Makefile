# slotlock — one entry point for people and CI.
#   make run    install what is missing, build, start the demo at http://127.0.0.1:8080
#   make test   install what is missing, build, run every test suite
# Meant for a fresh Debian 12 as root (apt-get runs through sudo otherwise).

SHELL := /bin/bash

# Debian packages the build and the tests need. Later work adds to this list.
APT_PACKAGES := build-essential cmake ninja-build pkg-config \
	libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
	libsqlite3-dev libsodium-dev libspdlog-dev libcli11-dev libgtest-dev \
	python3-pytest python3-aiohttp

BUILD_DIR := build
# Always Debian's interpreter: the first python3 on PATH may lack Debian's packages.
PYTHON := /usr/bin/python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Prerequisites run in order (deps before build before the command).
.NOTPARALLEL:
.PHONY: all deps build run test unit-test integration-test web-test clean

all: build

deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi
	@command -v node >/dev/null && command -v npm >/dev/null || \
	  { echo "deps: Node.js 20 and npm are needed for the web app (the machine image provides them)"; exit 1; }
	@if [ -f web/package.json ]; then \
	  if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules ]; then \
	    (cd web && npm ci) && touch web/node_modules; \
	  fi; \
	fi

build:
	@[ -f $(BUILD_DIR)/build.ninja ] || cmake -S server -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release
	ninja -C $(BUILD_DIR)
	@# The web app is rebuilt only when something it is built from changed.
	@if [ -f web/package.json ] && { [ ! -f web/dist/index.html ] || \
	    [ -n "$$(find web/src web/index.html web/package-lock.json web/vite.config.ts web/tsconfig*.json \
	             -newer web/dist/index.html -print -quit)" ]; }; then \
	  (cd web && npm run build); \
	fi

run: deps build
	@mkdir -p data
	exec ./$(BUILD_DIR)/slotlock --demo --db sqlite:data/slotlock.db $(if $(wildcard web/dist),--static web/dist)

unit-test:
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j2

integration-test:
	SLOTLOCK_BIN=$(CURDIR)/$(BUILD_DIR)/slotlock $(PYTHON) -m pytest -q server/test/integration

# Type check, lint and Vitest of the web app.
web-test:
	cd web && npm run check

# Both suites run even when the first fails; the target fails if either did.
test: deps build
	@rc=0; \
	$(MAKE) --no-print-directory unit-test || rc=1; \
	$(MAKE) --no-print-directory integration-test || rc=1; \
	$(MAKE) --no-print-directory web-test || rc=1; \
	exit $$rc

clean:
	rm -rf $(BUILD_DIR) web/dist .pytest_cache server/test/integration/__pycache__
