"""`slotlock user …` manages accounts on the same database as the server."""

import subprocess

import pytest

from conftest import BIN, error_code


def cli(db_path, *args, stdin=""):
    return subprocess.run([str(BIN), "user", *args, "--db", f"sqlite:{db_path}"], input=stdin,
                          capture_output=True, text=True, timeout=30)


def listed(db_path):
    result = cli(db_path, "list")
    assert result.returncode == 0, result.stderr
    return result.stdout


def role_of(db_path, email):
    line = next((ln for ln in listed(db_path).splitlines() if email in ln), None)
    assert line is not None, listed(db_path)
    return "admin" if "admin" in line.split(email, 1)[1] else "user"


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "cli.db"


def test_user_add_then_login(db_path, server_factory):
    result = cli(db_path, "add", "--email", "dave@example.com", "--name", "Dave Dunn", "--role", "user",
                 stdin="dave-secret-pass\n")
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert "dave-secret-pass" not in result.stdout + result.stderr
    srv = server_factory(db_path=db_path)
    status, _, body = srv.api("POST", "/api/auth/login",
                              json={"email": "dave@example.com", "password": "dave-secret-pass"})
    assert status == 200, body
    assert body["user"]["name"] == "Dave Dunn" and body["user"]["role"] == "user"


def test_user_list_shows_accounts(db_path):
    assert cli(db_path, "add", "--email", "erin@example.com", "--name", "Erin", "--role", "admin",
               stdin="erin-secret-pass\n").returncode == 0
    out = listed(db_path)
    assert "erin@example.com" in out
    assert role_of(db_path, "erin@example.com") == "admin"


def test_user_add_rejects_duplicates_and_empty_passwords(db_path):
    assert cli(db_path, "add", "--email", "fay@example.com", "--name", "Fay", "--role", "user",
               stdin="fay-secret-pass\n").returncode == 0
    dup = cli(db_path, "add", "--email", "fay@example.com", "--name", "Fay 2", "--role", "user",
              stdin="other-pass-123\n")
    assert dup.returncode != 0
    empty = cli(db_path, "add", "--email", "gus@example.com", "--name", "Gus", "--role", "user", stdin="")
    assert empty.returncode != 0
    assert "gus@example.com" not in listed(db_path)
    bad_role = cli(db_path, "add", "--email", "hal@example.com", "--name", "Hal", "--role", "root",
                   stdin="hal-secret-pass\n")
    assert bad_role.returncode != 0


def test_set_role_promotes(db_path, server_factory):
    assert cli(db_path, "add", "--email", "ivy@example.com", "--name", "Ivy", "--role", "user",
               stdin="ivy-secret-pass\n").returncode == 0
    result = cli(db_path, "set-role", "--email", "ivy@example.com", "--role", "admin")
    assert result.returncode == 0, result.stderr
    assert role_of(db_path, "ivy@example.com") == "admin"
    srv = server_factory(db_path=db_path)
    token = srv.login("ivy@example.com", "ivy-secret-pass")
    status, _, body = srv.api("GET", "/api/me", token=token)
    assert body["role"] == "admin"
    assert srv.api("GET", "/api/audit", token=token)[0] == 200
    assert cli(db_path, "set-role", "--email", "nobody@example.com", "--role", "admin").returncode != 0


def test_disable_blocks_login(db_path, server_factory):
    assert cli(db_path, "add", "--email", "jay@example.com", "--name", "Jay", "--role", "user",
               stdin="jay-secret-pass\n").returncode == 0
    srv = server_factory(db_path=db_path)
    assert srv.login("jay@example.com", "jay-secret-pass")
    srv.stop()
    result = cli(db_path, "disable", "--email", "jay@example.com")
    assert result.returncode == 0, result.stderr
    srv.start()
    status, _, body = srv.api("POST", "/api/auth/login", json={"email": "jay@example.com",
                                                               "password": "jay-secret-pass"})
    assert status == 401, body
    assert error_code(body) == "INVALID_CREDENTIALS"


def test_users_api_for_admins(db_path, server_factory):
    srv = server_factory(db_path=db_path)
    carol = srv.token("carol")
    status, _, body = srv.api("POST", "/api/users", token=carol,
                              json={"email": "kim@example.com", "name": "Kim", "role": "user",
                                    "password": "kim-secret-pass"})
    assert status == 201, body
    assert set(body) >= {"id", "name", "email", "role"} and "password" not in body
    kim = body["id"]
    status, _, body = srv.api("POST", "/api/users", token=carol,
                              json={"email": "kim@example.com", "name": "Kim", "role": "user",
                                    "password": "kim-secret-pass"})
    assert status == 409 and error_code(body) == "CONFLICT", body
    status, _, body = srv.api("POST", "/api/users", token=carol,
                              json={"email": "bad", "name": "", "role": "boss", "password": "x"})
    assert status == 422 and error_code(body) == "VALIDATION_FAILED", body
    status, _, body = srv.api("GET", "/api/users", token=carol)
    assert status == 200
    row = next(u for u in body["items"] if u["email"] == "kim@example.com")
    assert row["disabled"] is False and row["role"] == "user"
    status, _, body = srv.api("PATCH", f"/api/users/{kim}", token=carol, json={"role": "admin", "name": "Kim K"})
    assert status == 200 and body["role"] == "admin" and body["name"] == "Kim K", body
    token = srv.login("kim@example.com", "kim-secret-pass")
    status, _, body = srv.api("PATCH", f"/api/users/{kim}", token=carol, json={"disabled": True})
    assert status == 200, body
    status, _, body = srv.api("POST", "/api/auth/login", json={"email": "kim@example.com",
                                                               "password": "kim-secret-pass"})
    assert status == 401, body
    # A disabled user's existing sessions stop working as well.
    assert srv.api("GET", "/api/me", token=token)[0] == 401
    attempts = (("GET", "/api/users", None),
                ("POST", "/api/users", {"email": "lee@example.com", "name": "Lee", "role": "admin",
                                        "password": "lee-secret-pass"}),
                ("PATCH", f"/api/users/{kim}", {"disabled": False}))
    for method, path, payload in attempts:
        status, _, body = srv.api(method, path, token=srv.token("alice"), json=payload)
        assert status == 403 and error_code(body) == "FORBIDDEN", (method, path, body)
