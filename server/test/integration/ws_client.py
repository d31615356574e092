"""WebSocket helpers for the black-box tests of the real-time channel.

`WsClient` keeps a reader task on its socket at all times (aiohttp answers the server's
keep-alive pings only while something awaits `receive()`), checks that `seq` runs 1, 2, 3, …
without gaps, and hands frames out through `next_frame(type=..., timeout=...)`.

The blocking `Server` helpers of conftest.py are called through `asyncio.to_thread` (`call`) so
that frames keep flowing, and are time-stamped on arrival, while a test waits for a REST answer.
"""

import asyncio
import base64
import http.client
import json
import os
import socket
import time

import aiohttp

from conftest import new_session

CLOSED = object()  # put in a client's queue when its socket ends

TCP_STATES = {"01": "ESTABLISHED", "02": "SYN_SENT", "03": "SYN_RECV", "04": "FIN_WAIT1", "05": "FIN_WAIT2",
              "06": "TIME_WAIT", "07": "CLOSE", "08": "CLOSE_WAIT", "09": "LAST_ACK", "0A": "LISTEN",
              "0B": "CLOSING"}


def run(coro, timeout=60):
    """Run one async test body with an overall deadline."""
    async def bounded():
        return await asyncio.wait_for(coro, timeout)
    return asyncio.run(bounded())


async def call(fn, *args, **kwargs):
    """A blocking conftest helper, off the event loop."""
    return await asyncio.to_thread(fn, *args, **kwargs)


def ticket(server, who, token=None):
    """A WebSocket ticket for demo user `who`, or for the sign-in `token` when given."""
    status, _, body = server.api("POST", "/api/ws-tickets", token=token or server.token(who))
    assert status == 200, f"ws-ticket for {who}: {status} {body}"
    assert isinstance(body.get("ticket"), str) and body["ticket"], body
    assert isinstance(body.get("expiresAt"), str), body
    return body["ticket"]


def updates_path(appt=None, ticket=None, session=None):
    """The path of an appointment's WebSocket, or the list-wide feed's when `appt` is None."""
    base = "/api/updates" if appt is None else f"/api/appointments/{appt}/updates"
    params = []
    if ticket is not None:
        params.append(f"ticket={ticket}")
    if session is not None:
        params.append(f"sessionId={session}")
    return base + ("?" + "&".join(params) if params else "")


def raw_upgrade(server, path, headers=None):
    """A WebSocket upgrade request over http.client: (status, parsed JSON body or None) of a refusal.

    A 101 answer is returned as (101, None) and the connection dropped."""
    hdrs = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
    }
    hdrs.update(headers or {})
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request("GET", path, headers=hdrs)
        resp = conn.getresponse()
        if resp.status == 101:
            return 101, None
        data = resp.read()
        try:
            return resp.status, json.loads(data) if data else None
        except ValueError:
            return resp.status, None
    finally:
        conn.close()


