"""Routing, health, metrics, static files, shutdown and crash recovery."""

import re
import signal
import socket
import time

import pytest

from conftest import error_code, new_session

METRIC_LINE = re.compile(r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?P<labels>[^}]*)\})?\s+(?P<value>\S+)")
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def metrics(server):
    status, headers, data = server.request("GET", "/metrics")
    assert status == 200
    assert headers.get("Content-Type", "").startswith("text/plain"), headers.get("Content-Type")
    samples = []
    for line in data.decode().splitlines():
        if not line or line.startswith("#"):
            continue
        m = METRIC_LINE.match(line)
        assert m, f"not a Prometheus sample: {line!r}"
        samples.append((m["name"], dict(LABEL.findall(m["labels"] or "")), float(m["value"])))
    return samples


def sample(samples, name, **labels):
    return sum(v for n, ls, v in samples if n == name and all(ls.get(k) == w for k, w in labels.items()))


# -- routing ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("method,path", [("GET", "/api/nope"), ("GET", "/api/appointments/x/y/z"),
                                         ("POST", "/api/auth/nope")])
def test_unknown_api_route_is_json_404(server, method, path):
    status, headers, body = server.api(method, path, token=server.token("alice"))
    assert status == 404, body
    assert headers.get("Content-Type", "").startswith("application/json")
    assert error_code(body) == "NOT_FOUND"


@pytest.mark.parametrize("method,path", [("DELETE", "/api/appointments"), ("GET", "/api/auth/login"),
                                         ("PUT", "/api/me"), ("GET", "/api/appointments/x/acquire-lock")])
def test_wrong_method_is_405(server, method, path):
    status, _, body = server.api(method, path, token=server.token("alice"))
    assert status == 405, body
    assert error_code(body) == "METHOD_NOT_ALLOWED"


def test_healthz(server):
    status, _, body = server.api("GET", "/healthz")
    assert (status, body) == (200, {"status": "ok"})


def test_metrics_count_requests(server):
    appt = server.new_appointment()["id"]
    route = {"route": "/api/appointments/:id", "method": "GET", "status": "200"}
    before = sample(metrics(server), "slotlock_http_requests_total", **route)
    for _ in range(3):
        assert server.api("GET", f"/api/appointments/{appt}", token=server.token("alice"))[0] == 200
    after = metrics(server)
    assert sample(after, "slotlock_http_requests_total", **route) == before + 3
    names = {n for n, _, _ in after}
    for suffix in ("_bucket", "_sum", "_count"):
        assert "slotlock_http_request_duration_seconds" + suffix in names, names
    assert sample(after, "slotlock_http_request_duration_seconds_bucket", le="+Inf") >= 3
    # Route labels are templates, never raw ids (bounded cardinality).
    assert not any(appt in str(ls) for _, ls, _ in after)


def test_metrics_labels_stay_bounded(server):
    server.api("GET", "/api/no-such-route-4f1c9", token=server.token("alice"))
    server.api("GET", "/api/appointments/no-such-id-7d2e", token=server.token("alice"))
    server.request("GET", "/some-spa-path-91ab")
    text = server.request("GET", "/metrics")[2].decode()
    for raw in ("no-such-route-4f1c9", "no-such-id-7d2e", "some-spa-path-91ab"):
        assert raw not in text


def test_idle_connections_do_not_starve_others(server):
    idle = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(50)]
    try:
        for s in idle[:25]:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        started = time.monotonic()
        assert server.api("GET", "/healthz")[0] == 200
        assert time.monotonic() - started < 2
    finally:
        for s in idle:
            s.close()


def test_responses_are_keep_alive_friendly(server):
    # One TCP connection, three requests, three answers: a raw socket, because http.client would
    # quietly reconnect if the server closed the connection after each answer.
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        data = b""
        for i in range(3):
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            while b"\r\n\r\n" not in data:
                chunk = sock.recv(4096)
                assert chunk, f"the server closed the connection before answer {i + 1}"
                data += chunk
            head, _, data = data.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200"), head
            assert b"connection: close" not in head.lower(), head
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
            while len(data) < length:
                chunk = sock.recv(4096)
                assert chunk, f"the server closed the connection inside answer {i + 1}"
                data += chunk
            assert data[:length] == b'{"status":"ok"}'
            data = data[length:]


