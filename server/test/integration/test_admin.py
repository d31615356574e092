"""Admin control, black-box (issue 5): the authorisation matrix, request-control and its hand-over,
the deadline, takeover (also while the holder saves, and two admins racing), force release, and the
audit trail API (filters, pages, rows that never change)."""

import asyncio
import threading
import time
import uuid
from datetime import datetime

import pytest

from conftest import Server, error_code, new_session, wait_for
from ws_client import Clients, call, run

SERVER_ARGS = ["--lock-rate", "1000"]

# A second server for the timed paths: a 2 s control grace, locks that expire after 3 s without
# activity, and a tab that closes releases its lock at once.
GRACE_ARGS = ["--lock-rate", "1000", "--control-grace", "2", "--lock-ttl", "3", "--disconnect-grace", "0"]
GRACE = 2.0
LATE = 1.5  # seconds after a deadline within which its outcome must be pushed

EDITABLE = ("title", "clientName", "clientEmail", "startsAt", "endsAt", "location", "notes", "status")
AUDIT_FIELDS = {"id", "at", "appointmentId", "action", "actor", "previousHolder", "reason"}
ACTIONS = ("acquired", "released", "expired", "granted", "control_requested", "control_handed_over", "taken_over",
           "force_released")


def ts(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def make_user(server, name, role="user"):
    """A user created through the API by carol: (token, user JSON)."""
    return server.add_user(name, role)


@pytest.fixture(scope="module")
def people(server):
    """name -> {"token", "id", "admin"} for alice and bob (users), carol (demo admin) and dave (an admin
    created through POST /api/users)."""
    out = {}
    for name, admin in (("alice", False), ("bob", False), ("carol", True)):
        out[name] = {"token": server.token(name), "id": server.user_id(name), "admin": admin}
    token, dave = make_user(server, "dave", "admin")
    out["dave"] = {"token": token, "id": dave["id"], "admin": True}
    return out


@pytest.fixture(scope="module")
def grace_server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("grace"), GRACE_ARGS).start()
    yield srv
    srv.stop()


def new_appt(server):
    return server.new_appointment()["id"]


def hold(server, appt, token, session=None):
    """Acquire and return the lock (asserting 200)."""
    status, _, body = server.acquire(appt, token, session)
    assert status == 200, body
    return body["lock"]


def ask(server, appt, token, session=None):
    return server.api("POST", f"/api/appointments/{appt}/request-control", token=token,
                      json={"sessionId": session or new_session()})


def holder_of(server, appt):
    lock = server.lock_status(appt, server.token("carol"))["lock"]
    return lock and (lock["userId"], lock["sessionId"], lock["fencingToken"])


def save(server, appt, token, fencing_token, version, title="Saved"):
    status, _, current = server.api("GET", f"/api/appointments/{appt}", token=token)
    assert status == 200, current
    payload = {k: current[k] for k in EDITABLE}
    payload.update(version=version, title=title)
    return server.api("PUT", f"/api/appointments/{appt}", token=token, json=payload,
                      headers={"X-Lock-Token": str(fencing_token)})


def version_of(server, appt):
    status, _, body = server.api("GET", f"/api/appointments/{appt}", token=server.token("carol"))
    assert status == 200, body
    return body


def all_audit(server, query=""):
    """Every row of GET /api/audit (newest first), following nextBefore."""
    rows, before = [], None
    while True:
        q = [query] if query else []
        if before is not None:
            q.append(f"before={before}")
        q.append("limit=500")
        status, _, body = server.api("GET", "/api/audit?" + "&".join(q), token=server.token("carol"))
        assert status == 200, body
        rows.extend(body["items"])
        before = body["nextBefore"]
        if before is None:
            return rows


def person_is(p, who_id, email=None):
    assert p is not None and p["userId"] == who_id, p
    assert p["name"], p
    if email:
        assert p["email"] == email, p


# -- the authorisation matrix ----------------------------------------------------------------------

def _request_control(server, people, who):
    appt = new_appt(server)
    holder = "bob" if who == "alice" else "alice"
    lock = hold(server, appt, people[holder]["token"])
    status, _, body = ask(server, appt, people[who]["token"])
    if people[who]["admin"]:
        assert status == 202, body
        assert abs(ts(body["deadline"]) - time.time() - 30) < 3, body
        rows = server.audit(appt)
        assert rows[0]["action"] == "control_requested" and rows[0]["actor"]["id"] == people[who]["id"], rows
    else:
        assert status == 403 and error_code(body) == "FORBIDDEN", body
        assert [r["action"] for r in server.audit(appt)] == ["acquired"]
    assert holder_of(server, appt) == (people[holder]["id"], lock["sessionId"], lock["fencingToken"])


def _takeover(server, people, who):
    appt = new_appt(server)
    holder = "bob" if who == "alice" else "alice"
    lock = hold(server, appt, people[holder]["token"])
    session = new_session()
    # The role comes from the signed-in user, whatever the body claims.
    status, _, body = server.acquire(appt, people[who]["token"], session, takeover=True, role="admin")
    if people[who]["admin"]:
        assert status == 200, body
        assert body["lock"]["userId"] == people[who]["id"] and body["lock"]["sessionId"] == session
        assert body["lock"]["fencingToken"] == lock["fencingToken"] + 1
    else:
        assert status == 403 and error_code(body) == "FORBIDDEN", body
        assert holder_of(server, appt) == (people[holder]["id"], lock["sessionId"], lock["fencingToken"])


