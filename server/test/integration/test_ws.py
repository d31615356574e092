"""The real-time channel, black-box: snapshots, lock and save events, presence, cursors, activity,
ping, the list-wide feed, expiry pushes and the disconnect grace — with real WebSocket clients."""

import asyncio
import re
import time
from datetime import datetime

import aiohttp

from conftest import new_session
from ws_client import Clients, call, run

SERVER_ARGS = ["--lock-rate", "1000"]

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
EDITABLE = ("title", "clientName", "clientEmail", "startsAt", "endsAt", "location", "notes", "status")
VIEWER_FIELDS = {"userId", "name", "email", "role", "sessionId", "color"}
CURSOR_FIELDS = {"userId", "sessionId", "name", "color", "x", "y"}
PUSH = 1.0  # seconds within which an event reaches every viewer


def ts(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def new_appt(server):
    return server.new_appointment()["id"]


def prompt(frame, started, limit=PUSH):
    took = frame["_at"] - started
    assert took <= limit, f"{frame['type']} took {took:.3f}s (limit {limit}s)"
    return frame


def person_ok(p, server, who):
    assert p["userId"] == server.user_id(who)
    assert p["email"] == f"{who}@example.com"
    assert p["name"]


def lock_status(server, appt, who="carol"):
    return server.lock_status(appt, server.token(who))


# -- snapshot ---------------------------------------------------------------------------------------

def test_snapshot_of_a_free_appointment(server):
    appt = new_appt(server)
    alice_id = server.user_id("alice")

    async def body():
        async with Clients(server) as cs:
            a = await cs.open("alice", appt)
            snap = await a.snapshot()
            assert ISO_MS.match(snap["serverTime"]), snap
            assert snap["lock"] is None
            assert snap["appointment"] == {"id": appt, "version": 1}
            assert snap["cursors"] == [] and snap["queue"] == []
            mine = [v for v in snap["presence"] if v["sessionId"] == a.session_id]
            assert len(mine) == 1, snap["presence"]
            me = mine[0]
            assert set(me) >= VIEWER_FIELDS
            assert me["userId"] == alice_id and me["email"] == "alice@example.com" and me["role"] == "user"
            assert me["name"] == "Alice Martin"
            assert COLOR.match(me["color"]), me

    run(body())


def test_snapshot_with_a_held_lock_a_queue_and_a_saved_version(server):
    a = server.new_appointment()
    appt = a["id"]
    bob_session = new_session()
    status, _, held = server.acquire(appt, server.token("bob"), bob_session)
    assert status == 200, held
    payload = {k: a[k] for k in EDITABLE}
    payload.update(version=a["version"], title="Saved once")
    status, _, saved = server.api("PUT", f"/api/appointments/{appt}", token=server.token("bob"), json=payload,
                                  headers={"X-Lock-Token": str(held["lock"]["fencingToken"])})
    assert status == 200 and saved["version"] == 2, saved
    alice_tab = server.open_tab(appt, server.token("alice"))
    status, _, queued = server.acquire(appt, server.token("alice"), alice_tab, queue=True)
    assert status == 202 and queued["queued"] is True, queued

    async def body():
        async with Clients(server) as cs:
            c = await cs.open("carol", appt)
            snap = await c.snapshot()
            lock = snap["lock"]
            assert lock is not None, snap
            assert lock["appointmentId"] == appt
            assert lock["userId"] == server.user_id("bob") and lock["sessionId"] == bob_session
            assert lock["userInfo"]["email"] == "bob@example.com"
            assert lock["fencingToken"] == held["lock"]["fencingToken"]
            assert ts(lock["expiresAt"]) > ts(snap["serverTime"])
            assert snap["appointment"] == {"id": appt, "version": 2}
            assert [(q["userId"], q["role"]) for q in snap["queue"]] == [(server.user_id("alice"), "user")]
            assert snap["queue"][0]["name"] == "Alice Martin"

    run(body())
    server.release(appt, server.token("bob"))


def test_seq_is_strictly_consecutive_across_frame_kinds(server):
    appt = new_appt(server)
    alice = server.token("alice")

    async def body():
        async with Clients(server) as cs:
            a = await cs.open("alice", appt)
            b = await cs.open("bob", appt)
            await b.snapshot()
            for i in range(3):
                await a.send({"type": "cursor", "x": i / 10, "y": 0.5})
                await b.next_frame("cursors")
                await b.send({"type": "ping"})
                await b.next_frame("pong")
                status, _, _ = await call(server.acquire, appt, alice, a.session_id)
                assert status == 200
                await b.next_frame("lock.acquired")
                await call(server.release, appt, alice)
                await b.next_frame("lock.released")
            await b.send_str("not json")
            await b.next_frame("error")
            c = await cs.open("carol", appt)
            await b.next_frame("presence", where=lambda f: len(f["presence"]) == 3)
            await c.close()
            await b.next_frame("presence", where=lambda f: len(f["presence"]) == 2)
            seqs = [f["seq"] for f in b.frames]
            assert seqs == list(range(1, len(seqs) + 1)), seqs
            assert len(seqs) >= 17
            assert b.frames[0]["type"] == "snapshot"

    run(body())


# -- lock events ------------------------------------------------------------------------------------

def test_viewer_sees_lock_acquired_and_released(server):
    appt = new_appt(server)
    alice = server.token("alice")

    async def body():
        async with Clients(server) as cs:
            b = await cs.open("bob", appt)
            await b.snapshot()
            session = new_session()
            started = time.monotonic()
            status, _, held = await call(server.acquire, appt, alice, session)
            assert status == 200, held
            f = prompt(await b.next_frame("lock.acquired"), started)
            assert f["lock"]["appointmentId"] == appt
            assert f["lock"]["userId"] == server.user_id("alice") and f["lock"]["sessionId"] == session
            assert f["lock"]["fencingToken"] == held["lock"]["fencingToken"]
            assert f["lock"]["expiresAt"] == held["lock"]["expiresAt"]

            started = time.monotonic()
            status, _, out = await call(server.release, appt, alice)
            assert status == 200 and out == {"released": True}, out
            f = prompt(await b.next_frame("lock.released"), started)
            assert f["appointmentId"] == appt and f["reason"] == "user"
            person_ok(f["previousHolder"], server, "alice")

    run(body())


def test_viewers_and_holder_see_an_admin_takeover(server):
    appt = new_appt(server)
    alice_session = new_session()
    status, _, _ = server.acquire(appt, server.token("alice"), alice_session)
    assert status == 200

    async def body():
        async with Clients(server) as cs:
            holder = await cs.open("alice", appt, session=alice_session)
            viewer = await cs.open("bob", appt)
            await holder.snapshot()
            await viewer.snapshot()
            started = time.monotonic()
            status, _, taken = await call(server.acquire, appt, server.token("carol"), takeover=True)
            assert status == 200, taken
            for c in (viewer, holder):
                f = prompt(await c.next_frame("lock.taken_over"), started)
                assert f["lock"]["userId"] == server.user_id("carol")
                assert f["lock"]["fencingToken"] == taken["lock"]["fencingToken"]
                person_ok(f["previousHolder"], server, "alice")
                person_ok(f["by"], server, "carol")

    run(body())
    server.release(appt, server.token("carol"))


def test_queue_changes_and_the_grant_are_pushed(server):
    appt = new_appt(server)
    alice, bob = server.token("alice"), server.token("bob")
    status, _, _ = server.acquire(appt, alice)
    assert status == 200

    async def body():
        async with Clients(server) as cs:
            waiter = await cs.open("bob", appt)
            await waiter.snapshot()
            started = time.monotonic()
            status, _, queued = await call(server.acquire, appt, bob, waiter.session_id, queue=True)
            assert status == 202 and queued["position"] == 1, queued
            f = prompt(await waiter.next_frame("lock.queue"), started)
            assert f["appointmentId"] == appt
            assert [q["userId"] for q in f["queue"]] == [server.user_id("bob")]

            started = time.monotonic()
            status, _, _ = await call(server.release, appt, alice)
            assert status == 200
            f = prompt(await waiter.next_frame("lock.offered"), started)
            assert f["offer"]["userId"] == server.user_id("bob")
            assert f["offer"]["sessionId"] == waiter.session_id
            f = prompt(await waiter.next_frame("lock.queue"), started)
            assert f["queue"] == []
            assert "lock.released" in waiter.types()  # alice's release came first
            started = time.monotonic()
            status, _, _ = await call(server.acquire, appt, bob, waiter.session_id)
            assert status == 200
            f = prompt(await waiter.next_frame("lock.granted"), started)
            assert f["lock"]["userId"] == server.user_id("bob")
            assert f["lock"]["sessionId"] == waiter.session_id

    run(body())
    assert lock_status(server, appt)["lock"]["userId"] == server.user_id("bob")
    server.release(appt, bob)


def test_save_reaches_viewers_and_the_feed(server):
    a = server.new_appointment()
    appt = a["id"]
    alice = server.token("alice")
    status, _, held = server.acquire(appt, alice)
    assert status == 200

    async def body():
        async with Clients(server) as cs:
            viewer = await cs.open("bob", appt)
            feed = await cs.open("carol")
            await viewer.snapshot()
            await feed.snapshot()
            payload = {k: a[k] for k in EDITABLE}
            payload.update(version=a["version"], title="Moved to room 3", location="Room 3")
            started = time.monotonic()
            status, _, saved = await call(server.api, "PUT", f"/api/appointments/{appt}", token=alice,
                                          json=payload,
                                          headers={"X-Lock-Token": str(held["lock"]["fencingToken"])})
            assert status == 200 and saved["version"] == a["version"] + 1, saved
            for c in (viewer, feed):
                f = prompt(await c.next_frame("appointment.updated",
                                              where=lambda f: f["appointment"]["id"] == appt), started)
                assert f["appointment"]["version"] == saved["version"]
                assert f["appointment"]["updatedBy"]["id"] == server.user_id("alice")
                assert f["appointment"]["updatedBy"]["email"] == "alice@example.com"

    run(body())
    server.release(appt, alice)


def test_lock_events_reach_viewers_in_the_order_they_happened(server):
    """Three users race acquire/release on one appointment; every viewer must see a history that could
    have happened: a grant only while free, a release naming the current holder, tokens growing."""
    appt = new_appt(server)
    base = f"http://127.0.0.1:{server.port}/api/appointments/{appt}"
    rounds = 150

    async def hammer(who):
        wins = 0
        async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {server.token(who)}"}) as http:
            session = new_session()
            for _ in range(rounds):
                async with http.post(f"{base}/acquire-lock", json={"sessionId": session}) as r:
                    assert r.status in (200, 409), r.status
                    if r.status != 200:
                        continue
                wins += 1
                async with http.delete(f"{base}/release-lock") as r:
                    assert r.status == 200, r.status
        return wins

    def replay(frames):
        holder, token, wrong, events = None, 0, [], 0
        for f in frames:
            kind = f["type"]
            if kind in ("lock.acquired", "lock.granted", "lock.taken_over"):
                events += 1
                email = f["lock"]["userInfo"]["email"]
                if holder is not None and kind != "lock.taken_over":
                    wrong.append(f"seq {f['seq']}: {kind} for {email} while {holder} holds it")
                if f["lock"]["fencingToken"] <= token:
                    wrong.append(f"seq {f['seq']}: token {f['lock']['fencingToken']} after {token}")
                holder, token = email, f["lock"]["fencingToken"]
            elif kind in ("lock.released", "lock.expired"):
                events += 1
                if f["previousHolder"]["email"] != holder:
                    wrong.append(f"seq {f['seq']}: {kind} of {f['previousHolder']['email']} while {holder} holds it")
                holder = None
        return holder, events, wrong

    async def body():
        async with Clients(server) as cs:
            viewer = await cs.open("bob", appt)
            feed = await cs.open("alice")
            await viewer.snapshot()
            await feed.snapshot()
            wins = sum(await asyncio.gather(*(hammer(w) for w in ("alice", "bob", "carol"))))
            assert (await call(lock_status, server, appt))["locked"] is False
            # the very last event is the last release: wait for it, then judge the whole history
            for c in (viewer, feed):
                await c.next_frame("lock.released", timeout=PUSH, where=lambda f: sum(
                    1 for g in c.frames if g["type"] == "lock.released"
                    and g.get("appointmentId") == appt) == wins)
            for c in (viewer, feed):
                mine = [f for f in c.frames if appt in (f.get("appointmentId"), (f.get("lock") or {}).get("appointmentId"))]
                holder, events, wrong = replay(mine)
                assert events == 2 * wins, (events, wins)
                assert not wrong, f"{c.who}: {len(wrong)} out-of-order lock events, e.g. {wrong[:4]}"
                assert holder is None, f"{c.who} was left believing {holder} holds the lock"

    run(body())


def test_refreshes_are_throttled_and_the_latest_is_sent_later_unless_superseded(server):
    appt = new_appt(server)
    alice = server.token("alice")
    session = new_session()
    status, _, _ = server.acquire(appt, alice, session)
    assert status == 200

    def heartbeat():
        status, _, body = server.api("POST", f"/api/appointments/{appt}/heartbeat", token=alice,
                                     json={"sessionId": session})
        assert status == 200, body
        return body["lock"]

    async def body():
        async with Clients(server) as cs:
            viewer = await cs.open("bob", appt)
            await viewer.snapshot()
            started = time.monotonic()
            first = await call(heartbeat)
            f1 = prompt(await viewer.next_frame("lock.refreshed"), started)
            assert f1["lock"]["expiresAt"] == first["expiresAt"]
            await asyncio.sleep(0.01)
            await call(heartbeat)
            await asyncio.sleep(0.01)
            latest = await call(heartbeat)
            assert latest["expiresAt"] != first["expiresAt"]
            # held back: nothing for a while, then exactly the latest one about 3 s after the first
            f2 = await viewer.next_frame("lock.refreshed", timeout=4.0)
            gap = f2["_at"] - f1["_at"]
            assert 2.9 <= gap <= 3.0 + PUSH, f"the held-back refresh came {gap:.3f}s after the first"
            assert f2["lock"]["expiresAt"] == latest["expiresAt"]

            # a refresh held back and then overtaken by a release must never be sent
            await call(heartbeat)
            status, _, _ = await call(server.release, appt, alice)
            assert status == 200
            await viewer.next_frame("lock.released", timeout=PUSH)
            await viewer.no_frame("lock.refreshed", 3.3)
            assert [f["type"] for f in viewer.frames if f["type"].startswith("lock.")] == \
                ["lock.refreshed", "lock.refreshed", "lock.released"]

    run(body())


# -- presence ---------------------------------------------------------------------------------------

def test_presence_on_join_and_leave_with_one_colour_per_user(server):
    appt = new_appt(server)

    async def body():
        async with Clients(server) as cs:
            b = await cs.open("bob", appt)
            await b.snapshot()
            a1 = await cs.open("alice", appt)
            f = await b.next_frame("presence", where=lambda f: len(f["presence"]) == 2)
            a2 = await cs.open("alice", appt)
            f = await b.next_frame("presence", where=lambda f: len(f["presence"]) == 3)
            by_session = {v["sessionId"]: v for v in f["presence"]}
            assert set(by_session) == {b.session_id, a1.session_id, a2.session_id}
            for v in f["presence"]:
                assert set(v) >= VIEWER_FIELDS and COLOR.match(v["color"])
            assert by_session[a1.session_id]["color"] == by_session[a2.session_id]["color"]
            assert by_session[a1.session_id]["userId"] == by_session[a2.session_id]["userId"]
            assert by_session[b.session_id]["role"] == "user"

            # a2's own snapshot agrees on the colour of each user
            snap = await a2.snapshot()
            colors = {v["sessionId"]: v["color"] for v in snap["presence"]}
            assert colors.get(a1.session_id) == by_session[a1.session_id]["color"]

            await a2.close()
            f = await b.next_frame("presence", timeout=PUSH)
            assert {v["sessionId"] for v in f["presence"]} == {b.session_id, a1.session_id}
            f = await a1.next_frame("presence", where=lambda f: len(f["presence"]) == 2)
            assert a2.session_id not in {v["sessionId"] for v in f["presence"]}

    run(body())


# -- cursors ----------------------------------------------------------------------------------------

def test_cursor_reaches_others_with_name_and_colour_but_never_its_own_user(server):
    appt = new_appt(server)

    async def body():
        async with Clients(server) as cs:
            a = await cs.open("alice", appt)
            a_other_tab = await cs.open("alice", appt)
            b = await cs.open("bob", appt)
            snap = await b.snapshot()
            colour = {v["sessionId"]: v["color"] for v in snap["presence"]}[a.session_id]
            started = time.monotonic()
            await a.send({"type": "cursor", "x": 0.25, "y": 0.75})
            f = prompt(await b.next_frame("cursors"), started, 0.5)
            assert len(f["cursors"]) == 1, f
            c = f["cursors"][0]
            assert set(c) >= CURSOR_FIELDS
            assert c["userId"] == server.user_id("alice") and c["sessionId"] == a.session_id
            assert c["name"] == "Alice Martin" and c["color"] == colour
            assert (c["x"], c["y"]) == (0.25, 0.75)
            # neither the tab that moved nor another tab of the same user hears of it
            await a.no_frame("cursors", 0.3)
            await a_other_tab.no_frame("cursors", 0.01)

            # and the reverse direction: alice sees bob, bob does not see himself
            await b.send({"type": "cursor", "x": 0, "y": 1})
            f = await a.next_frame("cursors")
            assert [(c["userId"], c["x"], c["y"]) for c in f["cursors"]] == [(server.user_id("bob"), 0, 1)]
            await b.no_frame("cursors", 0.3)

    run(body())


def test_cursor_moves_are_coalesced_into_few_frames(server):
    appt = new_appt(server)

    async def body():
        async with Clients(server) as cs:
            a = await cs.open("alice", appt)
            b = await cs.open("bob", appt)
            await b.snapshot()
            moves = [(i / 32, 1 - i / 32) for i in range(20)]  # binary fractions: exact in any JSON codec
            last = moves[-1]
            for x, y in moves:
                await a.send({"type": "cursor", "x": x, "y": y})
            final = await b.next_frame("cursors", where=lambda f: any(
                (c["x"], c["y"]) == last for c in f["cursors"]))
            await b.no_frame("cursors", 0.2)
            frames = [f for f in b.frames if f["type"] == "cursors"]
            assert len(frames) <= 5, f"{len(frames)} cursors frames for 20 moves"
            assert frames[-1] is final
            mine = [c for c in final["cursors"] if c["sessionId"] == a.session_id]
            assert len(mine) == 1 and (mine[0]["x"], mine[0]["y"]) == last
            for f in frames:
                assert len({c["sessionId"] for c in f["cursors"]}) == len(f["cursors"]), f

    run(body())


def test_cursor_of_a_tab_that_left_is_gone_from_a_fresh_snapshot(server):
    appt = new_appt(server)

    async def body():
        async with Clients(server) as cs:
            a = await cs.open("alice", appt)
            b = await cs.open("bob", appt)
            await b.snapshot()
            await a.send({"type": "cursor", "x": 0.5, "y": 0.5})
            await b.next_frame("cursors")
            c1 = await cs.open("carol", appt)
            snap = await c1.snapshot()
            assert [(c["sessionId"], c["x"], c["y"]) for c in snap["cursors"]] == [(a.session_id, 0.5, 0.5)]
            await a.close()
            await b.next_frame("presence", where=lambda f: a.session_id not in
                               {v["sessionId"] for v in f["presence"]})
            c2 = await cs.open("carol", appt)
            snap = await c2.snapshot()
            assert snap["cursors"] == [], snap["cursors"]
            assert a.session_id not in {v["sessionId"] for v in snap["presence"]}

    run(body())


# -- activity and ping ------------------------------------------------------------------------------

def test_activity_from_the_holder_extends_the_lock(server):
    appt = new_appt(server)
    alice = server.token("alice")
    session = new_session()
    status, _, held = server.acquire(appt, alice, session)
    assert status == 200

    async def body():
        async with Clients(server) as cs:
            holder = await cs.open("alice", appt, session=session)
            viewer = await cs.open("bob", appt)
            await holder.snapshot()
            await viewer.snapshot()
            before = (await call(lock_status, server, appt))["lock"]
            assert before["expiresAt"] == held["lock"]["expiresAt"]

            # a viewer's activity is not the holder's
            await viewer.send({"type": "activity"})
            await viewer.no_frame("lock.refreshed", 0.3)
            assert (await call(lock_status, server, appt))["lock"]["expiresAt"] == before["expiresAt"]

            await holder.send({"type": "activity"})
            f = await viewer.next_frame("lock.refreshed", timeout=PUSH)
            assert f["lock"]["userId"] == server.user_id("alice")
            assert f["lock"]["fencingToken"] == held["lock"]["fencingToken"]
            after = (await call(lock_status, server, appt))["lock"]
            assert ts(after["expiresAt"]) > ts(before["expiresAt"]), (before, after)
            assert ts(after["lastActivityAt"]) > ts(before["lastActivityAt"])
            assert after["fencingToken"] == before["fencingToken"]
            assert f["lock"]["expiresAt"] == after["expiresAt"]

            # a second activity at once is throttled (at most one per 2 s per connection)
            await holder.send({"type": "activity"})
            await asyncio.sleep(0.3)
            assert (await call(lock_status, server, appt))["lock"]["lastActivityAt"] == after["lastActivityAt"]

    # lastActivityAt has millisecond resolution: let the clock move past the acquisition
    time.sleep(0.02)
    run(body())
    server.release(appt, alice)


def test_ping_gets_pong_on_rooms_and_the_feed(server):
    appt = new_appt(server)

    async def body():
        async with Clients(server) as cs:
            for c in (await cs.open("alice", appt), await cs.open("alice")):
                await c.snapshot()
                for _ in range(2):
                    started = time.monotonic()
                    await c.send({"type": "ping"})
                    f = prompt(await c.next_frame("pong"), started, 0.5)
                    assert ISO_MS.match(f["serverTime"]), f

    run(body())


# -- the list-wide feed -----------------------------------------------------------------------------

def test_feed_snapshot_lists_held_locks_and_gets_every_appointments_lock_events(server):
    held_appt, other = new_appt(server), new_appt(server)
    alice, bob = server.token("alice"), server.token("bob")
    session = new_session()
    status, _, held = server.acquire(held_appt, alice, session)
    assert status == 200

    async def body():
        async with Clients(server) as cs:
            feed = await cs.open("bob")
            snap = await feed.snapshot()
            assert ISO_MS.match(snap["serverTime"])
            assert isinstance(snap["locks"], list)
            mine = [l for l in snap["locks"] if l["appointmentId"] == held_appt]
            assert len(mine) == 1, snap["locks"]
            assert mine[0]["userId"] == server.user_id("alice") and mine[0]["sessionId"] == session
            assert mine[0]["fencingToken"] == held["lock"]["fencingToken"]
            assert not [l for l in snap["locks"] if l["appointmentId"] == other]

            of_other = lambda f: f.get("appointmentId", f.get("lock", {}).get("appointmentId")) == other
            started = time.monotonic()
            status, _, _ = await call(server.acquire, other, bob)
            assert status == 200
            f = prompt(await feed.next_frame("lock.acquired", where=of_other), started)
            assert f["lock"]["userId"] == server.user_id("bob")

            alice_tab = await call(server.open_tab, other, alice)
            status, _, _ = await call(server.acquire, other, alice, alice_tab, queue=True)
            assert status == 202
            started = time.monotonic()
            status, _, _ = await call(server.release, other, bob)
            assert status == 200
            f = prompt(await feed.next_frame("lock.released", where=of_other), started)
            person_ok(f["previousHolder"], server, "bob")
            f = prompt(await feed.next_frame("lock.offered", where=lambda f: f["offer"]["appointmentId"] == other),
                       started)
            assert f["offer"]["userId"] == server.user_id("alice")
            status, _, _ = await call(server.acquire, other, alice, alice_tab)
            assert status == 200
            f = prompt(await feed.next_frame("lock.granted", where=of_other), started)
            assert f["lock"]["userId"] == server.user_id("alice")
            await feed.no_frame("lock.queue", 0.2)
            assert "lock.queue" not in feed.types()
            await call(server.release, other, alice)
            await feed.next_frame("lock.released", where=of_other)

    run(body())
    server.release(held_appt, alice)


# -- expiry and disconnects (servers of their own) --------------------------------------------------

def test_expiry_is_pushed_within_a_second(server_factory):
    srv = server_factory("--lock-ttl", "2")
    appt = srv.new_appointment()["id"]

    async def body():
        async with Clients(srv) as cs:
            viewer = await cs.open("bob", appt)
            feed = await cs.open("carol")
            await viewer.snapshot()
            await feed.snapshot()
            status, _, held = await call(srv.acquire, appt, srv.token("alice"))
            assert status == 200
            expires = ts(held["lock"]["expiresAt"])
            for c in (viewer, feed):
                f = await c.next_frame("lock.expired", timeout=4)
                assert f["appointmentId"] == appt and f["reason"] == "expiry"
                person_ok(f["previousHolder"], srv, "alice")
                late = f["_wall"] - expires
                assert -0.05 <= late <= 1.0, f"pushed {late:+.3f}s from expiresAt"
            assert (await call(srv.lock_status, appt, srv.token("bob")))["locked"] is False

    run(body())


def test_disconnect_releases_the_lock_after_the_grace(server_factory):
    srv = server_factory("--disconnect-grace", "1")
    appt = srv.new_appointment()["id"]
    session = new_session()
    status, _, _ = srv.acquire(appt, srv.token("alice"), session)
    assert status == 200

    async def body():
        async with Clients(srv) as cs:
            viewer = await cs.open("bob", appt)
            await viewer.snapshot()
            tab = await cs.open("alice", appt, session=session)
            same_tab = await cs.open("alice", appt, session=session)
            await viewer.next_frame("presence", where=lambda f: len(f["presence"]) == 3)

            # one of the tab's two sockets goes: the tab is still there
            await same_tab.close()
            await viewer.next_frame("presence", where=lambda f: len(f["presence"]) == 2)
            await viewer.no_frame("lock.released", 1.5)

            await tab.abandon()  # the last socket of the tab drops without a goodbye
            gone = time.monotonic()
            f = await viewer.next_frame("lock.released", timeout=3)
            assert f["reason"] == "disconnect" and f["appointmentId"] == appt
            person_ok(f["previousHolder"], srv, "alice")
            waited = f["_at"] - gone
            assert 0.9 <= waited <= 1.0 + PUSH, f"released {waited:.3f}s after the disconnect (grace 1s)"

    run(body())
    assert srv.lock_status(appt, srv.token("bob"))["locked"] is False
    rows = [r for r in srv.audit(appt) if r["action"] == "released"]
    assert len(rows) == 1 and rows[0]["reason"] == "disconnect", rows
    assert rows[0]["previousHolder"]["email"] == "alice@example.com"


def test_reconnect_within_the_grace_keeps_the_lock(server_factory):
    srv = server_factory("--disconnect-grace", "3")
    appt = srv.new_appointment()["id"]
    session = new_session()
    status, _, held = srv.acquire(appt, srv.token("alice"), session)
    assert status == 200

    async def body():
        async with Clients(srv) as cs:
            viewer = await cs.open("bob", appt)
            await viewer.snapshot()
            tab = await cs.open("alice", appt, session=session)
            await tab.snapshot()
            await tab.close()
            again = await cs.open("alice", appt, session=session)  # well within a second
            snap = await again.snapshot()
            assert snap["lock"]["sessionId"] == session
            await viewer.no_frame(("lock.released", "lock.expired"), 4.0)

    run(body())
    status = srv.lock_status(appt, srv.token("bob"))
    assert status["locked"] is True
    assert status["lock"]["sessionId"] == session
    assert status["lock"]["fencingToken"] == held["lock"]["fencingToken"]
    assert not [r for r in srv.audit(appt) if r["action"] == "released"]


def test_holder_that_never_opened_a_socket_keeps_the_lock(server_factory):
    srv = server_factory("--disconnect-grace", "1")
    appt = srv.new_appointment()["id"]
    session = new_session()
    status, _, held = srv.acquire(appt, srv.token("alice"), session)
    assert status == 200

    async def body():
        async with Clients(srv) as cs:
            viewer = await cs.open("bob", appt)
            await viewer.snapshot()
            # another tab of the same user comes and goes: not the holding tab
            other_tab = await cs.open("alice", appt)
            await other_tab.snapshot()
            await other_tab.close()
            await viewer.no_frame(("lock.released", "lock.expired"), 2.0)

    run(body())
    status = srv.lock_status(appt, srv.token("bob"))
    assert status["locked"] is True and status["lock"]["sessionId"] == session
    assert status["lock"]["fencingToken"] == held["lock"]["fencingToken"]
