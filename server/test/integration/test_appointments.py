"""Appointments: list, read, create with validation, and saves guarded by the lock and the version."""

import re
import socket

import pytest

from conftest import error_code, new_session

SERVER_ARGS = ["--lock-rate", "1000"]

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
FIELDS = {"id", "title", "clientName", "clientEmail", "startsAt", "endsAt", "location", "notes", "status",
          "version", "updatedAt", "updatedBy"}
EDITABLE = ("title", "clientName", "clientEmail", "startsAt", "endsAt", "location", "notes", "status")

VALID = {
    "title": "Follow-up",
    "clientName": "Dana Client",
    "clientEmail": "dana@example.org",
    "startsAt": "2026-12-02T09:00:00.000Z",
    "endsAt": "2026-12-02T09:30:00.000Z",
    "location": "Room 2",
    "notes": "Bring the forms.",
    "status": "confirmed",
}


def assert_appointment_shape(a):
    assert FIELDS <= set(a), set(FIELDS) - set(a)
    assert isinstance(a["id"], str) and a["id"]
    for key in ("startsAt", "endsAt", "updatedAt"):
        assert ISO_MS.match(a[key]), (key, a[key])
    assert a["status"] in ("scheduled", "confirmed", "cancelled")
    assert isinstance(a["version"], int) and a["version"] >= 1
    assert set(a["updatedBy"]) >= {"id", "name", "email"}


def editable(a, **changes):
    body = {k: a[k] for k in EDITABLE}
    body["version"] = a["version"]
    body.update(changes)
    return body


def create(server, **overrides):
    payload = dict(VALID)
    payload.update(overrides)
    return server.api("POST", "/api/appointments", token=server.token("alice"), json=payload)


# -- reading ----------------------------------------------------------------------------------------

def test_list_has_demo_appointments_with_lock_field_in_start_order(server):
    status, _, body = server.api("GET", "/api/appointments", token=server.token("alice"))
    assert status == 200, body
    items = body["items"]
    assert len(items) >= 10
    for a in items:
        assert_appointment_shape(a)
        assert "lock" in a
        assert a["lock"] is None or a["lock"]["appointmentId"] == a["id"]
    starts = [a["startsAt"] for a in items]
    assert starts == sorted(starts)


def test_list_shows_a_held_lock(server):
    appt = server.new_appointment()
    status, _, held = server.acquire(appt["id"], server.token("bob"))
    assert status == 200, held
    _, _, body = server.api("GET", "/api/appointments", token=server.token("alice"))
    item = next(a for a in body["items"] if a["id"] == appt["id"])
    assert item["lock"]["userInfo"]["email"] == "bob@example.com"
    assert item["lock"]["fencingToken"] == held["lock"]["fencingToken"]
    server.release(appt["id"], server.token("bob"))


def test_get_one_matches_the_list(server):
    _, _, body = server.api("GET", "/api/appointments", token=server.token("alice"))
    listed = body["items"][0]
    status, _, one = server.api("GET", f"/api/appointments/{listed['id']}", token=server.token("alice"))
    assert status == 200, one
    assert_appointment_shape(one)
    for key in FIELDS:
        assert one[key] == listed[key], key


@pytest.mark.parametrize("appt_id", ["00000000-0000-4000-8000-000000000000", "nope", "1"])
def test_unknown_appointment_is_404(server, appt_id):
    status, _, body = server.api("GET", f"/api/appointments/{appt_id}", token=server.token("alice"))
    assert status == 404, body
    assert error_code(body) == "NOT_FOUND"


# -- creating ---------------------------------------------------------------------------------------

def test_create_returns_201_and_is_readable(server):
    status, _, a = create(server)
    assert status == 201, a
    assert_appointment_shape(a)
    for key in EDITABLE:
        assert a[key] == VALID[key], key
    assert a["version"] == 1
    assert a["updatedBy"]["email"] == "alice@example.com"
    status, _, again = server.api("GET", f"/api/appointments/{a['id']}", token=server.token("bob"))
    assert status == 200 and again["title"] == VALID["title"]


