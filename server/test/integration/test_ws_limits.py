"""The WebSocket side of PRODUCT.md §2 "Limits at the edge", each tried the way an attacker would:
sessionIds that are not ours, one person filling a room, someone naming another's tab, a signed-out
or disabled user who stays connected, tabs that wait in line without being there, foreign origins.

The chain that let an ordinary user take another's lock (issue 12) is here link by link; the whole
chain, with the holder in a real browser, is web/e2e/lock-theft.test.mjs."""

import asyncio
import time

import pytest

from conftest import error_code, new_session
from ws_client import Clients, call, raw_upgrade, run, ticket, updates_path

SERVER_ARGS = ["--lock-rate", "1000"]

SESSION_ENDED = 4001
TOO_MANY_SOCKETS = 4008
TRY_AGAIN_LATER = 1013  # ROOM_FULL


def new_appt(server):
    return server.new_appointment()["id"]


def user_id_of(server, token):
    status, _, body = server.api("GET", "/api/me", token=token)
    assert status == 200, body
    return body["id"]


# -- sessionId --------------------------------------------------------------------------------------

# (as sent in a query string, as sent in a JSON body)
BAD_SESSIONS = [
    ("%FF%FE", None),                          # not UTF-8: once broke every browser in the room
    ("tab%0Aforged", "tab\nforged"),           # a line break: forged log lines
    ("tab%1B%5B31m", "tab\x1b[31m"),           # a terminal escape sequence
    ("a%20b", "a b"),
    ("%22%7D", '"}'),                          # JSON punctuation
    ("caf%C3%A9", "caf\u00e9"),                # valid UTF-8, but not in the charset
    ("x" * 129, "x" * 129),                    # one too long
    ("", ""),
]


@pytest.mark.parametrize("in_query,in_json", BAD_SESSIONS)
def test_a_session_id_outside_the_contract_is_refused_everywhere(server, in_query, in_json):
    appt = new_appt(server)
    status, body = raw_upgrade(server, updates_path(appt, ticket(server, "bob"), in_query))
    assert (status, error_code(body)) == (400, "BAD_REQUEST"), body
    status, body = raw_upgrade(server, updates_path(None, ticket(server, "bob"), in_query))
    assert (status, error_code(body)) == (400, "BAD_REQUEST"), body
    if in_json is None:
        return  # JSON cannot carry it at all: the parser refuses the body
    held = server.acquire(appt, server.token("alice"))
    assert held[0] == 200, held
    bob, carol = server.token("bob"), server.token("carol")
    base = f"/api/appointments/{appt}"
    for method, path, token, payload in [
        ("POST", f"{base}/acquire-lock", bob, {"sessionId": in_json, "queue": True}),
        ("POST", f"{base}/heartbeat", bob, {"sessionId": in_json}),
        ("POST", f"{base}/request-control", carol, {"sessionId": in_json}),
    ]:
        status, _, body = server.api(method, path, token=token, json=payload)
        assert (status, error_code(body)) == (400, "BAD_REQUEST"), (path, body)
        assert "sessionId" in body["error"]["message"]
    status, _, body = server.api("DELETE", f"{base}/queue?sessionId={in_query}", token=bob)
    assert (status, error_code(body)) == (400, "BAD_REQUEST"), body
    assert server.lock_status(appt, bob)["lock"]["sessionId"] == held[2]["lock"]["sessionId"]


def test_every_character_the_contract_allows_is_accepted(server):
    appt = new_appt(server)
    session = ("AZaz09._:-" * 13)[:128]
    status, _, body = server.acquire(appt, server.token("alice"), session)
    assert status == 200 and body["lock"]["sessionId"] == session, body

    async def body_():
        async with Clients(server) as cs:
            tab = await cs.open("alice", appt, session=session)
            snap = await tab.snapshot()
            assert [v["sessionId"] for v in snap["presence"]] == [session]

    run(body_())


# -- sockets per person -----------------------------------------------------------------------------

