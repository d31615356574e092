"""The real-time channel under abuse: refused upgrades (tickets, origins, bad parameters), bad and
oversized frames, floods, and a reader too slow to keep up — none of it may hurt anyone else."""

import contextlib
import json
import time

import aiohttp
import pytest

from conftest import error_code, new_session
from ws_client import Clients, SlowReader, call, raw_upgrade, run, ticket, updates_path

SERVER_ARGS = ["--lock-rate", "1000"]

POLICY_VIOLATION = 1008
MESSAGE_TOO_BIG = 1009


def new_appt(server):
    return server.new_appointment()["id"]


async def handshake_status(server, path, origin=None):
    """The HTTP status with which aiohttp's handshake was refused (101 if it was not)."""
    async with aiohttp.ClientSession() as s:
        try:
            ws = await s.ws_connect(f"http://127.0.0.1:{server.port}{path}", origin=origin, timeout=10)
        except aiohttp.WSServerHandshakeError as e:
            return e.status
        await ws.close()
        return 101


def refused(server, path, status, code, headers=None):
    """Both a raw upgrade and aiohttp's are refused with `status`; the raw one's body names `code`."""
    got, body = raw_upgrade(server, path, headers)
    assert got == status, (got, body)
    assert error_code(body) == code, body


# -- refused upgrades -------------------------------------------------------------------------------

def test_a_ticket_works_once(server):
    appt = new_appt(server)
    t = ticket(server, "alice")
    path = updates_path(appt, t, new_session())

    async def body():
        async with aiohttp.ClientSession() as s:
            ws = await s.ws_connect(f"http://127.0.0.1:{server.port}{path}", timeout=10)
            first = json.loads((await ws.receive(timeout=3)).data)
            assert first["type"] == "snapshot", first
            await ws.close()
        assert await handshake_status(server, path) == 401

    run(body())
    refused(server, path, 401, "UNAUTHENTICATED")


def test_a_feed_ticket_works_once_too(server):
    t = ticket(server, "bob")
    path = updates_path(None, t, new_session())
    assert run(handshake_status(server, path)) == 101
    refused(server, path, 401, "UNAUTHENTICATED")


@pytest.mark.parametrize("bad", ["garbage", "", None, "A" * 300])
def test_a_missing_or_unknown_ticket_is_401(server, bad):
    appt = new_appt(server)
    for path in (updates_path(appt, bad, new_session()), updates_path(None, bad, new_session())):
        refused(server, path, 401, "UNAUTHENTICATED")
        assert run(handshake_status(server, path)) == 401


def test_a_bearer_token_is_not_a_ticket(server):
    appt = new_appt(server)
    path = updates_path(appt, server.token("alice"), new_session())
    refused(server, path, 401, "UNAUTHENTICATED")


def test_a_foreign_origin_is_403_and_the_same_host_is_fine(server):
    appt = new_appt(server)
    for origin in ("http://evil.example", f"http://127.0.0.1:{server.port + 1}", "null"):
        path = updates_path(appt, ticket(server, "alice"), new_session())
        refused(server, path, 403, "FORBIDDEN", headers={"Origin": origin})
        assert run(handshake_status(server, updates_path(appt, ticket(server, "alice"), new_session()),
                                    origin=origin)) == 403
    path = updates_path(None, ticket(server, "alice"), new_session())
    refused(server, path, 403, "FORBIDDEN", headers={"Origin": "http://evil.example"})
    same = f"http://127.0.0.1:{server.port}"
    assert run(handshake_status(server, updates_path(appt, ticket(server, "alice"), new_session()),
                                origin=same)) == 101


def test_an_allowed_origin_is_let_in(server_factory):
    srv = server_factory("--allowed-origin", "http://good.example")
    appt = srv.new_appointment()["id"]

    async def body():
        async with Clients(srv) as cs:
            c = await cs.open("alice", appt, origin="http://good.example")
            await c.snapshot()
            f = await cs.open("alice", origin="http://good.example")
            await f.snapshot()
        path = updates_path(appt, await call(ticket, srv, "alice"), new_session())
        assert await handshake_status(srv, path, origin="http://bad.example") == 403

    run(body())