def test_create_defaults_and_time_normalisation(server):
    payload = {k: VALID[k] for k in ("title", "clientName", "clientEmail")}
    payload["startsAt"] = "2026-12-03T11:00+02:00"
    payload["endsAt"] = "2026-12-03T09:45:30Z"
    status, _, a = server.api("POST", "/api/appointments", token=server.token("alice"), json=payload)
    assert status == 201, a
    assert a["startsAt"] == "2026-12-03T09:00:00.000Z"
    assert a["endsAt"] == "2026-12-03T09:45:30.000Z"
    assert a["status"] == "scheduled"
    assert a["location"] == "" and a["notes"] == ""


def test_lengths_count_characters_not_bytes(server):
    status, _, a = create(server, title="é" * 200, clientName="Zoë 🦊" * 40, notes="ü" * 5000)
    assert status == 201, a
    assert a["title"] == "é" * 200


def test_create_accepts_limits(server):
    status, _, a = create(server, title="t" * 200, clientName="c" * 200, location="l" * 200, notes="n" * 5000,
                          startsAt="2026-12-04T00:00:00.123-05:00", endsAt="2026-12-04T06:00:00.5Z")
    assert status == 201, a
    assert a["startsAt"] == "2026-12-04T05:00:00.123Z"
    assert a["endsAt"] == "2026-12-04T06:00:00.500Z"


@pytest.mark.parametrize("field,value", [
    ("title", ""),
    ("title", "   "),
    ("title", "t" * 201),
    ("clientName", ""),
    ("clientName", "c" * 201),
    ("clientEmail", "not-an-email"),
    ("clientEmail", ""),
    ("startsAt", "yesterday"),
    ("startsAt", "2026-13-01T09:00:00Z"),
    ("endsAt", "2026-12-02T25:00:00Z"),
    ("startsAt", "2026-02-30T09:00:00Z"),
    ("startsAt", "2026-12-02T09:00:00+25:00"),
    ("startsAt", "2026-12-02 09:00:00Z"),
    ("startsAt", "2026-12-02T09:00:00"),
    ("endsAt", "2026-12-02T08:00:00.000Z"),   # before startsAt
    ("endsAt", "2026-12-02T09:00:00.000Z"),   # equal to startsAt
    ("endsAt", "2026-12-03T09:00:01.000Z"),   # more than 24 h
    ("location", "l" * 201),
    ("notes", "n" * 5001),
    ("status", "done"),
])
def test_create_invalid_field_is_422(server, field, value):
    status, _, body = create(server, **{field: value})
    assert status == 422, body
    assert error_code(body) == "VALIDATION_FAILED"
    fields = body["error"]["fields"]
    assert any(f["field"] == field and f["message"] for f in fields), fields


def test_create_reports_every_invalid_field(server):
    status, _, body = create(server, title="", clientEmail="nope", status="done")
    assert status == 422, body
    named = {f["field"] for f in body["error"]["fields"]}
    assert {"title", "clientEmail", "status"} <= named


@pytest.mark.parametrize("field,value", [
    ("title", 5),
    ("clientName", None),
    ("clientEmail", ["a@b.c"]),
    ("startsAt", 1764579600),
    ("endsAt", {"at": "2026-12-02T10:00:00Z"}),
    ("location", 7),
    ("notes", False),
    ("status", 1),
])
def test_create_wrong_json_type_is_400(server, field, value):
    status, _, body = create(server, **{field: value})
    assert status == 400, body
    assert error_code(body) == "BAD_REQUEST"


@pytest.mark.parametrize("missing", ["title", "clientName", "clientEmail", "startsAt", "endsAt"])
def test_create_missing_member_is_400(server, missing):
    payload = {k: v for k, v in VALID.items() if k != missing}
    status, _, body = server.api("POST", "/api/appointments", token=server.token("alice"), json=payload)
    assert status == 400, body
    assert error_code(body) == "BAD_REQUEST"


@pytest.mark.parametrize("raw", [b"{", b"", b"null", b"[]", b'"text"', b'{"title": "x",}', b"\xff\xfe{}",
                                 b'{"title": "a\\ud800"}'])