def _force_release(server, people, who):
    appt = new_appt(server)
    holder = "bob" if who == "alice" else "alice"
    lock = hold(server, appt, people[holder]["token"])
    status, _, body = server.release(appt, people[who]["token"], "?force=true")
    if people[who]["admin"]:
        assert status == 200 and body == {"released": True}, body
        assert holder_of(server, appt) is None
        row = server.audit(appt)[0]
        assert row["action"] == "force_released" and row["reason"] == "force", row
        assert row["actor"]["id"] == people[who]["id"] and row["previousHolder"]["id"] == people[holder]["id"]
    else:
        assert status == 403 and error_code(body) == "FORBIDDEN", body
        assert holder_of(server, appt) == (people[holder]["id"], lock["sessionId"], lock["fencingToken"])
        # Not even on their own lock.
        own = new_appt(server)
        hold(server, own, people[who]["token"])
        status, _, body = server.release(own, people[who]["token"], "?force=true")
        assert status == 403 and error_code(body) == "FORBIDDEN", body
        assert holder_of(server, own)[0] == people[who]["id"]


def _audit(server, people, who):
    status, _, body = server.api("GET", "/api/audit?limit=5", token=people[who]["token"])
    if people[who]["admin"]:
        assert status == 200 and isinstance(body["items"], list) and "nextBefore" in body, body
    else:
        assert status == 403 and error_code(body) == "FORBIDDEN", body


def _appointment_audit(server, people, who):
    appt = new_appt(server)
    hold(server, appt, people["bob"]["token"])
    status, _, body = server.api("GET", f"/api/appointments/{appt}/audit", token=people[who]["token"])
    if people[who]["admin"]:
        assert status == 200 and [r["action"] for r in body["items"]] == ["acquired"], body
    else:
        assert status == 403 and error_code(body) == "FORBIDDEN", body
        # Not even about an appointment that does not exist: no probing.
        status, _, body = server.api("GET", "/api/appointments/no-such-appt/audit", token=people[who]["token"])
        assert status == 403 and error_code(body) == "FORBIDDEN", body


def _list_users(server, people, who):
    status, _, body = server.api("GET", "/api/users", token=people[who]["token"])
    if people[who]["admin"]:
        assert status == 200, body
        emails = {u["email"] for u in body["items"]}
        assert {"alice@example.com", "bob@example.com", "carol@example.com"} <= emails
    else:
        assert status == 403 and error_code(body) == "FORBIDDEN", body


def _create_user(server, people, who):
    email = f"made-by-{who}-{uuid.uuid4().hex[:8]}@example.net"
    status, _, body = server.api("POST", "/api/users", token=people[who]["token"],
                                 json={"email": email, "name": "Made", "role": "admin", "password": "made-pass-123"})
    if people[who]["admin"]:
        assert status == 201 and body["email"] == email and body["role"] == "admin", body
    else:
        assert status == 403 and error_code(body) == "FORBIDDEN", body
    status, _, users = server.api("GET", "/api/users", token=server.token("carol"))
    assert (email in {u["email"] for u in users["items"]}) == people[who]["admin"]


def _patch_user(server, people, who):
    _, target = make_user(server, "target")
    if people[who]["admin"]:
        status, _, body = server.api("PATCH", f"/api/users/{target['id']}", token=people[who]["token"],
                                     json={"name": f"Renamed by {who}"})
        assert status == 200 and body["name"] == f"Renamed by {who}", body
    else:
        for uid, change in ((people[who]["id"], {"role": "admin"}), (target["id"], {"disabled": True})):
            status, _, body = server.api("PATCH", f"/api/users/{uid}", token=people[who]["token"], json=change)
            assert status == 403 and error_code(body) == "FORBIDDEN", body
        status, _, me = server.api("GET", "/api/me", token=people[who]["token"])
        assert status == 200 and me["role"] == "user", me
        status, _, users = server.api("GET", "/api/users", token=server.token("carol"))
        assert [u["disabled"] for u in users["items"] if u["id"] == target["id"]] == [False]


MATRIX = {
    "request-control": _request_control,
    "takeover": _takeover,
    "force-release": _force_release,
    "audit": _audit,
    "appointment-audit": _appointment_audit,
    "list-users": _list_users,
    "create-user": _create_user,
    "patch-user": _patch_user,
}


@pytest.mark.parametrize("endpoint", list(MATRIX))
@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave"])
def test_authorisation_matrix(server, people, who, endpoint):
    MATRIX[endpoint](server, people, who)


@pytest.mark.parametrize("method,path", [
    ("POST", "/api/appointments/{appt}/request-control"),
    ("GET", "/api/audit"),
    ("GET", "/api/appointments/{appt}/audit"),
    ("GET", "/api/users"),
    ("POST", "/api/users"),
    ("PATCH", "/api/users/{uid}"),
])
def test_admin_routes_without_a_token_are_401(server, people, method, path):
    appt = new_appt(server)
    status, _, body = server.api(method, path.format(appt=appt, uid=people["alice"]["id"]),
                                 json={"sessionId": new_session()})
    assert status == 401 and error_code(body) == "UNAUTHENTICATED", body