def test_one_person_has_eight_sockets_in_a_room_and_32_in_all(server):
    appts = [new_appt(server) for _ in range(4)]
    bob = server.user_id("bob")

    async def body():
        async with Clients(server) as cs:
            first_room = [await cs.open("bob", appts[0]) for _ in range(8)]
            for c in first_room:
                await c.snapshot()
            ninth = await cs.open("bob", appts[0])
            refused = await ninth.next_frame("error")
            assert refused["code"] == "TOO_MANY_SOCKETS" and refused["message"], refused
            assert await ninth.wait_closed() == TOO_MANY_SOCKETS

            # Others are not held back by them.
            alice = await cs.open("alice", appts[0])
            snap = await alice.snapshot()
            assert sum(v["userId"] == bob for v in snap["presence"]) == 8

            # 8 + 8 + 8 in rooms and 8 on the list's feed: 32, the most one person has.
            for appt in appts[1:3]:
                for _ in range(8):
                    await (await cs.open("bob", appt)).snapshot()
            for _ in range(8):
                await (await cs.open("bob")).snapshot()
            over = await cs.open("bob", appts[3])
            assert (await over.next_frame("error"))["code"] == "TOO_MANY_SOCKETS"
            assert await over.wait_closed() == TOO_MANY_SOCKETS
            over_feed = await cs.open("bob")
            assert await over_feed.wait_closed() == TOO_MANY_SOCKETS

            # A closed socket gives its place back.
            await first_room[0].close()
            await alice.next_frame("presence", where=lambda f: sum(v["userId"] == bob for v in f["presence"]) == 7)
            again = await cs.open("bob", appts[3])
            await again.snapshot()

    run(body(), timeout=90)


def test_a_full_room_still_lets_in_the_holder_and_admins(server_factory):
    srv = server_factory("--lock-rate", "1000")
    appt = new_appt(srv)
    alice_tab = new_session()
    assert srv.acquire(appt, srv.token("alice"), alice_tab)[0] == 200
    # 200 viewers fill a room; each person has at most 8 sockets in it.
    fillers = [srv.add_user(f"filler{i}")[0] for i in range(25)]
    late = srv.add_user("late")[0]

    async def body():
        async with Clients(srv) as cs:
            holder = await cs.open("alice", appt, session=alice_tab)
            await holder.snapshot()
            crowd = []
            for token in fillers:
                for _ in range(8):
                    if len(crowd) == 199:
                        break
                    crowd.append(await cs.open("filler", appt, token=token))
            await asyncio.gather(*(c.snapshot(timeout=20) for c in crowd))

            outsider = await cs.open("late", appt, token=late)
            assert (await outsider.next_frame("error"))["code"] == "ROOM_FULL"
            assert await outsider.wait_closed() == TRY_AGAIN_LATER

            # The holder's connection drops and someone takes the place at once: she gets back in.
            await holder.abandon()
            await crowd[0].next_frame("presence", where=lambda f: len(f["presence"]) == 199)
            taker = await cs.open("filler", appt, token=fillers[-1])
            await taker.snapshot()
            back = await cs.open("alice", appt, session=alice_tab)
            snap = await back.snapshot()
            assert snap["lock"]["sessionId"] == alice_tab
            admin = await cs.open("carol", appt)
            snap = await admin.snapshot()
            assert len(snap["presence"]) == 202
            still_out = await cs.open("late", appt, token=late)
            assert await still_out.wait_closed() == TRY_AGAIN_LATER

    run(body(), timeout=120)
    assert srv.lock_status(appt, srv.token("carol"))["lock"]["sessionId"] == alice_tab


# -- the holder's presence --------------------------------------------------------------------------

def test_heartbeats_over_rest_keep_a_holder_whose_socket_dropped(server_factory):
    srv = server_factory("--disconnect-grace", "2")
    kept, control = new_appt(srv), new_appt(srv)
    alice_tab, bob_tab = new_session(), new_session()
    assert srv.acquire(kept, srv.token("alice"), alice_tab)[0] == 200
    assert srv.acquire(control, srv.token("bob"), bob_tab)[0] == 200
    alice = srv.user_id("alice")

    async def body():
        async with Clients(srv) as cs:
            watch_kept = await cs.open("carol", kept)
            watch_control = await cs.open("carol", control)
            holder = await cs.open("alice", kept, session=alice_tab)
            other = await cs.open("bob", control, session=bob_tab)
            for c in (watch_kept, watch_control, holder, other):
                await c.snapshot()

            await holder.abandon()  # her network drops; her page keeps working over REST
            await watch_kept.next_frame("presence", where=lambda f: all(v["userId"] != alice for v in f["presence"]))
            status, _, beat = await call(srv.api, "POST", f"/api/appointments/{kept}/heartbeat",
                                         token=srv.token("alice"), json={"sessionId": alice_tab})
            assert status == 200, beat

            # Bob's tab goes too, later, and sends nothing: when his grace is over, hers is as well.
            await other.abandon()
            released = await watch_control.next_frame("lock.released", timeout=6)
            assert released["reason"] == "disconnect"
            await watch_kept.no_frame(("lock.released", "lock.expired"), within=0.3)

    run(body())
    lock = srv.lock_status(kept, srv.token("carol"))["lock"]
    assert lock and lock["sessionId"] == alice_tab
    assert not [r for r in srv.audit(kept) if r["action"] == "released"]