def test_create_malformed_json_is_400(server, raw):
    status, _, body = server.api("POST", "/api/appointments", token=server.token("alice"), body=raw)
    assert status == 400, (raw, status, body)
    assert error_code(body) == "BAD_REQUEST"


def test_create_oversize_body_is_413(server):
    raw = ('{"title":"x","notes":"' + "n" * (70 * 1024) + '"}').encode()
    try:
        status, _, body = server.api("POST", "/api/appointments", token=server.token("alice"), body=raw)
    except (BrokenPipeError, ConnectionResetError) as exc:  # pragma: no cover - reported as a failure
        pytest.fail(f"server dropped the connection instead of answering 413: {exc!r}")
    assert status == 413, body
    assert error_code(body) == "PAYLOAD_TOO_LARGE"
    # still serving
    assert server.api("GET", "/healthz")[0] == 200


def test_chunked_oversize_body_is_413(server):
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
    chunks = (b"x" * 8192 for _ in range(12))
    try:
        conn.request("POST", "/api/appointments", body=chunks, encode_chunked=True,
                     headers={"Authorization": f"Bearer {server.token('alice')}",
                              "Content-Type": "application/json", "Transfer-Encoding": "chunked"})
        resp = conn.getresponse()
        status = resp.status
    except (BrokenPipeError, ConnectionResetError) as exc:
        pytest.fail(f"server dropped the connection instead of answering 413: {exc!r}")
    finally:
        conn.close()
    assert status == 413
    assert server.api("GET", "/healthz")[0] == 200