class WsClient:
    """One open WebSocket with a reader task that never stops reading."""

    def __init__(self, http_session, ws, who, session_id, appt):
        self.http = http_session
        self.ws = ws
        self.who = who
        self.session_id = session_id
        self.appt = appt
        self.queue = asyncio.Queue()
        self.frames = []        # every frame received, in order, with "_at" (monotonic) and "_wall" arrival times
        self.seq_errors = []
        self.close_code = None  # set when the socket ends: the server's close code, or 1006 if it just vanished
        self.closed = asyncio.Event()
        self._last_seq = 0
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def connect(cls, server, who, appt=None, session=None, origin=None, token=None, **ws_kwargs):
        """Open a socket as demo user `who` ("alice", "bob", "carol") on an appointment (or the feed);
        with `token`, as the user signed in with it (`who` then only names them in messages)."""
        session = session or new_session()
        t = await call(ticket, server, who, token)
        http_session = aiohttp.ClientSession()
        url = f"http://127.0.0.1:{server.port}{updates_path(appt, t, session)}"
        try:
            ws = await http_session.ws_connect(url, origin=origin, autoping=ws_kwargs.pop("autoping", True),
                                               heartbeat=None, max_msg_size=0, timeout=10, **ws_kwargs)
        except BaseException:
            await http_session.close()
            raise
        return cls(http_session, ws, who, session, appt)

    async def _read(self):
        try:
            while True:
                msg = await self.ws.receive()
                if msg.type == aiohttp.WSMsgType.TEXT:
                    frame = json.loads(msg.data)
                    frame["_at"] = time.monotonic()
                    frame["_wall"] = time.time()
                    seq = frame.get("seq")
                    if seq != self._last_seq + 1:
                        self.seq_errors.append((self._last_seq, seq, frame.get("type")))
                    if isinstance(seq, int):
                        self._last_seq = seq
                    self.frames.append(frame)
                    self.queue.put_nowait(frame)
                elif msg.type == aiohttp.WSMsgType.BINARY:
                    self.seq_errors.append(("binary frame from the server", msg.data[:80]))
                elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING,
                                  aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    if msg.type == aiohttp.WSMsgType.CLOSE:
                        self.close_code = msg.data
                    break
        finally:
            if self.close_code is None:
                self.close_code = self.ws.close_code if self.ws.close_code is not None else 1006
            self.closed.set()
            self.queue.put_nowait(CLOSED)

    def types(self):
        return [f["type"] for f in self.frames]

    async def next_frame(self, type=None, timeout=2.0, where=None):
        """The next frame (skipping others) whose type is `type` (a string or a tuple) and that satisfies
        `where`; fails after `timeout` seconds or when the socket ends."""
        wanted = (type,) if isinstance(type, str) else type
        deadline = time.monotonic() + timeout
        skipped = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{self.who}: no {type} frame within {timeout}s; skipped {skipped}")
            try:
                frame = await asyncio.wait_for(self.queue.get(), left)
            except asyncio.TimeoutError:
                raise AssertionError(f"{self.who}: no {type} frame within {timeout}s; skipped {skipped}") from None
            if frame is CLOSED:
                self.queue.put_nowait(CLOSED)  # later waits fail fast too
                raise AssertionError(f"{self.who}: socket closed ({self.close_code}) while waiting for {type}; "
                                     f"skipped {skipped}")
            if (wanted is None or frame["type"] in wanted) and (where is None or where(frame)):
                return frame
            skipped.append(frame["type"] if frame["type"] != "error" else ("error", frame.get("code")))

    async def snapshot(self, timeout=3.0):
        frame = await self.next_frame("snapshot", timeout)
        assert frame["seq"] == 1, frame
        return frame

    async def no_frame(self, type, within, where=None):
        """Assert that no frame of `type` (matching `where`) arrives within `within` seconds."""
        try:
            frame = await self.next_frame(type, within, where)
        except AssertionError as e:
            if "socket closed" in str(e):
                raise
            return
        raise AssertionError(f"{self.who}: unexpected {type} frame: {frame}")

    def drain(self):
        """Forget frames already received but not yet consumed."""
        while not self.queue.empty():
            frame = self.queue.get_nowait()
            if frame is CLOSED:
                self.queue.put_nowait(CLOSED)
                return

    async def send(self, obj):
        await self.ws.send_str(json.dumps(obj))

    async def send_str(self, text):
        await self.ws.send_str(text)

    async def send_bytes(self, data):
        await self.ws.send_bytes(data)

    async def wait_closed(self, timeout=5.0):
        try:
            await asyncio.wait_for(self.closed.wait(), timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"{self.who}: the server did not close the socket within {timeout}s; "
                                 f"frames {self.types()[-10:]}") from None
        return self.close_code

    def assert_seq_ok(self):
        assert not self.seq_errors, f"{self.who}: seq not consecutive: {self.seq_errors}"

    async def close(self):
        if not self.ws.closed:
            await self.ws.close()
        try:
            await asyncio.wait_for(self._reader, 5)
        except (asyncio.TimeoutError, asyncio.CancelledError):
            self._reader.cancel()
        await self.http.close()

    async def abandon(self):
        """Drop the TCP connection without a closing handshake (a tab that crashed)."""
        transport = self.ws._response.connection.transport if self.ws._response.connection else None
        if transport is not None:
            transport.abort()
        try:
            await asyncio.wait_for(self._reader, 5)
        except (asyncio.TimeoutError, asyncio.CancelledError):
            self._reader.cancel()
        await self.http.close()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()


class Clients:
    """Closes every client opened through it, and checks their seq on the way out."""

    def __init__(self, server):
        self.server = server
        self.all = []

    async def open(self, who, appt=None, **kwargs):
        c = await WsClient.connect(self.server, who, appt, **kwargs)
        self.all.append(c)
        return c

    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, *exc):
        for c in self.all:
            await c.close()
        if exc_type is None:
            for c in self.all:
                c.assert_seq_ok()


class SlowReader:
    """A WebSocket client that completes the handshake and then never reads a byte.

    Its receive buffer is made small so that the server's writes back up quickly."""

    def __init__(self, sock, session_id):
        self.sock = sock
        self.session_id = session_id

    @classmethod
    def open(cls, server, who, appt, session=None, rcvbuf=4096):
        t = ticket(server, who)
        session = session or new_session()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        sock.settimeout(10)
        sock.connect(("127.0.0.1", server.port))
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {updates_path(appt, t, session)} HTTP/1.1\r\n"
                   f"Host: 127.0.0.1:{server.port}\r\n"
                   "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                   f"Sec-WebSocket-Key: {key}\r\n\r\n").encode()
        sock.sendall(request)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(1)  # byte by byte: leave every WebSocket frame unread
            assert chunk, f"handshake cut short: {head!r}"
            head += chunk
        assert head.startswith(b"HTTP/1.1 101"), head
        return cls(sock, session)

    def server_state(self):
        """The TCP state of the server's end of this connection (from /proc/net/tcp), None once gone."""
        mine = self.sock.getsockname()[1]
        theirs = self.sock.getpeername()[1]
        with open("/proc/net/tcp") as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].split(":")[1], 16)
                remote_port = int(fields[2].split(":")[1], 16)
                if local_port == theirs and remote_port == mine:
                    return TCP_STATES.get(fields[3], fields[3])
        return None

    def server_dropped(self, timeout=5.0):
        """Whether the server closed its end within `timeout` seconds, without reading anything.

        (Reading would not tell: with megabytes still unsent towards this reader's tiny window, the
        end of the stream can take far longer than a test may wait to come through.)"""
        deadline = time.monotonic() + timeout
        while True:
            if self.server_state() != "ESTABLISHED":
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)

    def close(self):
        self.sock.close()
