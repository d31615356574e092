"""Black-box fixtures: start the real slotlock binary on a free port with a temporary database.

Only the standard library speaks HTTP here (http.client); test_concurrency.py adds aiohttp.
"""

import http.client
import json as jsonlib
import os
import re
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
BIN = Path(os.environ.get("SLOTLOCK_BIN", REPO / "build" / "slotlock"))

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
            return resp.status, resp.headers, data
        finally:
            conn.close()

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

    def login(self, email, password=None):
        password = DEMO_PASSWORDS[email] if password is None else password
        status, _, body = self.api("POST", "/api/auth/login", json={"email": email, "password": password})
        assert status == 200, f"login {email}: {status} {body}"
        return body["token"]

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
