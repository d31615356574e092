"""The edit lock: acquire, refresh, heartbeat, release, force, takeover, expiry, fencing, queue, audit."""

import time
from datetime import datetime

import pytest

from conftest import error_code, new_session, wait_for

SERVER_ARGS = ["--lock-rate", "1000"]

LOCK_FIELDS = {"appointmentId", "userId", "userInfo", "sessionId", "acquiredAt", "lastActivityAt", "expiresAt",
               "fencingToken"}


def ts(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def assert_lock(lock, appt_id, email, session=None):
    assert LOCK_FIELDS <= set(lock), LOCK_FIELDS - set(lock)
    assert lock["appointmentId"] == appt_id
    assert lock["userInfo"]["email"] == email
    assert lock["userInfo"]["name"]
    assert isinstance(lock["fencingToken"], int) and lock["fencingToken"] > 0
    if session is not None:
        assert lock["sessionId"] == session
    assert ts(lock["acquiredAt"]) <= ts(lock["lastActivityAt"]) < ts(lock["expiresAt"])


def make_user(server, name, role="user"):
    return server.add_user(name, role, email=f"{name}@example.net")


@pytest.fixture
def appt(server):
    return server.new_appointment()["id"]


# -- acquire and refresh ----------------------------------------------------------------------------

def test_acquire_free_lock(server, appt):
    session = new_session()
    status, _, body = server.acquire(appt, server.token("alice"), session)
    assert status == 200, body
    assert_lock(body["lock"], appt, "alice@example.com", session)
    assert body["lock"]["userId"] == server.user_id("alice")
    assert abs((ts(body["lock"]["expiresAt"]) - ts(body["lock"]["lastActivityAt"])).total_seconds() - 300) < 1
    assert ts(body["serverTime"])
    state = server.lock_status(appt, server.token("bob"))
    assert state["locked"] is True
    assert state["lock"]["fencingToken"] == body["lock"]["fencingToken"]
    assert state["lock"]["userInfo"]["email"] == "alice@example.com"
    assert ts(state["serverTime"]) < ts(state["lock"]["expiresAt"])


def test_free_lock_status(server, appt):
    state = server.lock_status(appt, server.token("alice"))
    assert state == {"locked": False, "lock": None, "serverTime": state["serverTime"]}


def test_second_user_gets_409_naming_the_holder(server, appt):
    assert server.acquire(appt, server.token("alice"))[0] == 200
    status, _, body = server.acquire(appt, server.token("bob"))
    assert status == 409, body
    assert error_code(body) == "LOCK_HELD"
    assert body["error"]["lock"]["userInfo"]["email"] == "alice@example.com"
    assert body["error"]["lock"]["userId"] == server.user_id("alice")


def test_same_user_and_session_refreshes_with_same_token(server, appt):
    session = new_session()
    _, _, first = server.acquire(appt, server.token("alice"), session)
    status, _, again = server.acquire(appt, server.token("alice"), session)
    assert status == 200, again
    assert again["lock"]["fencingToken"] == first["lock"]["fencingToken"]
    assert again["lock"]["acquiredAt"] == first["lock"]["acquiredAt"]
    assert ts(again["lock"]["expiresAt"]) >= ts(first["lock"]["expiresAt"])


def test_same_user_other_session_is_409(server, appt):
    assert server.acquire(appt, server.token("alice"), new_session())[0] == 200
    status, _, body = server.acquire(appt, server.token("alice"), new_session())
    assert status == 409, body
    assert error_code(body) == "LOCK_HELD"
    assert body["error"]["lock"]["userInfo"]["email"] == "alice@example.com"


@pytest.mark.parametrize("payload", [{}, {"sessionId": 5}, {"sessionId": ""}, {"sessionId": "s", "takeover": "yes"},
                                     {"sessionId": "s", "queue": 1}])
def test_acquire_bad_body_is_400(server, appt, payload):
    status, _, body = server.api("POST", f"/api/appointments/{appt}/acquire-lock", token=server.token("alice"),
                                 json=payload)
    assert status == 400, (payload, body)
    assert error_code(body) == "BAD_REQUEST"


def test_unknown_appointment_lock_routes_are_404(server):
    missing = "00000000-0000-4000-8000-000000000000"
    status, _, body = server.acquire(missing, server.token("alice"))
    assert status == 404 and error_code(body) == "NOT_FOUND", body
    for method, path, payload in (
            ("GET", "lock-status", None),
            ("POST", "heartbeat", {"sessionId": "s"}),
            ("DELETE", "release-lock", None),
            ("DELETE", "queue?sessionId=s", None)):
        status, _, body = server.api(method, f"/api/appointments/{missing}/{path}", token=server.token("alice"),
                                     json=payload)
        assert status == 404 and error_code(body) == "NOT_FOUND", (path, body)


# -- heartbeat --------------------------------------------------------------------------------------

def test_heartbeat_extends_expiry(server, appt):
    session = new_session()
    _, _, first = server.acquire(appt, server.token("alice"), session)

    def later_heartbeat():
        status, _, body = server.api("POST", f"/api/appointments/{appt}/heartbeat", token=server.token("alice"),
                                     json={"sessionId": session})
        assert status == 200, body
        return body if ts(body["lock"]["expiresAt"]) > ts(first["lock"]["expiresAt"]) else None

    body = wait_for(later_heartbeat, timeout=5, interval=0.02, message="a later expiresAt")
    assert body["lock"]["fencingToken"] == first["lock"]["fencingToken"]
    assert ts(body["lock"]["lastActivityAt"]) > ts(first["lock"]["lastActivityAt"])
    assert ts(body["serverTime"])


def test_heartbeat_by_non_holder_is_409(server, appt):
    session = new_session()
    server.acquire(appt, server.token("alice"), session)
    for token, sess in ((server.token("bob"), session), (server.token("alice"), new_session())):
        status, _, body = server.api("POST", f"/api/appointments/{appt}/heartbeat", token=token,
                                     json={"sessionId": sess})
        assert status == 409, body
        assert error_code(body) == "LOCK_NOT_HELD"


def test_heartbeat_on_free_lock_is_409(server, appt):
    status, _, body = server.api("POST", f"/api/appointments/{appt}/heartbeat", token=server.token("alice"),
                                 json={"sessionId": new_session()})
    assert status == 409, body
    assert error_code(body) == "LOCK_NOT_HELD"


# -- release ----------------------------------------------------------------------------------------

def test_release_then_released_false(server, appt):
    server.acquire(appt, server.token("alice"))
    status, _, body = server.release(appt, server.token("alice"))
    assert (status, body) == (200, {"released": True})
    assert server.lock_status(appt, server.token("bob"))["locked"] is False
    status, _, body = server.release(appt, server.token("alice"))
    assert (status, body) == (200, {"released": False})
    assert server.acquire(appt, server.token("bob"))[0] == 200


def test_release_by_other_user_is_not_lock_owner(server, appt):
    server.acquire(appt, server.token("alice"))
    status, _, body = server.release(appt, server.token("bob"))
    assert status == 403, body
    assert error_code(body) == "NOT_LOCK_OWNER"
    assert body["error"]["lock"]["userInfo"]["email"] == "alice@example.com"
    assert server.lock_status(appt, server.token("bob"))["lock"]["userInfo"]["email"] == "alice@example.com"


def test_force_release_by_admin(server, appt):
    _, _, held = server.acquire(appt, server.token("alice"))
    status, _, body = server.release(appt, server.token("carol"), "?force=true")
    assert (status, body) == (200, {"released": True}), body
    assert server.lock_status(appt, server.token("alice"))["locked"] is False
    rows = server.audit(appt)
    row = next(r for r in rows if r["action"] == "force_released")
    assert row["actor"]["email"] == "carol@example.com"
    assert row["previousHolder"]["email"] == "alice@example.com"
    # The old holder's token no longer saves.
    _, _, a = server.api("GET", f"/api/appointments/{appt}", token=server.token("alice"))
    body = {k: a[k] for k in ("title", "clientName", "clientEmail", "startsAt", "endsAt", "location", "notes",
                              "status")}
    body["version"] = a["version"]
    status, _, resp = server.api("PUT", f"/api/appointments/{appt}", token=server.token("alice"), json=body,
                                 headers={"X-Lock-Token": str(held["lock"]["fencingToken"])})
    assert (status, error_code(resp)) == (423, "LOCK_NOT_HELD"), resp
    _, _, after = server.api("GET", f"/api/appointments/{appt}", token=server.token("alice"))
    assert after["version"] == a["version"], "a refused save changed the appointment"


def test_force_release_by_user_is_forbidden(server, appt):
    server.acquire(appt, server.token("alice"))
    status, _, body = server.release(appt, server.token("bob"), "?force=true")
    assert status == 403, body
    assert error_code(body) == "FORBIDDEN"
    assert server.lock_status(appt, server.token("bob"))["locked"] is True


def test_takeover_by_user_is_forbidden(server, appt):
    server.acquire(appt, server.token("alice"))
    status, _, body = server.acquire(appt, server.token("bob"), takeover=True)
    assert status == 403, body
    assert error_code(body) == "FORBIDDEN"
    assert server.lock_status(appt, server.token("bob"))["lock"]["userInfo"]["email"] == "alice@example.com"


def test_takeover_by_admin(server, appt):
    _, _, held = server.acquire(appt, server.token("alice"))
    session = new_session()
    status, _, body = server.acquire(appt, server.token("carol"), session, takeover=True)
    assert status == 200, body
    assert_lock(body["lock"], appt, "carol@example.com", session)
    assert body["lock"]["fencingToken"] > held["lock"]["fencingToken"]
    row = next(r for r in server.audit(appt) if r["action"] == "taken_over")
    assert row["actor"]["email"] == "carol@example.com"
    assert row["previousHolder"]["email"] == "alice@example.com"
    status, _, body = server.release(appt, server.token("alice"))
    assert status == 403 and error_code(body) == "NOT_LOCK_OWNER", body
    status, _, body = server.api("POST", f"/api/appointments/{appt}/heartbeat", token=server.token("alice"),
                                 json={"sessionId": held["lock"]["sessionId"]})
    assert status == 409 and error_code(body) == "LOCK_NOT_HELD", body


# -- expiry -----------------------------------------------------------------------------------------

def test_lock_expires_after_ttl_and_is_never_shown_expired(server_factory):
    srv = server_factory("--lock-ttl", "2")
    appt = srv.new_appointment()["id"]
    status, _, body = srv.acquire(appt, srv.token("alice"))
    assert status == 200, body
    lock = body["lock"]
    assert abs((ts(lock["expiresAt"]) - ts(lock["lastActivityAt"])).total_seconds() - 2) < 0.5
    expires = ts(lock["expiresAt"])

    def freed():
        state = srv.lock_status(appt, srv.token("bob"))
        if state["locked"]:
            assert ts(state["serverTime"]) < ts(state["lock"]["expiresAt"]), f"expired lock shown: {state}"
            return None
        assert state["lock"] is None
        return state

    state = wait_for(freed, timeout=8, interval=0.05, message="the lock to expire")
    # Freed within a second of its expiry, not early.
    assert expires <= ts(state["serverTime"])
    assert (ts(state["serverTime"]) - expires).total_seconds() < 1.5
    # lock-status knows the time from memory; the expiry's audit row follows within the second.
    row = wait_for(lambda: next((r for r in srv.audit(appt) if r["action"] == "expired"), None), timeout=2,
                   message="the expiry's audit row")
    assert row["reason"] == "expiry"
    assert row["actor"] is None
    assert row["previousHolder"]["email"] == "alice@example.com"
    status, _, again = srv.acquire(appt, srv.token("bob"))
    assert status == 200, again
    assert again["lock"]["fencingToken"] > lock["fencingToken"]


def test_heartbeats_keep_the_lock(server_factory):
    srv = server_factory("--lock-ttl", "2")
    appt = srv.new_appointment()["id"]
    session = new_session()
    _, _, first = srv.acquire(appt, srv.token("alice"), session)
    end = time.monotonic() + 3.5
    while time.monotonic() < end:
        status, _, body = srv.api("POST", f"/api/appointments/{appt}/heartbeat", token=srv.token("alice"),
                                  json={"sessionId": session})
        assert status == 200, body
        time.sleep(0.4)  # pacing the holder's activity, not waiting for a condition
    state = srv.lock_status(appt, srv.token("bob"))
    assert state["locked"] and state["lock"]["fencingToken"] == first["lock"]["fencingToken"]


def test_save_counts_as_activity(server, appt):
    token = server.token("alice")
    _, _, held = server.acquire(appt, token)
    _, _, a = server.api("GET", f"/api/appointments/{appt}", token=token)
    body = {k: a[k] for k in ("title", "clientName", "clientEmail", "startsAt", "endsAt", "location", "notes",
                              "status")}

    def saved_later():
        body["version"] = server.api("GET", f"/api/appointments/{appt}", token=token)[2]["version"]
        status, _, saved = server.api("PUT", f"/api/appointments/{appt}", token=token, json=body,
                                      headers={"X-Lock-Token": str(held["lock"]["fencingToken"])})
        assert status == 200, saved
        lock = server.lock_status(appt, token)["lock"]
        return lock if ts(lock["expiresAt"]) > ts(held["lock"]["expiresAt"]) else None

    lock = wait_for(saved_later, timeout=5, interval=0.02, message="a save to push expiresAt on")
    assert lock["fencingToken"] == held["lock"]["fencingToken"]


def test_save_after_expiry_is_423(server_factory):
    srv = server_factory("--lock-ttl", "1")
    token = srv.token("alice")
    a = srv.new_appointment()
    _, _, held = srv.acquire(a["id"], token)
    wait_for(lambda: not srv.lock_status(a["id"], token)["locked"], timeout=5, message="expiry")
    body = {k: a[k] for k in ("title", "clientName", "clientEmail", "startsAt", "endsAt", "location", "notes",
                              "status")}
    body["version"] = a["version"]
    status, _, resp = srv.api("PUT", f"/api/appointments/{a['id']}", token=token, json=body,
                              headers={"X-Lock-Token": str(held["lock"]["fencingToken"])})
    assert (status, error_code(resp)) == (423, "LOCK_NOT_HELD"), resp
    _, _, after = srv.api("GET", f"/api/appointments/{a['id']}", token=token)
    assert after["version"] == a["version"], "a refused save changed the appointment"


# -- fencing ----------------------------------------------------------------------------------------

def test_fencing_token_grows_across_releases(server, appt):
    tokens = []
    for who in ("alice", "bob", "alice", "carol"):
        status, _, body = server.acquire(appt, server.token(who))
        assert status == 200, body
        tokens.append(body["lock"]["fencingToken"])
        assert server.release(appt, server.token(who))[2] == {"released": True}
    assert tokens == sorted(tokens) and len(set(tokens)) == len(tokens), tokens


def test_fencing_token_grows_across_restart(server_factory):
    srv = server_factory()
    appt = srv.new_appointment()["id"]
    _, _, first = srv.acquire(appt, srv.token("alice"))
    srv.release(appt, srv.token("alice"))
    assert srv.restart() and srv.running
    status, _, second = srv.acquire(appt, srv.token("bob"))
    assert status == 200, second
    assert second["lock"]["fencingToken"] > first["lock"]["fencingToken"]


# -- queue ------------------------------------------------------------------------------------------

def test_queue_on_free_lock_acquires(server, appt):
    status, _, body = server.acquire(appt, server.token("alice"), queue=True)
    assert status == 200, body
    assert body["lock"]["userInfo"]["email"] == "alice@example.com"


def offer_of(server, appt):
    """The open offer of an appointment's freed lock, from a fresh feed snapshot (or None)."""
    import asyncio
    import json
    import aiohttp

    async def read():
        status, _, t = server.api("POST", "/api/ws-tickets", token=server.token("alice"))
        assert status == 200
        async with aiohttp.ClientSession() as http:
            url = f"http://127.0.0.1:{server.port}/api/updates?ticket={t['ticket']}&sessionId={new_session()}"
            async with http.ws_connect(url) as ws:
                snap = json.loads((await ws.receive()).data)
        return next((o for o in snap["offers"] if o["appointmentId"] == appt), None)

    return asyncio.run(read())


def take_offer(server, appt, token, session):
    """The one offered the lock takes it; returns the lock."""
    status, _, body = server.acquire(appt, token, session)
    assert status == 200, body
    return body["lock"]


def test_queue_admin_ahead_of_users_and_head_offered_the_lock_on_release(server, appt):
    dave, _ = make_user(server, "dave-q")
    server.acquire(appt, server.token("alice"))
    bob_session, dave_session, carol_session = new_session(), new_session(), new_session()

    server.open_tab(appt, server.token("bob"), bob_session)
    server.open_tab(appt, dave, dave_session)
    server.open_tab(appt, server.token("carol"), carol_session)
    status, _, body = server.acquire(appt, server.token("bob"), bob_session, queue=True)
    assert (status, body) == (202, {"queued": True, "position": 1}), body
    status, _, body = server.acquire(appt, dave, dave_session, queue=True)
    assert (status, body) == (202, {"queued": True, "position": 2}), body
    status, _, body = server.acquire(appt, server.token("carol"), carol_session, queue=True)
    assert (status, body) == (202, {"queued": True, "position": 1}), body

    assert server.release(appt, server.token("alice"))[2] == {"released": True}
    # Free but offered: nobody's clock starts until the one offered takes it.
    assert server.lock_status(appt, server.token("alice"))["locked"] is False
    offer = offer_of(server, appt)
    assert offer["email"] == "carol@example.com" and offer["sessionId"] == carol_session
    status, _, body = server.acquire(appt, server.token("bob"), bob_session)
    assert (status, error_code(body)) == (409, "LOCK_OFFERED"), body
    lock = take_offer(server, appt, server.token("carol"), carol_session)
    assert lock["sessionId"] == carol_session

    assert server.release(appt, server.token("carol"))[2] == {"released": True}
    assert offer_of(server, appt)["email"] == "bob@example.com"
    lock = take_offer(server, appt, server.token("bob"), bob_session)

    assert server.release(appt, server.token("bob"))[2] == {"released": True}
    assert offer_of(server, appt)["email"] == "dave-q@example.net"
    lock2 = take_offer(server, appt, dave, dave_session)
    assert lock2["fencingToken"] > lock["fencingToken"]

    rows = server.audit(appt)
    assert [r["reason"] for r in rows if r["action"] == "offered"] == ["queue"] * 3
    assert [r["reason"] for r in rows if r["action"] == "granted"] == ["offer"] * 3

    assert server.release(appt, dave)[2] == {"released": True}
    assert server.lock_status(appt, dave)["locked"] is False


def test_leave_queue(server, appt):
    server.acquire(appt, server.token("alice"))
    session = server.open_tab(appt, server.token("bob"))
    assert server.acquire(appt, server.token("bob"), session, queue=True)[0] == 202
    path = f"/api/appointments/{appt}/queue?sessionId={session}"
    status, _, body = server.api("DELETE", path, token=server.token("bob"))
    assert (status, body) == (200, {"left": True}), body
    status, _, body = server.api("DELETE", path, token=server.token("bob"))
    assert (status, body) == (200, {"left": False}), body
    server.release(appt, server.token("alice"))
    assert server.lock_status(appt, server.token("alice"))["locked"] is False


def test_the_line_is_bounded(server_factory):
    srv = server_factory("--lock-rate", "1000")
    appt = srv.new_appointment()["id"]
    srv.acquire(appt, srv.token("alice"))
    # Eight tabs a person in one room: seven people make the 51 tabs.
    waiters = [make_user(srv, f"waiter-{i}")[0] for i in range(7)]
    tabs = [(token, srv.open_tab(appt, token)) for token in waiters for _ in range(8)][:51]
    for position, (token, tab) in enumerate(tabs[:50], start=1):
        status, _, body = srv.acquire(appt, token, tab, queue=True)
        assert (status, body) == (202, {"queued": True, "position": position}), body
    token, tab = tabs[50]
    status, _, body = srv.acquire(appt, token, tab, queue=True)
    assert (status, error_code(body)) == (409, "QUEUE_FULL"), body
    assert body["error"]["message"]


def test_queued_head_offered_the_lock_on_expiry(server_factory):
    srv = server_factory("--lock-ttl", "1")
    appt = srv.new_appointment()["id"]
    srv.acquire(appt, srv.token("alice"))
    session = srv.open_tab(appt, srv.token("bob"))
    assert srv.acquire(appt, srv.token("bob"), session, queue=True)[0] == 202

    def bob_offered():
        offer = offer_of(srv, appt)
        return offer if offer and offer["email"] == "bob@example.com" else None

    offer = wait_for(bob_offered, timeout=6, message="bob to be offered the expired lock")
    assert offer["sessionId"] == session
    actions = [r["action"] for r in srv.audit(appt)]
    assert actions[:2] == ["offered", "expired"], actions


# -- rate limit -------------------------------------------------------------------------------------

def test_acquire_is_rate_limited_per_user(server_factory):
    srv = server_factory("--lock-rate", "1")
    appt = srv.new_appointment()["id"]
    session = new_session()
    results = [srv.acquire(appt, srv.token("alice"), session) for _ in range(12)]
    statuses = [r[0] for r in results]
    assert statuses[:6] == [200] * 6, statuses
    assert 429 in statuses, statuses
    status, headers, body = next(r for r in results if r[0] == 429)
    assert error_code(body) == "RATE_LIMITED"
    assert headers.get("Retry-After", "").isdigit() and int(headers["Retry-After"]) >= 1, dict(headers)
    assert body["error"]["retryAfter"] >= 1
    # Another user has a bucket of their own.
    other = srv.new_appointment()["id"]
    assert srv.acquire(other, srv.token("bob"))[0] == 200


# -- audit ------------------------------------------------------------------------------------------

def test_audit_rows_for_acquire_and_release(server, appt):
    server.acquire(appt, server.token("alice"))
    server.release(appt, server.token("alice"))
    rows = server.audit(appt)
    assert [r["action"] for r in rows[:2]] == ["released", "acquired"]
    released, acquired = rows[0], rows[1]
    assert released["reason"] == "user"
    assert released["actor"]["email"] == "alice@example.com"
    assert acquired["actor"]["email"] == "alice@example.com"
    for r in rows:
        assert set(r) >= {"id", "at", "appointmentId", "action", "actor", "previousHolder", "reason"}
        assert r["appointmentId"] == appt
    assert rows[0]["id"] > rows[1]["id"]
    assert ts(rows[0]["at"]) >= ts(rows[1]["at"])


def test_global_audit_filters_and_pages(server, appt):
    for _ in range(3):
        server.acquire(appt, server.token("bob"))
        server.release(appt, server.token("bob"))
    carol = server.token("carol")
    status, _, body = server.api("GET", f"/api/audit?appointmentId={appt}&action=released&limit=2", token=carol)
    assert status == 200, body
    assert len(body["items"]) == 2
    assert all(r["action"] == "released" and r["appointmentId"] == appt for r in body["items"])
    assert body["nextBefore"] is not None
    status, _, page2 = server.api("GET", f"/api/audit?appointmentId={appt}&action=released&limit=2"
                                         f"&before={body['nextBefore']}", token=carol)
    assert status == 200, page2
    assert len(page2["items"]) == 1
    assert page2["items"][0]["id"] < body["items"][-1]["id"]
    assert page2["nextBefore"] is None
    status, _, by_actor = server.api("GET", f"/api/audit?actorId={server.user_id('bob')}&appointmentId={appt}",
                                     token=carol)
    assert status == 200 and len(by_actor["items"]) == 6, by_actor


def test_audit_is_admin_only(server, appt):
    for path in ("/api/audit", f"/api/appointments/{appt}/audit"):
        status, _, body = server.api("GET", path, token=server.token("alice"))
        assert status == 403, body
        assert error_code(body) == "FORBIDDEN"


def test_audit_bad_filter_is_400(server):
    for query in ("limit=abc", "action=exploded", "before=xyz"):
        status, _, body = server.api("GET", f"/api/audit?{query}", token=server.token("carol"))
        assert status == 400, (query, body)