def test_a_role_change_takes_effect_on_the_next_request(server, people):
    token, erin = make_user(server, "erin")
    appt = new_appt(server)
    hold(server, appt, people["alice"]["token"])
    status, _, body = ask(server, appt, token)
    assert status == 403 and error_code(body) == "FORBIDDEN", body

    status, _, body = server.api("PATCH", f"/api/users/{erin['id']}", token=people["carol"]["token"],
                                 json={"role": "admin"})
    assert status == 200 and body["role"] == "admin", body
    status, _, body = ask(server, appt, token)
    assert status == 202, body

    status, _, body = server.api("PATCH", f"/api/users/{erin['id']}", token=people["carol"]["token"],
                                 json={"role": "user"})
    assert status == 200, body
    status, _, body = server.acquire(appt, token, takeover=True)
    assert status == 403 and error_code(body) == "FORBIDDEN", body
    status, _, body = server.release(appt, token, "?force=true")
    assert status == 403 and error_code(body) == "FORBIDDEN", body


# -- request-control --------------------------------------------------------------------------------

def test_request_control_errors_and_repeats(server, people):
    carol, dave = people["carol"]["token"], people["dave"]["token"]
    appt = new_appt(server)

    status, _, body = ask(server, appt, carol)
    assert status == 409 and error_code(body) == "NOT_LOCKED", body
    status, _, body = ask(server, "no-such-appt", carol)
    assert status == 404 and error_code(body) == "NOT_FOUND", body
    for payload in (None, {}, {"sessionId": ""}, {"sessionId": 5}, {"sessionId": "s" * 129}):
        status, _, body = server.api("POST", f"/api/appointments/{appt}/request-control", token=carol, json=payload)
        assert status == 400 and error_code(body) == "BAD_REQUEST", (payload, body)
    status, _, body = server.api("POST", f"/api/appointments/{appt}/request-control", token=carol, body=b"{nope")
    assert status == 400 and error_code(body) == "BAD_REQUEST", body

    # The admin who holds it cannot ask for it.
    mine = new_appt(server)
    hold(server, mine, carol)
    status, _, body = ask(server, mine, carol)
    assert status == 409 and error_code(body) == "CONFLICT", body

    lock = hold(server, appt, people["alice"]["token"])
    session = new_session()
    before = time.time()
    status, _, first = ask(server, appt, carol, session)
    assert status == 202, first
    assert set(first) == {"deadline"}
    assert before + 30 - 1 <= ts(first["deadline"]) <= time.time() + 30 + 1, first

    # The same admin again: the same deadline, nothing new.
    time.sleep(0.05)
    status, _, again = ask(server, appt, carol, session)
    assert status == 202 and again == first, again
    # Another admin while it is pending: 409.
    status, _, body = ask(server, appt, dave)
    assert status == 409 and error_code(body) == "CONFLICT", body

    assert holder_of(server, appt) == (people["alice"]["id"], lock["sessionId"], lock["fencingToken"])
    rows = server.audit(appt)
    assert [r["action"] for r in rows] == ["control_requested", "acquired"], rows
    assert set(rows[0]) == AUDIT_FIELDS
    assert rows[0]["actor"]["id"] == people["carol"]["id"] and rows[0]["actor"]["email"] == "carol@example.com"
    assert rows[0]["previousHolder"]["id"] == people["alice"]["id"]
    assert rows[0]["reason"] == "request"


def test_the_holders_tab_and_the_admins_viewer_are_told_of_a_request(server, people):
    appt = new_appt(server)
    alice_tab = new_session()

    async def body():
        async with Clients(server) as cs:
            a = await cs.open("alice", appt, session=alice_tab)
            c = await cs.open("carol", appt)
            b = await cs.open("bob", appt)
            for x in (a, c, b):
                await x.snapshot()
            await call(hold, server, appt, people["alice"]["token"], alice_tab)
            status, _, res = await call(ask, server, appt, people["carol"]["token"], c.session_id)
            assert status == 202, res
            for x in (a, c, b):
                f = await x.next_frame("control.requested", timeout=2)
                assert f["appointmentId"] == appt
                person_is(f["by"], people["carol"]["id"], "carol@example.com")
                person_is(f["holder"], people["alice"]["id"], "alice@example.com")
                assert f["deadline"] == res["deadline"]

    run(body())


