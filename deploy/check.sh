#!/usr/bin/env bash
# make deploy-test: what deploy/ holds, checked by the programs that will read it, without
# touching /etc or the running system (everything in a temporary folder, removed on exit).
#   - slotlock.service: systemd-analyze verify (any warning fails) and an exposure level under 2.0
#     from systemd-analyze security, on a copy whose ExecStart names the fresh build;
#   - slotlock.toml: the built server starts on it (every key known, every value valid) and
#     stops on SIGTERM with status 0, as the unit expects;
#   - nginx-slotlock.conf: nginx -t inside a throw-away nginx.conf, with a self-signed certificate.
# Every check runs even when an earlier one failed; the script fails if any did.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${SLOTLOCK_BIN:-$PWD/build/slotlock}
tmp=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
rc=0
fail() {
  echo "deploy-test: FAILED: $*"
  rc=1
}
[ -x "$bin" ] || { echo "deploy-test: no server binary at $bin (make build)"; exit 1; }

# ---- the systemd unit -------------------------------------------------------------------------
# verify wants ExecStart's program to exist: the copy differs from the file in that one line only,
# so every other setting checked is the file's own and line numbers in messages match it.
exec_start='ExecStart=/usr/local/bin/slotlock --config /etc/slotlock/slotlock.toml'
mkdir "$tmp/unit"
sed "s#^ExecStart=/usr/local/bin/slotlock #ExecStart=$bin #" deploy/slotlock.service >"$tmp/unit/slotlock.service"
if ! grep -qx "$exec_start" deploy/slotlock.service; then
  fail "slotlock.service: expected the line '$exec_start'"
elif [ "$(diff deploy/slotlock.service "$tmp/unit/slotlock.service" | grep -c '^>')" != 1 ]; then
  fail "slotlock.service: the copy for verify differs in more than ExecStart"
else
  # verify exits 0 on an unknown key or a bad value (it ignores them, as systemd would): any
  # message is a failure.
  out=$(cd "$tmp/unit" && systemd-analyze verify ./slotlock.service 2>&1) || fail "systemd-analyze verify exited non-zero"
  if [ -n "$out" ]; then
    printf '%s\n' "$out" | sed "s#$tmp/unit/slotlock.service#deploy/slotlock.service#g"
    fail "systemd-analyze verify deploy/slotlock.service"
  fi
  # The sandbox as systemd rates it (0 to 10, lower is tighter; 1.4 when written): a removed
  # protection shows up here.
  if ! out=$(cd "$tmp/unit" && systemd-analyze security --offline=yes --threshold=20 ./slotlock.service 2>&1); then
    printf '%s\n' "$out" | grep -E '^✗|Overall'
    fail "systemd-analyze security: deploy/slotlock.service is exposed above 2.0"
  fi
fi
if ! grep -qx 'Restart=on-failure' deploy/slotlock.service || ! grep -qx 'KillSignal=SIGTERM' deploy/slotlock.service; then
  fail "slotlock.service: Restart=on-failure and KillSignal=SIGTERM are expected"
fi

# ---- the example config -----------------------------------------------------------------------
# Started on it, with only what needs this machine's paths replaced on the command line (which
# wins over the file): a free port, a temporary database and web folder.
mkdir -p "$tmp/web" "$tmp/db"
echo '<!doctype html><title>slotlock</title>' >"$tmp/web/index.html"
: >"$tmp/server.log"
"$bin" --config deploy/slotlock.toml --port 0 --db "sqlite:$tmp/db/slotlock.db" --static "$tmp/web" \
  >>"$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 300); do
  grep -q 'listening on http://' "$tmp/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if grep -q 'listening on http://' "$tmp/server.log"; then
  kill -TERM "$server_pid"
  wait "$server_pid"
  status=$?
  server_pid=
  [ "$status" = 0 ] || { cat "$tmp/server.log"; fail "slotlock on deploy/slotlock.toml exited $status on SIGTERM"; }
else
  cat "$tmp/server.log"
  fail "slotlock did not start on deploy/slotlock.toml"
fi

# ---- the nginx site ---------------------------------------------------------------------------
# The site's certificate paths point at a throw-away self-signed pair. nginx -t binds the listening
# ports (an address in use is fine, a refused one is not): without root, ports 80 and 443 become
# 10080 and 10443; without IPv6 in the kernel, the [::] listeners are left out.
mkdir -p "$tmp/nginx/logs"
adjust=()
if [ "$(id -u)" != 0 ]; then
  echo "deploy-test: not root: nginx -t on ports 10080 and 10443 instead of 80 and 443"
  adjust+=(-e 's/^( *listen +(\[::\]:)?)80;/\110080;/' -e 's/^( *listen +(\[::\]:)?)443 /\110443 /')
fi
if [ ! -e /proc/net/if_inet6 ]; then
  echo "deploy-test: no IPv6 here: nginx -t without the [::] listeners"
  adjust+=(-e '/^ *listen +\[::\]/d')
fi
if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
    -subj /CN=desk.example.org -keyout "$tmp/nginx/privkey.pem" -out "$tmp/nginx/fullchain.pem" 2>"$tmp/openssl.log"; then
  cat "$tmp/openssl.log"
  fail "openssl could not make a certificate"
fi
sed -E -e "s#/etc/ssl/slotlock/fullchain.pem#$tmp/nginx/fullchain.pem#" \
    -e "s#/etc/ssl/slotlock/privkey.pem#$tmp/nginx/privkey.pem#" "${adjust[@]}" \
    deploy/nginx-slotlock.conf >"$tmp/nginx/site.conf"
cat >"$tmp/nginx/nginx.conf" <<EOF
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events {}
http {
    access_log off;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    include $tmp/nginx/site.conf;
}
EOF
# -e: nginx opens its compiled-in error log before reading the configuration.
if out=$(nginx -t -q -p "$tmp/nginx" -e "$tmp/nginx/logs/error.log" -c "$tmp/nginx/nginx.conf" 2>&1); then
  # A warning (a duplicate directive, an ignored setting) also fails.
  [ -z "$out" ] || { printf '%s\n' "$out" | sed "s#$tmp/nginx/site.conf#deploy/nginx-slotlock.conf#g"; fail "nginx -t warned about deploy/nginx-slotlock.conf"; }
else
  printf '%s\n' "$out" | sed "s#$tmp/nginx/site.conf#deploy/nginx-slotlock.conf#g"
  fail "nginx -t deploy/nginx-slotlock.conf"
fi
grep -q -- '--trusted-proxy 127.0.0.1' deploy/nginx-slotlock.conf ||
  fail "nginx-slotlock.conf: the comment naming --trusted-proxy 127.0.0.1 is gone"

[ "$rc" = 0 ] && echo "deploy-test: slotlock.service, slotlock.toml and nginx-slotlock.conf pass"
exit $rc
