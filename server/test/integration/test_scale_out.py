"""Two slotlock processes on one PostgreSQL database (issue 8, ADR 0010).

Needs $SLOTLOCK_TEST_PG (a postgres:// URL to a database this user may create databases from);
`make test` starts a throw-away cluster and sets it (server/test/with-postgres.sh). Each test gets a
database of its own, dropped afterwards.
"""

import os
import subprocess
import threading
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from conftest import Server, new_session, wait_for
from ws_client import Clients, call, run

PG = os.environ.get("SLOTLOCK_TEST_PG")
pytestmark = pytest.mark.skipif(not PG, reason="SLOTLOCK_TEST_PG is not set: no PostgreSQL to test against")

EDITABLE = ("title", "clientName", "clientEmail", "startsAt", "endsAt", "location", "notes", "status")


def psql(sql):
    subprocess.run(["psql", PG, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True, capture_output=True, timeout=60)


def present(frame, session):
    return any(v["sessionId"] == session for v in frame["presence"])


async def until_present(viewer, session, seen=None, timeout=2.0):
    """Returns once `viewer` knows the tab `session` is there: in `seen` (its snapshot) or a later presence frame."""
    if seen is None or not present(seen, session):
        await viewer.next_frame("presence", timeout=timeout, where=lambda f: present(f, session))


async def until_gone(viewer, session, timeout=2.0):
    await viewer.next_frame("presence", timeout=timeout, where=lambda f: not present(f, session))


async def held_on_a_watched_on_b(on_a, on_b, appt):
    """Alice's tab on A holds the lock; Carol watches on B and sees her there. (holder, held, watcher)"""
    a = on_a.server
    holder = await on_a.open("alice", appt)
    await holder.snapshot()
    status, _, held = a.acquire(appt, a.token("alice"), holder.session_id)
    assert status == 200, held
    watcher = await on_b.open("carol", appt)
    snap = await watcher.snapshot()
    assert snap["lock"]["sessionId"] == holder.session_id
    await until_present(watcher, holder.session_id, snap)
    return holder, held, watcher


@pytest.fixture
def database():
    """A fresh database on the test cluster; its URL."""
    name = f"scale_{uuid.uuid4().hex[:12]}"
    psql(f"CREATE DATABASE {name}")
    parts = urlsplit(PG)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pair(database, tmp_path):
    """Start processes A and B on the same database: pair(*extra_args) -> (a, b)."""
    started = []

    def start(*extra):
        servers = []
        for name in ("a", "b"):
            workdir = tmp_path / name
            workdir.mkdir()
            # One after the other: the first migrates and seeds the demo data, the second finds it.
            srv = Server(workdir, ["--lock-rate", "1000", *extra], db_url=database).start()
            started.append(srv)
            servers.append(srv)
        return tuple(servers)

    yield start
    for srv in started:
        srv.stop()


def test_contention_spread_over_both_processes_never_grants_twice(pair):
    a, b = pair()
    appt = a.new_appointment()["id"]
    contenders = [(srv, who, new_session()) for srv in (a, b) for who in ("alice", "bob", "carol") for _ in range(2)]
    tokens = {(srv.port, who): srv.token(who) for srv, who, _ in contenders}
    rounds = 30
    results = [[] for _ in range(rounds)]
    errors = []
    start = threading.Barrier(len(contenders))

    def contend(srv, who, session):
        token = tokens[(srv.port, who)]
        for r in range(rounds):
            start.wait()
            try:
                status, _, body = srv.acquire(appt, token, session)
                results[r].append((status, body))
            except Exception as e:  # noqa: BLE001 - recorded and failed on below
                errors.append(repr(e))
            start.wait()
            if status == 200:
                status, _, body = srv.release(appt, token)
                if status != 200 or body != {"released": True}:
                    errors.append(f"release: {status} {body}")

    threads = [threading.Thread(target=contend, args=c) for c in contenders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    last_token = 0
    for r, outcomes in enumerate(results):
        granted = [body for status, body in outcomes if status == 200]
        assert len(granted) == 1, f"round {r}: {len(granted)} grants: {outcomes}"
        assert all(status in (200, 409) for status, _ in outcomes), outcomes
        token = granted[0]["lock"]["fencingToken"]
        assert token > last_token, f"round {r}: fencing token {token} after {last_token}"
        last_token = token
    audit = a.audit(appt)
    assert sum(1 for row in audit if row["action"] == "acquired") == rounds


def test_lock_changes_and_saves_cross_processes_within_a_second(pair):
    a, b = pair()
    created = a.new_appointment()
    appt = created["id"]

    async def body():
        async with Clients(a) as on_a, Clients(b) as on_b:
            viewer_a = await on_a.open("carol", appt)
            viewer_b = await on_b.open("carol", appt)
            await viewer_a.snapshot()
            await viewer_b.snapshot()

            # A lock change on A reaches a viewer on B.
            session = new_session()
            sent = time.monotonic()
            status, _, held = a.acquire(appt, a.token("alice"), session)
            assert status == 200, held
            frame = await viewer_b.next_frame("lock.acquired", timeout=1.0)
            assert time.monotonic() - sent < 1.0
            assert frame["lock"]["sessionId"] == session
            assert frame["lock"]["fencingToken"] == held["lock"]["fencingToken"]

            # A save on B (the token works on any process) reaches a viewer on A.
            payload = {k: created[k] for k in EDITABLE}
            payload.update(version=created["version"], title="Saved on B")
            sent = time.monotonic()
            status, _, saved = b.api("PUT", f"/api/appointments/{appt}", token=b.token("alice"), json=payload,
                                     headers={"X-Lock-Token": str(held["lock"]["fencingToken"])})
            assert status == 200, saved
            frame = await viewer_a.next_frame("appointment.updated", timeout=1.0)
            assert time.monotonic() - sent < 1.0
            assert frame["appointment"]["version"] == 2

            # A release on B reaches A, once.
            status, _, _ = b.release(appt, b.token("alice"))
            assert status == 200
            await viewer_a.next_frame("lock.released", timeout=1.0)
            await viewer_a.no_frame("lock.released", within=0.5)

    run(body())


def test_expiry_fires_once_across_processes(pair):
    a, b = pair("--lock-ttl", "2")
    appt = a.new_appointment()["id"]

    async def body():
        async with Clients(a) as on_a, Clients(b) as on_b:
            viewer_a = await on_a.open("carol", appt)
            viewer_b = await on_b.open("bob", appt)
            await viewer_a.snapshot()
            await viewer_b.snapshot()
            # Granted on B: A's expiry timer hears of it through the bus, and both race to expire it.
            status, _, held = b.acquire(appt, b.token("alice"))
            assert status == 200, held
            for viewer in (viewer_a, viewer_b):
                frame = await viewer.next_frame("lock.expired", timeout=4.0)
                assert frame["reason"] == "expiry"
            await viewer_a.no_frame("lock.expired", within=1.0)
            await viewer_b.no_frame("lock.expired", within=0.2)

    run(body())
    expired = [row for row in a.audit(appt) if row["action"] == "expired"]
    assert len(expired) == 1, expired
    assert a.lock_status(appt, a.token("carol"))["locked"] is False


def test_presence_and_cursors_span_processes(pair):
    a, b = pair()
    appt = a.new_appointment()["id"]

    async def body():
        async with Clients(a) as on_a, Clients(b) as on_b:
            bob = await on_b.open("bob", appt)
            await bob.snapshot()
            carol = await on_a.open("carol", appt)
            first = await carol.snapshot()
            # Each sees the other, though they are on different processes.
            frame = await bob.next_frame("presence", where=lambda f: present(f, carol.session_id))
            assert sorted(v["name"] for v in frame["presence"]) == ["Bob Chen", "Carol Diaz"]
            [carol_seen] = [v for v in frame["presence"] if v["sessionId"] == carol.session_id]
            await until_present(carol, bob.session_id, first)

            # Carol's pointer on A moves over Bob's screen on B, named and coloured; not back to her.
            sent = time.monotonic()
            await carol.send({"type": "cursor", "x": 0.25, "y": 0.75})
            frame = await bob.next_frame("cursors", timeout=1.0)
            assert time.monotonic() - sent < 1.0
            [moved] = frame["cursors"]
            assert moved["sessionId"] == carol.session_id and (moved["x"], moved["y"]) == (0.25, 0.75)
            assert moved["name"] == "Carol Diaz" and moved["color"] == carol_seen["color"]
            await carol.no_frame("cursors", within=0.3)

            # A viewer joining on B later finds Carol's pointer in its snapshot.
            late = await on_b.open("alice", appt)
            snap = await late.snapshot()
            assert any(c["sessionId"] == carol.session_id and c["x"] == 0.25 for c in snap["cursors"]), snap
            assert present(snap, carol.session_id), snap

            # Carol leaves A: she disappears from B.
            await carol.close()
            await until_gone(bob, carol.session_id)

    run(body())


def test_a_process_killed_frees_its_holders_locks_after_the_grace_while_the_other_serves(pair):
    a, b = pair("--disconnect-grace", "2")
    appt = a.new_appointment()["id"]

    async def body():
        async with Clients(a) as on_a, Clients(b) as on_b:
            holder, held, watcher = await held_on_a_watched_on_b(on_a, on_b, appt)

            killed = time.monotonic()
            a.kill()
            # B keeps serving meanwhile, with the state A left in the shared store.
            status = b.lock_status(appt, b.token("carol"))
            assert status["locked"] is True and status["lock"]["fencingToken"] == held["lock"]["fencingToken"]
            # A falls silent: its viewers leave B's room, and after the grace the lock goes.
            await until_gone(watcher, holder.session_id, timeout=10)
            frame = await watcher.next_frame("lock.released", timeout=10)
            assert frame["reason"] == "disconnect"
            assert time.monotonic() - killed >= 2  # not before the grace
            await watcher.no_frame("lock.released", within=0.5)

    run(body())
    released = [row for row in b.audit(appt) if row["action"] == "released"]
    assert [row["reason"] for row in released] == ["disconnect"], released
    status, _, body_ = b.acquire(appt, b.token("bob"))
    assert status == 200, body_


def test_a_holder_who_reconnects_to_the_other_process_keeps_the_lock(pair):
    a, b = pair("--disconnect-grace", "1")
    appt = a.new_appointment()["id"]

    async def body():
        async with Clients(a) as on_a, Clients(b) as on_b:
            watcher = await on_b.open("carol", appt)
            await watcher.snapshot()
            first = await on_a.open("alice", appt)
            await first.snapshot()
            status, _, held = a.acquire(appt, a.token("alice"), first.session_id)
            assert status == 200, held
            # The load balancer sends the same tab's new socket to B.
            again = await on_b.open("alice", appt, session=first.session_id)
            await again.snapshot()
            await first.abandon()
            await watcher.no_frame("lock.released", within=3.0)
            assert b.lock_status(appt, b.token("carol"))["lock"]["sessionId"] == first.session_id
            # When that socket goes too, the lock follows after the grace.
            await again.close()
            frame = await watcher.next_frame("lock.released", timeout=5)
            assert frame["reason"] == "disconnect"

    run(body())


def test_a_process_that_stops_cleanly_says_so_and_its_viewers_leave_at_once(pair):
    a, b = pair("--disconnect-grace", "1")
    appt = a.new_appointment()["id"]

    async def body():
        async with Clients(a) as on_a, Clients(b) as on_b:
            holder, held, watcher = await held_on_a_watched_on_b(on_a, on_b, appt)
            a.stop()  # SIGTERM: A says goodbye instead of falling silent
            await until_gone(watcher, holder.session_id, timeout=2.5)
            frame = await watcher.next_frame("lock.released", timeout=4)
            assert frame["reason"] == "disconnect"

    run(body())


def test_a_process_whose_notification_connection_drops_reconnects_and_resyncs_its_rooms(database, tmp_path):
    a = Server(tmp_path / "a", ["--lock-rate", "1000"], db_url=database)
    b = Server(tmp_path / "b", ["--lock-rate", "1000"], db_url=database + "?application_name=slotlock_b")
    for srv in (a, b):
        srv.workdir.mkdir()
    a.start()
    try:
        b.start()
        appt = a.new_appointment()["id"]

        async def body():
            async with Clients(a) as on_a, Clients(b) as on_b:
                viewer = await on_b.open("carol", appt)
                await viewer.snapshot()
                other = await on_a.open("bob", appt)
                await other.snapshot()
                await viewer.next_frame("presence", where=lambda f: len(f["presence"]) == 2)
                # Cut B's LISTEN connection from the database side (its last statement is the
                # LISTEN, or the probe it sends every 5 s).
                await call(psql, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE application_name = 'slotlock_b' "
                                 "AND (query LIKE 'LISTEN%' OR query = 'SELECT 1')")
                # B reconnects and gives its viewers the state afresh.
                resync = await viewer.next_frame("snapshot", timeout=10)
                assert resync["seq"] > 1
                assert len(resync["presence"]) == 2, resync["presence"]
                # Events flow again.
                status, _, held = a.acquire(appt, a.token("alice"))
                assert status == 200, held
                frame = await viewer.next_frame("lock.acquired", timeout=2)
                assert frame["lock"]["fencingToken"] == held["lock"]["fencingToken"]

        run(body())
    finally:
        b.stop()
        a.stop()


def test_a_process_started_later_learns_the_viewers_already_on_the_others(database, tmp_path):
    a = Server(tmp_path / "a", ["--lock-rate", "1000"], db_url=database)
    b = Server(tmp_path / "b", ["--lock-rate", "1000"], db_url=database)
    for srv in (a, b):
        srv.workdir.mkdir()
    a.start()
    try:
        appt = a.new_appointment()["id"]

        async def body():
            async with Clients(a) as on_a:
                early = await on_a.open("carol", appt)
                await early.snapshot()
                b.start()  # says hello: A tells it its viewers again
                async with Clients(b) as on_b:
                    late = await on_b.open("bob", appt)
                    snap = await late.snapshot()
                    await until_present(late, early.session_id, snap, timeout=3)
                    # Moves from now on reach the newcomer too.
                    await early.send({"type": "cursor", "x": 0.75, "y": 0.25})
                    frame = await late.next_frame("cursors", timeout=2)
                    assert [(c["sessionId"], c["x"]) for c in frame["cursors"]] == [(early.session_id, 0.75)]

        run(body())
    finally:
        b.stop()
        a.stop()


def test_a_token_signed_out_on_one_process_stops_working_on_the_other_with_the_event(pair):
    # B remembers the sign-in (it answered with it); the logout happens on A. B must refuse the
    # token as soon as A's event reaches it, not when the token expires.
    a, b = pair()
    token = a.login("bob@example.com")
    assert b.api("GET", "/api/me", token=token)[0] == 200
    assert a.api("POST", "/api/auth/logout", token=token)[0] == 204
    wait_for(lambda: b.api("GET", "/api/me", token=token)[0] == 401, timeout=2,
             message="process B to refuse a token signed out on A")

    # The same for a new role: B had Dave remembered as an admin.
    dave, body = a.add_user("dave-scale", role="admin")
    assert b.api("GET", "/api/audit", token=dave)[0] == 200
    status, _, changed = a.api("PATCH", f"/api/users/{body['id']}", token=a.token("carol"), json={"role": "user"})
    assert status == 200, changed
    wait_for(lambda: b.api("GET", "/api/audit", token=dave)[0] == 403, timeout=2,
             message="process B to see the demotion made on A")


def test_lock_status_on_one_process_follows_grants_made_on_the_other(pair):
    a, b = pair()
    appt = a.new_appointment()["id"]
    assert not b.lock_status(appt, b.token("bob"))["locked"]  # B remembers it free
    status, _, held = a.acquire(appt, a.token("alice"))
    assert status == 200, held
    wait_for(lambda: b.lock_status(appt, b.token("bob"))["locked"], timeout=2,
             message="B's lock-status to show A's grant")
    assert a.release(appt, a.token("alice"))[0] == 200
    wait_for(lambda: not b.lock_status(appt, b.token("bob"))["locked"], timeout=2,
             message="B's lock-status to show A's release")


# -- the front desk's day across processes (issue 13) ---------------------------------------------

def test_typing_on_one_process_reaches_viewers_on_the_other_even_when_long(pair):
    a, b = pair()
    appt = a.new_appointment()["id"]
    notes = "Long notes é中 " * 500  # 8.5 KB of UTF-8 (12 KB as JSON escapes): more than one notification

    async def body():
        async with Clients(a) as on_a, Clients(b) as on_b:
            holder, held, watcher = await held_on_a_watched_on_b(on_a, on_b, appt)
            await holder.send({"type": "draft", "fields": {"title": "Typed on A", "notes": notes}})
            f = await watcher.next_frame("draft", timeout=3)
            assert f["fields"] == {"title": "Typed on A", "notes": notes}
            assert f["sessionId"] == holder.session_id and f["name"] == "Alice Martin"
            late = await on_b.open("bob", appt)
            assert (await late.snapshot())["draft"]["fields"]["title"] == "Typed on A"
            await holder.send({"type": "draft", "fields": {}})
            await watcher.next_frame("draft", timeout=3, where=lambda f: f["fields"] == {})

    run(body())


def test_a_waiter_on_the_other_process_is_offered_the_lock_from_the_list(pair):
    a, b = pair()
    appt = a.new_appointment()["id"]
    alice, bob = a.token("alice"), b.token("bob")
    status, _, _ = a.acquire(appt, alice)
    assert status == 200

    async def body():
        async with Clients(b) as on_b:
            page = await on_b.open("bob", appt)
            await page.snapshot()
            status, _, queued = await call(b.acquire, appt, bob, page.session_id, queue=True)
            assert status == 202, queued
            feed = await on_b.open("bob", session=page.session_id)  # back on the list
            await feed.snapshot()
            await page.close()
            status, _, _ = await call(a.release, appt, alice)
            assert status == 200
            f = await feed.next_frame("lock.offered", timeout=3, where=lambda f: f["offer"]["appointmentId"] == appt)
            assert f["offer"]["sessionId"] == page.session_id
            status, _, taken = await call(b.acquire, appt, bob)
            assert status == 200, taken

    run(body())

    def a_knows():  # B's grant reaches A with its notification
        lock = a.lock_status(appt, alice)["lock"]
        return lock and lock["userInfo"]["email"] == "bob@example.com"

    wait_for(a_knows, timeout=3, message="A to see the lock B granted")


def test_created_and_deleted_on_one_process_reach_lists_and_rooms_on_the_other(pair):
    a, b = pair()

    async def body():
        async with Clients(b) as on_b:
            feed = await on_b.open("carol")
            await feed.snapshot()
            created = await call(a.new_appointment, a.token("alice"))
            f = await feed.next_frame("appointment.created", timeout=3,
                                      where=lambda f: f["appointment"]["id"] == created["id"])
            assert f["appointment"]["title"] == created["title"]
            watcher = await on_b.open("bob", created["id"])
            await watcher.snapshot()
            status, _, held = await call(a.acquire, created["id"], a.token("alice"))
            assert status == 200
            status, _, _ = await call(a.api, "DELETE", f"/api/appointments/{created['id']}", token=a.token("alice"),
                                      headers={"X-Lock-Token": str(held["lock"]["fencingToken"])})
            assert status == 204
            for c in (feed, watcher):
                await c.next_frame("appointment.deleted", timeout=3,
                                   where=lambda f: f["appointmentId"] == created["id"])
            await watcher.wait_closed()
            assert watcher.close_code == 1000

    run(body())


def test_readyz_on_postgresql_fails_while_the_database_refuses_connections_and_recovers(database, tmp_path):
    srv = Server(tmp_path / "a", [], db_url=database + "?application_name=slotlock_ready")
    srv.workdir.mkdir()
    srv.start()
    name = urlsplit(database).path.lstrip("/")
    try:
        assert srv.request("GET", "/readyz")[0] == 200
        # The database takes no new connections, and the server's are cut.
        psql(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
        psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'slotlock_ready'")
        started = time.monotonic()
        status, _, body = srv.api("GET", "/readyz")
        assert status == 503 and body["error"]["code"] == "STORE_UNAVAILABLE", body
        assert time.monotonic() - started < 10
        assert srv.request("GET", "/healthz")[0] == 200  # alive, just not ready
        psql(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
        wait_for(lambda: srv.request("GET", "/readyz")[0] == 200, timeout=15, message="/readyz to recover")
        assert srv.metric("slotlock_store_errors_total", operation="ping", kind="unavailable") >= 1 or \
            srv.metric("slotlock_store_errors_total", operation="run_batch", kind="unavailable") >= 1
    finally:
        psql(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
        srv.stop()