# -- static files -----------------------------------------------------------------------------------

@pytest.fixture
def static_server(server_factory, tmp_path):
    root = tmp_path / "site"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>slotlock-index</title>")
    (root / "assets" / "app.js").write_text("console.log('slotlock-app');")
    (root / "assets" / "app.css").write_text("body{color:red}")
    (root / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "secret.txt").write_text("TOP-SECRET-VALUE")
    return server_factory("--static", str(root))


def test_static_index_and_assets(static_server):
    status, headers, body = static_server.request("GET", "/")
    assert status == 200 and b"slotlock-index" in body
    assert headers["Content-Type"].startswith("text/html")
    assert "no-cache" in headers.get("Cache-Control", "")

    status, headers, body = static_server.request("GET", "/assets/app.js")
    assert status == 200 and b"slotlock-app" in body
    assert "javascript" in headers["Content-Type"]
    assert headers.get("Cache-Control") == "public, max-age=31536000, immutable"

    status, headers, _ = static_server.request("GET", "/assets/app.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")

    status, headers, _ = static_server.request("GET", "/favicon.svg")
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")
    assert "no-cache" in headers.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/appointments/123", "/login", "/some/deep/route?x=1"])
def test_spa_fallback_serves_index(static_server, path):
    status, headers, body = static_server.request("GET", path)
    assert status == 200 and b"slotlock-index" in body
    assert headers["Content-Type"].startswith("text/html")


def test_api_routes_are_not_swallowed_by_the_spa(static_server):
    status, headers, body = static_server.request("GET", "/api/nope")
    assert status in (401, 404)
    assert b"slotlock-index" not in body
    assert headers["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("path", [
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/..%2fsecret.txt",
    "/%2e%2e%2fsecret.txt",
    "/assets/../../secret.txt",
    "/assets/%2e%2e/%2e%2e/secret.txt",
    "/assets/..%5c..%5csecret.txt",
    "/../../../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%252e%252e/secret.txt",
    "//etc/passwd",
])
def test_path_traversal_is_refused(static_server, path):
    status, _, body = static_server.request("GET", path)
    assert b"TOP-SECRET-VALUE" not in body
    assert b"root:" not in body
    assert status in (200, 400, 403, 404), status
    if status == 200:
        assert b"slotlock-index" in body  # at most the SPA's index
    assert static_server.running


