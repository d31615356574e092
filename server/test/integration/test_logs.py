"""Request ids and the JSON log (issue 15): every answer returns an X-Request-Id (the client's when
usable, else a new one) and error bodies quote it as error.requestId; with --log-format json every
line the server writes is one JSON object, and a request's line names the same id."""

import base64
import json
import os
import re
import socket

import pytest

from conftest import new_session, wait_for

GENERATED = re.compile(r"^[0-9a-f]{24}$")


def raw(srv, data, read_all=True):
    """Sends bytes as they are and returns the answer's bytes (the server closes or answers once)."""
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
        s.sendall(data)
        out = b""
        while b"\r\n\r\n" not in out or read_all:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
        return out


def header(answer, name):
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    values = [line.split(":", 1)[1].strip() for line in head.split("\r\n")[1:]
              if line.split(":", 1)[0].lower() == name.lower()]
    assert len(values) == 1, f"{name} appears {len(values)} times in:\n{head}"
    return values[0]


def test_a_clients_request_id_comes_back_in_the_header_and_the_error_body(server):
    status, headers, body = server.api("GET", "/api/appointments", headers={"X-Request-Id": "trace-42:a/b+c=="})
    assert status == 401
    assert headers["X-Request-Id"] == "trace-42:a/b+c=="
    assert body["error"]["requestId"] == "trace-42:a/b+c=="

    status, headers, body = server.api("GET", "/api/appointments", token=server.token("alice"),
                                       headers={"X-Request-Id": "ok-1"})
    assert status == 200 and headers["X-Request-Id"] == "ok-1"


@pytest.mark.parametrize("bad", ["x" * 129, "has space", "quote\"d", "tab\there", "ünïcode", "semi;colon", ""])
def test_an_unusable_request_id_is_replaced_by_a_new_one(server, bad):
    answer = raw(server, b"GET /api/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Request-Id: "
                 + bad.encode() + b"\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 404"), answer[:80]
    rid = header(answer, "X-Request-Id")
    assert GENERATED.match(rid), rid
    body = json.loads(answer.split(b"\r\n\r\n", 1)[1])
    assert body["error"]["requestId"] == rid


def test_two_request_id_headers_are_replaced_rather_than_one_chosen(server):
    answer = raw(server, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                 b"X-Request-Id: one\r\nX-Request-Id: two\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200")
    assert GENERATED.match(header(answer, "X-Request-Id"))


def test_every_kind_of_answer_has_a_request_id_and_made_ones_differ(server):
    token = server.token("alice")
    appt = server.new_appointment()["id"]
    seen = []
    for method, path, kwargs, expected in [
        ("GET", "/healthz", {}, 200),
        ("GET", "/readyz", {}, 200),
        ("GET", "/metrics", {}, 200),
        ("GET", "/api/config", {}, 200),
        ("GET", f"/api/appointments/{appt}", {"token": token}, 200),
        ("POST", "/api/auth/logout", {"token": server.token("bob")}, 204),
        ("DELETE", "/api/appointments", {"token": token}, 405),
        ("GET", "/nothing-here", {}, 404),
    ]:
        status, headers, _ = server.api(method, path, **kwargs)
        assert status == expected, (method, path, status)
        assert GENERATED.match(headers.get("X-Request-Id", "")), (method, path, headers)
        seen.append(headers["X-Request-Id"])
    assert len(set(seen)) == len(seen)


def test_an_unreadable_request_gets_an_id_in_its_error(server):
    answer = raw(server, b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400"), answer[:80]
    rid = header(answer, "X-Request-Id")
    assert GENERATED.match(rid)
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["error"]["requestId"] == rid


def test_websocket_answers_return_the_request_id(server):
    token = server.token("alice")
    appt = server.new_appointment()["id"]
    # Refused (no ticket): the error body quotes the id too.
    refused = raw(server, (f"GET /api/appointments/{appt}/updates?ticket=nope&sessionId={new_session()} HTTP/1.1\r\n"
                           "Host: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                           f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
                           "X-Request-Id: ws-refused-1\r\n\r\n").encode())
    assert refused.startswith(b"HTTP/1.1 401"), refused[:80]
    assert header(refused, "X-Request-Id") == "ws-refused-1"
    assert json.loads(refused.split(b"\r\n\r\n", 1)[1])["error"]["requestId"] == "ws-refused-1"
    # Accepted: the 101 returns it.
    _, _, body = server.api("POST", "/api/ws-tickets", token=token)
    accepted = raw(server, (f"GET /api/appointments/{appt}/updates?ticket={body['ticket']}&sessionId={new_session()} "
                            "HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                            "Sec-WebSocket-Version: 13\r\n"
                            f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
                            "X-Request-Id: ws-accepted-1\r\n\r\n").encode(), read_all=False)
    assert accepted.startswith(b"HTTP/1.1 101"), accepted[:80]
    assert header(accepted, "X-Request-Id") == "ws-accepted-1"


def json_lines(srv):
    lines = [line for line in srv.output.splitlines() if line.strip()]
    parsed = []
    for line in lines:
        try:
            parsed.append(json.loads(line))
        except ValueError:
            pytest.fail(f"a log line is not JSON: {line!r}")
    for entry in parsed:
        assert isinstance(entry.get("time"), str) and re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$",
                                                                entry["time"]), entry
        assert entry.get("level") in {"trace", "debug", "info", "warning", "error", "critical"}, entry
        assert isinstance(entry.get("msg"), str), entry
    return parsed


