#!/usr/bin/env bash
# make bench: installs what the benchmark needs, builds slotlock and the load generator in
# Release (build-bench/, apart from build/), then runs bench/run.py. BENCH_QUICK=1: a smoke run.
# SLOTLOCK_BENCH_BIN=/path benchmarks that binary instead (slotlock is then not built);
# BENCH_BEFORE=/path adds a second binary, the "slotlock before" column.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

# Debian packages: the peers (Redis, nginx), PostgreSQL for the two-process figure and
# util-linux for taskset and prlimit.
missing=""
for p in redis-server redis-tools nginx-light postgresql util-linux; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
# nginx (full) serves as well as nginx-light.
if [[ $missing == *nginx-light* ]] && command -v nginx >/dev/null; then missing=${missing/nginx-light/}; fi
if [ -n "${missing// /}" ]; then
  echo "bench: installing$missing"
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
fi
# The packaged services are not used: the benchmark starts its own on free ports.

# The Node.js peer, exactly as locked in its package-lock.json.
if [ ! -d bench/peers/node/node_modules ] || [ bench/peers/node/package-lock.json -nt bench/peers/node/node_modules ]; then
  (cd bench/peers/node && npm ci --no-audit --no-fund) && touch bench/peers/node/node_modules
fi

for bin in "${SLOTLOCK_BENCH_BIN:-}" "${BENCH_BEFORE:-}"; do
  if [ -n "$bin" ] && [ ! -x "$bin" ]; then echo "bench: $bin is not an executable file" >&2; exit 1; fi
done
if [ -n "${SLOTLOCK_BENCH_BIN:-}" ]; then
  echo "bench: slotlock under test: $SLOTLOCK_BENCH_BIN (build-bench/slotlock not built)"
else
  [ -f build-bench/build.ninja ] || cmake -S server -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release
  ninja -C build-bench slotlock
fi
[ -f build-bench/load/build.ninja ] || cmake -S bench -B build-bench/load -G Ninja -DCMAKE_BUILD_TYPE=Release
ninja -C build-bench/load

exec /usr/bin/python3 bench/run.py
