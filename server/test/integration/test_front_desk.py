"""The front desk's day (issue 13): finding appointments page by page, creating with double-booking
warnings, deleting, the history of every save, the clinic's time zone, live typing, and a waiting
line that offers the lock instead of starting its clock for someone who is not there."""

import asyncio
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from conftest import error_code
from ws_client import Clients, call, run

# A short offer so that the tests see one run out; the disconnect grace short too.
SERVER_ARGS = ["--lock-rate", "1000", "--offer-timeout", "2", "--disconnect-grace", "1",
               "--time-zone", "Europe/Berlin"]

EDITABLE = ("title", "clientName", "clientEmail", "startsAt", "endsAt", "location", "notes", "status")


def iso(t):
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def far_day(offset_days):
    """A day of its own, far from the demo data and from other tests: 09:00 UTC."""
    base = datetime(2031, 1, 1, 9, tzinfo=timezone.utc)
    return base + timedelta(days=offset_days)


def make(server, token=None, start=None, minutes=30, **fields):
    start = start or far_day(0)
    payload = {
        "title": "Front desk check",
        "clientName": "Test Client",
        "clientEmail": "client@example.org",
        "startsAt": iso(start),
        "endsAt": iso(start + timedelta(minutes=minutes)),
        "location": f"Room {uuid.uuid4().hex[:6]}",
        "notes": "",
        "status": "scheduled",
    }
    payload.update(fields)
    status, _, body = server.api("POST", "/api/appointments", token=token or server.token("alice"), json=payload)
    assert status == 201, body
    return body


def listing(server, query, token=None):
    return server.api("GET", "/api/appointments" + query, token=token or server.token("alice"))


def ids(body):
    return [a["id"] for a in body["items"]]


def editable(a, **changes):
    body = {k: a[k] for k in EDITABLE}
    body["version"] = a["version"]
    body.update(changes)
    return body


def put(server, a, token, fencing, **changes):
    return server.api("PUT", f"/api/appointments/{a['id']}", token=token, json=editable(a, **changes),
                      headers={"X-Lock-Token": str(fencing)})


# -- configuration ----------------------------------------------------------------------------------

def test_config_tells_the_clinic_time_zone_and_demo_mode_without_sign_in(server):
    status, _, body = server.api("GET", "/api/config")
    assert status == 200, body
    assert body == {"timeZone": "Europe/Berlin", "demo": True}