def test_raw_socket_traversal_is_refused(static_server):
    with socket.create_connection(("127.0.0.1", static_server.port), timeout=10) as s:
        s.sendall(b"GET /../secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    assert b"TOP-SECRET-VALUE" not in data
    assert data.startswith(b"HTTP/1.1 ")


def test_no_static_dir_means_no_spa(server):
    status, _, body = server.request("GET", "/appointments/123")
    assert status == 404


# -- robustness -------------------------------------------------------------------------------------

def test_garbage_request_does_not_kill_the_server(server):
    for junk in (b"\x00\x01\x02 garbage\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                 b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"):
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
            s.sendall(junk)
            s.shutdown(socket.SHUT_WR)
            try:
                while s.recv(65536):
                    pass
            except ConnectionResetError:
                pass
    assert server.running
    assert server.api("GET", "/healthz")[0] == 200


# -- lifecycle --------------------------------------------------------------------------------------

@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_exits_zero_promptly(server_factory, sig):
    srv = server_factory()
    # An idle keep-alive connection must not hold the shutdown up.
    idle = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    try:
        assert srv.api("GET", "/healthz")[0] == 200
        started = time.monotonic()
        code = srv.stop(sig, timeout=10)
        elapsed = time.monotonic() - started
    finally:
        idle.close()
    assert code == 0, f"exit code {code}; output:\n{srv.output}"
    assert elapsed < 5, f"took {elapsed:.1f}s to stop"


def test_kill_9_then_restart_keeps_lock_token_and_data(server_factory):
    srv = server_factory()
    appt = srv.new_appointment(title="Survives a crash")
    session = new_session()
    status, _, held = srv.acquire(appt["id"], srv.token("alice"), session)
    assert status == 200, held
    srv.kill()
    assert srv.proc.returncode == -signal.SIGKILL
    srv.start()

    status, _, again = srv.api("GET", f"/api/appointments/{appt['id']}", token=srv.token("alice"))
    assert status == 200 and again["title"] == "Survives a crash"
    state = srv.lock_status(appt["id"], srv.token("bob"))
    assert state["locked"] is True, state
    assert state["lock"]["fencingToken"] == held["lock"]["fencingToken"]
    assert state["lock"]["sessionId"] == session
    assert state["lock"]["userInfo"]["email"] == "alice@example.com"

    # The holder can still save with the token it had before the crash.
    body = {k: again[k] for k in ("title", "clientName", "clientEmail", "startsAt", "endsAt", "location", "notes",
                                  "status")}
    body.update(version=again["version"], title="Saved after restart")
    status, _, saved = srv.api("PUT", f"/api/appointments/{appt['id']}", token=srv.token("alice"), json=body,
                               headers={"X-Lock-Token": str(held["lock"]["fencingToken"])})
    assert status == 200, saved
    assert saved["version"] == again["version"] + 1
    status, _, body = srv.acquire(appt["id"], srv.token("bob"))
    assert status == 409 and body["error"]["lock"]["userInfo"]["email"] == "alice@example.com", body
    # The audit trail survived too.
    assert any(r["action"] == "acquired" for r in srv.audit(appt["id"]))


def test_demo_seed_is_not_repeated_on_restart(server_factory):
    srv = server_factory()
    _, _, first = srv.api("GET", "/api/appointments", token=srv.token("alice"))
    srv.restart()
    _, _, second = srv.api("GET", "/api/appointments", token=srv.token("alice"))
    assert len(second["items"]) == len(first["items"])


# -- operations: version and readiness (issue 15) ---------------------------------------------------

def test_version_is_printed_and_exported_as_build_info(server):
    import subprocess
    from conftest import BIN
    out = subprocess.run([str(BIN), "--version"], capture_output=True, text=True, timeout=10)
    assert out.returncode == 0, out
    m = re.fullmatch(r"slotlock (\S+)\n", out.stdout)
    assert m, out.stdout
    status, _, body = server.request("GET", "/metrics")
    assert status == 200
    assert f'slotlock_build_info{{version="{m.group(1)}"}} 1' in body.decode()


def test_readyz_is_ready_and_never_the_web_app(static_server):
    status, headers, body = static_server.request("GET", "/readyz")
    assert status == 200, body
    assert headers["Content-Type"].startswith("application/json")
    assert body == b'{"status":"ready"}'


def test_readyz_fails_while_another_process_holds_the_database_and_recovers(server_factory, tmp_path):
    import sqlite3
    srv = server_factory()
    status, _, _ = srv.request("GET", "/readyz")
    assert status == 200
    # Another program takes the SQLite file's write lock: every write waits, then fails.
    other = sqlite3.connect(str(srv.db_path), timeout=1, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        status, _, body = srv.api("GET", "/readyz")
        assert status == 503 and error_code(body) == "STORE_UNAVAILABLE", body
        assert time.monotonic() - started < 10  # bounded by the store's busy timeout (5 s)
        status, _, body = srv.request("GET", "/healthz")
        assert status == 200  # alive, just not ready
        # The failed round trip is counted by the store's metrics (the batch it ran in failed).
        errors = [s for s in srv.metric_families()["slotlock_store_errors"].samples if s.value > 0]
        assert errors and all(s.labels["kind"] in {"busy", "unavailable", "other"} for s in errors), errors
    finally:
        other.execute("ROLLBACK")
        other.close()
    status, _, body = srv.request("GET", "/readyz")
    assert status == 200, body


@pytest.mark.parametrize("path", ["/healthz", "/metrics"])
def test_probes_answer_get_and_head_only(server, path):
    assert server.request("HEAD", path)[0] == 200
    status, headers, body = server.api("POST", path)
    assert status == 405 and error_code(body) == "METHOD_NOT_ALLOWED", body
