"""Read benchmark: the public pages, a CSV download and the JSON API over 20,000 programs.

Run with ``make bench-pages``. It migrates a fresh SQLite database in a temporary
directory, loads the seed facts, then bulk-creates 20,000 published programs hosted by
300 Chinese universities with 200 foreign partners in 10 countries. Each URL is requested
in-process with Django's test client: one warm-up, then five timed requests. The table
gives the median and slowest time, the response size and the number of SQL queries.
Nothing is asserted; speed goals live here, not in the test suite.
"""
import csv
import io
import os
import statistics
import sys
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path
from urllib.parse import quote, unquote

ROOT = Path(__file__).resolve().parent.parent

N_PROGRAMS = 20_000
HOSTS, PARTNERS = 300, 200
COUNTRIES = ["RU", "NZ", "DE", "GB", "FR", "AU", "US", "JP", "KR", "IT"]
CITIES = ["Chongqing", "Beijing", "Shanghai", "Chengdu", "Wuhan", "Xi'an", "Harbin", "Nanjing"]
SUBJECTS = ["Computer Science", "Physics", "Pharmacy", "Digital Media Arts", "Mechanical Engineering",
            "Finance", "Music Performance", "Nursing", "Architecture", "Internet of Things Engineering"]
DISCIPLINE_CODES = ["080901", "070201", "100701", "130508", "080905"]
REPEATS = 5
SLOW_MS = 1_000  # marked in the table; nothing is asserted
BATCH = 2_000


def configure(directory: Path) -> None:
    """Point Django at a fresh database in ``directory``; must run before django.setup()."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["DJANGO_API_ANON_RATE"] = "1000000/minute"
    os.environ["DJANGO_DEBUG"] = "0"  # measure as deployed, not with the debug machinery
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    # WhiteNoise warns that STATIC_ROOT was never collected; the benchmark serves no static files.
    warnings.filterwarnings("ignore", message=r"No directory at: .*staticfiles")
    import django

    django.setup()


def generate() -> dict:
    """Bulk-create the institutions, programs and their links; returns a few names for the URLs."""
    from catalog.choices import InstitutionKind
    from catalog.models import Discipline, Institution, Source
    from core.choices import DatePrecision, PublicationState
    from partnerships.choices import ApprovalStatus, DegreeModel, ProgramLevel
    from partnerships.models import Program, ProgramPartner

    published = PublicationState.PUBLISHED
    hosts = Institution.objects.bulk_create(
        [Institution(slug=f"bench-host-{n}", name=f"Host University {n}", native_name=f"主办大学{n}",
                     abbreviation=f"HU{n}", kind=InstitutionKind.UNIVERSITY, country="CN",
                     city=CITIES[n % len(CITIES)], publication_state=published) for n in range(HOSTS)],
        batch_size=BATCH,
    )
    partners = Institution.objects.bulk_create(
        [Institution(slug=f"bench-partner-{n}", name=f"Partner University {n}", kind=InstitutionKind.UNIVERSITY,
                     country=COUNTRIES[n % len(COUNTRIES)], publication_state=published) for n in range(PARTNERS)],
        batch_size=BATCH,
    )
    levels = list(ProgramLevel.values)
    programs = Program.objects.bulk_create(
        [Program(slug=f"bench-program-{n}", name=f"{SUBJECTS[n % len(SUBJECTS)]} {n}", level=levels[n % len(levels)],
                 host=hosts[n % HOSTS], city=hosts[n % HOSTS].city, publication_state=published,
                 degree_model=DegreeModel.DUAL, approval_status=ApprovalStatus.APPROVED,
                 approval_date=date(2010 + n % 15, 1 + n % 12, 1), approval_date_precision=DatePrecision.MONTH,
                 annual_intake=30 + n % 200, tuition_cny_per_year=20_000 + n % 50 * 1_000, language="English")
         for n in range(N_PROGRAMS)],
        batch_size=BATCH,
    )
    # Two partners each, always from two different countries ((n + 7) % 10 != n % 10).
    ProgramPartner.objects.bulk_create(
        [ProgramPartner(program=program, institution=partners[(n + step) % PARTNERS])
         for n, program in enumerate(programs) for step in (0, 7)],
        batch_size=BATCH,
    )
    disciplines = [Discipline.objects.get(catalogue="cn-ug", code=code) for code in DISCIPLINE_CODES]
    links = Program.disciplines.through
    links.objects.bulk_create(
        [links(program_id=program.pk, discipline_id=disciplines[n % len(disciplines)].pk)
         for n, program in enumerate(programs)]
        # Every third program also has a second discipline.
        + [links(program_id=program.pk, discipline_id=disciplines[(n + 1) % len(disciplines)].pk)
           for n, program in enumerate(programs) if n % 3 == 0],
        batch_size=BATCH,
    )
    sources = list(Source.objects.order_by("pk"))
    cited = Program.sources.through
    cited.objects.bulk_create(
        [cited(program_id=program.pk, source_id=sources[n % len(sources)].pk) for n, program in enumerate(programs)],
        batch_size=BATCH,
    )
    return {"program_slug": programs[N_PROGRAMS // 2].slug}


def measure(client, url: str) -> dict:
    """One warm-up, then REPEATS timed requests of ``url``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries, size, status, rows = [], 0, 0, 0, None
    for attempt in range(REPEATS + 1):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            elapsed = time.perf_counter() - started
        if attempt:  # the first request only warms up caches, templates and SQLite's pages
            timings.append(elapsed * 1000)
        queries, size, status = len(captured.captured_queries), len(body), response.status_code
        if response.get("Content-Type", "").startswith("text/csv"):
            rows = sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1  # without the header
    return {"url": unquote(url), "status": status, "median": statistics.median(timings), "max": max(timings),
            "bytes": size, "queries": queries, "rows": rows}


