#!/usr/bin/python3
"""Runs slotlock's benchmarks and their peers in one go (make bench; BENCH_QUICK=1 for a smoke run).

Starts slotlock (Release, build-bench/), the Node.js peer, two Redis servers and nginx on
free 127.0.0.1 ports with temporary data, every server pinned to core 0 and the load
generator (build-bench/load/slotload) to core 1; drives the same scenarios against each in
turn; then two slotlock processes on one throw-away PostgreSQL cluster; stops them by pid;
prints a table and writes bench/results/<date>-<machine>.json and bench/results/latest.md.
Measurements, not tests: nothing here fails on a slow figure.

SLOTLOCK_BENCH_BIN=/path: the slotlock binary under test instead of build-bench/slotlock.
BENCH_BEFORE=/path: a second slotlock binary run through the same scenarios in the same run
("slotlock before" column, ratios after ÷ before).
"""

import datetime
import glob
import hashlib
import http.client
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
SLOTLOCK = os.path.abspath(os.environ.get("SLOTLOCK_BENCH_BIN") or os.path.join(ROOT, "build-bench", "slotlock"))
BEFORE = os.path.abspath(os.environ["BENCH_BEFORE"]) if os.environ.get("BENCH_BEFORE") else None
# The slotlock binaries benchmarked: the one under test, and optionally the one before.
SLOTS = [("slotlock", SLOTLOCK)] + ([("slotlock_before", BEFORE)] if BEFORE else [])
SLOTLOAD = os.path.join(ROOT, "build-bench", "load", "slotload")
NODE_PEER = os.path.join(BENCH, "peers", "node")
RESULTS = os.path.join(BENCH, "results")

