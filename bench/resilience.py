"""Resilience benchmark: steady traffic to gunicorn while its PostgreSQL restarts.

Run with ``make bench-resilience``. It starts a PostgreSQL instance of its own (Debian's
``/usr/lib/postgresql/15/bin``, or ``PG_BIN``) in a temporary directory on a free port, never
the shared server, migrates it and loads the seed facts, then starts gunicorn
(``-c gunicorn.conf.py``, 2 workers) in production mode against it. It sends 20 requests a
second to 127.0.0.1 over a few pages and the API; after 10 seconds it stops PostgreSQL, waits
5 seconds, starts it again, and keeps sending for 15 seconds more.

Each request is counted in a phase: *before* (answered before the stop began), *during* (in
flight at the stop, or sent before PostgreSQL accepted connections again), *after* (sent later). It exits 1 if any request answered
500, if any request before or after the outage failed, or if one during it failed otherwise
than with 503. initdb refuses to run as root, so as root PostgreSQL runs as the ``postgres`` user.
"""
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
RATE = 20  # requests per second
BEFORE, OUTAGE, AFTER = 10.0, 5.0, 15.0  # seconds
URLS = [
    "/",
    "/programs/",
    "/programs/?country=RU",
    "/institutions/",
    "/institutes/cqupt-fefu-joint-institute/",
    "/programs/cqupt-fefu-computer-science-and-technology-bachelor/",
    "/api/programs/",
    "/data/",
]
PHASES = ("before", "during", "after")
COLUMNS = ("200", "503", "500", "other")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgreSQL:
    """A throwaway PostgreSQL cluster: initdb, start, stop, start again, remove."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.data = directory / "data"
        self.log = directory / "postgresql.log"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def command(self, *arguments: str) -> list[str]:
        if self.as_root:  # initdb and postgres refuse to run as root
            return ["runuser", "-u", "postgres", "--", *arguments]
        return list(arguments)

    def run(self, *arguments: str) -> None:
        subprocess.run(self.command(*arguments), check=True, stdout=subprocess.DEVNULL)

    def create(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            postgres = pwd.getpwnam("postgres")
            os.chown(self.directory, postgres.pw_uid, postgres.pw_gid)
        self.run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "registry", "-A", "trust",
                 "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        self.start()
        self.run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "registry", "registry")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://registry@127.0.0.1:{self.port}/registry"


def environment(database_url: str) -> dict:
    return {
        **{name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "GUNICORN_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        # The cache is not what this measures; the API limit is set out of the way.
        "DJANGO_CACHE_URL": "locmemcache://resilience",
        "DJANGO_API_ANON_RATE": "1000000/minute",
        # Plain HTTP on 127.0.0.1, as behind a proxy that terminates TLS.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def status_of(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return str(response.status)
    except urllib.error.HTTPError as error:
        return str(error.code)
    except OSError as error:  # refused, reset, timed out
        return type(error).__name__


def wait_for(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {server.returncode}")
        if status_of(url) == "200":
            return
        time.sleep(0.25)
    raise SystemExit(f"{url} did not answer 200 within {seconds:.0f} s")


def send_traffic(base: str, done: threading.Event, results: list) -> None:
    """Open loop: request i leaves at start + i / RATE, whatever the answers before it, until ``done``."""
    def request(url: str) -> None:
        sent = time.monotonic()
        status = status_of(url)
        results.append((sent, time.monotonic(), url, status))

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=64) as pool:
        index = 0
        while not done.is_set():
            time.sleep(max(0.0, start + index / RATE - time.monotonic()))
            pool.submit(request, base + URLS[index % len(URLS)])
            index += 1


def column(status: str) -> str:
    return status if status in ("200", "503", "500") else "other"


def report(results: list, stopped_at: float, restarted_at: float) -> bool:
    """Prints the counts per phase; True when the run meets the goals."""
    counts = {phase: Counter() for phase in PHASES}
    others = {phase: Counter() for phase in PHASES}
    for sent, answered, url, status in results:
        # A request still in flight when PostgreSQL stops belongs to the outage.
        phase = "after" if sent >= restarted_at else "before" if answered < stopped_at else "during"
        counts[phase][column(status)] += 1
        if column(status) != "200":
            others[phase][f"{status} {url}"] += 1
    print(f"\n{'phase':<8}" + "".join(f"{name:>8}" for name in (*COLUMNS, "total")))
    for phase in PHASES:
        print(f"{phase:<8}" + "".join(f"{counts[phase][name]:>8}" for name in COLUMNS) + f"{sum(counts[phase].values()):>8}")
    for phase in PHASES:
        for line, count in sorted(others[phase].items()):
            print(f"  {phase}: {count} × {line}")
    failures = []
    if any(counts[phase]["500"] for phase in PHASES):
        failures.append("a request answered 500")
    for phase in ("before", "after"):
        failed = sum(counts[phase].values()) - counts[phase]["200"]
        if failed:
            failures.append(f"{failed} request(s) failed {phase} the outage")
    if counts["during"]["other"]:
        failures.append(f"{counts['during']['other']} request(s) during the outage failed otherwise than with 503")
    print(f"\nPostgreSQL was down for {restarted_at - stopped_at:.1f} s.")
    print("FAILED: " + "; ".join(failures) if failures else "OK: only 503s during the outage, none failed after it.")
    return not failures


def main() -> int:
    if not (PG_BIN / "initdb").exists():
        raise SystemExit(f"No initdb in {PG_BIN}: install postgresql-15 or set PG_BIN.")
    directory = Path(tempfile.mkdtemp(prefix="registry-resilience-"))
    os.chmod(directory, 0o755)  # the postgres user reaches its cluster inside
    database = PostgreSQL(directory / "postgresql")
    server = None
    try:
        print(f"PostgreSQL: initdb and start on port {database.port} ({database.data})")
        database.create()
        env = environment(database.url)
        manage = [sys.executable, "manage.py"]
        print("Migrating and loading the seed facts …")
        subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*manage, "load_seeds"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with (directory / "gunicorn.log").open("w") as log:  # the child keeps its own copy
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers", "2",
                 "--bind", f"127.0.0.1:{port}", "config.wsgi:application"],
                cwd=ROOT, env=env, stdout=log, stderr=log,
            )
        wait_for(f"{base}/healthz", server)
        for path in URLS:  # every URL answers before the clock starts
            if (status := status_of(base + path)) != "200":
                raise SystemExit(f"{path} answered {status} before the outage")
        print(f"gunicorn on {base} (2 workers); {RATE} requests/s over {len(URLS)} URLs for "
              f"{BEFORE:.0f} s, then PostgreSQL stops for {OUTAGE:.0f} s, then {AFTER:.0f} s more")

        results: list = []
        done = threading.Event()
        traffic = threading.Thread(target=send_traffic, args=(base, done, results))
        traffic.start()
        time.sleep(BEFORE)
        stopped_at = time.monotonic()
        database.stop()
        time.sleep(OUTAGE)
        database.start()
        restarted_at = time.monotonic()
        time.sleep(AFTER)
        done.set()
        traffic.join()
        return 0 if report(results, stopped_at, restarted_at) else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
        try:
            database.stop("immediate")
        except subprocess.CalledProcessError:
            pass  # never started, or already stopped
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
