"""Load benchmark: the registry at 100,000 programs beside a plain-Django Fortunes page, under wrk.

Run with ``make bench-load`` (``BENCH_ARGS="--scale 0.05 --duration 3 --rounds 1"`` for a quick run).

1. Builds the dataset (bench/dataset.py: at scale 1, 100,000 published programs, 20,000
   institutions, 500 joint institutes, 1,000,000 figures) with COPY into its own PostgreSQL
   database (``--database``, default ``registry_bench`` on 127.0.0.1), after migrating it and
   loading the seed facts. A database already built at the same scale is reused (``--rebuild``).
2. Measures each URL in-process (Django's test client, the same settings): the median server
   time, queries per request, their database time, and EXPLAIN ANALYZE of the heaviest query.
3. Serves ``bench.settings`` (the registry's settings and URLs plus ``/fortunes/``) with
   ``gunicorn -k sync -w 2``, DEBUG off, DJANGO_ENV=development, a generated secret and
   persistent connections, and drives it with wrk, alternating Fortunes (A) and the URL (B)
   for ``--rounds`` rounds of ``--duration`` seconds each, sampling each worker's RSS.
4. Prints a table per URL. The page cache is bypassed (``DJANGO_REGISTRY_PAGE_CACHE=0``); when
   the settings know that variable, a second pass measures the warm cache too.
"""
import argparse
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import measure  # noqa: E402 (reused: warm-up, timed requests, query count)
from bench.resilience import free_port, status_of, wait_for  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/registry_bench"
CACHE_SETTING = "DJANGO_REGISTRY_PAGE_CACHE"
UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 100,000 programs (default)")
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the dataset")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default="", help="measure only URLs containing this text")
    parser.add_argument("--no-wrk", action="store_true", help="in-process measurements only")
    return parser.parse_args()


def environment(database_url: str, page_cache: bool) -> dict:
    """The settings both the in-process client and gunicorn run with."""
    redis = status_of_redis()
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_ENV": "development",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver,localhost",
        "DJANGO_API_ANON_RATE": "100000000/minute",
        "DJANGO_CONN_MAX_AGE": "600",  # persistent connections, as in production
        "DJANGO_CACHE_URL": "redis://127.0.0.1:6379/9" if redis else "locmemcache://bench",
        "DJANGO_CACHE_KEY_PREFIX": "registry-bench",
        CACHE_SETTING: "1" if page_cache else "0",
        "DJANGO_LOG_LEVEL": "ERROR",  # not a line per 404 (/search/ may be absent)
    }


def status_of_redis() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


# --- the database -------------------------------------------------------------------------------

def maintenance(database_url: str):
    """A psycopg2 connection to the server's ``postgres`` database, and the benchmark database's name."""
    import psycopg2

    base, name = database_url.rsplit("/", 1)
    connection = psycopg2.connect(f"{base}/postgres")
    connection.autocommit = True
    return connection, name


def built_scale(database_url: str) -> float | None:
    """The scale the benchmark database holds, None when it does not exist or was never finished."""
    import psycopg2

    admin, name = maintenance(database_url)
    with admin, admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone()
    admin.close()
    if not exists:
        return None
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_dataset')")
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute("SELECT scale FROM bench_dataset")
        row = cursor.fetchone()
    return row[0] if row else None


def recreate(database_url: str) -> None:
    admin, name = maintenance(database_url)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def prepare(args) -> None:
    """Migrates (always: new indexes reach a reused dataset too) and builds the dataset when needed."""
    from django.core.management import call_command
    from django.db import connection

    from bench import dataset
    from bench.fortunes import MESSAGES

    scale = built_scale(args.database)
    fresh = args.rebuild or scale != args.scale
    if fresh:
        print(f"Building the dataset at scale {args.scale:g} in {args.database.rsplit('/', 1)[1]} …")
        connection.close()
        recreate(args.database)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not fresh:
        print(f"Reusing the dataset at scale {scale:g} (migrated in {time.perf_counter() - started:.1f} s)")
        return
    call_command("load_seeds", stdout=open(os.devnull, "w"))
    print(f"  migrated and loaded the seed facts in {time.perf_counter() - started:.1f} s")
    building = time.perf_counter()
    dataset.build(args.scale, progress=lambda line: print(f"{line} ({time.perf_counter() - building:.0f} s)"))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_fortune (id integer PRIMARY KEY, message varchar(2048) NOT NULL)")
        cursor.executemany("INSERT INTO bench_fortune VALUES (%s, %s)", list(enumerate(MESSAGES, start=1)))
    connection.close()
    analyse = time.perf_counter()
    import psycopg2

    raw = psycopg2.connect(args.database)
    raw.autocommit = True
    with raw.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # statistics and visibility maps, as an aged database has
        cursor.execute("CREATE TABLE bench_dataset (scale double precision NOT NULL)")
        cursor.execute("INSERT INTO bench_dataset VALUES (%s)", [args.scale])
    raw.close()
    print(f"  VACUUM ANALYZE in {time.perf_counter() - analyse:.0f} s; built in {time.perf_counter() - started:.0f} s")