def test_declared_oversize_body_is_refused_before_it_is_sent(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall((f"POST /api/appointments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   f"Authorization: Bearer {server.token('alice')}\r\nContent-Type: application/json\r\n"
                   f"Content-Length: 104857600\r\n\r\n").encode())
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    assert data.startswith(b"HTTP/1.1 413"), data[:200]


# -- saving -----------------------------------------------------------------------------------------

def assert_save_refused(server, appt, status, body):
    """423 LOCK_NOT_HELD, and the appointment as it was: a refused save changes nothing."""
    assert (status, error_code(body)) == (423, "LOCK_NOT_HELD"), body
    _, _, after = server.api("GET", f"/api/appointments/{appt['id']}", token=server.token("carol"))
    assert (after["title"], after["version"]) == (appt["title"], appt["version"]), after


def test_put_without_lock_token_is_423(server):
    appt = server.new_appointment()
    status, _, body = server.api("PUT", f"/api/appointments/{appt['id']}", token=server.token("alice"),
                                 json=editable(appt, title="Sneaky"))
    assert_save_refused(server, appt, status, body)


@pytest.mark.parametrize("lock_token", ["1", "0", "-1", "abc", "99999999999999999999999", ""])
def test_put_with_header_but_no_lock_is_423(server, lock_token):
    appt = server.new_appointment()
    status, _, body = server.api("PUT", f"/api/appointments/{appt['id']}", token=server.token("alice"),
                                 json=editable(appt, title="Sneaky"), headers={"X-Lock-Token": lock_token})
    assert_save_refused(server, appt, status, body)


def test_put_with_someone_elses_token_is_423(server):
    appt = server.new_appointment()
    status, _, held = server.acquire(appt["id"], server.token("bob"))
    assert status == 200, held
    fencing = str(held["lock"]["fencingToken"])
    status, _, body = server.api("PUT", f"/api/appointments/{appt['id']}", token=server.token("alice"),
                                 json=editable(appt, title="Not mine"), headers={"X-Lock-Token": fencing})
    assert_save_refused(server, appt, status, body)
    server.release(appt["id"], server.token("bob"))


def test_put_with_token_of_another_appointment_is_423(server):
    a, b = server.new_appointment(), server.new_appointment()
    token = server.token("alice")
    status, _, held = server.acquire(a["id"], token)
    assert status == 200, held
    status, _, body = server.api("PUT", f"/api/appointments/{b['id']}", token=token,
                                 json=editable(b, title="Through another lock"),
                                 headers={"X-Lock-Token": str(held["lock"]["fencingToken"])})
    assert_save_refused(server, b, status, body)
    server.release(a["id"], token)


def test_put_token_is_checked_before_version(server):
    appt = server.new_appointment()
    status, _, body = server.api("PUT", f"/api/appointments/{appt['id']}", token=server.token("alice"),
                                 json=editable(appt, title="No lock, wrong version", version=appt["version"] + 7))
    assert_save_refused(server, appt, status, body)


def test_put_with_stale_version_is_409_with_current(server):
    appt = server.new_appointment()
    token = server.token("alice")
    status, _, held = server.acquire(appt["id"], token)
    assert status == 200, held
    lock_header = {"X-Lock-Token": str(held["lock"]["fencingToken"])}
    status, _, saved = server.api("PUT", f"/api/appointments/{appt['id']}", token=token,
                                  json=editable(appt, title="First save"), headers=lock_header)
    assert status == 200, saved
    status, _, body = server.api("PUT", f"/api/appointments/{appt['id']}", token=token,
                                 json=editable(appt, title="Based on the old version"), headers=lock_header)
    assert status == 409, body
    assert error_code(body) == "VERSION_CONFLICT"
    current = body["error"]["current"]
    assert current["version"] == saved["version"]
    assert current["title"] == "First save"
    server.release(appt["id"], token)


def test_put_by_holder_saves_and_bumps_version(server):
    appt = server.new_appointment()
    token = server.token("alice")
    status, _, held = server.acquire(appt["id"], token)
    assert status == 200, held
    changes = {"title": "Rescheduled", "notes": "moved", "status": "cancelled",
               "startsAt": "2026-12-05T10:00:00+01:00", "endsAt": "2026-12-05T10:30:00.000Z"}
    status, _, saved = server.api("PUT", f"/api/appointments/{appt['id']}", token=token,
                                  json=editable(appt, **changes),
                                  headers={"X-Lock-Token": str(held["lock"]["fencingToken"])})
    assert status == 200, saved
    assert_appointment_shape(saved)
    assert saved["version"] == appt["version"] + 1
    assert saved["title"] == "Rescheduled" and saved["status"] == "cancelled"
    assert saved["startsAt"] == "2026-12-05T09:00:00.000Z"
    assert saved["updatedBy"]["email"] == "alice@example.com"
    assert saved["updatedAt"] >= appt["updatedAt"]
    _, _, again = server.api("GET", f"/api/appointments/{appt['id']}", token=server.token("bob"))
    assert again["version"] == saved["version"] and again["title"] == "Rescheduled"
    server.release(appt["id"], token)


def test_put_with_token_of_an_earlier_grant_is_423(server):
    appt = server.new_appointment()
    token = server.token("alice")
    _, _, first = server.acquire(appt["id"], token)
    server.release(appt["id"], token)
    status, _, second = server.acquire(appt["id"], token)
    assert status == 200, second
    assert second["lock"]["fencingToken"] > first["lock"]["fencingToken"]
    status, _, body = server.api("PUT", f"/api/appointments/{appt['id']}", token=token,
                                 json=editable(appt, title="With an old grant's token"),
                                 headers={"X-Lock-Token": str(first["lock"]["fencingToken"])})
    assert_save_refused(server, appt, status, body)
    server.release(appt["id"], token)


def test_put_invalid_field_with_lock_is_422(server):
    appt = server.new_appointment()
    token = server.token("alice")
    _, _, held = server.acquire(appt["id"], token, session=new_session())
    status, _, body = server.api("PUT", f"/api/appointments/{appt['id']}", token=token,
                                 json=editable(appt, clientEmail="broken"),
                                 headers={"X-Lock-Token": str(held["lock"]["fencingToken"])})
    assert status == 422, body
    assert any(f["field"] == "clientEmail" for f in body["error"]["fields"])
    server.release(appt["id"], token)


def test_put_wrong_version_type_is_400(server):
    appt = server.new_appointment()
    token = server.token("alice")
    _, _, held = server.acquire(appt["id"], token)
    status, _, body = server.api("PUT", f"/api/appointments/{appt['id']}", token=token,
                                 json=editable(appt, version="1"),
                                 headers={"X-Lock-Token": str(held["lock"]["fencingToken"])})
    assert status == 400, body
    assert error_code(body) == "BAD_REQUEST"
    server.release(appt["id"], token)