def test_release_hands_the_lock_to_the_asking_admin_ahead_of_a_queued_user(server, people):
    appt = new_appt(server)
    alice_tab, bob_tab, carol_tab = new_session(), new_session(), new_session()
    alice_lock = hold(server, appt, people["alice"]["token"], alice_tab)

    async def body():
        async with Clients(server) as cs:
            viewer = await cs.open("bob", appt, session=bob_tab)
            await viewer.snapshot()
            status, _, queued = await call(server.acquire, appt, people["bob"]["token"], bob_tab, queue=True)
            assert status == 202 and queued == {"queued": True, "position": 1}, queued
            status, _, res = await call(ask, server, appt, people["carol"]["token"], carol_tab)
            assert status == 202, res
            viewer.drain()

            status, _, rel = await call(server.release, appt, people["alice"]["token"])
            assert status == 200 and rel == {"released": True}, rel
            released = await viewer.next_frame("lock.released", timeout=2)
            assert released["reason"] == "user"
            person_is(released["previousHolder"], people["alice"]["id"])
            granted = await viewer.next_frame("lock.granted", timeout=2)
            assert granted["lock"]["userId"] == people["carol"]["id"], granted
            assert granted["lock"]["sessionId"] == carol_tab
            assert granted["lock"]["fencingToken"] == alice_lock["fencingToken"] + 1

            assert await call(holder_of, server, appt) == (people["carol"]["id"], carol_tab,
                                                           alice_lock["fencingToken"] + 1)
            # Bob is still in line: a fresh snapshot shows him.
            fresh = await cs.open("alice", appt)
            snap = await fresh.snapshot()
            assert [q["userId"] for q in snap["queue"]] == [people["bob"]["id"]], snap["queue"]
            assert snap["lock"]["userId"] == people["carol"]["id"]

            # When the admin is done, the line gets its turn: Bob is offered the lock and takes it.
            status, _, rel = await call(server.release, appt, people["carol"]["token"])
            assert status == 200 and rel == {"released": True}, rel
            offered = await viewer.next_frame("lock.offered", timeout=2)
            assert offered["offer"]["userId"] == people["bob"]["id"] and offered["offer"]["sessionId"] == bob_tab
            status, _, taken = await call(server.acquire, appt, people["bob"]["token"], bob_tab)
            assert status == 200, taken
            granted = await viewer.next_frame("lock.granted", timeout=2)
            assert granted["lock"]["userId"] == people["bob"]["id"] and granted["lock"]["sessionId"] == bob_tab

    run(body())
    assert holder_of(server, appt)[:2] == (people["bob"]["id"], bob_tab)
    rows = server.audit(appt)
    got = [(r["action"], r["reason"], r["actor"] and r["actor"]["id"], r["previousHolder"] and r["previousHolder"]["id"])
           for r in rows]
    alice, bob, carol = people["alice"]["id"], people["bob"]["id"], people["carol"]["id"]
    assert got == [
        ("granted", "offer", bob, None),
        ("offered", "queue", bob, carol),
        ("released", "user", carol, carol),
        ("control_handed_over", "handed_over", carol, alice),
        ("released", "user", alice, alice),
        ("control_requested", "request", carol, alice),
        ("acquired", "user", alice, None),
    ], got


# -- the deadline (2 s grace) -----------------------------------------------------------------------

def test_deadline_with_an_idle_holder_gives_the_admin_the_lock(grace_server):
    srv = grace_server
    appt = new_appt(srv)
    alice_tab, carol_tab = new_session(), new_session()
    alice_id, carol_id = srv.user_id("alice"), srv.user_id("carol")

    async def body():
        async with Clients(srv) as cs:
            tab = await cs.open("alice", appt, session=alice_tab)
            viewer = await cs.open("bob", appt)
            await tab.snapshot()
            await viewer.snapshot()
            lock = await call(hold, srv, appt, srv.token("alice"), alice_tab)
            status, _, res = await call(ask, srv, appt, srv.token("carol"), carol_tab)
            assert status == 202, res
            deadline = ts(res["deadline"])
            assert GRACE - 0.5 <= deadline - time.time() <= GRACE + 0.5, res
            # Pointer moves and pings are not activity.
            await asyncio.sleep(0.2)
            await tab.send({"type": "cursor", "x": 0.5, "y": 0.5})
            await tab.send({"type": "ping"})
            await tab.next_frame("pong", timeout=2)

            assert await call(holder_of, srv, appt) == (alice_id, alice_tab, lock["fencingToken"])
            wait = deadline - time.time() + LATE
            released = await viewer.next_frame("lock.released", timeout=wait)
            assert released["reason"] == "control", released
            person_is(released["previousHolder"], alice_id)
            granted = await viewer.next_frame("lock.granted", timeout=1)
            assert granted["lock"]["userId"] == carol_id and granted["lock"]["sessionId"] == carol_tab
            assert granted["lock"]["fencingToken"] == lock["fencingToken"] + 1
            assert released["_wall"] >= deadline - 0.05, "handed over before the deadline"
            # The holder's own tab is told too.
            told = await tab.next_frame("lock.released", timeout=1)
            assert told["reason"] == "control"
            await viewer.no_frame("control.declined", within=0.2)

            assert await call(holder_of, srv, appt) == (carol_id, carol_tab, lock["fencingToken"] + 1)
            status, _, b = await call(save, srv, appt, srv.token("alice"), lock["fencingToken"], 1)
            assert status == 423 and error_code(b) == "LOCK_NOT_HELD", b

    run(body())
    rows = srv.audit(appt)
    assert [r["action"] for r in rows] == ["control_handed_over", "control_requested", "acquired"], rows
    assert rows[0]["reason"] == "deadline"
    assert rows[0]["actor"]["id"] == carol_id and rows[0]["previousHolder"]["id"] == alice_id