# --- in-process measurements ----------------------------------------------------------------------

def heaviest_query(client, url: str) -> dict:
    """The request's queries: their number and time, and EXPLAIN ANALYZE of the slowest one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    queries = captured.captured_queries
    if not queries:
        return {"db_ms": 0.0, "explain_ms": None, "heaviest": ""}
    slowest = max(queries, key=lambda query: float(query["time"]))
    explain_ms = None
    if connection.vendor == "postgresql" and slowest["sql"].lstrip().upper().startswith("SELECT"):
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {slowest['sql']}")
            plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else plan
            explain_ms = plan["Planning Time"] + plan["Execution Time"]
    return {"db_ms": sum(float(query["time"]) for query in queries) * 1000, "explain_ms": explain_ms,
            "heaviest": " ".join(slowest["sql"].split())[:160]}


def in_process(urls: list[str]) -> dict[str, dict]:
    from django.test import Client

    client = Client()
    results = {}
    for url in urls:
        result = measure(client, url)
        if result["status"] == 200:
            result.update(heaviest_query(client, url))
        results[url] = result
    return results


# --- gunicorn and wrk ------------------------------------------------------------------------------

class Server:
    """``gunicorn bench.wsgi -k sync -w N`` on a free port, with each worker's peak RSS sampled."""

    def __init__(self, env: dict, workers: int):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        self.process = subprocess.Popen(
            [gunicorn, "bench.wsgi:application", "-c", str(ROOT / "bench" / "gunicorn.conf.py"), "-w", str(workers),
             "-b", f"127.0.0.1:{self.port}"],
            cwd=ROOT, env={**os.environ, **env},
        )
        wait_for(f"{self.base}/fortunes/", self.process)
        self.peak: dict[int, int] = {}
        self._sampling = None

    def settle(self) -> None:
        """Waits out the requests wrk left queued (one per worker), so one run does not slow the next."""
        for _ in range(2):
            status_of(f"{self.base}/fortunes/")

    def workers(self) -> list[int]:
        try:
            return [int(pid) for pid in Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()]
        except OSError:
            return []

    def sample(self, stop: threading.Event) -> None:
        while not stop.is_set():
            for pid in self.workers():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                rss = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) * 1024
                self.peak[pid] = max(self.peak.get(pid, 0), rss)
            stop.wait(0.2)

    def measure_memory(self):
        """A context: samples RSS while it is open; ``.peak_mb`` afterwards is the largest worker's peak."""
        server = self

        class Sampling:
            def __enter__(self):
                server.peak = {}
                self.stop = threading.Event()
                self.thread = threading.Thread(target=server.sample, args=(self.stop,), daemon=True)
                self.thread.start()
                return self

            def __exit__(self, *exc):
                self.stop.set()
                self.thread.join()
                self.peak_mb = max(server.peak.values(), default=0) / 2**20

        return Sampling()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text).groups()  # wrk's units
    return float(number) * UNIT[unit]


