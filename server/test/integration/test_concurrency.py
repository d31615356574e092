"""Many users asking for the same lock at the same instant: exactly one wins each round."""

import asyncio

import aiohttp

from conftest import new_session

SERVER_ARGS = ["--lock-rate", "1000"]
USERS = 12
ROUNDS = 30


def make_users(server, prefix):
    carol = server.token("carol")
    people = []
    for i in range(USERS):
        email = f"{prefix}{i}@example.net"
        status, _, body = server.api("POST", "/api/users", token=carol,
                                     json={"email": email, "name": f"Racer {i}", "role": "user",
                                           "password": f"racer-password-{i}"})
        assert status == 201, body
        people.append({"id": body["id"], "email": email, "token": server.login(email, f"racer-password-{i}"),
                       "session": new_session()})
    return people


async def race(server, appt, people):
    base = f"http://127.0.0.1:{server.port}"
    url = f"{base}/api/appointments/{appt}/acquire-lock"
    # One connection per racer, opened before the race so that the requests leave together.
    sessions = [aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1),
                                      headers={"Authorization": f"Bearer {p['token']}"}) for p in people]
    try:
        for s in sessions:
            async with s.get(f"{base}/api/me") as r:
                assert r.status == 200
        winners = []
        for round_no in range(ROUNDS):
            gate = asyncio.Event()

            async def attempt(s, p):
                await gate.wait()
                async with s.post(url, json={"sessionId": p["session"]}) as r:
                    return p, r.status, await r.json(content_type=None)

            tasks = [asyncio.create_task(attempt(s, p)) for s, p in zip(sessions, people)]
            await asyncio.sleep(0)  # let every task reach the gate
            gate.set()
            results = await asyncio.gather(*tasks)

            won = [(p, body) for p, status, body in results if status == 200]
            assert len(won) == 1, f"round {round_no}: {[(p['email'], st, b) for p, st, b in results]}"
            winner, body = won[0]
            lock = body["lock"]
            assert lock["userId"] == winner["id"]
            for p, status, body in results:
                if p is winner:
                    continue
                assert status == 409, (round_no, p["email"], status, body)
                assert body["error"]["code"] == "LOCK_HELD"
                assert body["error"]["lock"]["userId"] == winner["id"], (round_no, body)
                assert body["error"]["lock"]["fencingToken"] == lock["fencingToken"]
            winners.append((winner, lock["fencingToken"]))

            s = sessions[people.index(winner)]
            async with s.delete(f"{base}/api/appointments/{appt}/release-lock") as r:
                assert r.status == 200 and (await r.json()) == {"released": True}
        return winners
    finally:
        for s in sessions:
            await s.close()


def test_simultaneous_acquires_grant_exactly_one(server):
    people = make_users(server, "racer")
    appt = server.new_appointment()["id"]
    winners = asyncio.run(race(server, appt, people))
    tokens = [t for _, t in winners]
    assert tokens == sorted(tokens) and len(set(tokens)) == ROUNDS, tokens
    # Every grant and every release is in the audit trail, nothing more.
    rows = server.audit(appt)
    assert sum(r["action"] == "acquired" for r in rows) == ROUNDS
    assert sum(r["action"] == "released" for r in rows) == ROUNDS
    assert server.lock_status(appt, server.token("alice"))["locked"] is False


def test_simultaneous_acquires_on_different_appointments_all_win(server):
    people = make_users(server, "solo")
    appts = [server.new_appointment()["id"] for _ in people]

    async def run():
        base = f"http://127.0.0.1:{server.port}"
        async with aiohttp.ClientSession() as s:
            async def one(p, appt):
                async with s.post(f"{base}/api/appointments/{appt}/acquire-lock",
                                  headers={"Authorization": f"Bearer {p['token']}"},
                                  json={"sessionId": p["session"]}) as r:
                    return r.status
            return await asyncio.gather(*(one(p, a) for p, a in zip(people, appts)))

    assert asyncio.run(run()) == [200] * USERS