def test_config_says_when_the_server_runs_without_demo_data(tmp_path):
    import http.client
    import json
    import re
    import signal
    import subprocess
    from conftest import BIN
    proc = subprocess.Popen([str(BIN), "--host", "127.0.0.1", "--port", "0", "--db", f"sqlite:{tmp_path}/plain.db"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        port = None
        for line in proc.stdout:
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
            if m:
                port = int(m.group(1))
                break
        assert port, "the server did not start"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/api/config")
        resp = conn.getresponse()
        assert resp.status == 200
        assert json.loads(resp.read()) == {"timeZone": "UTC", "demo": False}
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)


def test_an_unknown_time_zone_stops_the_server_with_a_plain_message(server_factory, tmp_path):
    import subprocess
    from conftest import BIN
    for zone in ("Mars/Olympus_Mons", "../../etc/passwd", "Europe/Berlin/", ""):
        out = subprocess.run([BIN, "--time-zone", zone, "--db", f"sqlite:{tmp_path}/tz.db", "--port", "0"],
                             capture_output=True, text=True, timeout=10)
        assert out.returncode != 0, zone
        assert "time zone" in (out.stdout + out.stderr), out.stdout + out.stderr


# -- listing ----------------------------------------------------------------------------------------

def test_without_parameters_the_list_starts_today_and_pages_by_a_hundred(server):
    status, _, body = listing(server, "")
    assert status == 200, body
    assert set(body) == {"items", "nextCursor"}
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    assert all(a["startsAt"][:10] >= today for a in body["items"])
    assert len(body["items"]) <= 100
    starts = [(a["startsAt"], a["id"]) for a in body["items"]]
    assert starts == sorted(starts)


def test_pages_follow_the_cursor_and_stay_stable_while_others_create(server):
    day = far_day(10)
    made = [make(server, start=day + timedelta(minutes=10 * i))["id"] for i in range(7)]
    q = f"?from={quote(iso(day))}&to={quote(iso(day + timedelta(days=1)))}&limit=3"
    status, _, first = listing(server, q)
    assert status == 200 and ids(first) == made[:3] and first["nextCursor"], first

    # While the first page is on screen, someone creates one before it and one at its end.
    make(server, token=server.token("bob"), start=day + timedelta(minutes=5))
    late = make(server, token=server.token("bob"), start=day + timedelta(hours=5))["id"]

    seen, cursor = [], first["nextCursor"]
    while cursor:
        status, _, page = listing(server, q + "&cursor=" + quote(cursor))
        assert status == 200, page
        seen += ids(page)
        cursor = page["nextCursor"]
    assert seen == made[3:] + [late]


def test_concurrent_creations_never_repeat_or_skip_a_row_on_later_pages(server):
    day = far_day(20)
    base = [make(server, start=day + timedelta(minutes=i))["id"] for i in range(20)]
    q = f"?from={quote(iso(day))}&to={quote(iso(day + timedelta(days=1)))}&limit=4"
    stop = threading.Event()
    created = []

    def writer():
        n = 0
        while not stop.is_set() and n < 30:
            # Always after every row already listed: each must show up exactly once.
            created.append(make(server, token=server.token("bob"), start=day + timedelta(hours=2, seconds=n))["id"])
            n += 1

    t = threading.Thread(target=writer)
    t.start()
    seen, cursor = [], None
    try:
        while True:
            status, _, page = listing(server, q + (f"&cursor={quote(cursor)}" if cursor else ""))
            assert status == 200, page
            seen += ids(page)
            cursor = page["nextCursor"]
            if not cursor:
                break
    finally:
        stop.set()
        t.join()
    assert len(seen) == len(set(seen)), "a row came twice"
    assert seen[:20] == base
    # Rows made during the walk appear in order, none skipped up to the last one seen.
    tail = seen[20:]
    assert tail == created[:len(tail)]


def test_search_filters_and_day_bounds(server):
    day = far_day(30)
    canal = make(server, start=day, title="Root canal", clientName="Maya Patel")
    notes = make(server, start=day + timedelta(hours=1), notes="asked about CANAL work", status="confirmed")
    other = make(server, start=day + timedelta(hours=2), status="cancelled")
    next_day = make(server, start=day + timedelta(days=1), title="Root canal again")
    span = f"from={quote(iso(day - timedelta(hours=9)))}&to={quote(iso(day + timedelta(hours=15)))}"

    status, _, body = listing(server, f"?{span}")
    assert ids(body) == [canal["id"], notes["id"], other["id"]]
    status, _, body = listing(server, f"?{span}&q=canal")
    assert ids(body) == [canal["id"], notes["id"]]
    status, _, body = listing(server, f"?{span}&q=PATEL")
    assert ids(body) == [canal["id"]]
    status, _, body = listing(server, f"?{span}&status=confirmed&status=cancelled")
    assert ids(body) == [notes["id"], other["id"]]
    status, _, body = listing(server, f"?{span}&q=canal&status=scheduled")
    assert ids(body) == [canal["id"]]
    status, _, body = listing(server, f"?from={quote(iso(day))}&q=canal")
    assert ids(body) == [canal["id"], notes["id"], next_day["id"]]
    # Every listed row carries its lock (none here).
    assert all(a["lock"] is None for a in body["items"])


def test_bad_list_parameters_are_400_naming_the_parameter(server):
    cases = {
        "from=tomorrow": "from",
        "to=2031-02-30T00:00:00Z": "to",
        "from=2031-01-02T00:00:00Z&to=2031-01-01T00:00:00Z": "to",
        "q=" + "x" * 201: "q",
        "status=pending": "status",
        "limit=0": "limit",
        "limit=501": "limit",
        "limit=1e2": "limit",
        "cursor=not-a-cursor": "cursor",
        "cursor=1.%2F..%2F": "cursor",
        "from=2031-01-01T00:00:00Z&from=2031-01-02T00:00:00Z": "from",
    }
    for query, name in cases.items():
        status, _, body = listing(server, "?" + query)
        assert status == 400, (query, status, body)
        assert error_code(body) == "BAD_REQUEST"
        assert name in body["error"]["message"], (query, body)
        assert body["error"]["fields"][0]["field"] == name, (query, body)
    status, _, body = listing(server, "?limit=500")
    assert status == 200, body


def test_listing_needs_a_sign_in(server):
    status, _, body = server.api("GET", "/api/appointments?limit=1")
    assert status == 401 and error_code(body) == "UNAUTHENTICATED"


# -- double booking ---------------------------------------------------------------------------------

def test_create_and_save_answer_with_overlaps_in_the_same_place(server):
    day = far_day(40)
    room = f"Room {uuid.uuid4().hex[:6]}"
    first = make(server, start=day, minutes=60, location=room)
    assert first["conflicts"] == []
    second = make(server, start=day + timedelta(minutes=30), location=f"  {room.upper()} ")
    assert [c["id"] for c in second["conflicts"]] == [first["id"]]
    assert set(second["conflicts"][0]) == {"id", "title", "startsAt", "endsAt", "location"}
    # Back to back is no overlap, another room neither.
    assert make(server, start=day + timedelta(minutes=60), location=room)["conflicts"] == []
    assert make(server, start=day, location=room + "b")["conflicts"] == []

    bob = server.token("bob")
    status, _, held = server.acquire(second["id"], bob)
    assert status == 200
    status, _, saved = put(server, second, bob, held["lock"]["fencingToken"], startsAt=iso(day + timedelta(hours=3)),
                           endsAt=iso(day + timedelta(hours=3, minutes=30)))
    assert status == 200 and saved["conflicts"] == [], saved
    status, _, saved = put(server, saved, bob, held["lock"]["fencingToken"], startsAt=iso(day + timedelta(hours=4)))
    assert status == 422, saved  # ends before it starts: the fields are checked, conflicts never block
    server.release(second["id"], bob)


def test_the_conflict_check_before_saving(server):
    day = far_day(41)
    room = f"Room {uuid.uuid4().hex[:6]}"
    first = make(server, start=day, minutes=60, location=room)
    q = f"startsAt={quote(iso(day + timedelta(minutes=15)))}&endsAt={quote(iso(day + timedelta(minutes=45)))}"
    status, _, body = server.api("GET", f"/api/conflicts?{q}&location={quote(room)}", token=server.token("bob"))
    assert status == 200 and [c["id"] for c in body["conflicts"]] == [first["id"]], body
    status, _, body = server.api("GET", f"/api/conflicts?{q}&location={quote(room)}&excludeId={first['id']}",
                                 token=server.token("bob"))
    assert status == 200 and body["conflicts"] == []
    status, _, body = server.api("GET", f"/api/conflicts?{q}", token=server.token("bob"))
    assert status == 200 and body["conflicts"] == []  # no place, no double booking
    for bad, name in ((f"endsAt={quote(iso(day))}", "startsAt"), (f"startsAt={quote(iso(day))}", "endsAt"),
                      (f"startsAt={quote(iso(day))}&endsAt={quote(iso(day))}", "endsAt"),
                      (f"startsAt=soon&endsAt={quote(iso(day))}", "startsAt")):
        status, _, body = server.api("GET", f"/api/conflicts?{bad}", token=server.token("bob"))
        assert status == 400 and body["error"]["fields"][0]["field"] == name, (bad, body)
    status, _, body = server.api("GET", f"/api/conflicts?{q}")
    assert status == 401


# -- history ----------------------------------------------------------------------------------------

def test_history_lists_every_version_newest_first_with_who_and_what(server):
    a = make(server, title="First title")
    alice, bob = server.token("alice"), server.token("bob")
    status, _, held = server.acquire(a["id"], alice)
    status, _, v2 = put(server, a, alice, held["lock"]["fencingToken"], title="Second title")
    assert status == 200, v2
    server.release(a["id"], alice)
    status, _, held = server.acquire(a["id"], bob)
    status, _, v3 = put(server, v2, bob, held["lock"]["fencingToken"], notes="Bob's note", status="confirmed")
    assert status == 200, v3
    server.release(a["id"], bob)

    status, _, body = server.api("GET", f"/api/appointments/{a['id']}/history", token=server.token("carol"))
    assert status == 200, body
    items = body["items"]
    assert [h["version"] for h in items] == [3, 2, 1]
    assert items[0]["by"] == {"userId": server.user_id("bob"), "name": "Bob Chen", "email": "bob@example.com"}
    assert items[0]["changes"] == [{"field": "notes", "from": "", "to": "Bob's note"},
                                   {"field": "status", "from": "scheduled", "to": "confirmed"}]
    assert items[1]["by"]["email"] == "alice@example.com"
    assert items[1]["changes"] == [{"field": "title", "from": "First title", "to": "Second title"}]
    assert items[2]["changes"][0] == {"field": "title", "from": None, "to": "First title"}
    assert len(items[2]["changes"]) == 8
    assert items[0]["at"] >= items[1]["at"] >= items[2]["at"]

    status, _, body = server.api("GET", "/api/appointments/no-such-id/history", token=alice)
    assert status == 404 and error_code(body) == "NOT_FOUND"


# -- deleting ---------------------------------------------------------------------------------------

def test_only_the_holder_deletes_and_watchers_and_lists_are_told(server):
    a = make(server)
    appt = a["id"]
    alice, bob = server.token("alice"), server.token("bob")

    status, _, body = server.api("DELETE", f"/api/appointments/{appt}", token=alice)
    assert status == 423 and error_code(body) == "LOCK_NOT_HELD"
    status, _, held = server.acquire(appt, alice)
    token = str(held["lock"]["fencingToken"])
    status, _, body = server.api("DELETE", f"/api/appointments/{appt}", token=bob, headers={"X-Lock-Token": token})
    assert status == 423 and error_code(body) == "LOCK_NOT_HELD"  # the token alone is not proof

    async def body():
        async with Clients(server) as cs:
            viewer = await cs.open("bob", appt)
            feed = await cs.open("carol")
            await viewer.snapshot()
            await feed.snapshot()
            status, _, _ = await call(server.api, "DELETE", f"/api/appointments/{appt}", token=alice,
                                      headers={"X-Lock-Token": token})
            assert status == 204
            for c in (viewer, feed):
                f = await c.next_frame("appointment.deleted", where=lambda f: f["appointmentId"] == appt)
                assert f["by"]["email"] == "alice@example.com"
            await viewer.wait_closed()
            assert viewer.close_code == 1000

    run(body())
    status, _, body = server.api("GET", f"/api/appointments/{appt}", token=bob)
    assert status == 404 and body["error"]["message"] == "This appointment was deleted."
    status, _, body = server.api("GET", f"/api/appointments/{appt}/lock-status", token=bob)
    assert status == 404
    status, _, body = server.acquire(appt, bob)
    assert status == 404
    status, _, body = server.api("DELETE", f"/api/appointments/{appt}", token=alice, headers={"X-Lock-Token": token})
    assert status == 404
    status, _, body = listing(server, f"?from={quote(a['startsAt'])}&limit=500")
    assert appt not in ids(body)
    status, _, body = server.api("GET", f"/api/appointments/{appt}/history", token=bob)
    assert status == 200 and body["items"][0]["version"] == 1  # kept with the tombstone
    rows = server.audit(appt)
    assert rows[0]["action"] == "deleted" and rows[0]["actor"]["email"] == "alice@example.com"


def test_a_new_appointment_reaches_every_open_list(server):
    async def body():
        async with Clients(server) as cs:
            feed = await cs.open("bob")
            await feed.snapshot()
            a = await call(make, server, notes="Not for the list")
            f = await feed.next_frame("appointment.created", where=lambda f: f["appointment"]["id"] == a["id"])
            assert f["appointment"]["title"] == a["title"]
            assert f["appointment"]["startsAt"] == a["startsAt"]
            assert f["appointment"]["lock"] is None
            assert "notes" not in f["appointment"]

    run(body())


# -- live typing ------------------------------------------------------------------------------------

async def holder_and_viewer(cs, server, appt):
    """Alice's tab holds the appointment's lock and Bob's tab watches it: (holder, viewer, lock)."""
    holder = await cs.open("alice", appt)
    viewer = await cs.open("bob", appt)
    await holder.snapshot()
    await viewer.snapshot()
    status, _, held = await call(server.acquire, appt, server.token("alice"), holder.session_id)
    assert status == 200, held
    await viewer.next_frame("lock.acquired")
    return holder, viewer, held["lock"]

def test_the_holders_draft_reaches_viewers_and_newcomers_and_ends_with_the_save(server):
    a = make(server)
    appt = a["id"]
    alice = server.token("alice")

    async def body():
        async with Clients(server) as cs:
            holder, viewer, lock = await holder_and_viewer(cs, server, appt)
            await holder.send({"type": "draft", "fields": {"title": "Typing…", "notes": "ünïcödé " * 10}})
            f = await viewer.next_frame("draft")
            assert f["sessionId"] == holder.session_id
            assert f["userId"] == server.user_id("alice") and f["name"] == "Alice Martin"
            assert f["fields"] == {"title": "Typing…", "notes": "ünïcödé " * 10}
            await holder.no_frame("draft", within=0.3)  # not echoed to its sender

            late = await cs.open("carol", appt)
            snap = await late.snapshot()
            assert snap["draft"]["fields"]["title"] == "Typing…"

            # Back to the saved values: an empty draft.
            await holder.send({"type": "draft", "fields": {}})
            f = await viewer.next_frame("draft", where=lambda f: f["fields"] == {})
            await holder.send({"type": "draft", "fields": {"title": "Again"}})
            await viewer.next_frame("draft", where=lambda f: f["fields"] == {"title": "Again"})
            status, _, saved = await call(put, server, a, alice, lock["fencingToken"], title="Again")
            assert status == 200, saved
            await viewer.next_frame("appointment.updated")
            fresh = await cs.open("carol", appt)
            assert (await fresh.snapshot())["draft"] is None  # the save made it moot
            await call(server.release, appt, alice)

    run(body())


def test_only_the_holders_tab_may_share_a_draft_within_its_limits(server):
    a = make(server)
    appt = a["id"]
    alice = server.token("alice")

    async def body():
        async with Clients(server) as cs:
            holder = await cs.open("alice", appt)
            other_tab = await cs.open("alice", appt)
            viewer = await cs.open("bob", appt)
            feed = await cs.open("alice")
            for c in (holder, other_tab, viewer, feed):
                await c.snapshot()
            await viewer.send({"type": "draft", "fields": {"title": "Not mine"}})
            f = await viewer.next_frame("error")
            assert f["code"] == "LOCK_NOT_HELD"
            status, _, _ = await call(server.acquire, appt, alice, holder.session_id)
            assert status == 200
            await other_tab.next_frame("lock.acquired")
            await other_tab.send({"type": "draft", "fields": {"title": "Wrong tab"}})
            assert (await other_tab.next_frame("error"))["code"] == "LOCK_NOT_HELD"
            await feed.send({"type": "draft", "fields": {"title": "No room"}})
            assert (await feed.next_frame("error"))["code"] == "BAD_MESSAGE"
            # Each socket may commit five violations before it is closed: spread them.
            bad_frames = ({"type": "draft", "fields": {"version": "2"}}, {"type": "draft", "fields": {"title": 3}},
                          {"type": "draft", "fields": []}, {"type": "draft"},
                          {"type": "draft", "fields": {}, "extra": 1})
            for i, bad in enumerate(bad_frames):
                sender = holder if i < 2 else other_tab
                await sender.send(bad)
                assert (await sender.next_frame("error"))["code"] == "BAD_MESSAGE", bad
            await holder.send({"type": "draft", "fields": {"notes": "x" * 17000}})
            assert (await holder.next_frame("error"))["code"] == "FRAME_TOO_LARGE"
            await viewer.send({"type": "ping", "pad": "x" * 5000})  # only a draft may be over 4 KiB
            assert (await viewer.next_frame("error"))["code"] == "FRAME_TOO_LARGE"
            await holder.send({"type": "draft", "fields": {"notes": "y" * 15000}})
            f = await viewer.next_frame("draft")
            assert f["fields"]["notes"] == "y" * 15000

    run(body())


def test_drafts_are_limited_to_five_a_second(server):
    a = make(server)
    appt = a["id"]
    alice = server.token("alice")

    async def body():
        async with Clients(server) as cs:
            holder, viewer, _ = await holder_and_viewer(cs, server, appt)
            for i in range(8):
                await holder.send({"type": "draft", "fields": {"title": f"v{i}"}})
            f = await holder.next_frame("error")
            assert f["code"] == "RATE_LIMITED"
            await viewer.next_frame("draft", where=lambda f: f["fields"]["title"] == "v4")
            await viewer.no_frame("draft", within=0.5, where=lambda f: f["fields"]["title"] in ("v5", "v6", "v7"))
            assert not holder.close_code  # a limit, not a violation
            await call(server.release, appt, alice)

    run(body())


# -- the waiting line -------------------------------------------------------------------------------

def test_a_waiter_on_the_list_is_offered_the_lock_and_takes_it(server):
    a = make(server)
    appt = a["id"]
    alice, bob = server.token("alice"), server.token("bob")
    status, _, _ = server.acquire(appt, alice)
    assert status == 200

    async def body():
        async with Clients(server) as cs:
            page = await cs.open("bob", appt)
            await page.snapshot()
            list_feed = await cs.open("bob", session=page.session_id)
            await list_feed.snapshot()
            status, _, queued = await call(server.acquire, appt, bob, page.session_id, queue=True)
            assert status == 202, queued
            # Bob goes back to the list: the page's socket closes, the feed keeps his place.
            await page.close()
            await asyncio.sleep(1.5)  # past the disconnect grace (1 s)
            status, _, _ = await call(server.release, appt, alice)
            assert status == 200
            f = await list_feed.next_frame("lock.offered", where=lambda f: f["offer"]["appointmentId"] == appt)
            assert f["offer"]["userId"] == server.user_id("bob")
            assert f["offer"]["sessionId"] == page.session_id
            assert f["offer"]["name"] == "Bob Chen"
            deadline = datetime.fromisoformat(f["offer"]["deadline"].replace("Z", "+00:00"))
            assert timedelta(seconds=1) < deadline - datetime.now(timezone.utc) <= timedelta(seconds=2.5)

            # Someone else cannot take it meanwhile.
            status, _, body = await call(server.acquire, appt, server.token("carol"), takeover=True)
            assert status == 409 and error_code(body) == "LOCK_OFFERED", body
            assert body["error"]["offer"]["userId"] == server.user_id("bob")
            fresh = await cs.open("alice")
            snap = await fresh.snapshot()
            assert [o["appointmentId"] for o in snap["offers"]] == [appt]

            status, _, taken = await call(server.acquire, appt, bob)
            assert status == 200, taken
            f = await list_feed.next_frame("lock.offer_ended")
            assert f["reason"] == "accepted"
            await list_feed.next_frame("lock.granted")

    run(body())
    assert server.lock_status(appt, bob)["lock"]["userId"] == server.user_id("bob")
    actions = [r["action"] for r in server.audit(appt)]
    assert actions[:3] == ["granted", "offered", "released"]
    server.release(appt, bob)


def test_an_unanswered_offer_moves_to_the_next_in_line_and_a_pass_too(server):
    a = make(server)
    appt = a["id"]
    alice, bob, carol = server.token("alice"), server.token("bob"), server.token("carol")
    status, _, _ = server.acquire(appt, alice)

    async def body():
        async with Clients(server) as cs:
            bob_tab = await cs.open("bob", appt)
            carol_tab = await cs.open("carol", appt)
            await bob_tab.snapshot()
            await carol_tab.snapshot()
            await call(server.acquire, appt, bob, bob_tab.session_id, queue=True)
            await call(server.acquire, appt, carol, carol_tab.session_id, queue=True)  # an admin: first
            await call(server.release, appt, alice)
            f = await bob_tab.next_frame("lock.offered")
            assert f["offer"]["userId"] == server.user_id("carol")
            started = time.monotonic()
            f = await bob_tab.next_frame("lock.offer_ended", timeout=5)
            assert f["reason"] == "expired"
            assert time.monotonic() - started > 1.0
            bob_id = await call(server.user_id, "bob")
            await bob_tab.next_frame("lock.offered", where=lambda f: f["offer"]["userId"] == bob_id)
            # Bob passes: with nobody else waiting, the lock is simply free.
            status, _, body = await call(server.api, "DELETE",
                                         f"/api/appointments/{appt}/queue?sessionId={bob_tab.session_id}", token=bob)
            assert status == 200 and body == {"left": True}
            f = await carol_tab.next_frame("lock.offer_ended", where=lambda f: f["reason"] == "declined")
            assert f["offer"]["userId"] == server.user_id("bob")

    run(body())
    status, _, _ = server.acquire(appt, server.token("alice"))
    assert status == 200
    actions = [r["action"] for r in server.audit(appt)][:6]
    assert actions == ["acquired", "offer_declined", "offered", "offer_expired", "offered", "released"]
    server.release(appt, alice)


def test_a_tab_that_leaves_the_app_leaves_the_line(server):
    a = make(server)
    appt = a["id"]
    alice, bob = server.token("alice"), server.token("bob")
    status, _, _ = server.acquire(appt, alice)

    async def body():
        async with Clients(server) as cs:
            feed = await cs.open("bob")
            await feed.snapshot()
            # The list's socket alone is enough to wait (the page opened it, then went back).
            status, _, queued = await call(server.acquire, appt, bob, feed.session_id, queue=True)
            assert status == 202, queued
            watcher = await cs.open("carol", appt)
            snap = await watcher.snapshot()
            assert [q["userId"] for q in snap["queue"]] == [server.user_id("bob")]
            await feed.close()  # the tab closed
            f = await watcher.next_frame("lock.queue", timeout=5)
            assert f["queue"] == []

    run(body())
    server.release(appt, alice)
