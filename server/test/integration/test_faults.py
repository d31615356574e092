"""Faults: kill -9 under load, a store that cannot be written, and floods beyond the limits.

Each test starts its own server (server_factory) because each one breaks it on purpose.
"""

import http.client
import os
import resource
import socket
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import error_code, new_session, wait_for

SAVE_FIELDS = ("title", "clientName", "clientEmail", "startsAt", "endsAt", "location", "notes", "status")


def editable(appt, **changes):
    body = {k: appt[k] for k in SAVE_FIELDS}
    body["version"] = appt["version"]
    body.update(changes)
    return body


def save(srv, appt_id, token, fencing_token, body):
    return srv.api("PUT", f"/api/appointments/{appt_id}", token=token, json=body,
                   headers={"X-Lock-Token": str(fencing_token)})


def get_appointment(srv, appt_id, token):
    status, _, body = srv.api("GET", f"/api/appointments/{appt_id}", token=token)
    assert status == 200, f"get {appt_id}: {status} {body}"
    return body


# -- kill -9 under load -----------------------------------------------------------------------------

def test_kill_9_under_load_loses_no_acknowledged_save_and_keeps_locks(server_factory):
    srv = server_factory("--lock-rate", "1000", "--lock-ttl", "300", "--disconnect-grace", "1")
    people = ["alice", "bob", "carol"]
    tokens = {p: srv.token(p) for p in people}
    shared = [srv.new_appointment()["id"] for _ in range(3)]
    held = srv.new_appointment(title="Held across the crash")["id"]
    status, _, held_lock = srv.acquire(held, tokens["carol"], session="tab-held")
    assert status == 200, held_lock
    held_token = held_lock["lock"]["fencingToken"]

    acked = {a: [] for a in shared}  # (version, title) of every save answered 200
    acked_lock = threading.Lock()
    stop = threading.Event()

    def worker(n):
        person = people[n % len(people)]
        token, session = tokens[person], new_session()
        i = 0
        while not stop.is_set():
            appt_id = shared[(n + i) % len(shared)]
            i += 1
            try:
                status, _, body = srv.acquire(appt_id, token, session=session)
                if status != 200:
                    continue
                fencing = body["lock"]["fencingToken"]
                current = get_appointment(srv, appt_id, token)
                title = f"w{n}-{i}"
                status, _, saved = save(srv, appt_id, token, fencing, editable(current, title=title))
                if status == 200:
                    with acked_lock:
                        acked[appt_id].append((saved["version"], saved["title"]))
                srv.release(appt_id, token)
            except (OSError, http.client.HTTPException, AssertionError):
                return  # the server went away under us

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(6)]
    for t in threads:
        t.start()
    wait_for(lambda: sum(len(v) for v in acked.values()) >= 30, timeout=30, message="30 acknowledged saves")
    srv.kill()
    stop.set()
    for t in threads:
        t.join(20)
        assert not t.is_alive(), "a load thread hung after the kill"
    assert srv.proc.returncode == -9

    # Second life, on the same file; short TTL for the lock taken now (stored expiries are kept).
    srv.extra_args = ["--lock-rate", "1000", "--lock-ttl", "2", "--disconnect-grace", "1"]
    srv.start()
    alice, bob = srv.token("alice"), srv.token("bob")
    for appt_id, saves in acked.items():
        current = get_appointment(srv, appt_id, alice)
        versions = [v for v, _ in saves]
        assert len(versions) == len(set(versions)), f"two saves acknowledged the same version: {saves}"
        last_version, last_title = max(saves)
        assert current["version"] >= last_version, f"acknowledged save lost: {current} vs {saves}"
        if current["version"] == last_version:
            assert current["title"] == last_title, f"acknowledged title lost: {current} vs {last_title}"
        # No lock survives as two: whoever holds it, one more acquirer is refused or refreshes.
        state = srv.lock_status(appt_id, alice)
        if state["locked"]:
            status, _, body = srv.acquire(appt_id, bob)
            assert status == 409 and error_code(body) == "LOCK_HELD", (status, body)

    state = srv.lock_status(held, alice)
    assert state["locked"], f"the lock held at kill -9 was lost: {state}"
    assert state["lock"]["sessionId"] == "tab-held" and state["lock"]["fencingToken"] == held_token, state
    status, _, body = srv.acquire(held, bob)
    assert status == 409 and error_code(body) == "LOCK_HELD", (status, body)

    # A lock taken now expires (TTL 2 s) even though the process dies before its expiry.
    expiring = srv.new_appointment(title="Expires while the server is down")["id"]
    status, _, body = srv.acquire(expiring, bob, session="tab-expiring")
    assert status == 200, (status, body)
    expiring_token = body["lock"]["fencingToken"]
    srv.kill()
    srv.start()
    alice = srv.token("alice")
    wait_for(lambda: not srv.lock_status(expiring, alice)["locked"], timeout=10,
             message="the lock taken before the second kill to expire")
    wait_for(lambda: any(r["action"] == "expired" for r in srv.audit(expiring)), timeout=5,
             message="the expiry to be audited after the restart")
    status, _, body = srv.acquire(expiring, alice)
    assert status == 200 and body["lock"]["fencingToken"] > expiring_token, (status, body)
    # The lock held at the first crash kept its own (300 s) expiry through both, and still saves.
    state = srv.lock_status(held, alice)
    assert state["locked"] and state["lock"]["fencingToken"] == held_token, state
    carol = srv.token("carol")
    status, _, body = save(srv, held, carol, held_token,
                           editable(get_appointment(srv, held, carol), title="Saved after the crash"))
    assert status == 200 and body["title"] == "Saved after the crash", (status, body)