QUICK = os.environ.get("BENCH_QUICK") == "1"
# Opt-in: BENCH_NICE=-5 runs servers and load generator ahead of other work on a shared machine.
NICE = ["nice", "-n", os.environ["BENCH_NICE"]] if os.environ.get("BENCH_NICE") else []
SERVER_CORE, LOAD_CORE = "0", "1"
# Ten thousand sockets need descriptors: every process gets the hard limit (raising the
# hard limit itself needs CAP_SYS_RESOURCE, which a container may not have).
NOFILE_MAX = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
NOFILE = f"--nofile={NOFILE_MAX}:{NOFILE_MAX}"
CFG = {
    "warmup_s": 0.5 if QUICK else 2,
    "duration_s": 2 if QUICK else 8,
    "http_connections": 32,
    "lock_appointments": 200,
    "room_appointments": 50 if QUICK else 500,
    # slotlock lets one person keep at most 32 WebSockets open (PRODUCT.md section 2): the idle
    # figure needs a user per 30 of its sockets.
    "users": max(25, (1000 if QUICK else 10000) // 30 + 1),
    "fanout": [[10, 10, 3]] if QUICK else [[10, 10, 3], [40, 25, 5]],
    "idle_connections": 1000 if QUICK else 10000,
    "idle_settle_s": 2 if QUICK else 4,
}


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server process pinned to SERVER_CORE, stopped by its pid (user: run as that user)."""

    def __init__(self, name, cmd, tmp, env=None, cwd=None, user=None, stop_signal=signal.SIGTERM):
        self.name = name
        self.stop_signal = stop_signal
        self.log_path = os.path.join(tmp, f"{name}.log")
        self.log = open(self.log_path, "wb")
        # prlimit and taskset exec the server: the pid is the server's own.
        self.proc = subprocess.Popen(
            NICE + ["prlimit", NOFILE, "taskset", "-c", SERVER_CORE] + cmd,
            stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True, user=user)
        self.pid = self.proc.pid

    def wait_port(self, port, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        with open(self.log_path, errors="replace") as f:
            tail = f.read()[-2000:]
        raise RuntimeError(f"{self.name} did not start on port {port}:\n{tail}")

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.pid, self.stop_signal)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def slotlock_cmd(binary, port, db, demo=True):
    # --trusted-proxy: the seeding signs hundreds of users in from one address, each login naming
    # an address of its own (sign-ins are paced per address).
    return [binary, "--port", str(port), "--db", db] + (["--demo"] if demo else []) + [
        "--lock-rate", "1000000", "--threads", "1", "--log-level", "warn", "--trusted-proxy", "127.0.0.1"]


def file_identity(path):
    """What identifies a binary without asking it: its path and the sha256 of its bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return {"path": path, "sha256": h.hexdigest()}


class Api:
    """A keep-alive JSON client for the setup calls."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method, path, body=None, token=None, forwarded_for=None):
        headers = {"Content-Type": "application/json"}
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else b""
        for attempt in range(3):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                res = self.conn.getresponse()
                raw = res.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        if res.status == 429:  # login pacing: per address, 60 at once then 2 a second
            time.sleep(float(res.getheader("Retry-After") or 1))
            return self.call(method, path, body, token, forwarded_for)
        return res.status, (json.loads(raw) if raw else None), raw


def seed(port, tmp, label):
    """Users, tokens and appointments through the API, the same calls on slotlock and the peer."""
    api = Api(port)
    st, body, _ = api.call("POST", "/api/auth/login", {"email": "carol@example.com", "password": "carol-demo"})
    assert st == 200, (label, st, body)
    admin = body["token"]
    def add_user(i):
        # Password hashing dominates: a few at once, each on its own connection.
        api_i = Api(port)
        email, pw = f"bench-{i}@example.com", f"bench-password-{i}"
        st, body, _ = api_i.call("POST", "/api/users",
                                 {"email": email, "name": f"Bench User {i}", "role": "user", "password": pw}, admin)
        assert st in (201, 409), (label, st, body)
        st, body, _ = api_i.call("POST", "/api/auth/login", {"email": email, "password": pw},
                                 forwarded_for=f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}")
        assert st == 200, (label, st, body)
        return body["token"]

    with ThreadPoolExecutor(4) as pool:
        tokens = list(pool.map(add_user, range(CFG["users"])))
    ids = []
    total = CFG["lock_appointments"] + 1 + CFG["room_appointments"]
    for i in range(total):
        day = 1 + i % 28
        st, body, _ = api.call("POST", "/api/appointments", {
            "title": f"Bench appointment {i}", "clientName": "Bench Client", "clientEmail": "client@example.org",
            "startsAt": f"2027-03-{day:02d}T09:00:00Z", "endsAt": f"2027-03-{day:02d}T09:30:00Z",
            "location": "Room 1", "notes": "", "status": "scheduled"}, admin)
        assert st == 201, (label, st, body)
        ids.append(body["id"])
    lock_ids = ids[:CFG["lock_appointments"]]
    read_id = ids[CFG["lock_appointments"]]
    room_ids = ids[CFG["lock_appointments"] + 1:]
    # The read scenario polls a held lock, what a viewer's badge would poll.
    st, body, _ = api.call("POST", f"/api/appointments/{read_id}/acquire-lock", {"sessionId": "bench-reader"}, admin)
    assert st == 200, (label, st, body)
    _, _, status_body = api.call("GET", f"/api/appointments/{read_id}/lock-status", token=admin)
    files = {}
    for name, lines in (("tokens", tokens), ("lock-ids", lock_ids), ("room-ids", room_ids)):
        files[name] = os.path.join(tmp, f"{label}-{name}.txt")
        with open(files[name], "w") as f:
            f.write("\n".join(lines) + "\n")
    files["read_path"] = f"/api/appointments/{read_id}/lock-status"
    files["status_body"] = status_body
    return files


def slotload(mode, port, pids, **opts):
    cmd = NICE + ["prlimit", NOFILE, "taskset", "-c", LOAD_CORE, SLOTLOAD, mode, "--port", str(port),
           "--server-pids", ",".join(str(p) for p in pids),
           "--warmup", str(CFG["warmup_s"]), "--duration", str(CFG["duration_s"])]
    for k, v in opts.items():
        cmd += [f"--{k.replace('_', '-')}", str(v)]
    load = loadavg()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        log(f"slotload {mode} failed: {out.stderr.strip()}")
        return {"failure": out.stderr.strip(), "loadavg": load}
    r = json.loads(out.stdout)
    r["loadavg"] = load  # the machine may be shared: what else wanted the cores then
    return r


# ---- PostgreSQL: a throw-away cluster, as server/test/with-postgres.sh starts one -----------------

# Durability: fsync on, commits not waited for (synchronous_commit=off, the WAL writer flushes
# within ~0.6 s) — like SQLite WAL with synchronous=NORMAL and Redis AOF everysec: a crash of
# the machine can lose the last moments, never corrupt.
PG_SETTINGS = ["-c", "synchronous_commit=off", "-c", "max_connections=100"]


class PgUnavailable(Exception):
    pass


def pg_bin():
    dirs = [d for d in glob.glob("/usr/lib/postgresql/*/bin") if os.path.exists(os.path.join(d, "initdb"))]
    dirs.sort(key=lambda d: [int(x) if x.isdigit() else 0 for x in re.split(r"[./]", d)])
    return dirs[-1] if dirs else None


def start_postgres(tmp, servers, folders):
    """Initialises a cluster in a temporary folder and starts its postmaster pinned like the
    other servers (its backends inherit the pinning); run by the postgres user when we are
    root, since PostgreSQL refuses root. Returns (server, port)."""
    bindir = pg_bin()
    if not bindir:
        raise PgUnavailable("PostgreSQL's server is not installed (Debian package postgresql)")
    user = None
    if os.getuid() == 0:
        if subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
            subprocess.run(["useradd", "--system", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
                            "postgres"], check=True, capture_output=True)
        user = "postgres"
    folder = tempfile.mkdtemp(prefix="slotlock-bench-pg-")
    folders.append(folder)
    os.chmod(folder, 0o755)
    if user:
        shutil.chown(folder, user)
    data = os.path.join(folder, "data")
    out = subprocess.run([os.path.join(bindir, "initdb"), "-D", data, "-U", "slotlock", "--auth=trust", "-E", "UTF8",
                          "--locale=C.UTF-8", "--no-sync"], capture_output=True, text=True, user=user, cwd=folder)
    if out.returncode != 0:
        raise PgUnavailable(f"initdb failed: {(out.stdout + out.stderr).strip()[-1000:]}")
    port = free_port()
    pg = Server("postgres", [os.path.join(bindir, "postgres"), "-D", data, "-c", "listen_addresses=127.0.0.1",
                             "-p", str(port), "-k", folder] + PG_SETTINGS,
                tmp, cwd=folder, user=user, stop_signal=signal.SIGINT)  # SIGINT: fast shutdown
    servers.append(pg)
    try:
        pg.wait_port(port, timeout=60)
    except RuntimeError as e:
        raise PgUnavailable(str(e))
    return pg, port


def createdb(port, name):
    # The postmaster accepts TCP before it accepts sessions: retry while it starts up.
    createdb_bin = os.path.join(pg_bin(), "createdb")
    for _ in range(60):
        out = subprocess.run([createdb_bin, "-h", "127.0.0.1", "-p", str(port), "-U", "slotlock", name],
                             capture_output=True, text=True)
        if out.returncode == 0:
            return
        time.sleep(0.5)
    raise PgUnavailable(f"createdb {name} failed: {out.stderr.strip()}")


def cmd_version(cmd, pattern=r"(\d+\.\d+(\.\d+)?)"):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        m = re.search(pattern, out.stdout + out.stderr)
        return m.group(1) if m else "?"
    except OSError:
        return "?"


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    try:
        with open("/etc/machine-id") as f:
            mid = f.read().strip()[:8]
    except OSError:
        mid = socket.gethostname()[:8]

    def pkg_version(name):
        try:
            with open(os.path.join(NODE_PEER, "node_modules", name, "package.json")) as f:
                return json.load(f)["version"]
        except OSError:
            return "?"

    rev = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "server"], capture_output=True,
                           text=True).stdout.strip()
    return {
        "id": mid,
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "os": platform.freedesktop_os_release().get("PRETTY_NAME", "?") if hasattr(platform, "freedesktop_os_release") else "?",
        "versions": {
            # The worktree's revision says what slotlock is only when it was built here.
            "slotlock": (rev + ("+local changes in server/" if dirty else "")
                         if not os.environ.get("SLOTLOCK_BENCH_BIN") else "given binary"),
            "g++": cmd_version(["g++", "--version"]),
            "redis": cmd_version(["redis-server", "--version"], r"v=(\S+)"),
            "nginx": cmd_version(["nginx", "-v"], r"nginx/(\S+)"),
            "postgres": cmd_version([os.path.join(pg_bin() or "/nonexistent", "postgres"), "--version"]),
            "node": cmd_version(["node", "--version"], r"v(\S+)"),
            "express": pkg_version("express"),
            "ws": pkg_version("ws"),
        },
    }


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    for path in [SLOTLOCK, SLOTLOAD] + ([BEFORE] if BEFORE else []):
        if not os.path.exists(path):
            sys.exit(f"missing {path}: run make bench (or check SLOTLOCK_BENCH_BIN / BENCH_BEFORE)")
    started = time.time()
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "quick": QUICK, "config": CFG, "machine": machine(), "loadavg_start": loadavg(),
            "pinning": f"servers on core {SERVER_CORE}, load generator on core {LOAD_CORE}",
            "nofile": NOFILE_MAX, "nice": os.environ.get("BENCH_NICE", "0"),
            "binaries": {name: file_identity(path) for name, path in SLOTS},
            "cpu_per_op": {k: v for k, v in PER_OP.items()},
            "postgres_settings": ", ".join(PG_SETTINGS[1::2])}
    log(f"{meta['machine']['cpu']}, {meta['machine']['cores']} cores, load {meta['loadavg_start']}"
        + (" (quick)" if QUICK else ""))
    for name, path in SLOTS:
        log(f"{name}: {path} (sha256 {meta['binaries'][name]['sha256'][:12]})")
    tmp = tempfile.mkdtemp(prefix="slotlock-bench-")
    folders = [tmp]  # removed at the end, after every server has stopped
    servers = []
    results = {}
    try:
        # ---- servers ------------------------------------------------------------------------
        ports = {k: free_port() for k in [n for n, _ in SLOTS] + ["node", "redis", "redis_aof", "nginx"]}
        slots = {}
        for name, binary in SLOTS:
            slots[name] = Server(name, slotlock_cmd(binary, ports[name], f"sqlite:{tmp}/{name}.db"), tmp)
            servers.append(slots[name])
        node = Server("node", ["node", "server.js"], tmp, env={**os.environ, "PORT": str(ports["node"])}, cwd=NODE_PEER)
        servers.append(node)
        redis = Server("redis", ["redis-server", "--port", str(ports["redis"]), "--bind", "127.0.0.1", "--save", "",
                                 "--appendonly", "no", "--dir", tmp, "--protected-mode", "no"], tmp)
        servers.append(redis)
        redis_aof = Server("redis_aof", ["redis-server", "--port", str(ports["redis_aof"]), "--bind", "127.0.0.1",
                                         "--save", "", "--appendonly", "yes", "--appendfsync", "everysec",
                                         "--appendfilename", "bench.aof", "--dir", tmp, "--protected-mode", "no"], tmp)
        servers.append(redis_aof)
        for s, p in [(slots[n], n) for n in slots] + [(node, "node"), (redis, "redis"), (redis_aof, "redis_aof")]:
            s.wait_port(ports[p])
        pids = {**{n: slots[n].pid for n in slots}, "node": node.pid, "redis": redis.pid, "redis_aof": redis_aof.pid}

        log(f"seeding users and appointments through the API ({', '.join(slots)}, node peer)")
        seeded = {n: seed(ports[n], tmp, n) for n in list(slots) + ["node"]}
        body = seeded["slotlock"]["status_body"]
        www = os.path.join(tmp, "www")
        os.makedirs(www)
        with open(os.path.join(www, "lock-status.json"), "wb") as f:
            f.write(body)
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""daemon off; worker_processes 1; user root; pid {tmp}/nginx.pid; error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{ access_log off; keepalive_requests 100000000; keepalive_timeout 120s;
  client_body_temp_path {tmp}/nginx-body; proxy_temp_path {tmp}/nginx-proxy; fastcgi_temp_path {tmp}/nginx-fcgi;
  uwsgi_temp_path {tmp}/nginx-uwsgi; scgi_temp_path {tmp}/nginx-scgi;
  server {{ listen 127.0.0.1:{ports['nginx']}; root {www}; default_type application/json; etag off;
    location / {{ }} }} }}
""")
        ngx = Server("nginx", ["nginx", "-c", conf, "-p", tmp], tmp)
        servers.append(ngx)
        ngx.wait_port(ports["nginx"])
        pids["nginx"] = ngx.pid  # slotload counts the master with its worker (its descendants)
        ws_peers = list(slots) + ["node"]

        # ---- idle WebSocket memory, first: before load has grown the heaps ------------------
        results["ws_idle"] = {}
        for name in ws_peers:
            log(f"ws_idle ({CFG['idle_connections']} connections): {name}")
            results["ws_idle"][name] = slotload("ws-idle", ports[name], [pids[name]], conns=CFG["idle_connections"],
                                                settle=CFG["idle_settle_s"], tokens=seeded[name]["tokens"],
                                                ids=seeded[name]["room-ids"])
            time.sleep(1)
        http_conns = CFG["http_connections"]
        lock_peers = ([(n, ports[n], [pids[n]], "http-lock", seeded[n]) for n in slots]
                      + [("node", ports["node"], [pids["node"]], "http-lock", seeded["node"]),
                         ("redis", ports["redis"], [pids["redis"]], "redis-lock", seeded["slotlock"]),
                         ("redis_aof", ports["redis_aof"], [pids["redis_aof"]], "redis-lock", seeded["slotlock"])])

        # ---- lock cycles --------------------------------------------------------------------
        for contended in (False, True):
            key = "lock_contended" if contended else "lock_uncontended"
            results[key] = {}
            for name, port, ppids, mode, files in lock_peers:
                log(f"{key}: {name}")
                results[key][name] = slotload(mode, port, ppids, conns=http_conns, contended=int(contended),
                                              tokens=files["tokens"], ids=files["lock-ids"])

        # ---- lock-status reads --------------------------------------------------------------
        results["lock_status"] = {}
        for name, path, tokens in ([(n, seeded[n]["read_path"], seeded[n]["tokens"]) for n in slots]
                                   + [("nginx", "/lock-status.json", ""),
                                      ("node", seeded["node"]["read_path"], seeded["node"]["tokens"])]):
            log(f"lock_status: {name}")
            opts = {"conns": http_conns, "path": path}
            if tokens:
                opts["tokens"] = tokens
            results["lock_status"][name] = slotload("http-get", ports[name], [pids[name]], **opts)
        results["lock_status"]["body_bytes"] = len(body)

        # ---- cursor fan-out -----------------------------------------------------------------
        for r, v, m in CFG["fanout"]:
            key = f"fanout_r{r}_v{v}_m{m}"
            results[key] = {}
            for name in ws_peers:
                log(f"{key}: {name}")
                results[key][name] = slotload("ws-fanout", ports[name], [pids[name]], rooms=r, viewers=v, movers=m,
                                              tokens=seeded[name]["tokens"], ids=seeded[name]["room-ids"])
                time.sleep(1)  # the closed sockets leave their rooms

        # ---- two slotlock processes on one PostgreSQL -------------------------------------
        # The servers above are stopped first: core 0 is PostgreSQL's and the two processes'.
        for s in reversed(servers):
            s.stop()
        lock_cycles_on_postgres(tmp, servers, results, folders)

    finally:
        for s in reversed(servers):
            s.stop()
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)

    for r in results.get("lock_contended", {}).values():
        if r.get("granted") is not None and r.get("refused_409") is not None:
            r["granted_pct"] = 100.0 * r["granted"] / max(1, r["granted"] + r["refused_409"])
    add_cpu_per_op(results)
    meta["loadavg_end"] = loadavg()
    meta["duration_s"] = round(time.time() - started, 1)
    report = {"meta": meta, "results": results}
    os.makedirs(RESULTS, exist_ok=True)
    suffix = "-quick" if QUICK else ""
    day = meta["date"][:10]
    json_path = os.path.join(RESULTS, f"{day}-{meta['machine']['id']}{suffix}.json")
    with open(json_path, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    md = markdown(report)
    with open(os.path.join(RESULTS, f"latest{suffix}.md"), "w") as f:
        f.write(md)
    print(md)
    log(f"saved {os.path.relpath(json_path, ROOT)} and bench/results/latest{suffix}.md in {meta['duration_s']} s")


def lock_cycles_on_postgres(tmp, servers, results, folders):
    """Acquire+release on own appointments, the clients split over two slotlock processes that
    share one PostgreSQL database (one database per binary in one cluster), the processes
    one after the other for each binary. Server CPU: both slotlock processes and the postmaster
    with all its children. The cluster's folder goes to folders (removed by the caller); on a
    cluster that cannot start, logs why and leaves the figure out."""
    key = "lock_uncontended_pg2"
    try:
        pg, pg_port = start_postgres(tmp, servers, folders)
    except Exception as e:  # no PostgreSQL is no reason to lose the other figures
        log(f"PostgreSQL two-process figure skipped: PostgreSQL could not be started: {e}")
        return
    results[key] = {}
    try:
        for name, binary in SLOTS:
            procs = []
            try:
                createdb(pg_port, f"bench_{name}")
                url = f"postgresql://slotlock@127.0.0.1:{pg_port}/bench_{name}"
                pa, pb = free_port(), free_port()
                # One after the other: the first creates the schema and the demo users.
                for port, demo in ((pa, True), (pb, False)):
                    s = Server(f"{name}-pg-{len(procs) + 1}", slotlock_cmd(binary, port, url, demo), tmp)
                    servers.append(s)
                    procs.append(s)
                    s.wait_port(port, timeout=60)
                log(f"{key}: seeding {name} through its first process")
                files = seed(pa, tmp, f"{name}-pg")
                log(f"{key}: {name} (2 processes, ports {pa},{pb}, PostgreSQL pid {pg.pid})")
                results[key][name] = slotload("http-lock", f"{pa},{pb}", [procs[0].pid, procs[1].pid, pg.pid],
                                              conns=CFG["http_connections"], contended=0,
                                              tokens=files["tokens"], ids=files["lock-ids"])
            except Exception as e:
                log(f"PostgreSQL two-process figure skipped for {name}: {e!r}")
                results[key][name] = {"failure": repr(e)}
            finally:
                for s in reversed(procs):
                    s.stop()
    finally:
        pg.stop()


# Server CPU per operation: server CPU seconds in the measured window ÷ this count in it.
PER_OP = {"lock_uncontended": "cycles", "lock_uncontended_pg2": "cycles", "lock_contended": "requests",
          "lock_status": "requests", "fanout_*": "positions_delivered"}


def add_cpu_per_op(results):
    for key, by_peer in results.items():
        field = PER_OP.get(key) or (PER_OP["fanout_*"] if key.startswith("fanout_") else None)
        if not field:
            continue
        for r in by_peer.values():
            secs = get(r, "cpu", "server_cpu_seconds")
            n = r.get(field) if isinstance(r, dict) else None
            if secs is not None and n:
                r["cpu"]["server_us_per_op"] = secs * 1e6 / n


# ---- the table ----------------------------------------------------------------------------------

def fmt(v, unit=""):
    if v is None:
        return "—"
    if unit == "us":
        if v >= 1_000_000:
            return f"{v / 1e6:.2f} s"
        return f"{v / 1000:.2f} ms" if v >= 1000 else f"{v:.0f} µs"
    if unit == "cpu_us":  # CPU per operation: small, so with decimals
        return f"{v:.2f} µs" if v < 10 else f"{v:.1f} µs" if v < 100 else f"{v:,.0f} µs"
    if unit == "B":
        return f"{v / 1024:.1f} KiB"
    if unit == "%":
        return f"{v:.0f} %"
    return f"{v:,.0f}"


def get(d, *path):
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


def cell(results, key, peer, path, unit, base="slotlock", base_key=None):
    """peer's figure under key and, unless peer is the base, base ÷ peer in brackets; the base
    may come from another key (base_key) when a peer's figure stands in for a new scenario."""
    v = get(results, key, peer, *path)
    if peer == base or v is None:
        return fmt(v, unit)
    b = get(results, base_key or key, base, *path)
    ratio = f" ({b / v:.2f}×)" if b is not None and v else ""
    return fmt(v, unit) + ratio


def binary_label(meta, name):
    b = get(meta, "binaries", name)
    return f"`{b['path']}` (sha256 {b['sha256'][:12]}…)" if b else "?"


def markdown(report):
    res, meta = report["results"], report["meta"]
    m = meta["machine"]
    v = m["versions"]
    before = "slotlock_before" in get(meta, "binaries") if get(meta, "binaries") else False
    slot_version = (f"slotlock {v['slotlock']} (g++ {v['g++']}, Release)" if v["slotlock"] != "given binary"
                    else f"slotlock {binary_label(meta, 'slotlock')}")
    out = [f"# slotlock benchmarks — {meta['date']}{' (quick)' if meta['quick'] else ''}", "",
           f"Machine `{m['id']}`: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, Linux {m['kernel']}, {m['os']}. "
           f"{meta['pinning']}{', nice ' + meta['nice'] if meta['nice'] != '0' else ''}. Load average {meta['loadavg_start']} at start, {meta['loadavg_end']} at end "
           f"(the machine is shared). Run took {meta['duration_s']} s; {meta['config']['duration_s']} s measured "
           f"after {meta['config']['warmup_s']} s warm-up per figure.", "",
           f"Versions: {slot_version}"
           + (f", slotlock before {binary_label(meta, 'slotlock_before')}" if before else "")
           + f", Redis {v['redis']}, nginx {v['nginx']}, PostgreSQL {v.get('postgres', '?')}, "
           f"Node.js {v['node']} with Express {v['express']} and ws {v['ws']}.", "",
           "Peer cells show the peer's figure and, in brackets, slotlock ÷ peer"
           + (" (in the “slotlock before” column: after ÷ before)" if before else "")
           + ": above 1 means slotlock has more throughput — or, for latency, memory and CPU per operation, "
           "more delay, bytes or CPU. Server CPU per operation: the server's CPU time (user + system, the process "
           "and its children, from /proc) in the measured window ÷ the operations counted in it.", ""]
    peers = ["slotlock"] + (["slotlock_before"] if before else []) + ["redis", "redis_aof", "nginx", "node"]
    names = {"slotlock": "slotlock", "slotlock_before": "slotlock before", "redis": "Redis (no persistence)",
             "redis_aof": "Redis (AOF everysec)", "nginx": "nginx static", "node": "Node peer"}
    out += ["| benchmark | figure | " + " | ".join(names[p] for p in peers) + " |", "|---|---|" + "---|" * len(peers)]

    def row(key, label, figure, path, unit, only=None, borrowed=None):
        """borrowed: {peer: key} — that peer's figure comes from another scenario's key."""
        borrowed = borrowed or {}
        if key not in res:
            return
        cells = []
        for p in peers:
            src = borrowed.get(p, key)
            if (only is None or p in only) and p in res.get(src, {}):
                base_key = key if src != key else None
                cells.append(cell(res, src, p, path, unit, base_key=base_key))
            else:
                cells.append("")
        out.append(f"| {label} | {figure} | " + " | ".join(cells) + " |")

    slots = ["slotlock", "slotlock_before"]
    lock = slots + ["redis", "redis_aof", "node"]
    c = meta["config"]["http_connections"]
    row("lock_uncontended", f"acquire+release, {c} clients on own appointments", "cycles/s", ["cycles_per_s"], "", lock)
    row("lock_uncontended", "", "server CPU per cycle", ["cpu", "server_us_per_op"], "cpu_us", lock)
    row("lock_uncontended", "", "cycle p50", ["latency_us", "p50"], "us", lock)
    row("lock_uncontended", "", "cycle p99", ["latency_us", "p99"], "us", lock)
    row("lock_uncontended", "", "server CPU", ["cpu", "server_cpu_pct"], "%", lock)
    row("lock_contended", f"acquire+release, {c} clients on one appointment", "granted cycles/s", ["cycles_per_s"], "", lock)
    row("lock_contended", "", "requests/s (acquires 200 + 409, releases)", ["requests_per_s"], "", lock)
    row("lock_contended", "", "server CPU per request", ["cpu", "server_us_per_op"], "cpu_us", lock)
    row("lock_contended", "", "share granted (200 of 200 + 409)", ["granted_pct"], "%", lock)
    row("lock_contended", "", "attempt p50", ["attempt_latency_us", "p50"], "us", lock)
    row("lock_contended", "", "attempt p99", ["attempt_latency_us", "p99"], "us", lock)
    reads = slots + ["nginx", "node"]
    row("lock_status", f"GET lock-status ({res.get('lock_status', {}).get('body_bytes', '?')} B), {c} clients",
        "requests/s", ["requests_per_s"], "", reads)
    row("lock_status", "", "server CPU per request", ["cpu", "server_us_per_op"], "cpu_us", reads)
    row("lock_status", "", "p50", ["latency_us", "p50"], "us", reads)
    row("lock_status", "", "p99", ["latency_us", "p99"], "us", reads)
    row("lock_status", "", "server CPU", ["cpu", "server_cpu_pct"], "%", reads)
    both = slots + ["node"]
    for key in [k for k in res if k.startswith("fanout_")]:
        r, vv, mm = re.findall(r"\d+", key)
        label = f"cursors {r} rooms × {vv} viewers × {mm} movers @ 20 Hz"
        row(key, label, "positions sent/s", ["positions_sent_per_s"], "", both)
        row(key, "", "frames delivered/s", ["frames_per_s"], "", both)
        row(key, "", "positions delivered/s", ["positions_delivered_per_s"], "", both)
        row(key, "", "server CPU per delivered position", ["cpu", "server_us_per_op"], "cpu_us", both)
        row(key, "", "delay p50", ["delay_us", "p50"], "us", both)
        row(key, "", "delay p99", ["delay_us", "p99"], "us", both)
        row(key, "", "server CPU", ["cpu", "server_cpu_pct"], "%", both)
    # Two slotlock processes on one PostgreSQL; the reference is Redis AOF's figure from the
    # single-process scenario above (the same clients and appointments, one Redis).
    pg = {"redis_aof": "lock_uncontended"}
    pg_only = slots + ["redis_aof"]
    row("lock_uncontended_pg2", f"acquire+release, {c} clients on own appointments, 2 slotlock processes on one PostgreSQL", "cycles/s", ["cycles_per_s"], "", pg_only, pg)
    row("lock_uncontended_pg2", "", "server CPU per cycle (both slotlock + all postgres processes)",
        ["cpu", "server_us_per_op"], "cpu_us", pg_only, pg)
    row("lock_uncontended_pg2", "", "cycle p50", ["latency_us", "p50"], "us", pg_only, pg)
    row("lock_uncontended_pg2", "", "cycle p99", ["latency_us", "p99"], "us", pg_only, pg)
    row("lock_uncontended_pg2", "", "server CPU (both slotlock + all postgres processes)",
        ["cpu", "server_cpu_pct"], "%", pg_only, pg)
    n = meta["config"]["idle_connections"]
    row("ws_idle", f"{n:,} idle WebSockets", "RSS per connection", ["bytes_per_connection"], "B", both)
    row("ws_idle", "", "open at the end", ["open_at_end"], "", both)
    if "lock_uncontended_pg2" in res:
        out += ["", f"PostgreSQL row: one throw-away cluster on core 0 with the servers "
                f"({meta.get('postgres_settings', '')}, fsync on), one database per slotlock binary; {c // 2} clients on "
                "each process; the Redis AOF cell repeats the single-process figure above."]
    failed = [f"{k}/{p}" for k in res for p in res[k] if isinstance(res[k][p], dict) and "failure" in res[k][p]]
    if failed:
        out += ["", "Failed runs (see the JSON): " + ", ".join(failed)]
    out += ["", "Load generator CPU (core 1, % of one core) per run: " + ", ".join(
        f"{k}/{p} {get(res, k, p, 'cpu', 'loadgen_cpu_pct'):.0f}"
        for k in res for p in res[k] if isinstance(res[k][p], dict) and get(res, k, p, "cpu", "loadgen_cpu_pct") is not None),
        "", "Full figures (p90, p99.9, max, status counts): the JSON beside this file.", ""]
    return "\n".join(out)


if __name__ == "__main__":
    main()