@pytest.mark.parametrize("how", ["heartbeat", "save", "ws-activity"])
def test_deadline_with_an_active_holder_keeps_the_lock_and_viewers_get_control_declined(grace_server, how):
    srv = grace_server
    appt = new_appt(srv)
    alice_tab = new_session()
    alice_id, carol_id = srv.user_id("alice"), srv.user_id("carol")

    async def body():
        async with Clients(srv) as cs:
            tab = await cs.open("alice", appt, session=alice_tab)
            viewer = await cs.open("carol", appt)
            await tab.snapshot()
            await viewer.snapshot()
            lock = await call(hold, srv, appt, srv.token("alice"), alice_tab)
            status, _, res = await call(ask, srv, appt, srv.token("carol"), viewer.session_id)
            assert status == 202, res
            deadline = ts(res["deadline"])
            await asyncio.sleep(0.3)
            if how == "heartbeat":
                status, _, b = await call(srv.api, "POST", f"/api/appointments/{appt}/heartbeat",
                                          token=srv.token("alice"), json={"sessionId": alice_tab})
                assert status == 200, b
            elif how == "save":
                status, _, b = await call(save, srv, appt, srv.token("alice"), lock["fencingToken"], 1)
                assert status == 200 and b["version"] == 2, b
            else:
                await tab.send({"type": "activity"})
                await viewer.next_frame("lock.refreshed", timeout=4)

            declined = await viewer.next_frame("control.declined", timeout=deadline - time.time() + LATE)
            assert declined["_wall"] >= deadline - 0.05, "declined before the deadline"
            assert declined["appointmentId"] == appt
            person_is(declined["by"], carol_id, "carol@example.com")
            person_is(declined["holder"], alice_id, "alice@example.com")
            assert declined["deadline"] == res["deadline"]
            await tab.next_frame("control.declined", timeout=1)
            await viewer.no_frame(("lock.granted", "lock.released"), within=0.3)
            assert await call(holder_of, srv, appt) == (alice_id, alice_tab, lock["fencingToken"])

    run(body())
    # (Closing alice's tab afterwards releases her lock at once on this server: look past that.)
    actions = [r["action"] for r in srv.audit(appt)]
    assert actions[-2:] == ["control_requested", "acquired"] and "control_handed_over" not in actions, actions


def test_a_closed_holder_tab_hands_the_lock_to_the_asking_admin(grace_server):
    srv = grace_server
    appt = new_appt(srv)
    alice_tab, carol_tab = new_session(), new_session()
    alice_id, carol_id = srv.user_id("alice"), srv.user_id("carol")

    async def body():
        async with Clients(srv) as cs:
            viewer = await cs.open("bob", appt)
            await viewer.snapshot()
            tab = await cs.open("alice", appt, session=alice_tab)
            await tab.snapshot()
            await call(hold, srv, appt, srv.token("alice"), alice_tab)
            status, _, res = await call(ask, srv, appt, srv.token("carol"), carol_tab)
            assert status == 202, res
            await tab.abandon()
            granted = await viewer.next_frame("lock.granted", timeout=GRACE - 0.5)
            assert granted["lock"]["userId"] == carol_id and granted["lock"]["sessionId"] == carol_tab

    run(body())
    rows = srv.audit(appt)
    assert [(r["action"], r["reason"]) for r in rows[:2]] == [("control_handed_over", "disconnect"),
                                                               ("released", "disconnect")], rows
    assert rows[0]["actor"]["id"] == carol_id and rows[0]["previousHolder"]["id"] == alice_id


def test_an_expiry_before_the_deadline_hands_the_lock_to_the_asking_admin(grace_server):
    srv = grace_server
    appt = new_appt(srv)
    bob_tab, carol_tab = new_session(), new_session()
    lock = hold(srv, appt, srv.token("alice"))
    srv.open_tab(appt, srv.token("bob"), bob_tab)
    status, _, queued = srv.acquire(appt, srv.token("bob"), bob_tab, queue=True)
    assert status == 202, queued
    time.sleep(max(0.0, ts(lock["expiresAt"]) - time.time() - 1.5))
    status, _, res = ask(srv, appt, srv.token("carol"), carol_tab)
    assert status == 202, res
    assert ts(res["deadline"]) > ts(lock["expiresAt"])
    carol_id = srv.user_id("carol")
    wait_for(lambda: (holder_of(srv, appt) or ("",))[0] == carol_id,
             timeout=ts(lock["expiresAt"]) - time.time() + LATE, message="carol to hold the lock after the expiry")
    assert holder_of(srv, appt)[:2] == (carol_id, carol_tab)
    rows = srv.audit(appt)
    assert [(r["action"], r["reason"]) for r in rows[:2]] == [("control_handed_over", "expiry"),
                                                               ("expired", "expiry")], rows


# -- takeover -----------------------------------------------------------------------------------------

