"""Import benchmark: 10,000 and 100,000 generated program rows into fresh SQLite databases.

Run with ``make bench``. For each size it writes sources.csv, institutions.csv and
programs.csv into a temporary directory, migrates a new SQLite database there, then
imports the four files with ``import_registry`` in a child process and reports rows
per second, wall time, peak RSS and how much the RSS grew during the import. Similar
growth for both sizes means memory does not grow with the file.
"""
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10_000, 100_000)
HOSTS, PARTNERS = 300, 200
SUBJECTS = ["Computer Science", "Physics", "Pharmacy", "Digital Media Arts", "Mechanical Engineering",
            "Finance", "Music Performance", "Nursing", "Architecture", "Internet of Things Engineering"]
DISCIPLINES = ["cn-ug:080901", "cn-ug:070201", "cn-ug:100701", "cn-ug:130508", "cn-ug:080905"]
# China's undergraduate catalogue suits only bachelor's programs; ISCED-F suits every level.
ISCED = ["isced:0613", "isced:0533", "isced:0916", "isced:0211", "isced:0714"]
COUNTRIES = ["RU", "NZ", "DE", "GB", "FR", "AU", "US", "JP", "KR", "IT"]
SOURCES = 20


def write_csv(path: Path, header: list[str], rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def generate(directory: Path, programs: int) -> None:
    write_csv(directory / "sources.csv", ["title", "publisher", "url"],
              ([f"Provincial approvals list {n}", "Education commission", f"https://example.org/list/{n}"]
               for n in range(SOURCES)))
    hosts = [[f"Host University {n}", f"主办大学{n}", f"HU{n}", "university", "CN", "Chongqing", "Chongqing"]
             for n in range(HOSTS)]
    partners = [[f"Partner University {n}", "", "", "university", COUNTRIES[n % len(COUNTRIES)], "", ""]
                for n in range(PARTNERS)]
    write_csv(directory / "institutions.csv",
              ["name", "native_name", "abbreviation", "kind", "country", "city", "region"], hosts + partners)
    write_csv(directory / "institution_names.csv", ["institution", "name"],
              ([f"Partner University {n}", f"Partner Univ. {n}"] for n in range(PARTNERS)))
    header = ["name", "level", "disciplines", "host", "partners", "city", "degree_model", "duration_years",
              "annual_intake", "tuition_cny_per_year", "language", "approval_status", "approval_date",
              "enrollment_start_year", "source_title", "source_url"]
    levels = ["bachelor", "master", "doctorate", "vocational"]

    def rows():
        for n in range(programs):
            # Hosts by abbreviation and partners by alias, as a provincial list might name them.
            disciplines = DISCIPLINES if levels[n % 4] == "bachelor" else ISCED
            yield [f"{SUBJECTS[n % len(SUBJECTS)]} {n}", levels[n % 4], disciplines[n % len(disciplines)],
                   f"HU{n % HOSTS}", f"Partner Univ. {n % PARTNERS}|Partner University {(n + 7) % PARTNERS}",
                   "Chongqing", "dual", "4", str(30 + n % 200), str(20000 + n % 50 * 1000), "English",
                   "approved", f"20{10 + n % 15}-{1 + n % 12:02d}", str(2010 + n % 15),
                   f"Provincial approvals list {n % SOURCES}", f"https://example.org/list/{n % SOURCES}"]

    write_csv(directory / "programs.csv", header, rows())


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def child(directory: str) -> None:
    """Runs in a fresh process with DATABASE_URL set: import the files, print the measurements as JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from partnerships.models import Program

    before = rss_kib()
    started = time.perf_counter()
    files = [str(Path(directory) / name)
             for name in ("sources.csv", "institutions.csv", "institution_names.csv", "programs.csv")]
    call_command("import_registry", *files, stdout=open(os.devnull, "w"))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "rss_before_kib": before, "peak_rss_kib": peak,
                      "programs": Program.objects.count()}))


def run(size: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="registry-bench-") as tmp:
        directory = Path(tmp)
        generate(directory, size)
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{directory / 'bench.sqlite3'}", "DJANGO_LOG_LEVEL": "WARNING",
               "DJANGO_DEBUG": "0"}
        python = sys.executable
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        output = subprocess.run([python, __file__, "--child", tmp], cwd=ROOT, env=env, check=True,
                                capture_output=True, text=True).stdout
        return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    print(f"Import benchmark on {os.cpu_count()} CPU(s), fresh SQLite database per run")
    for size in SIZES:
        result = run(size)
        assert result["programs"] == size, result
        growth = (result["peak_rss_kib"] - result["rss_before_kib"]) / 1024
        print(f"{size:>7,} program rows: {result['seconds']:6.1f} s, {size / result['seconds']:7,.0f} rows/s, "
              f"peak RSS {result['peak_rss_kib'] / 1024:5.0f} MiB, growth during import {growth:4.0f} MiB")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
    else:
        main()
