"""The request path of issue 17 (ADR 0013): one process per SQLite file, answers only once
committed (group commit), and sessions and locks answered from memory without going stale."""

import http.client
import subprocess
import threading

from conftest import BIN, error_code, new_session, wait_for


# -- one owner per SQLite file --------------------------------------------------------------------

def test_a_second_process_on_the_same_sqlite_file_exits_at_once_pointing_at_postgresql(server_factory):
    srv = server_factory()
    second = subprocess.run([str(BIN), "--host", "127.0.0.1", "--port", "0", "--db", f"sqlite:{srv.db_path}"],
                            capture_output=True, text=True, timeout=10)
    out = second.stdout + second.stderr
    assert second.returncode != 0, out
    assert f"in use by another slotlock process (pid {srv.proc.pid})" in out, out
    assert "PostgreSQL" in out, out
    # The first process is unaffected and still serves.
    assert srv.api("GET", "/api/me", token=srv.token("alice"))[0] == 200

    # Account commands on the file wait for the server to stop: they would change users behind
    # the back of its memory.
    busy = subprocess.run([str(BIN), "user", "list", "--db", f"sqlite:{srv.db_path}"],
                          capture_output=True, text=True, timeout=10)
    assert busy.returncode != 0 and "in use by another slotlock process" in busy.stdout + busy.stderr
    srv.stop()
    free = subprocess.run([str(BIN), "user", "list", "--db", f"sqlite:{srv.db_path}"],
                          capture_output=True, text=True, timeout=10)
    assert free.returncode == 0 and "alice@example.com" in free.stdout, free.stdout + free.stderr
    srv.start()  # and a new server takes the file over once the old one is gone


# -- group commit: an answer means committed ------------------------------------------------------

def test_kill_9_loses_no_acknowledged_grant_made_in_a_batch(server_factory):
    srv = server_factory("--lock-rate", "100000", "--lock-ttl", "600")
    people = ["alice", "bob", "carol"]
    tokens = {p: srv.token(p) for p in people}
    appointments = [srv.new_appointment(title=f"Batch {i}")["id"] for i in range(60)]
    acked = {}  # appointment -> (person, session, fencing token) of an acquire answered 200
    acked_lock = threading.Lock()
    stop = threading.Event()

    def worker(n):
        person = people[n % len(people)]
        for i, appt in enumerate(appointments):
            if stop.is_set() or i % 8 != n:
                continue
            session = new_session()
            try:
                status, _, body = srv.acquire(appt, tokens[person], session=session)
            except (OSError, http.client.HTTPException):
                return  # the server went away under us
            if status == 200:
                with acked_lock:
                    acked[appt] = (person, session, body["lock"]["fencingToken"])

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(8)]
    for t in threads:
        t.start()
    wait_for(lambda: len(acked) >= 20, timeout=30, message="20 acknowledged grants")
    srv.kill()
    stop.set()
    for t in threads:
        t.join(20)
    srv.start()
    alice = srv.token("alice")
    assert acked
    for appt, (person, session, fencing) in acked.items():
        state = srv.lock_status(appt, alice)
        assert state["locked"], f"an acknowledged grant of {appt} was lost in the crash: {state}"
        assert state["lock"]["sessionId"] == session and state["lock"]["fencingToken"] == fencing, state


def test_writes_in_flight_together_are_all_answered_with_their_own_outcome(server_factory):
    # Many acquires at once on one appointment (one batch or a few): exactly one is granted, every
    # other caller is told who holds it, and the audit has one grant.
    srv = server_factory("--lock-rate", "100000")
    appt = srv.new_appointment()["id"]
    tokens = [srv.token(p) for p in ("alice", "bob", "carol")]
    outcomes = []
    outcomes_lock = threading.Lock()
    barrier = threading.Barrier(24)

    def attempt(n):
        barrier.wait()
        status, _, body = srv.acquire(appt, tokens[n % 3], session=new_session())
        with outcomes_lock:
            outcomes.append((status, body))

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    granted = [b for s, b in outcomes if s == 200]
    refused = [b for s, b in outcomes if s != 200]
    assert len(outcomes) == 24 and len(granted) == 1, outcomes
    assert all(error_code(b) == "LOCK_HELD" for b in refused), refused
    holder = granted[0]["lock"]
    assert all(b["error"]["lock"]["sessionId"] == holder["sessionId"] for b in refused), refused
    status, _, audit = srv.api("GET", f"/api/appointments/{appt}/audit", token=srv.token("carol"))
    assert status == 200 and [r["action"] for r in audit["items"]] == ["acquired"], audit


# -- answered from memory, never stale --------------------------------------------------------------

def test_a_signed_out_token_is_refused_on_the_next_request(server):
    token = server.login("bob@example.com")
    assert server.api("GET", "/api/me", token=token)[0] == 200  # now remembered
    assert server.api("POST", "/api/auth/logout", token=token)[0] == 204
    status, _, body = server.api("GET", "/api/me", token=token)
    assert status == 401 and error_code(body) == "UNAUTHENTICATED", body


def test_a_demoted_admin_loses_admin_routes_on_the_next_request(server):
    carol = server.token("carol")
    token, dave = server.add_user("dave-hot", role="admin")
    assert server.api("GET", "/api/audit", token=token)[0] == 200  # remembered as an admin
    status, _, body = server.api("PATCH", f"/api/users/{dave['id']}", token=carol, json={"role": "user"})
    assert status == 200, body
    status, _, body = server.api("GET", "/api/audit", token=token)
    assert status == 403 and error_code(body) == "FORBIDDEN", body


def test_lock_status_follows_every_change_at_once(server):
    appt = server.new_appointment()["id"]
    alice, bob = server.token("alice"), server.token("bob")
    assert not server.lock_status(appt, bob)["locked"]  # remembered as free
    status, _, held = server.acquire(appt, alice)
    assert status == 200
    state = server.lock_status(appt, bob)
    assert state["locked"] and state["lock"]["fencingToken"] == held["lock"]["fencingToken"]
    assert server.release(appt, alice)[0] == 200
    assert not server.lock_status(appt, bob)["locked"]
    status, _, body = server.api("GET", "/api/appointments/no-such-thing/lock-status", token=bob)
    assert status == 404 and error_code(body) == "NOT_FOUND", body