def test_takeover_tells_the_holder_and_fences_their_token(server, people):
    appt = new_appt(server)
    alice_tab = new_session()
    lock = hold(server, appt, people["alice"]["token"], alice_tab)
    alice_id, carol_id = people["alice"]["id"], people["carol"]["id"]

    async def body():
        async with Clients(server) as cs:
            tab = await cs.open("alice", appt, session=alice_tab)
            await tab.snapshot()
            # A confirmation of an older lock is refused, naming the current holder.
            status, _, b = await call(server.acquire, appt, people["carol"]["token"], takeover=True,
                                      fencingToken=lock["fencingToken"] - 1)
            assert status == 409 and error_code(b) == "LOCK_HELD" and b["error"]["lock"]["userId"] == alice_id, b
            status, _, b = await call(server.acquire, appt, people["carol"]["token"], takeover=True,
                                      fencingToken="1")
            assert status == 400 and error_code(b) == "BAD_REQUEST", b

            carol_tab = new_session()
            status, _, b = await call(server.acquire, appt, people["carol"]["token"], carol_tab, takeover=True,
                                      fencingToken=lock["fencingToken"])
            assert status == 200, b
            assert b["lock"]["userId"] == carol_id and b["lock"]["fencingToken"] == lock["fencingToken"] + 1
            f = await tab.next_frame("lock.taken_over", timeout=2)
            assert f["lock"]["userId"] == carol_id and f["lock"]["fencingToken"] == lock["fencingToken"] + 1
            person_is(f["previousHolder"], alice_id, "alice@example.com")
            person_is(f["by"], carol_id, "carol@example.com")

            status, _, b = await call(save, server, appt, people["alice"]["token"], lock["fencingToken"], 1)
            assert status == 423 and error_code(b) == "LOCK_NOT_HELD", b

            # Admins do not take over admins: dave is refused, told carol holds it.
            status, _, b = await call(server.acquire, appt, people["dave"]["token"], takeover=True)
            assert status == 409 and error_code(b) == "LOCK_HELD", b
            assert b["error"]["lock"]["userId"] == carol_id

    run(body())
    row = server.audit(appt)[0]
    assert row["action"] == "taken_over" and row["reason"] == "takeover", row
    assert row["actor"]["id"] == carol_id and row["previousHolder"]["id"] == alice_id
    assert version_of(server, appt)["version"] == 1


def test_force_release_frees_without_taking_and_is_pushed(server, people):
    appt = new_appt(server)
    hold(server, appt, people["alice"]["token"])

    async def body():
        async with Clients(server) as cs:
            viewer = await cs.open("bob", appt)
            await viewer.snapshot()
            status, _, b = await call(server.release, appt, people["dave"]["token"], "?force=true")
            assert status == 200 and b == {"released": True}, b
            f = await viewer.next_frame("lock.released", timeout=2)
            assert f["reason"] == "force" and f["appointmentId"] == appt
            person_is(f["previousHolder"], people["alice"]["id"])
            await viewer.no_frame("lock.granted", within=0.2)

    run(body())
    assert holder_of(server, appt) is None
    status, _, b = server.release(appt, people["dave"]["token"], "?force=true")
    assert status == 200 and b == {"released": False}, b


