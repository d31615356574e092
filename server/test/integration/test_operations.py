"""Operations (issue 15, the parts built so far): a backup taken while the server runs and restored,
every flag from a configuration file, and the OpenAPI document the server serves."""

import subprocess

import yaml

from conftest import BIN, OPENAPI, Server


def run(*args, **kwargs):
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=60, **kwargs)


def test_a_backup_taken_while_the_server_runs_restores_its_data_and_locks(server_factory, tmp_path):
    srv = server_factory()
    appt = srv.new_appointment(title="Kept in the backup")["id"]
    status, _, held = srv.acquire(appt, srv.token("alice"))
    assert status == 200
    copy = tmp_path / "copy.db"
    out = run("backup", "--db", f"sqlite:{srv.db_path}", "--to", str(copy))
    assert out.returncode == 0, out.stderr
    assert "integrity check: ok" in out.stdout
    assert (copy.stat().st_mode & 0o777) == 0o600
    # Refused rather than overwritten.
    again = run("backup", "--db", f"sqlite:{srv.db_path}", "--to", str(copy))
    assert again.returncode != 0 and "exists" in again.stderr

    restored_dir = tmp_path / "restored"
    restored_dir.mkdir()
    restored = Server(restored_dir, [], db_path=copy).start()
    try:
        status, _, body = restored.api("GET", f"/api/appointments/{appt}", token=restored.token("alice"))
        assert status == 200 and body["title"] == "Kept in the backup", body
        lock = restored.lock_status(appt, restored.token("bob"))["lock"]
        assert lock["fencingToken"] == held["lock"]["fencingToken"]
    finally:
        restored.stop()


def test_a_postgresql_backup_is_pointed_to_pg_dump(tmp_path):
    out = run("backup", "--db", "postgres://slotlock@127.0.0.1:1/slotlock", "--to", str(tmp_path / "x"))
    assert out.returncode != 0
    assert "pg_dump" in out.stderr
    assert not (tmp_path / "x").exists()


def test_every_flag_can_come_from_a_config_file_and_the_command_line_wins(tmp_path):
    conf = tmp_path / "slotlock.toml"
    conf.write_text('time-zone = "Europe/Berlin"\nlock-ttl = 7\nport = 9\n')
    srv = Server(tmp_path / "cfg", ["--config", str(conf)])  # it passes --port 0
    (tmp_path / "cfg").mkdir()
    srv.start()  # its --port 0 on the command line wins over port = 9 in the file
    try:
        status, _, body = srv.api("GET", "/api/config")
        assert status == 200 and body["timeZone"] == "Europe/Berlin"
        appt = srv.new_appointment()["id"]
        status, _, held = srv.acquire(appt, srv.token("alice"))
        assert status == 200
        from datetime import datetime
        ttl = datetime.fromisoformat(held["lock"]["expiresAt"][:-1]) - \
            datetime.fromisoformat(held["lock"]["lastActivityAt"][:-1])
        assert ttl.total_seconds() == 7
    finally:
        srv.stop()


def test_a_config_file_with_a_misspelt_or_bad_value_is_refused_by_name(tmp_path):
    for text, named in (('lock-tll = 7\n', "lock-tll"), ('lock-ttl = "soon"\n', "lock-ttl"),
                        ('time-zone = "Mars/Base"\n', "time zone")):
        conf = tmp_path / "bad.toml"
        conf.write_text(text)
        out = run("--config", str(conf), "--db", f"sqlite:{tmp_path}/never.db", "--port", "0")
        assert out.returncode != 0, text
        assert named in out.stdout + out.stderr, (text, out.stdout + out.stderr)
    missing = run("--config", str(tmp_path / "none.toml"), "--port", "0")
    assert missing.returncode != 0 and "none.toml" in missing.stdout + missing.stderr


def test_the_served_openapi_document_is_the_committed_one(server):
    status, headers, body = server.api("GET", "/api/openapi.json")  # public: no sign-in
    assert status == 200, body
    assert headers["Content-Type"].startswith("application/json"), headers["Content-Type"]
    assert body == yaml.safe_load(OPENAPI.read_text(encoding="utf-8")), \
        "GET /api/openapi.json is not docs/openapi.yaml: rebuild the server"
    status, _, _ = server.api("POST", "/api/openapi.json")
    assert status == 405
