"""/metrics (issue 15): every family parses with the Prometheus client's text-format parser, moves
with what the server does, keeps its labels to fixed sets, and is served only to --metrics-allow."""

import time

import pytest

from conftest import error_code
from test_operations import run

# family (as the parser names it: counters without _total) -> type
FAMILIES = {
    "slotlock_build_info": "gauge",
    "process_cpu_seconds": "counter",
    "process_resident_memory_bytes": "gauge",
    "process_virtual_memory_bytes": "gauge",
    "process_threads": "gauge",
    "process_start_time_seconds": "gauge",
    "process_open_fds": "gauge",
    "process_max_fds": "gauge",
    "slotlock_http_requests": "counter",
    "slotlock_http_request_duration_seconds": "histogram",
    "slotlock_open_connections": "gauge",
    "slotlock_refused_connections": "counter",
    "slotlock_lock_events": "counter",
    "slotlock_locks_held": "gauge",
    "slotlock_websocket_connections": "gauge",
    "slotlock_websocket_rooms": "gauge",
    "slotlock_websocket_dropped": "counter",
    "slotlock_websocket_dropped_frames": "counter",
    "slotlock_store_duration_seconds": "histogram",
    "slotlock_store_errors": "counter",
}
LOCK_KINDS = {"acquired", "refreshed", "released", "expired", "granted", "taken_over", "queue_changed",
              "control_requested", "control_declined", "offered", "offer_ended"}


def value(families, family, sample=None, **labels):
    for s in families[family].samples:
        if s.name == (sample or family) and all(s.labels.get(k) == v for k, v in labels.items()):
            return s.value
    return None


def test_every_family_is_there_with_its_type_and_parses(server):
    families = server.metric_families()
    for name, kind in FAMILIES.items():
        assert name in families, f"{name} is missing; families: {sorted(families)}"
        assert families[name].type == kind, (name, families[name].type)
    assert {s.labels["kind"] for s in families["slotlock_lock_events"].samples} == LOCK_KINDS
    assert {s.labels["reason"] for s in families["slotlock_websocket_dropped"].samples} == {"silent", "slow"}
    version = families["slotlock_build_info"].samples[0].labels["version"]
    assert version and version != "0.0.0-unknown"


def test_process_figures_are_the_processes_own(server):
    families = server.metric_families()
    started = value(families, "process_start_time_seconds")
    assert time.time() - 600 < started <= time.time() + 1
    assert value(families, "process_resident_memory_bytes") > 1 << 20
    assert value(families, "process_virtual_memory_bytes") >= value(families, "process_resident_memory_bytes")
    fds = value(families, "process_open_fds")
    assert 3 <= fds <= value(families, "process_max_fds")
    assert value(families, "process_threads") >= 2
    cpu = value(families, "process_cpu_seconds", "process_cpu_seconds_total")
    assert cpu > 0


def test_locks_and_their_events_are_counted(server_factory):
    srv = server_factory()
    appt = srv.new_appointment()["id"]
    before = srv.metric_families()
    assert value(before, "slotlock_locks_held") == 0
    status, _, _ = srv.acquire(appt, srv.token("alice"))
    assert status == 200
    held = srv.metric_families()
    assert value(held, "slotlock_locks_held") == 1
    assert value(held, "slotlock_lock_events", "slotlock_lock_events_total", kind="acquired") == 1
    status, _, _ = srv.release(appt, srv.token("alice"))
    assert status == 200
    after = srv.metric_families()
    assert value(after, "slotlock_locks_held") == 0
    assert value(after, "slotlock_lock_events", "slotlock_lock_events_total", kind="released") == 1


def test_websocket_connections_and_rooms_follow_the_tabs(server_factory):
    srv = server_factory()
    appt = srv.new_appointment()["id"]
    families = srv.metric_families()
    assert value(families, "slotlock_websocket_connections") == 0
    assert value(families, "slotlock_websocket_rooms") == 0
    srv.open_tab(appt, srv.token("alice"))
    srv.open_tab(appt, srv.token("bob"))
    families = srv.metric_families()
    assert value(families, "slotlock_websocket_connections") == 2
    assert value(families, "slotlock_websocket_rooms") == 1
    srv.close_tabs()
    from conftest import wait_for
    wait_for(lambda: srv.metric("slotlock_websocket_connections") == 0, message="the sockets to be counted out")


def test_store_calls_are_timed_by_call_in_well_formed_histograms(server):
    appt = server.new_appointment()["id"]
    server.api("GET", f"/api/appointments/{appt}", token=server.token("alice"))
    families = server.metric_families()
    samples = families["slotlock_store_duration_seconds"].samples
    operations = {s.labels["operation"] for s in samples}
    assert {"find_appointment", "run_batch", "find_session_user"} <= operations or \
        {"find_appointment", "transact"} <= operations, operations
    for op in operations:
        buckets = [(float(s.labels["le"]), s.value) for s in samples
                   if s.name.endswith("_bucket") and s.labels["operation"] == op]
        counts = [v for _, v in sorted(buckets)]
        assert counts == sorted(counts), (op, buckets)  # cumulative
        total = next(s.value for s in samples if s.name.endswith("_count") and s.labels["operation"] == op)
        assert counts[-1] == total  # +Inf
        assert total >= 1


def test_labels_stay_in_fixed_sets_whatever_clients_send(server):
    for i in range(30):
        server.request("GET", f"/api/appointments/nope-{i}")
        server.request("BREW", f"/x{i}")
        server.request("GET", f"/static-{i}.js")
    families = server.metric_families()
    for family in families.values():
        for s in family.samples:
            for label, text in s.labels.items():
                assert "nope-" not in text and "BREW" not in text and "static-" not in text, (s.name, label, text)
    routes = {s.labels["route"] for s in families["slotlock_http_requests"].samples}
    assert all(r.startswith("/") or r in {"unmatched", "unparsable", "static", "unreadable", "payload_too_large"}
               for r in routes), routes


def test_metrics_allow_serves_only_the_listed_addresses(server_factory):
    closed = server_factory("--metrics-allow", "10.0.0.0/8", "--metrics-allow", "192.0.2.7")
    status, _, body = closed.api("GET", "/metrics")
    assert status == 403 and error_code(body) == "FORBIDDEN", body
    assert "/metrics" not in body["error"]["message"] or "address" in body["error"]["message"]
    assert body["error"]["message"] == "Metrics are not served to this address."
    assert closed.request("GET", "/healthz")[0] == 200  # the probes stay open

    opened = server_factory("--metrics-allow", "127.0.0.1")
    assert opened.request("GET", "/metrics")[0] == 200

    # Behind a trusted proxy the client it names is the one checked.
    proxied = server_factory("--trusted-proxy", "127.0.0.1", "--metrics-allow", "10.0.0.0/8")
    assert proxied.request("GET", "/metrics", headers={"X-Forwarded-For": "10.1.2.3"})[0] == 200
    assert proxied.request("GET", "/metrics", headers={"X-Forwarded-For": "203.0.113.9"})[0] == 403
    assert proxied.request("GET", "/metrics")[0] == 403  # the proxy itself is not listed


@pytest.mark.parametrize("bad", ["10.0.0.0/33", "not-an-address", "10.0.0.0/8/8"])
def test_a_bad_metrics_allow_stops_start_up_by_name(tmp_path, bad):
    out = run("--metrics-allow", bad, "--db", f"sqlite:{tmp_path / 'x.db'}", "--port", "0")
    assert out.returncode != 0
    assert "--metrics-allow" in out.stdout + out.stderr and bad in out.stdout + out.stderr