def test_takeover_while_the_holder_is_saving(server, people):
    """The save and the takeover are fired at the same instant. Either the save lands first (version + 1,
    then the takeover) or it is refused with 423; never a 200 save after the takeover's grant."""
    appt = new_appt(server)
    carol = people["carol"]["token"]
    outcomes = []
    for round_no in range(10):
        lock = hold(server, appt, people["alice"]["token"])
        before = version_of(server, appt)["version"]
        status, _, current = server.api("GET", f"/api/appointments/{appt}", token=people["alice"]["token"])
        payload = {k: current[k] for k in EDITABLE}
        payload.update(version=before, title=f"Round {round_no}")
        barrier = threading.Barrier(2)
        results = {}

        def do_save():
            barrier.wait()
            results["save"] = server.api("PUT", f"/api/appointments/{appt}", token=people["alice"]["token"],
                                         json=payload, headers={"X-Lock-Token": str(lock["fencingToken"])})

        def do_takeover():
            barrier.wait()
            results["takeover"] = server.acquire(appt, carol, takeover=True)

        threads = [threading.Thread(target=do_save), threading.Thread(target=do_takeover)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(15)
        s_status, _, s_body = results["save"]
        t_status, _, t_body = results["takeover"]
        assert t_status == 200, t_body
        assert t_body["lock"]["userId"] == people["carol"]["id"]
        assert t_body["lock"]["fencingToken"] == lock["fencingToken"] + 1
        after = version_of(server, appt)
        taken = server.audit(appt)[0]
        assert taken["action"] == "taken_over" and taken["previousHolder"]["id"] == people["alice"]["id"], taken
        if s_status == 200:
            assert s_body["version"] == before + 1
            assert after["version"] == before + 1 and after["title"] == f"Round {round_no}"
            assert ts(after["updatedAt"]) <= ts(taken["at"]), (after, taken)
        else:
            assert s_status == 423 and error_code(s_body) == "LOCK_NOT_HELD", s_body
            assert after["version"] == before
        outcomes.append(s_status)
        # The old token never saves again.
        status, _, b = save(server, appt, people["alice"]["token"], lock["fencingToken"], after["version"])
        assert (status, error_code(b)) == (423, "LOCK_NOT_HELD"), b
        assert version_of(server, appt)["version"] == after["version"], "a refused save changed it"
        status, _, b = server.release(appt, carol)
        assert status == 200 and b == {"released": True}, b
    assert version_of(server, appt)["version"] == 1 + outcomes.count(200)
    assert [r["action"] for r in server.audit(appt)].count("taken_over") == 10


def test_two_admins_racing_to_take_over_exactly_one_wins(server, people):
    appt = new_appt(server)
    racers = ("carol", "dave")
    wins = {name: 0 for name in racers}
    rounds = 20
    for round_no in range(rounds):
        lock = hold(server, appt, people["alice"]["token"])
        extra = {"fencingToken": lock["fencingToken"]} if round_no % 2 else {}
        barrier = threading.Barrier(len(racers))
        results = {}

        def race(name):
            barrier.wait()
            results[name] = server.acquire(appt, people[name]["token"], takeover=True, **extra)

        threads = [threading.Thread(target=race, args=(n,)) for n in racers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(15)
        winners = [n for n in racers if results[n][0] == 200]
        assert len(winners) == 1, {n: results[n][0] for n in racers}
        winner = winners[0]
        loser = next(n for n in racers if n != winner)
        status, _, body = results[loser]
        assert status == 409 and error_code(body) == "LOCK_HELD", body
        assert body["error"]["lock"]["userId"] == people[winner]["id"], body
        assert body["error"]["lock"]["fencingToken"] == lock["fencingToken"] + 1
        assert holder_of(server, appt)[0] == people[winner]["id"]
        wins[winner] += 1
        status, _, b = server.release(appt, people[winner]["token"])
        assert status == 200 and b == {"released": True}, b
    taken = [r for r in server.audit(appt) if r["action"] == "taken_over"]
    assert len(taken) == rounds
    assert all(r["previousHolder"]["id"] == people["alice"]["id"] for r in taken)
    assert sum(wins.values()) == rounds


# -- audit --------------------------------------------------------------------------------------------

def test_audit_filters_pages_and_bad_queries(server, people):
    alice, bob, carol, dave = (people[n]["token"] for n in ("alice", "bob", "carol", "dave"))
    ids = {n: people[n]["id"] for n in people}
    appt = new_appt(server)
    hold(server, appt, alice)                                   # acquired
    assert server.release(appt, alice)[0] == 200                # released
    hold(server, appt, bob)                                     # acquired
    assert server.acquire(appt, carol, takeover=True)[0] == 200  # taken_over
    assert server.release(appt, carol)[0] == 200                # released
    hold(server, appt, alice)                                   # acquired
    assert ask(server, appt, dave)[0] == 202                    # control_requested
    assert server.release(appt, alice)[0] == 200                # released + control_handed_over
    assert server.release(appt, carol, "?force=true")[0] == 200  # force_released
    expected = ["acquired", "released", "acquired", "taken_over", "released", "acquired", "control_requested",
                "released", "control_handed_over", "force_released"]

    status, _, full = server.api("GET", f"/api/appointments/{appt}/audit?limit=500", token=carol)
    assert status == 200 and full["nextBefore"] is None, full
    rows = full["items"]
    assert [r["action"] for r in rows] == expected[::-1]
    assert all(set(r) == AUDIT_FIELDS and r["appointmentId"] == appt for r in rows)
    assert all(r["action"] in ACTIONS for r in rows)
    assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), reverse=True)
    assert len({r["id"] for r in rows}) == len(rows)
    assert [ts(r["at"]) for r in rows] == sorted((ts(r["at"]) for r in rows), reverse=True)
    assert rows == server.audit(appt)  # the conftest helper pages with the default limit

    # Pages of 3, through nextBefore, join into the same list.
    paged, before = [], None
    while True:
        q = f"&before={before}" if before is not None else ""
        status, _, page = server.api("GET", f"/api/audit?appointmentId={appt}&limit=3{q}", token=carol)
        assert status == 200, page
        assert len(page["items"]) <= 3
        paged.extend(page["items"])
        before = page["nextBefore"]
        if before is None:
            break
        assert before == page["items"][-1]["id"]
    assert paged == rows
    middle = rows[4]["id"]
    status, _, page = server.api("GET", f"/api/appointments/{appt}/audit?before={middle}&limit=2", token=carol)
    assert status == 200 and page["items"] == rows[5:7] and page["nextBefore"] == rows[6]["id"], page

    # Filters.
    def query(q):
        status, _, body = server.api("GET", f"/api/audit?{q}&limit=500", token=carol)
        assert status == 200, (q, body)
        return body["items"]

    assert [r["id"] for r in query(f"appointmentId={appt}&action=taken_over")] == [rows[6]["id"]]
    handed = query(f"appointmentId={appt}&action=control_handed_over")
    assert len(handed) == 1 and handed[0]["actor"]["id"] == ids["dave"] and handed[0]["reason"] == "handed_over"
    assert handed[0]["previousHolder"]["id"] == ids["alice"]
    assert [r["action"] for r in query(f"appointmentId={appt}&actorId={ids['bob']}")] == ["acquired"]
    assert [r["action"] for r in query(f"appointmentId={appt}&actorId={ids['dave']}")] == \
        ["control_handed_over", "control_requested"]
    for action in ACTIONS:
        assert all(r["action"] == action for r in query(f"action={action}"))
    by_alice = query(f"actorId={ids['alice']}")
    assert by_alice and all(r["actor"]["id"] == ids["alice"] for r in by_alice)
    assert {r["id"] for r in rows if r["actor"] and r["actor"]["id"] == ids["alice"]} <= {r["id"] for r in by_alice}
    assert query("actorId=nobody-at-all") == []
    status, _, body = server.api("GET", "/api/appointments/no-such-appt/audit", token=carol)
    assert status == 404 and error_code(body) == "NOT_FOUND", body

    for bad in ("action=stolen", "action=", "limit=0", "limit=501", "limit=-1", "limit=abc", "limit=2.5",
                "before=abc", "before=1x"):
        for path in ("/api/audit", f"/api/appointments/{appt}/audit"):
            status, _, body = server.api("GET", f"{path}?{bad}", token=carol)
            assert status == 400 and error_code(body) == "BAD_REQUEST", (path, bad, body)
    assert len(query("appointmentId=" + appt)) == len(rows)  # limit=500 is accepted