def print_table(results: list[dict]) -> None:
    width = max(len(result["url"]) for result in results)
    header = f"{'URL':<{width}}  {'status':>6}  {'median ms':>9}  {'max ms':>8}  {'KiB':>7}  {'queries':>7}  {'CSV rows':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        rows = "" if r["rows"] is None else f"{r['rows']:,}"
        slow = "  *" if r["median"] > SLOW_MS else ""
        print(f"{r['url']:<{width}}  {r['status']:>6}  {r['median']:>9.1f}  {r['max']:>8.1f}  "
              f"{r['bytes'] / 1024:>7.1f}  {r['queries']:>7}  {rows:>8}{slow}")
    if any(r["median"] > SLOW_MS for r in results):
        print(f"* median over {SLOW_MS / 1000:g} s")


def main() -> None:
    total = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="registry-bench-pages-") as tmp:
        configure(Path(tmp))
        from django.core.management import call_command
        from django.test import Client

        from partnerships.models import Program, ProgramPartner

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_seeds", stdout=open(os.devnull, "w"))
        print(f"Page benchmark on {os.cpu_count()} CPU(s), fresh SQLite database in {tmp}")
        print(f"Migrated and loaded the seed facts in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        names = generate()
        print(f"Generated {N_PROGRAMS:,} programs ({HOSTS} hosts, {PARTNERS} partners in {len(COUNTRIES)} countries, "
              f"{ProgramPartner.objects.count():,} partner links) with bulk_create in "
              f"{time.perf_counter() - started:.1f} s; {Program.objects.published().count():,} published programs "
              f"in all")
        started = time.perf_counter()
        call_command("rebuild_search", stdout=open(os.devnull, "w"))  # bulk_create sends no signals
        print(f"Built the search entries in {time.perf_counter() - started:.1f} s")
        print(f"Each URL: 1 warm-up, then {REPEATS} timed requests (in-process test client, DEBUG off)\n")

        urls = [
            "/",
            "/programs/",
            "/programs/?country=RU",
            "/programs/?country=RU&level=bachelor&discipline=cn-ug:08",
            f"/programs/?q={quote('Host University 1')}",
            "/programs/?page=400",
            "/institutions/?country=DE",
            f"/search/?q={quote('Host University 1')}",
            f"/programs/{names['program_slug']}/",
            "/api/programs/?country=RU",
            "/api/programs/?page_size=100",
            "/programs/export.csv?country=RU",
        ]
        client = Client()
        results = []
        for url in urls:
            results.append(measure(client, url))
        print_table(results)
    print(f"\nTotal {time.perf_counter() - total:.1f} s")


if __name__ == "__main__":
    main()