@pytest.mark.parametrize("session", [None, "", "s" * 129])
def test_a_missing_or_oversized_session_id_is_400(server, session):
    appt = new_appt(server)
    refused(server, updates_path(appt, ticket(server, "alice"), session), 400, "BAD_REQUEST")
    assert run(handshake_status(server, updates_path(None, ticket(server, "alice"), session))) == 400


def test_an_unknown_appointment_is_404(server):
    path = updates_path("no-such-appointment", ticket(server, "alice"), new_session())
    refused(server, path, 404, "NOT_FOUND")
    path = updates_path("00000000-0000-0000-0000-000000000000", ticket(server, "alice"), new_session())
    assert run(handshake_status(server, path)) == 404


# -- bad frames -------------------------------------------------------------------------------------

BAD_FRAMES = {
    "not json": ("text", "hello there", "BAD_MESSAGE"),
    "truncated json": ("text", '{"type":"ping"', "BAD_MESSAGE"),
    "array": ("text", '[{"type":"ping"}]', "BAD_MESSAGE"),
    "no type": ("text", '{"x":0.5,"y":0.5}', "BAD_MESSAGE"),
    "type not a string": ("text", '{"type":7}', "BAD_MESSAGE"),
    "unknown type": ("text", '{"type":"takeover"}', "BAD_MESSAGE"),
    "extra member": ("text", '{"type":"ping","admin":true}', "BAD_MESSAGE"),
    "extra member on cursor": ("text", '{"type":"cursor","x":0.5,"y":0.5,"userId":"x"}', "BAD_MESSAGE"),
    "x as string": ("text", '{"type":"cursor","x":"0.5","y":0.5}', "BAD_MESSAGE"),
    "y missing": ("text", '{"type":"cursor","x":0.5}', "BAD_MESSAGE"),
    "x above 1": ("text", '{"type":"cursor","x":1.5,"y":0.5}', "BAD_MESSAGE"),
    "y below 0": ("text", '{"type":"cursor","x":0.5,"y":-0.01}', "BAD_MESSAGE"),
    "x infinite": ("text", '{"type":"cursor","x":1e999,"y":0.5}', "BAD_MESSAGE"),
    "x NaN": ("text", '{"type":"cursor","x":NaN,"y":0.5}', "BAD_MESSAGE"),
    "binary": ("binary", b'{"type":"ping"}', "BAD_MESSAGE"),
    "5000-byte text": ("text", json.dumps({"type": "ping", "pad": "x" * 5000}), "FRAME_TOO_LARGE"),
}


@pytest.mark.parametrize("kind", list(BAD_FRAMES))
def test_a_bad_frame_gets_an_error_and_the_socket_lives_on(server, kind):
    appt = new_appt(server)
    how, data, code = BAD_FRAMES[kind]

    async def body():
        async with Clients(server) as cs:
            a = await cs.open("alice", appt)
            b = await cs.open("bob", appt)
            await a.snapshot()
            await b.snapshot()
            if how == "binary":
                await a.send_bytes(data)
            else:
                await a.send_str(data)
            f = await a.next_frame("error")
            assert f["code"] == code, f
            assert isinstance(f["message"], str) and f["message"], f
            await a.send({"type": "ping"})
            await a.next_frame("pong")
            # nothing of the bad frame reached anyone else
            await b.no_frame("cursors", 0.1)
            assert not a.closed.is_set()

    run(body())