def test_with_log_format_json_every_line_is_an_object_and_requests_are_traceable(server_factory):
    srv = server_factory("--log-format", "json", "--trusted-proxy", "127.0.0.1")
    token = srv.token("alice")
    user_id = srv.api("GET", "/api/me", token=token)[2]["id"]
    status, headers, _ = srv.api("GET", "/api/appointments?limit=2", token=token,
                                 headers={"X-Request-Id": "find-me-1"})
    assert status == 200
    srv.api("GET", "/api/nothing")
    srv.open_tab(srv.new_appointment()["id"], token)
    # Hostile text in the path and the forwarded client address: invalid UTF-8, a quote, a
    # backslash, a line separator, control characters. None may reach a line raw, and every line
    # stays JSON. (Beast refuses control characters in a request target: that one is a 400.)
    raw(srv, b"GET /api/red\"\\\xff\xfe\xe2\x80\xa8?secret=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    raw(srv, b"GET /api/forwarded HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Forwarded-For: \xff\"}\\\r\n\r\n")
    raw(srv, b"GET /api/\x1b[31mred HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    srv.stop()

    parsed = json_lines(srv)
    assert any("listening on" in e["msg"] for e in parsed)
    requests = [e for e in parsed if e["msg"] == "request"]
    mine = [e for e in requests if e["requestId"] == "find-me-1"]
    assert len(mine) == 1, requests
    entry = mine[0]
    assert entry["method"] == "GET" and entry["path"] == "/api/appointments"  # never the query
    assert entry["route"] == "/api/appointments" and entry["status"] == 200
    assert entry["userId"] == user_id and entry["client"] == "127.0.0.1"
    assert isinstance(entry["durationMs"], (int, float)) and entry["durationMs"] >= 0
    for e in requests:
        assert set(e) >= {"time", "level", "requestId", "method", "path", "route", "status", "durationMs", "userId"}
    unmatched = [e for e in requests if e["path"] == "/api/nothing"]
    assert unmatched and unmatched[0]["userId"] is None and GENERATED.match(unmatched[0]["requestId"])
    assert any(e["status"] == 101 and e["userId"] == user_id for e in requests)
    hostile = [e for e in requests if "red" in e["path"]]
    assert hostile, requests
    # Shown escaped as \xNN (a backslash is one too), the query never.
    assert hostile[0]["path"] == '/api/red"\\x5C\\xFF\\xFE\\xE2\\x80\\xA8', hostile[0]
    forwarded = [e for e in requests if e["path"] == "/api/forwarded"]
    assert forwarded and forwarded[0]["client"] == "127.0.0.1"  # not an address: the proxy's own
    for control in ("\x1b", "\x7f", "\u2028"):
        assert control not in srv.output


def test_text_logs_name_the_request_id_too(server_factory):
    srv = server_factory()
    srv.api("GET", "/healthz", headers={"X-Request-Id": "text-id-7"})
    wait_for(lambda: "id=text-id-7" in srv.output, message="the access line")
    line = next(line for line in srv.output.splitlines() if "id=text-id-7" in line)
    assert "GET /healthz /healthz 200" in line and "client=127.0.0.1" in line


def test_a_bad_log_format_is_refused(tmp_path):
    from test_operations import run
    out = run("--log-format", "xml", "--db", f"sqlite:{tmp_path / 'x.db'}")
    assert out.returncode != 0 and "log-format" in (out.stderr + out.stdout)
