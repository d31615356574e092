"""Sign-in, sign-out, the caller's identity, and the 401 on every protected route."""

import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import error_code

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
APPT = "00000000-0000-4000-8000-000000000000"  # any id: authentication is checked first

PROTECTED = [
    ("GET", "/api/me"),
    ("POST", "/api/auth/logout"),
    ("GET", "/api/appointments"),
    ("POST", "/api/appointments"),
    ("GET", f"/api/appointments/{APPT}"),
    ("PUT", f"/api/appointments/{APPT}"),
    ("GET", f"/api/appointments/{APPT}/lock-status"),
    ("POST", f"/api/appointments/{APPT}/acquire-lock"),
    ("POST", f"/api/appointments/{APPT}/heartbeat"),
    ("DELETE", f"/api/appointments/{APPT}/release-lock"),
    ("DELETE", f"/api/appointments/{APPT}/queue?sessionId=x"),
    ("GET", f"/api/appointments/{APPT}/audit"),
    ("GET", "/api/audit"),
    ("GET", "/api/users"),
    ("POST", "/api/users"),
    ("PATCH", f"/api/users/{APPT}"),
]


def test_login_returns_token_expiry_and_user(server):
    status, _, body = server.api("POST", "/api/auth/login",
                                 json={"email": "alice@example.com", "password": "alice-demo"})
    assert status == 200, body
    assert isinstance(body["token"], str) and len(body["token"]) >= 20
    assert ISO_MS.match(body["expiresAt"]), body["expiresAt"]
    user = body["user"]
    assert user["email"] == "alice@example.com"
    assert user["role"] == "user"
    assert isinstance(user["id"], str) and user["id"]
    assert isinstance(user["name"], str) and user["name"]


def test_demo_admin_is_admin(server):
    status, _, body = server.api("POST", "/api/auth/login",
                                 json={"email": "carol@example.com", "password": "carol-demo"})
    assert status == 200, body
    assert body["user"]["role"] == "admin"


@pytest.mark.parametrize("email,password", [
    ("bob@example.com", "wrong-password"),
    ("nobody@example.com", "bob-demo"),
    ("bob@example.com", ""),
])
def test_bad_login_is_invalid_credentials(server, email, password):
    status, _, body = server.api("POST", "/api/auth/login", json={"email": email, "password": password})
    assert status == 401, body
    assert error_code(body) == "INVALID_CREDENTIALS"
    assert "token" not in body


@pytest.mark.parametrize("raw", [b"{", b"", b"[]", b'{"email": 5, "password": "x"}', b'{"email": "bob@example.com"}'])
def test_malformed_login_is_bad_request(server, raw):
    status, _, body = server.api("POST", "/api/auth/login", body=raw)
    assert status == 400, body
    assert error_code(body) == "BAD_REQUEST"


def test_repeated_failures_for_one_email_are_rate_limited(server_factory):
    srv = server_factory()
    statuses = []
    for _ in range(6):
        status, headers, body = srv.api("POST", "/api/auth/login",
                                        json={"email": "alice@example.com", "password": "guess"})
        statuses.append(status)
    assert statuses[:5] == [401] * 5, statuses
    assert statuses[5] == 429, (statuses, body)
    assert error_code(body) == "RATE_LIMITED"
    retry = headers.get("Retry-After")
    assert retry is not None and retry.isdigit() and int(retry) >= 1, retry
    assert isinstance(body["error"]["retryAfter"], (int, float)) and body["error"]["retryAfter"] >= 1
    # Another account from the same address is not locked out by alice's failures.
    assert srv.login("bob@example.com")


def test_logins_from_one_address_are_rate_limited(server_factory):
    # All at once, so that the answer does not hang on how fast a hash is (under ASan one takes
    # longer than the bucket's refill): the address is counted as each attempt arrives, before it
    # waits for the sign-in pool. Distinct e-mails: only the per-address bucket (60, then 2/s) applies.
    srv = server_factory()

    def attempt(i):
        return srv.api("POST", "/api/auth/login", json={"email": f"guess{i}@example.com", "password": "guess"})

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=90) as pool:
        answers = list(pool.map(attempt, range(90)))
    elapsed = time.monotonic() - started
    statuses = [status for status, _, _ in answers]
    limited = [(headers, body) for status, headers, body in answers if status == 429]
    admitted = len(answers) - len(limited)
    # 401 (checked) or 503 (admitted, but the pool's line was full): never a 200, never a 500.
    assert set(statuses) <= {401, 429, 503}, statuses
    assert 60 <= admitted <= 60 + 2 * elapsed + 1, (admitted, elapsed, statuses)
    for headers, body in limited:
        assert error_code(body) == "RATE_LIMITED"
        assert int(headers["Retry-After"]) >= 1


def test_me_returns_the_caller(server):
    status, _, body = server.api("GET", "/api/me", token=server.token("bob"))
    assert status == 200, body
    assert body["email"] == "bob@example.com"
    assert body["role"] == "user"
    assert set(body) >= {"id", "name", "email", "role"}
    assert "password" not in str(body).lower()


def test_logout_revokes_the_token(server):
    token = server.login("alice@example.com")
    assert server.api("GET", "/api/me", token=token)[0] == 200
    status, _, body = server.api("POST", "/api/auth/logout", token=token)
    assert status == 204, body
    status, _, body = server.api("GET", "/api/me", token=token)
    assert status == 401, body
    assert error_code(body) == "UNAUTHENTICATED"
    assert server.api("POST", "/api/auth/logout", token=token)[0] == 401
    # Other sessions of the same user are unaffected.
    assert server.api("GET", "/api/me", token=server.token("alice"))[0] == 200


@pytest.mark.parametrize("method,path", PROTECTED)
@pytest.mark.parametrize("auth", [None, "Bearer garbage-token", "Bearer ", "Basic YWxpY2U6YWxpY2UtZGVtbw==",
                                  "garbage"])
def test_protected_routes_need_a_valid_token(server, method, path, auth):
    headers = {"Authorization": auth} if auth is not None else {}
    body = b"{}" if method in ("POST", "PUT", "PATCH") else None
    status, _, parsed = server.api(method, path, headers=headers, body=body)
    assert status == 401, (status, parsed)
    assert error_code(parsed) == "UNAUTHENTICATED"


def test_token_and_password_never_reach_the_log(server_factory):
    srv = server_factory("--log-level", "debug")
    token = srv.login("alice@example.com")
    srv.api("GET", "/api/me", token=token)
    srv.api("GET", "/api/appointments", token=token)
    srv.api("GET", "/api/me", token=token + "x")
    srv.api("POST", "/api/auth/logout", token=token)
    srv.api("GET", "/api/me", token=token)
    srv.api("POST", "/api/auth/login", json={"email": "bob@example.com", "password": "not-bobs-password"})
    srv.stop()
    out = srv.output
    assert token not in out
    assert token[:16] not in out
    assert "alice-demo" not in out
    assert "not-bobs-password" not in out