def test_repeated_violations_close_the_socket_with_1008(server):
    appt = new_appt(server)

    async def body():
        async with Clients(server) as cs:
            a = await cs.open("alice", appt)
            b = await cs.open("bob", appt)
            await a.snapshot()
            await b.snapshot()
            for i in range(12):
                if a.closed.is_set():
                    break
                try:
                    await a.send_str(f"bad {i}")
                except ConnectionError:
                    break
            assert await a.wait_closed() == POLICY_VIOLATION
            errors = [f for f in a.frames if f["type"] == "error"]
            assert len(errors) >= 3 and all(f["code"] == "BAD_MESSAGE" for f in errors), errors
            # the others in the room are told the tab left, and carry on
            await b.next_frame("presence", where=lambda f: a.session_id not in
                               {v["sessionId"] for v in f["presence"]})
            await b.send({"type": "ping"})
            await b.next_frame("pong")

    run(body())


def test_a_few_spread_out_violations_do_not_close_the_socket(server):
    appt = new_appt(server)

    async def body():
        async with Clients(server) as cs:
            a = await cs.open("alice", appt)
            await a.snapshot()
            for bad in ("nope", '{"type":"dance"}', '{"type":"cursor","x":2,"y":0}'):
                await a.send_str(bad)
                assert (await a.next_frame("error"))["code"] == "BAD_MESSAGE"
                await a.send({"type": "ping"})
                await a.next_frame("pong")
            await a.send({"type": "cursor", "x": 0.5, "y": 0.5})
            await a.send({"type": "ping"})
            await a.next_frame("pong")
            assert not a.closed.is_set()

    run(body())


def test_a_message_flood_is_rate_limited(server):
    appt = new_appt(server)

    async def body():
        async with Clients(server) as cs:
            a = await cs.open("alice", appt)
            await a.snapshot()
            sent = 0
            for _ in range(200):
                try:
                    await a.send({"type": "ping"})
                except ConnectionError:
                    break
                sent += 1
            f = await a.next_frame("error", where=lambda f: f["code"] == "RATE_LIMITED", timeout=3)
            assert f["message"]
            # a flood is a run of violations: the socket is closed as a policy violation
            assert await a.wait_closed() == POLICY_VIOLATION
            pongs = sum(1 for f in a.frames if f["type"] == "pong")
            assert 60 <= pongs <= 120, f"{pongs} pongs for {sent} pings (burst ~80)"

    run(body())
    assert server.request("GET", "/healthz")[0] == 200


def test_a_frame_over_64_kib_closes_the_connection(server):
    appt = new_appt(server)

    async def body():
        async with Clients(server) as cs:
            a = await cs.open("alice", appt)
            b = await cs.open("bob", appt)
            await a.snapshot()
            await b.snapshot()
            await a.send_str(json.dumps({"type": "cursor", "x": 0.5, "y": 0.5, "pad": "x" * 100_000}))
            assert await a.wait_closed() == MESSAGE_TOO_BIG
            await b.next_frame("presence", where=lambda f: a.session_id not in
                               {v["sessionId"] for v in f["presence"]})

    run(body())
    assert server.request("GET", "/healthz")[0] == 200


# -- slow consumers ---------------------------------------------------------------------------------

LOCK_CYCLES = 100     # lock events for the room and the feed while readers stall
QUEUE_LINE = 49       # waiting tabs (the line holds 50): every queue change then sends a ~4 KB lock.queue frame
MAX_TOGGLES = 3000    # ~24 MB of such frames at most; a 1024-frame outbox plus kernel buffers fill far sooner