def wrk(url: str, args) -> dict:
    output = subprocess.run(
        ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency", "--timeout", "30s", url],
        capture_output=True, text=True, check=True,
    ).stdout
    latency = dict(re.findall(r"^\s*(50|99)%\s+([\d.]+[a-z]+)", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50": milliseconds(latency["50"]), "p99": milliseconds(latency["99"]),
            "errors": int(errors.group(1)) if errors else 0}


def drive(server: Server, urls: list[str], args) -> dict[str, dict]:
    """For each URL, ``rounds`` × (Fortunes, then the URL); medians over the rounds."""
    results = {}
    for url in urls:
        fortunes, page = [], []
        with server.measure_memory() as memory:
            for _ in range(args.rounds):
                server.settle()
                fortunes.append(wrk(f"{server.base}/fortunes/", args))
                server.settle()
                page.append(wrk(server.base + url, args))
        results[url] = {
            "fortunes_rps": statistics.median(run["rps"] for run in fortunes),
            "rps": statistics.median(run["rps"] for run in page),
            "p50": statistics.median(run["p50"] for run in page),
            "p99": statistics.median(run["p99"] for run in page),
            "errors": sum(run["errors"] for run in page),
            "rss_mb": memory.peak_mb,
        }
        print(f"  {url}: {results[url]['rps']:.1f} req/s (Fortunes {results[url]['fortunes_rps']:.0f})", flush=True)
    return results


# --- the table ----------------------------------------------------------------------------------

def number(value, pattern: str) -> str:
    """``value`` formatted as ``pattern`` (e.g. ``8.1f``), or a dash as wide."""
    width = int(pattern.split(".")[0])
    return f"{'—':>{width}}" if value is None else format(value, pattern)


def print_table(title: str, urls: list[str], local: dict, loaded: dict) -> None:
    if not urls:
        return
    print(f"\n{title}")
    width = min(max(len(url) for url in urls), 60)
    header = (f"{'URL':<{width}} {'status':>6} {'req/s':>8} {'Fortunes':>9} {'ratio':>7} {'p50 ms':>8} {'p99 ms':>8} "
              f"{'server ms':>9} {'queries':>7} {'DB ms':>7} {'heaviest':>8} {'RSS MB':>6}")
    print(header)
    print("-" * len(header))
    for url in urls:
        row, load = local[url], loaded.get(url, {})
        shown = url if len(url) <= width else url[: width - 1] + "…"
        if row["status"] != 200:
            note = "absent (404)" if row["status"] == 404 else f"answered {row['status']}"
            print(f"{shown:<{width}} {row['status']:>6}  {note}")
            continue
        ratio = load["rps"] / load["fortunes_rps"] * 100 if load.get("fortunes_rps") else None
        print(f"{shown:<{width}} {row['status']:>6} {number(load.get('rps'), '8.1f')} "
              f"{number(load.get('fortunes_rps'), '9.0f')} {number(ratio, '6.2f') + ('%' if ratio is not None else ' ')} "
              f"{number(load.get('p50'), '8.1f')} {number(load.get('p99'), '8.1f')} {row['median']:>9.1f} "
              f"{row['queries']:>7} {row['db_ms']:>7.1f} {number(row['explain_ms'], '8.1f')} "
              f"{number(load.get('rss_mb'), '6.0f')}" + (f"  ({load['errors']} non-2xx)" if load.get("errors") else ""))
    print("Heaviest query of each URL:")
    for url in urls:
        if local[url].get("heaviest"):
            print(f"  {url}\n    {local[url]['heaviest']}")
    print("req/s, p50, p99: wrk medians over the rounds; ratio: req/s ÷ Fortunes' in the same rounds; server ms:"
          " in-process median of 5; DB ms: all queries' time in one request; heaviest: EXPLAIN ANALYZE"
          " (planning + execution) of its slowest query; RSS MB: the largest gunicorn worker's peak under load.")


def urls_for(names) -> list[str]:
    term = quote(names.search_term).replace("%20", "+")
    return [
        "/",
        "/programs/",
        "/programs/?country=RU",
        "/programs/?country=RU&level=bachelor&discipline=cn-ug:0809",
        f"/programs/?q={term}",
        "/programs/?page=400",
        "/institutes/",
        "/institutions/?country=JP",
        f"/programs/{names.program_slug}/",
        f"/institutions/{names.host_slug}/",
        "/api/programs/?country=RU",
        f"/search/?q={term}",
        "/programs/export.csv?country=RU&level=bachelor&discipline=cn-ug:0809",
    ]


def run_pass(title: str, env: dict, urls: list[str], args, warm: bool) -> None:
    os.environ.update(env)
    from django.conf import settings

    from django.test import override_settings

    print(f"\n== {title} ==")
    with override_settings(REGISTRY_PAGE_CACHE=warm):
        local = in_process(urls)
    if args.no_wrk or not shutil.which("wrk"):
        print_table(title, urls, local, {})
        return
    server = Server(env, args.workers)
    try:
        live = [url for url in urls if local[url]["status"] == 200]
        if warm:
            for url in live:
                status_of(server.base + url)
        print(f"wrk -t{args.threads} -c{args.connections}, {args.rounds} round(s) × {args.duration} s each of "
              f"Fortunes and the URL; gunicorn -k sync -w {args.workers}, DEBUG={settings.DEBUG}")
        print_table(title, urls, local, drive(server, live, args))
    finally:
        server.stop()


def main() -> None:
    args = arguments()
    env = environment(args.database, page_cache=False)
    os.environ.update(env)
    # WhiteNoise warns that STATIC_ROOT was never collected; the benchmark serves no static files.
    warnings.filterwarnings("ignore", message=r"No directory at: .*staticfiles")
    import django

    django.setup()
    import logging

    from django.conf import settings

    logging.getLogger("django.request").setLevel(logging.ERROR)  # not a line per 404 (/search/ may be absent)

    from bench.dataset import Names, RARE_SUBJECT
    from catalog.models import Institution
    from partnerships.models import Program

    print(f"Load benchmark on {os.cpu_count()} CPU(s); database {args.database}")
    prepare(args)
    names = Names(program_slug="bench-program-0", search_term=RARE_SUBJECT,
                  host_slug=Institution.objects.filter(hosted_programs__slug="bench-program-0").get().slug)
    print(f"{Program.objects.published().count():,} published programs, {Institution.objects.count():,} institutions")
    urls = [url for url in urls_for(names) if args.only in url]
    run_pass("Uncached (DJANGO_REGISTRY_PAGE_CACHE=0)", env, urls, args, warm=False)
    if hasattr(settings, "REGISTRY_PAGE_CACHE"):
        run_pass("Warm page cache", environment(args.database, page_cache=True) | {
            "DJANGO_SECRET_KEY": env["DJANGO_SECRET_KEY"]}, urls, args, warm=True)
    else:
        print("\nNo page cache in these settings (REGISTRY_PAGE_CACHE): uncached numbers only.")


if __name__ == "__main__":
    main()