def test_audit_rows_never_change_after_later_actions(server, people):
    carol = people["carol"]["token"]
    appt = new_appt(server)
    hold(server, appt, people["alice"]["token"])
    assert ask(server, appt, carol)[0] == 202
    token, frank = make_user(server, "frank", "admin")
    other = new_appt(server)
    hold(server, other, people["bob"]["token"])
    assert server.acquire(other, token, takeover=True)[0] == 200
    old = {r["id"]: r for r in all_audit(server)}
    frank_rows = [r for r in old.values() if r["actor"] and r["actor"]["id"] == frank["id"]]
    assert frank_rows and all(r["actor"]["name"] == "Frank" for r in frank_rows)

    # Everything that could touch an old row: hand-over, release, takeover, force, expiry-free paths,
    # renaming and disabling the actor.
    assert server.release(appt, people["alice"]["token"])[0] == 200
    assert server.release(appt, carol)[0] == 200
    hold(server, appt, people["bob"]["token"])
    assert server.acquire(appt, people["dave"]["token"], takeover=True)[0] == 200
    assert server.release(appt, carol, "?force=true")[0] == 200
    assert server.release(other, carol, "?force=true")[0] == 200
    status, _, b = server.api("PATCH", f"/api/users/{frank['id']}", token=carol, json={"name": "Frank Renamed"})
    assert status == 200, b
    status, _, b = server.api("PATCH", f"/api/users/{frank['id']}", token=carol, json={"disabled": True})
    assert status == 200, b
    for method in ("PUT", "PATCH", "DELETE"):
        for path in ("/api/audit", f"/api/audit/{min(old)}", f"/api/appointments/{appt}/audit"):
            status, _, b = server.api(method, path, token=carol, json={})
            assert status in (404, 405), (method, path, status, b)

    new = {r["id"]: r for r in all_audit(server)}
    for rid, row in old.items():
        assert new.get(rid) == row, f"audit row {rid} changed: {row} -> {new.get(rid)}"
    added = [rid for rid in new if rid not in old]
    assert added and min(added) > max(old)
    assert [new[rid]["action"] for rid in sorted(added) if new[rid]["appointmentId"] == appt] == \
        ["released", "control_handed_over", "released", "acquired", "taken_over", "force_released"]


# -- found by these tests, fixed since ----------------------------------------------------------------

def test_a_users_request_control_is_forbidden_whatever_the_body(server, people):
    appt = new_appt(server)
    hold(server, appt, people["bob"]["token"])
    status, _, body = server.api("POST", f"/api/appointments/{appt}/request-control",
                                 token=people["alice"]["token"], json={})
    assert status == 403 and error_code(body) == "FORBIDDEN", body


def test_force_release_by_the_admin_who_asked_frees_the_lock(server, people):
    appt = new_appt(server)
    hold(server, appt, people["alice"]["token"])
    assert ask(server, appt, people["carol"]["token"])[0] == 202
    status, _, body = server.release(appt, people["carol"]["token"], "?force=true")
    assert status == 200 and body == {"released": True}, body
    assert holder_of(server, appt) is None, "force release took the lock instead of freeing it"


def test_a_disabled_admins_request_is_not_handed_the_lock(server, people):
    token, gina = make_user(server, "gina", "admin")
    appt = new_appt(server)
    hold(server, appt, people["alice"]["token"])
    assert ask(server, appt, token)[0] == 202
    status, _, body = server.api("PATCH", f"/api/users/{gina['id']}", token=people["carol"]["token"],
                                 json={"disabled": True})
    assert status == 200, body
    assert server.release(appt, people["alice"]["token"])[0] == 200
    holder = holder_of(server, appt)
    assert holder is None or holder[0] != gina["id"], "the lock went to a disabled user"


def test_a_disabled_user_leaves_the_line(server, people):
    token, hank = make_user(server, "hank", "user")
    appt = new_appt(server)
    hold(server, appt, people["alice"]["token"])
    tab = server.open_tab(appt, token)
    assert server.acquire(appt, token, tab, queue=True)[0] == 202
    status, _, body = server.api("PATCH", f"/api/users/{hank['id']}", token=people["carol"]["token"],
                                 json={"disabled": True})
    assert status == 200, body
    assert server.release(appt, people["alice"]["token"])[0] == 200
    assert holder_of(server, appt) is None, "the lock went to a disabled user at the head of the line"