# -- the store failing ------------------------------------------------------------------------------

def test_locked_database_answers_503_then_recovers(server_factory):
    srv = server_factory()
    alice = srv.token("alice")
    appt = srv.new_appointment()
    appt_id = appt["id"]

    # Another process holds SQLite's write lock: works as root, unlike a read-only file.
    blocker = sqlite3.connect(str(srv.db_path), timeout=1, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        results = {}

        def attempt(name, call):
            results[name] = call()

        calls = {
            "acquire": lambda: srv.acquire(appt_id, alice),
            "create": lambda: srv.api("POST", "/api/appointments", token=alice,
                                      json=editable(appt, title="While locked")),
        }
        threads = [threading.Thread(target=attempt, args=item) for item in calls.items()]
        for t in threads:
            t.start()
        # Reads keep working meanwhile (WAL readers do not wait for the writer).
        status, _, body = srv.api("GET", "/api/appointments", token=alice)
        assert status == 200 and body["items"], (status, body)
        assert srv.request("GET", "/healthz")[0] == 200
        for t in threads:
            t.join(30)
        assert time.monotonic() - started < 30
        for name, (status, _, body) in results.items():
            assert status == 503, f"{name}: {status} {body}"
            assert error_code(body) == "STORE_UNAVAILABLE", body
            message = body["error"]["message"]
            assert "sqlite" not in message.lower() and "busy" not in message.lower(), message
        assert srv.running, "the server died while its store was locked"
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()

    # Recovered: writes go through again at once.
    status, _, body = srv.acquire(appt_id, alice, session="tab-after")
    assert status == 200, (status, body)
    status, _, body = save(srv, appt_id, alice, body["lock"]["fencingToken"], editable(appt, title="After"))
    assert status == 200 and body["version"] == appt["version"] + 1, (status, body)


# -- floods -----------------------------------------------------------------------------------------

def _raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def test_flood_of_connections_and_requests_keeps_real_users_served(server_factory):
    # The server inherits this process's descriptor limit, so raise it before starting it.
    limit = _raise_fd_limit()
    count = max(100, min(2000, limit - 300))
    srv = server_factory("--lock-rate", "5")
    bob = srv.token("bob")
    appt_id = srv.new_appointment()["id"]

    held = []
    try:
        for i in range(count):
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
            if i % 2:
                s.sendall(b"GET /api/appointments HTTP/1.1\r\nHost: x\r\n")  # a header never finished
            held.append(s)

        alice = srv.token("alice")
        stop = threading.Event()
        flood_statuses = {}
        flood_lock = threading.Lock()

        def flood(n):
            conn = None
            while not stop.is_set():
                try:
                    conn = conn or http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
                    if n % 2:
                        conn.request("POST", f"/api/appointments/{appt_id}/acquire-lock",
                                     body=b'{"sessionId":"flood"}',
                                     headers={"Authorization": f"Bearer {alice}",
                                              "Content-Type": "application/json"})
                    else:
                        conn.request("POST", "/api/auth/login", body=b'{"email":"x@example.com","password":"no"}',
                                     headers={"Content-Type": "application/json"})
                    resp = conn.getresponse()
                    resp.read()
                    with flood_lock:
                        flood_statuses[resp.status] = flood_statuses.get(resp.status, 0) + 1
                    if resp.will_close:
                        conn.close()
                        conn = None
                except (OSError, http.client.HTTPException):
                    if conn:
                        conn.close()
                    conn = None

        with ThreadPoolExecutor(8) as pool:
            for n in range(8):
                pool.submit(flood, n)
            try:
                wait_for(lambda: flood_statuses.get(429, 0) >= 20, timeout=20,
                         message="the flood to be rate limited")
                # Meanwhile a real user is answered, promptly, every time.
                worst = 0.0
                for _ in range(10):
                    t0 = time.monotonic()
                    status, _, body = srv.api("GET", f"/api/appointments/{appt_id}/lock-status", token=bob)
                    assert status == 200, (status, body)
                    status, _, body = srv.api("GET", "/api/appointments", token=bob)
                    assert status == 200, (status, body)
                    worst = max(worst, time.monotonic() - t0)
                assert worst < 3.0, f"a real user waited {worst:.2f}s during the flood"
            finally:
                stop.set()

        assert not any(s >= 500 for s in flood_statuses), f"the flood got server errors: {flood_statuses}"
        assert set(flood_statuses) <= {200, 401, 409, 429}, flood_statuses
    finally:
        for s in held:
            s.close()

    assert srv.running, "the server died under the flood"
    assert srv.request("GET", "/healthz")[0] == 200
    status, _, body = srv.api("GET", "/api/me", token=bob)
    assert status == 200, (status, body)


def test_rate_limited_answers_are_polite(server_factory):
    srv = server_factory("--lock-rate", "1")
    alice = srv.token("alice")
    appt_id = srv.new_appointment()["id"]
    session = new_session()
    for _ in range(20):
        status, headers, body = srv.acquire(appt_id, alice, session=session)
        if status == 429:
            break
        assert status == 200, (status, body)
    else:
        pytest.fail("20 lock attempts in a row were never rate limited at --lock-rate 1")
    assert error_code(body) == "RATE_LIMITED"
    assert int(headers["Retry-After"]) >= 1


# UBSan's vptr check reads memory through a pipe it opens on the spot: in a process with no
# descriptor left it cannot, and reports a valid object (Boost's system category) as having an
# "invalid vptr". The plain suite runs this test; the sanitizer pass cannot.
@pytest.mark.skipif(bool(os.environ.get("SLOTLOCK_SANITIZER_LOG_DIR")),
                    reason="UBSan's own checks need descriptors the test takes away")
def test_running_out_of_descriptors_is_survived_without_spinning(server_factory):
    srv = server_factory()
    bob = srv.token("bob")
    # Leave the server a handful of descriptors beyond those it has open.
    in_use = len(os.listdir(f"/proc/{srv.proc.pid}/fd"))
    soft, hard = resource.prlimit(srv.proc.pid, resource.RLIMIT_NOFILE)
    resource.prlimit(srv.proc.pid, resource.RLIMIT_NOFILE, (in_use + 8, hard))
    held = []
    try:
        for _ in range(40):  # far more than it can accept
            held.append(socket.create_connection(("127.0.0.1", srv.port), timeout=5))
        wait_for(lambda: "accept failed" in srv.output, timeout=10, message="the server to run out of descriptors")
        time.sleep(1.0)  # what is measured here is the absence of a busy loop over a second
        failures = srv.output.count("accept failed")
        assert failures <= 30, f"{failures} accept failures logged in about a second: the accept loop spins"
    finally:
        for s in held:
            s.close()
    resource.prlimit(srv.proc.pid, resource.RLIMIT_NOFILE, (soft, hard))
    assert srv.running
    status, _, body = srv.api("GET", "/api/me", token=bob)
    assert status == 200, (status, body)