# -- a peer that went silent --------------------------------------------------------------------------

def test_a_socket_that_stops_answering_pings_is_closed_and_one_that_answers_stays(server_factory):
    # Pinged after half of --ws-idle-timeout, closed after all of it (checked every third of it).
    srv = server_factory("--ws-idle-timeout", "2")
    appt = new_appt(srv)
    bob = srv.user_id("bob")

    async def body():
        async with Clients(srv) as cs:
            answering = await cs.open("alice", appt)
            silent = await cs.open("bob", appt, autoping=False)  # a vanished laptop: no pongs
            await answering.snapshot()
            await silent.snapshot()
            started = time.monotonic()
            await asyncio.wait_for(silent.closed.wait(), timeout=8)
            assert time.monotonic() - started >= 1.5, "closed before its idle time was up"
            await answering.next_frame("presence", where=lambda f: all(v["userId"] != bob for v in f["presence"]))
            assert await call(srv.metric, "slotlock_websocket_dropped_total", reason="silent") == 1
            assert await call(srv.metric, "slotlock_websocket_dropped_total", reason="slow") == 0
            # Sending nothing but pongs, the other stays open well past the idle time.
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.shield(answering.closed.wait()), timeout=3)

    run(body())


# -- pointers belong to (user, sessionId) -----------------------------------------------------------

def test_naming_another_users_tab_moves_and_erases_nothing_of_theirs(server):
    appt = new_appt(server)
    shared = new_session()
    alice, bob = server.user_id("alice"), server.user_id("bob")

    def latest(frames):
        out = {}
        for f in frames:
            for c in f.get("cursors", []):
                out[(c["userId"], c["sessionId"])] = (c["x"], c["y"])
        return out

    async def body():
        async with Clients(server) as cs:
            watcher = await cs.open("carol", appt)
            real = await cs.open("alice", appt, session=shared)
            impostor = await cs.open("bob", appt, session=shared)
            for c in (watcher, real, impostor):
                await c.snapshot()
            await real.send({"type": "cursor", "x": 0.1, "y": 0.2})
            await watcher.next_frame("cursors", where=lambda f: any(c["userId"] == alice for c in f["cursors"]))
            await impostor.send({"type": "cursor", "x": 0.9, "y": 0.8})
            await watcher.next_frame("cursors", where=lambda f: any(c["userId"] == bob for c in f["cursors"]))
            seen = latest(watcher.frames)
            assert seen[(alice, shared)] == (0.1, 0.2) and seen[(bob, shared)] == (0.9, 0.8), seen

            status, _, held = await call(server.acquire, appt, server.token("alice"), shared)
            assert status == 200, held
            lock = (await call(server.lock_status, appt, server.token("carol")))["lock"]
            assert lock["position"] == {"x": 0.1, "y": 0.2}, lock

            await impostor.close()
            await watcher.next_frame("presence", where=lambda f: all(v["userId"] != bob for v in f["presence"]))
            late = await cs.open("carol", appt)
            snap = await late.snapshot()
            assert [(c["userId"], c["x"], c["y"]) for c in snap["cursors"] if c["userId"] != server.user_id("carol")] \
                == [(alice, 0.1, 0.2)], snap["cursors"]
            assert snap["lock"]["position"] == {"x": 0.1, "y": 0.2}

    run(body())


# -- signing out and being disabled ----------------------------------------------------------------

def test_signing_out_closes_that_sign_ins_sockets_and_voids_its_tickets(server):
    appt = new_appt(server)
    leaving, staying = server.login("alice@example.com"), server.login("alice@example.com")

    async def body():
        async with Clients(server) as cs:
            room = await cs.open("alice", appt, token=leaving)
            feed = await cs.open("alice", token=leaving)
            other_computer = await cs.open("alice", appt, token=staying)
            for c in (room, feed, other_computer):
                await c.snapshot()
            unused = await call(ticket, server, "alice", leaving)

            status, _, _ = await call(server.api, "POST", "/api/auth/logout", token=leaving)
            assert status == 204
            for c in (room, feed):
                ended = await c.next_frame("error")
                assert ended["code"] == "SESSION_ENDED" and ended["message"], ended
                assert await c.wait_closed() == SESSION_ENDED

            status, body = await call(raw_upgrade, server, updates_path(appt, unused, new_session()))
            assert (status, error_code(body)) == (401, "UNAUTHENTICATED"), body
            assert (await call(server.api, "GET", "/api/me", token=leaving))[0] == 401

            await other_computer.send({"type": "ping"})
            await other_computer.next_frame("pong")

    run(body())


