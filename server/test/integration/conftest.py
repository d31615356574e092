"""Black-box fixtures: start the real slotlock binary on a free port with a temporary database.

Only the standard library speaks HTTP here (http.client); test_concurrency.py adds aiohttp.
Every answer that Server.request() (and so Server.api()) gets is checked against
docs/openapi.yaml: see ApiContract.
"""

import base64
import http.client
import json as jsonlib
import os
import re
import signal
import socket
import subprocess
import threading
import time
import uuid
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from jsonschema import Draft202012Validator, RefResolver

REPO = Path(__file__).resolve().parents[3]
BIN = Path(os.environ.get("SLOTLOCK_BIN", REPO / "build" / "slotlock"))
OPENAPI = REPO / "docs" / "openapi.yaml"

READY = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0

DEMO_PASSWORDS = {
    "alice@example.com": "alice-demo",
    "bob@example.com": "bob-demo",
    "carol@example.com": "carol-demo",
}


def wait_for(condition, timeout=10.0, interval=0.05, message="condition"):
    """Poll `condition` until it returns a truthy value; return that value or fail at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


class ApiContract:
    """docs/openapi.yaml as a judge of answers: the operation is found by method and path template,
    the status must be one it documents, and the body must match that response's schema.

    Paths outside the API (the web app's) are not judged. A path no template matches must be
    answered 404, a known path with a method it does not have 405, both with the Error body. 413
    and 431 come from the HTTP layer before any route (the document's description says so), so
    they are accepted on any operation, with the Error body."""

    API_PREFIXES = ("/api/", "/healthz", "/readyz", "/metrics")
    TRANSPORT_STATUSES = ("413", "431")

    def __init__(self, path):
        self.doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        self._resolver = RefResolver.from_schema(self.doc)
        self._routes = []
        for template, item in self.doc["paths"].items():
            pattern = re.escape(template)
            pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", pattern)
            self._routes.append((re.compile(f"^{pattern}$"), template, item))
        self._validators = {}
        self.error_schema = {"$ref": "#/components/schemas/Error"}

    def _validator(self, schema):
        key = id(schema)
        if key not in self._validators:
            self._validators[key] = Draft202012Validator(schema, resolver=self._resolver)
        return self._validators[key]

    def _resolve(self, node):
        while "$ref" in node:
            node = self._resolver.resolve(node["$ref"])[1]
        return node

    def check(self, method, target, status, headers, data):
        """None when the answer agrees with the document; else what is wrong, in words."""
        path = urlsplit(target).path
        if path != "/api" and not path.startswith(self.API_PREFIXES):
            return None  # the web app's, or a target that is not a path
        where = f"{method} {path} answered {status}"
        if not re.fullmatch(r"[A-Za-z0-9._:/+=-]{1,128}", headers.get("X-Request-Id") or ""):
            return f"{where}: no usable X-Request-Id ({headers.get('X-Request-Id')!r}); every answer has one"
        found = next(((template, item) for rx, template, item in self._routes if rx.match(path)), None)
        if found is None:
            if status != 404:
                return f"{where}: no path of docs/openapi.yaml matches it (an undocumented route?)"
            return self._check_body(where, self.error_schema, "application/json", headers, data)
        template, item = found
        where = f"{method} {path} ({template}) answered {status}"
        operation = item.get(method.lower()) or (item.get("get") if method == "HEAD" else None)
        if operation is None:
            if status != 405:
                return f"{where}: docs/openapi.yaml has no {method} for this path (an undocumented route?)"
            return self._check_body(where, self.error_schema, "application/json", headers, data)
        response = operation["responses"].get(str(status))
        if response is None:
            if str(status) in self.TRANSPORT_STATUSES:
                return self._check_body(where, self.error_schema, "application/json", headers, data)
            return f"{where}: the status is not documented for this operation"
        response = self._resolve(response)
        if status == 101:
            return None
        if method == "HEAD":
            return f"{where}: a HEAD answer has a body" if data else None
        content = response.get("content")
        if not content:
            return f"{where}: the document says no body, the server sent {data[:200]!r}" if data else None
        media_type, media = next(iter(content.items()))
        return self._check_body(where, media.get("schema", {}), media_type, headers, data)

    def _check_body(self, where, schema, media_type, headers, data):
        sent_type = (headers.get("Content-Type") or "").split(";")[0].strip()
        if sent_type != media_type.split(";")[0].strip():
            return f"{where}: Content-Type {sent_type!r}, the document says {media_type!r}"
        if media_type.startswith("application/json"):
            try:
                body = jsonlib.loads(data)
            except ValueError as e:
                return f"{where}: the body is not JSON ({e}): {data[:200]!r}"
        else:
            body = data.decode("utf-8", errors="replace")
        problems = sorted(self._validator(schema).iter_errors(body), key=lambda e: list(e.absolute_path))
        if problems:
            e = problems[0]
            at = "/".join(str(p) for p in e.absolute_path) or "(the body)"
            return (f"{where}: the body does not match docs/openapi.yaml at {at}: {e.message} "
                    f"(schema path {'/'.join(str(p) for p in e.absolute_schema_path)}); body: {data[:500]!r}")
        if isinstance(body, dict) and isinstance(body.get("error"), dict) and "retryAfter" in body["error"]:
            if headers.get("Retry-After") != str(body["error"]["retryAfter"]):
                return f"{where}: retryAfter {body['error']['retryAfter']} but Retry-After {headers.get('Retry-After')!r}"
        return None


@lru_cache(maxsize=None)
def api_contract():
    """The document, read once per test session."""
    return ApiContract(OPENAPI)


class Server:
    """One slotlock process. The database file outlives the process, so a restart keeps state."""

    def __init__(self, workdir, extra_args=(), db_path=None, db_url=None):
        self.workdir = Path(workdir)
        self.db_path = Path(db_path) if db_path else self.workdir / "t.db"
        self.db_url = db_url  # e.g. postgres://…; the SQLite file otherwise
        self.extra_args = list(extra_args)
        self.proc = None
        self.port = None
        self._lines = []
        self._lines_lock = threading.Lock()
        self._reader = None
        self._tokens = {}
        self._tabs = []  # sockets opened by open_tab()

    # -- process ------------------------------------------------------------------------------

    def start(self):
        if not BIN.exists():
            pytest.fail(f"slotlock binary not found at {BIN} (build it with `make build` or set SLOTLOCK_BIN)")
        args = [str(BIN), "--host", "127.0.0.1", "--port", "0", "--db", self.db_url or f"sqlite:{self.db_path}", "--demo",
                *self.extra_args]
        self._tokens = {}
        self.port = None
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=self.workdir, text=True,
                                     errors="replace", bufsize=1)
        ready = threading.Event()
        found = {}

        def read(stream):
            for raw in stream:
                line = ANSI.sub("", raw)
                with self._lines_lock:
                    self._lines.append(line)
                if not ready.is_set():
                    m = READY.search(line)
                    if m:
                        found["port"] = int(m.group(1))
                        ready.set()
            ready.set()  # the process closed its output: no point in waiting any longer

        self._reader = threading.Thread(target=read, args=(self.proc.stdout,), daemon=True)
        self._reader.start()
        ready.wait(START_TIMEOUT)
        if "port" not in found:
            self.kill()
            pytest.fail(f"slotlock did not report `listening on` within {START_TIMEOUT}s "
                        f"(exit code {self.proc.returncode}); output:\n{self.output}")
        self.port = found["port"]
        return self

    def stop(self, sig=signal.SIGTERM, timeout=STOP_TIMEOUT):
        """Signal the process by its own pid and wait; SIGKILL after `timeout`. Returns the exit code."""
        for tab in self._tabs:
            tab.close()
        self._tabs = []
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._reader:
            self._reader.join(2)
        return self.proc.returncode

    def kill(self):
        """kill -9: no chance to clean up."""
        return self.stop(signal.SIGKILL)

    def restart(self, sig=signal.SIGTERM):
        self.stop(sig)
        return self.start()

    @property
    def running(self):
        return self.proc is not None and self.proc.poll() is None

    @property
    def output(self):
        with self._lines_lock:
            return "".join(self._lines)

    # -- HTTP -----------------------------------------------------------------------------------

    def request(self, method, path, body=None, headers=None, timeout=15):
        """Raw request: returns (status, headers, body bytes)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        problem = api_contract().check(method, path, resp.status, resp.headers, data)
        if problem:
            pytest.fail(f"the server and docs/openapi.yaml disagree: {problem}")
        return resp.status, resp.headers, data

    def api(self, method, path, token=None, json=None, headers=None, body=None):
        """(status, headers, parsed JSON body or None). `body` sends raw bytes instead of `json`."""
        hdrs = {"Accept": "application/json"}
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        if json is not None:
            body = jsonlib.dumps(json).encode()
        if body is not None:
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        status, resp_headers, data = self.request(method, path, body=body, headers=hdrs)
        parsed = None
        if data:
            try:
                parsed = jsonlib.loads(data)
            except ValueError:
                parsed = None
        return status, resp_headers, parsed

    def metric_families(self):
        """/metrics, parsed by the Prometheus client's own text-format parser: {name: family}."""
        from prometheus_client.parser import text_string_to_metric_families
        status, headers, data = self.request("GET", "/metrics")
        assert status == 200, data
        assert headers["Content-Type"].startswith("text/plain; version=0.0.4"), headers["Content-Type"]
        return {f.name: f for f in text_string_to_metric_families(data.decode())}

    def metric(self, name, **labels):
        """One sample's value (a counter's family name is given without _total), or None."""
        families = self.metric_families()
        for family in families.values():
            for s in family.samples:
                if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                    return s.value
        return None

    def login(self, email, password=None):
        password = DEMO_PASSWORDS[email] if password is None else password
        status, _, body = self.api("POST", "/api/auth/login", json={"email": email, "password": password})
        assert status == 200, f"login {email}: {status} {body}"
        return body["token"]

    def add_user(self, name, role="user", email=None):
        """A user created through the API by carol, signed in: (token, user JSON)."""
        email = email or f"{name}-{uuid.uuid4().hex[:8]}@example.net"
        password = f"{name}-password-1"
        status, _, body = self.api("POST", "/api/users", token=self.token("carol"),
                                   json={"email": email, "name": name.title(), "role": role, "password": password})
        assert status == 201, body
        assert body["role"] == role, body
        return self.login(email, password), body

    def token(self, name):
        """A cached token for a demo user ("alice", "bob", "carol"): logins are rate limited."""
        if name not in self._tokens:
            self._tokens[name] = self.login(f"{name}@example.com")
        return self._tokens[name]

    def user_id(self, name):
        status, _, body = self.api("GET", "/api/me", token=self.token(name))
        assert status == 200, body
        return body["id"]

    # -- domain helpers -------------------------------------------------------------------------

    def new_appointment(self, token=None, **overrides):
        payload = {
            "title": "Integration check",
            "clientName": "Test Client",
            "clientEmail": "client@example.org",
            "startsAt": "2026-12-01T09:00:00.000Z",
            "endsAt": "2026-12-01T10:00:00.000Z",
            "location": "Room 1",
            "notes": "",
        }
        payload.update(overrides)
        status, _, body = self.api("POST", "/api/appointments", token=token or self.token("carol"), json=payload)
        assert status == 201, f"create appointment: {status} {body}"
        return body

    def acquire(self, appt_id, token, session=None, **extra):
        payload = {"sessionId": session or new_session()}
        payload.update(extra)
        return self.api("POST", f"/api/appointments/{appt_id}/acquire-lock", token=token, json=payload)

    def open_tab(self, appt_id, token, session=None):
        """The WebSocket of browser tab `session` in an appointment's room, as an open page has: a
        place in the line needs one (PRODUCT.md §2). Returns once the server has sent the snapshot
        (the tab is in the room); the socket stays open until close_tabs() or stop()."""
        session = session or new_session()
        status, _, body = self.api("POST", "/api/ws-tickets", token=token)
        assert status == 200, f"ws-ticket: {status} {body}"
        tab = TabSocket(self.port, f"/api/appointments/{appt_id}/updates?ticket={body['ticket']}&sessionId={session}")
        self._tabs.append(tab)
        return session

    def close_tabs(self):
        """Closes every socket open_tab() opened (their pages went away)."""
        for tab in self._tabs:
            tab.close()
        self._tabs = []

    def lock_status(self, appt_id, token):
        status, _, body = self.api("GET", f"/api/appointments/{appt_id}/lock-status", token=token)
        assert status == 200, f"lock-status: {status} {body}"
        return body

    def release(self, appt_id, token, query=""):
        return self.api("DELETE", f"/api/appointments/{appt_id}/release-lock{query}", token=token)

    def audit(self, appt_id, token=None):
        """Every audit row of one appointment, newest first, following `nextBefore` across pages."""
        rows, before = [], None
        while True:
            query = f"?before={before}" if before is not None else ""
            status, _, body = self.api("GET", f"/api/appointments/{appt_id}/audit{query}",
                                       token=token or self.token("carol"))
            assert status == 200, f"audit: {status} {body}"
            rows.extend(body["items"])
            before = body.get("nextBefore")
            if before is None or not body["items"]:
                return rows


class TabSocket:
    """A page's WebSocket over a plain socket: it reads and drops every frame on a thread of its own
    and answers the server's pings, as an idle open tab does (a silent one would be closed)."""

    def __init__(self, port, path):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: Upgrade\r\n"
                           f"Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                           f"Sec-WebSocket-Key: {key}\r\n\r\n").encode())
        self._data = b""
        while b"\r\n\r\n" not in self._data:
            chunk = self.sock.recv(4096)
            assert chunk, "the server closed the upgrade"
            self._data += chunk
        head, _, self._data = self._data.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101"), head.decode(errors="replace")
        self.sock.settimeout(None)
        self._first = threading.Event()
        self.first_message = None
        threading.Thread(target=self._read, daemon=True).start()
        assert self._first.wait(10) and self.first_message is not None, "no first frame on the socket"
        assert self.first_message.get("type") == "snapshot", self.first_message

    def _take(self, n):
        while len(self._data) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self._data += chunk
        out, self._data = self._data[:n], self._data[n:]
        return out

    def _send(self, opcode, payload):
        mask = os.urandom(4)  # a client's frames are masked
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked)

    def _read(self):
        message = b""
        try:
            while True:
                b0, b1 = self._take(2)
                length = b1 & 0x7F  # the server's frames are not masked
                if length >= 126:
                    length = int.from_bytes(self._take(2 if length == 126 else 8), "big")
                payload = self._take(length)
                opcode = b0 & 0x0F
                if opcode == 0x9:
                    self._send(0xA, payload)
                elif opcode == 0x8:
                    return
                elif opcode in (0x0, 0x1):
                    message += payload
                    if b0 & 0x80:  # the last fragment of a message
                        if self.first_message is None:
                            self.first_message = jsonlib.loads(message)
                            self._first.set()
                        message = b""
        except (OSError, ConnectionError, ValueError):
            pass
        finally:
            self._first.set()

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def new_session():
    return f"tab-{uuid.uuid4()}"


def error_code(body):
    assert isinstance(body, dict) and isinstance(body.get("error"), dict), f"not an error body: {body!r}"
    assert isinstance(body["error"].get("message"), str) and body["error"]["message"], body
    return body["error"]["code"]


# -- fixtures ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    """A server shared by the tests of one module. A module may set SERVER_ARGS = [...]."""
    extra = getattr(request.module, "SERVER_ARGS", [])
    srv = Server(tmp_path_factory.mktemp("srv"), extra).start()
    yield srv
    srv.stop()


@pytest.fixture
def server_factory(tmp_path):
    """Start fresh servers: factory(*extra_args, db_path=None). Every one is stopped afterwards.

    Each gets its own database unless db_path is given; srv.restart() reuses the same file."""
    started = []

    def factory(*extra_args, db_path=None):
        workdir = tmp_path / f"srv{len(started)}"
        workdir.mkdir()
        srv = Server(workdir, extra_args, db_path=db_path).start()
        started.append(srv)
        return srv

    yield factory
    for srv in started:
        srv.stop()