def test_a_reader_that_never_reads_does_not_delay_anyone(server):
    appt = new_appt(server)
    alice = server.token("alice")
    base = f"http://127.0.0.1:{server.port}/api/appointments/{appt}"

    async def body():
        async with Clients(server) as cs:
            viewer = await cs.open("bob", appt)
            feed = await cs.open("bob")
            await viewer.snapshot()
            await feed.snapshot()
            stalled = await call(SlowReader.open, server, "carol", appt)
            stalled_feed = await call(SlowReader.open, server, "carol", None)
            await viewer.next_frame("presence", where=lambda f: len(f["presence"]) == 2)
            viewer.frames.clear()  # from here on, a presence frame without the stalled tab means it was dropped
            worst = 0.0
            stalled_gone = False

            async def timed(http, method, url, expect, kind, payload=None, on=(viewer,)):
                nonlocal worst, stalled_gone
                started = time.monotonic()
                async with http.request(method, url, json=payload) as r:
                    assert r.status == expect, (method, url, r.status, await r.text())
                for c in on:
                    f = await c.next_frame(kind, timeout=1.0)
                    worst = max(worst, f["_at"] - started)
                    stalled_gone = stalled_gone or any(
                        p["type"] == "presence" and stalled.session_id not in {v["sessionId"] for v in p["presence"]}
                        for p in viewer.frames)
                    c.frames.clear()  # the reader task keeps reading; only the history is let go
                return f

            # A place in the line needs the tab's socket, and a person has at most eight in a room:
            # seven people's open tabs wait, and the last one's eighth tab keeps joining and leaving.
            waiters = [(await call(server.add_user, f"waiter{i}"))[0] for i in range(7)]
            line = [(w, await call(server.open_tab, appt, w)) for w in waiters for _ in range(QUEUE_LINE // 7)]
            toggler = await call(server.open_tab, appt, waiters[-1])
            try:
                as_alice = aiohttp.ClientSession(headers={"Authorization": f"Bearer {alice}"})
                as_waiter = {w: aiohttp.ClientSession(headers={"Authorization": f"Bearer {w}"}) for w in waiters}
                async with as_alice, contextlib.AsyncExitStack() as sessions:
                    for http in as_waiter.values():
                        await sessions.enter_async_context(http)
                    holder = {"sessionId": new_session()}
                    for _ in range(LOCK_CYCLES):
                        await timed(as_alice, "POST", f"{base}/acquire-lock", 200, "lock.acquired", holder,
                                    (viewer, feed))
                        await timed(as_alice, "DELETE", f"{base}/release-lock", 200, "lock.released", None,
                                    (viewer, feed))
                    await timed(as_alice, "POST", f"{base}/acquire-lock", 200, "lock.acquired", holder)
                    for w, tab in line:
                        await timed(as_waiter[w], "POST", f"{base}/acquire-lock", 202, "lock.queue",
                                    {"sessionId": tab, "queue": True})
                    as_toggler = as_waiter[waiters[-1]]
                    toggles = 0
                    while not stalled_gone and toggles < MAX_TOGGLES:
                        f = await timed(as_toggler, "POST", f"{base}/acquire-lock", 202, "lock.queue",
                                        {"sessionId": toggler, "queue": True})
                        assert len(f["queue"]) == QUEUE_LINE + 1
                        await timed(as_toggler, "DELETE", f"{base}/queue?sessionId={toggler}", 200, "lock.queue")
                        toggles += 1
                assert worst <= 1.0, f"an event took {worst:.3f}s to reach a normal viewer"
                # the stalled room socket fell a whole outbox behind: the server let go of it
                assert stalled_gone, f"the stalled socket was still in the room after {toggles} queue toggles"
                assert await call(stalled.server_dropped), "the server did not close the stalled socket"
                # ... and counted it, with the frames it left unsent.
                assert await call(server.metric, "slotlock_websocket_dropped_total", reason="slow") >= 1
                assert await call(server.metric, "slotlock_websocket_dropped_frames_total") >= 1
                fresh = await cs.open("alice", appt)
                snap = await fresh.snapshot()
                present = {v["sessionId"] for v in snap["presence"]}
                assert stalled.session_id not in present
                assert present == {viewer.session_id, fresh.session_id, toggler, *(tab for _, tab in line)}
                assert len(snap["queue"]) == QUEUE_LINE
            finally:
                stalled.close()
                stalled_feed.close()
            for c in (viewer, feed):
                await c.send({"type": "ping"})
                await c.next_frame("pong")

    run(body(), timeout=80)
    assert server.request("GET", "/healthz")[0] == 200
    assert server.running