def test_a_disabled_users_sockets_close_and_their_activity_stops_counting(server_factory):
    srv = server_factory("--lock-ttl", "3")
    appt = new_appt(srv)
    token, dave = srv.add_user("dave")
    tab = new_session()
    assert srv.acquire(appt, token, tab)[0] == 200

    async def body():
        async with Clients(srv) as cs:
            watcher = await cs.open("carol", appt)
            mine = await cs.open("dave", appt, session=tab, token=token)
            feed = await cs.open("dave", token=token)
            for c in (watcher, mine, feed):
                await c.snapshot()

            async def keep_typing():
                while not mine.closed.is_set():
                    await mine.send({"type": "activity"})
                    await asyncio.sleep(0.3)

            typing = asyncio.create_task(keep_typing())
            disabled_at = time.monotonic()
            status, _, body = await call(srv.api, "PATCH", f"/api/users/{dave['id']}", token=srv.token("carol"),
                                         json={"disabled": True})
            assert status == 200 and body["disabled"] is True, body
            for c in (mine, feed):
                assert (await c.next_frame("error"))["code"] == "SESSION_ENDED"
                assert await c.wait_closed() == SESSION_ENDED
            typing.cancel()
            assert time.monotonic() - disabled_at < 2, "the sockets of a disabled user stayed open"
            # With nothing of his counting, the lock runs out one TTL after his last real activity.
            gone = await watcher.next_frame(("lock.expired", "lock.released"), timeout=8)
            assert gone["previousHolder"]["userId"] == dave["id"], gone

    run(body())
    assert srv.lock_status(appt, srv.token("carol"))["locked"] is False


# -- the waiting line -------------------------------------------------------------------------------

def test_a_place_in_line_needs_the_tabs_socket_and_goes_with_it(server_factory):
    srv = server_factory("--disconnect-grace", "1", "--lock-rate", "1000")
    appt = new_appt(srv)
    assert srv.acquire(appt, srv.token("alice"))[0] == 200
    bob = srv.token("bob")

    async def body():
        async with Clients(srv) as cs:
            watcher = await cs.open("carol", appt)
            await watcher.snapshot()
            for _ in range(5):  # ghost tabs: never on the page
                status, _, refused = await call(srv.acquire, appt, bob, new_session(), queue=True)
                assert (status, error_code(refused)) == (409, "NOT_CONNECTED"), refused
            present = await cs.open("bob", appt)
            leaving = await cs.open("bob", appt)
            await present.snapshot()
            await leaving.snapshot()
            status, _, first = await call(srv.acquire, appt, bob, leaving.session_id, queue=True)
            assert (status, first) == (202, {"queued": True, "position": 1}), first
            status, _, second = await call(srv.acquire, appt, bob, present.session_id, queue=True)
            assert (status, second) == (202, {"queued": True, "position": 2}), second

            await watcher.next_frame("lock.queue", where=lambda f: len(f["queue"]) == 2)
            await leaving.abandon()
            line = await watcher.next_frame("lock.queue", timeout=4,
                                            where=lambda f: len(f["queue"]) == 1)
            assert len(line["queue"]) == 1
            status, _, _ = await call(srv.release, appt, srv.token("alice"))
            assert status == 200
            offered = await present.next_frame("lock.offered")
            assert offered["offer"]["sessionId"] == present.session_id

    run(body())


# -- origins ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("origin", ["evil://127.0.0.1:{port}", "null", "file://", "http://127.0.0.1:{port}.evil.example",
                                    "http://evil.example", "ws://127.0.0.1:{port}"])
def test_an_origin_that_is_not_this_sites_web_page_is_refused(server, origin):
    appt = new_appt(server)
    headers = {"Origin": origin.format(port=server.port), "Host": f"127.0.0.1:{server.port}"}
    status, body = raw_upgrade(server, updates_path(appt, ticket(server, "bob"), new_session()), headers)
    assert (status, error_code(body)) == (403, "FORBIDDEN"), body


@pytest.mark.parametrize("scheme", ["http", "https", "HTTP"])
def test_this_sites_own_page_may_connect_over_http_or_https(server, scheme):
    appt = new_appt(server)
    headers = {"Origin": f"{scheme}://127.0.0.1:{server.port}", "Host": f"127.0.0.1:{server.port}"}
    status, _ = raw_upgrade(server, updates_path(appt, ticket(server, "bob"), new_session()), headers)
    assert status == 101
