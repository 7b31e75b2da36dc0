"""The load benchmark's dataset: at scale 1, 100,000 published programs, 20,000 institutions,
500 joint institutes and 1,000,000 figures, written with PostgreSQL's COPY (psycopg2's
``copy_expert``) in chunks, or with ``bulk_create`` on other databases (the smoke test's SQLite).

``build(scale)`` expects a migrated database holding the seed facts and the discipline catalogues;
it adds rows after the existing ones (ids above each table's largest) and returns the names the
benchmark's URLs need (``Names``). Deterministic: the same scale gives the same rows.
"""
import io
import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models

CHUNK = 50_000  # rows per COPY
FULL = {"programs": 100_000, "institutions": 20_000, "institutes": 500, "figures": 1_000_000}
HOST_SHARE = 5  # one institution in five is a Chinese host
FIGURES_OF_BUSY_PROGRAM = 300
PROGRAMS_OF_BUSY_HOST = 50
RARE_SUBJECT = "Marine Biology"  # the search term with a few hundred hits (one program in 337)
RARE_EVERY = 337
FOREIGN = ["RU", "RU", "GB", "US", "AU", "DE", "FR", "JP", "KR", "NZ", "CA", "IT", "NL", "IE", "MY",
           "SG", "ES", "BY", "UA", "KZ"]  # one foreign institution in ten is Russian
CITIES = ["Chongqing", "Beijing", "Shanghai", "Chengdu", "Wuhan", "Xi'an", "Harbin", "Nanjing", "Tianjin",
          "Guangzhou", "Hangzhou", "Changsha", "Dalian", "Jinan", "Kunming", "Shenyang"]
SUBJECTS = ["Computer Science and Technology", "Software Engineering", "Physics", "Pharmacy", "Digital Media Arts",
            "Mechanical Engineering", "Finance", "Music Performance", "Nursing", "Architecture",
            "Internet of Things Engineering", "Economics", "International Trade", "Accounting", "Civil Engineering",
            "Electrical Engineering and Automation", "Chemistry", "Mathematics", "Business Administration",
            "Environmental Engineering", "Materials Science", "Automotive Engineering", "Tourism Management",
            "Journalism", "Law", "Applied Linguistics", "Fine Arts", "Industrial Design", "Logistics Management",
            "Food Science", "Biotechnology", "Clinical Medicine", "Data Science", "Telecommunications Engineering",
            "Urban Planning", "Hotel Management", "Animation", "Marketing", "Statistics", "Robotics"]
TOPICS = ["Technology", "Science", "Posts and Telecommunications", "Foreign Studies", "Finance and Economics",
          "Medicine", "Arts", "Engineering", "Agriculture", "Education", "Aeronautics", "Transport"]
LEVELS = ["bachelor", "bachelor", "bachelor", "master", "master", "doctorate", "vocational", "graduate"]
LEVEL_CATALOGUE = {"bachelor": "cn-ug", "master": "cn-grad", "doctorate": "cn-grad", "graduate": "cn-grad",
                   "vocational": "cn-voc"}
STATUSES = ["approved", "enrolling", "enrolling", "stopped_enrolling", "closed"]
METRICS = ["students_admitted", "enrollment_target", "degrees_awarded", "graduate_students", "tuition"]
DESCRIPTION = ("A China–foreign cooperative program run jointly by its Chinese host and foreign partner, "
               "with courses taught in English and Chinese, a semester abroad and a dual degree. ") * 2
NOW = datetime(2025, 6, 1, tzinfo=timezone.utc)


@dataclass
class Names:
    program_slug: str  # the program with 300 figures
    host_slug: str  # the institution with 50 programs
    search_term: str


def counts(scale: float) -> dict[str, int]:
    return {kind: max(int(n * scale), 10) for kind, n in FULL.items()}


def _text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return r"\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Writer:
    """Rows of one model, given as dicts of attnames; fields a row leaves out take their defaults."""

    def __init__(self, model):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.defaults = {}
        for field in self.fields:
            if field.attname in ("created_at", "updated_at"):
                self.defaults[field.attname] = NOW
            elif not field.primary_key:
                self.defaults[field.attname] = field.get_default()
        self.postgres = connection.vendor == "postgresql"

    def write(self, rows) -> int:
        written, chunk = 0, []
        for row in rows:
            chunk.append(row)
            if len(chunk) == CHUNK:
                written += self._flush(chunk)
                chunk = []
        return written + (self._flush(chunk) if chunk else 0)

    def _flush(self, rows) -> int:
        if not self.postgres:
            self.model.objects.bulk_create([self.model(**{**self.defaults, **row}) for row in rows])
            return len(rows)
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(_text(row[f.attname] if f.attname in row else self.defaults[f.attname])
                                   for f in self.fields))
            buffer.write("\n")
        buffer.seek(0)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {self.model._meta.db_table} ({columns}) FROM STDIN", buffer)
        return len(rows)


def next_id(model) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def build(scale: float, progress=print) -> Names:
    from catalog.models import Discipline, Institution, Source
    from partnerships.models import Figure, InstituteMember, JointInstitute, Program, ProgramPartner

    n = counts(scale)
    published = "published"

    source0 = next_id(Source)
    Writer(Source).write(
        {"id": source0 + i, "slug": f"bench-source-{i}", "title": f"Benchmark source {i}",
         "publisher": "Benchmark Press", "url": f"https://example.org/bench/{i}"} for i in range(40))
    sources = list(range(source0, source0 + 40))

    # Institutions: every fifth a Chinese host; the others foreign partners in FOREIGN's countries.
    inst0 = next_id(Institution)
    hosts, partners, rows = [], [], []
    for i in range(n["institutions"]):
        pk = inst0 + i
        if i % HOST_SHARE == 0:
            city = CITIES[i % len(CITIES)]
            name = f"{city} University of {TOPICS[i % len(TOPICS)]} {i}"
            hosts.append((pk, city))
            rows.append({"id": pk, "slug": f"bench-inst-{i}", "name": name, "native_name": f"{city}大学{i}",
                         "abbreviation": f"BU{i}", "kind": "university", "country": "CN", "city": city,
                         "publication_state": published})
        else:
            country = FOREIGN[(i // HOST_SHARE) % len(FOREIGN)]
            partners.append((pk, country))
            rows.append({"id": pk, "slug": f"bench-inst-{i}", "name": f"{country} State University of "
                         f"{TOPICS[i % len(TOPICS)]} {i}", "kind": "university", "country": country,
                         "city": f"City {i % 97}", "publication_state": published})
    Writer(Institution).write(rows)
    progress(f"  {len(rows):,} institutions")

    institute0 = next_id(JointInstitute)
    institutes, members = [], []
    member0 = next_id(InstituteMember)
    for i in range(n["institutes"]):
        host, city = hosts[(i * 3) % len(hosts)]
        partner = partners[(i * 11) % len(partners)][0]
        institutes.append({"id": institute0 + i, "slug": f"bench-institute-{i}", "name": f"Joint Institute {i} of "
                           f"{city}", "abbreviation": f"JI{i}", "city": city, "approval_status": STATUSES[i % 5],
                           "approval_date": date(2005 + i % 20, 1 + i % 12, 1), "approval_date_precision": "month",
                           "description": DESCRIPTION, "publication_state": published})
        members += [{"id": member0 + 2 * i, "joint_institute_id": institute0 + i, "institution_id": host, "role": "host"},
                    {"id": member0 + 2 * i + 1, "joint_institute_id": institute0 + i, "institution_id": partner,
                     "role": "partner"}]
    Writer(JointInstitute).write(institutes)
    Writer(InstituteMember).write(members)
    _link(JointInstitute.sources.through, "jointinstitute_id", "source_id",
          ((institute0 + i, sources[i % 40]) for i in range(n["institutes"])))
    progress(f"  {len(institutes):,} joint institutes")

    disciplines = {}
    for catalogue in ("cn-ug", "cn-grad", "cn-voc"):
        rank = {"cn-ug": "major", "cn-grad": "first_level", "cn-voc": "major"}[catalogue]
        found = list(Discipline.objects.filter(catalogue=catalogue, rank=rank).order_by("code").values_list("pk", flat=True))
        disciplines[catalogue] = found or list(
            Discipline.objects.filter(catalogue=catalogue).order_by("code").values_list("pk", flat=True))

    program0 = next_id(Program)
    busy_host = hosts[0][0]
    others = hosts[1:]
    taken, programs, levels = set(), [], []
    for i in range(n["programs"]):
        host, city = hosts[0] if i < PROGRAMS_OF_BUSY_HOST else others[i % len(others)]
        subject = RARE_SUBJECT if i % RARE_EVERY == 5 else SUBJECTS[(i // len(others)) % len(SUBJECTS)]
        level = LEVELS[i % len(LEVELS)]
        name = subject if (host, subject, level) not in taken else f"{subject} ({i})"
        taken.add((host, name, level))
        levels.append(level)
        programs.append({
            "id": program0 + i, "slug": f"bench-program-{i}", "name": name, "native_name": f"项目{i}",
            "level": level, "host_id": host, "city": city,
            "joint_institute_id": institute0 + (i // 10) % n["institutes"] if i % 10 == 0 else None,
            "degree_model": "dual", "approval_status": STATUSES[i % 5],
            "approval_date": date(2005 + i % 20, 1 + i % 12, 1), "approval_date_precision": "month",
            "annual_intake": 30 + i % 200, "tuition_cny_per_year": 20_000 + i % 50 * 1_000, "language": "English",
            "description": DESCRIPTION, "publication_state": published,
        })
    Writer(Program).write(programs)
    taken.clear()
    programs.clear()
    progress(f"  {n['programs']:,} programs")

    def partner_links():
        for i in range(n["programs"]):
            yield program0 + i, partners[(i * 7) % len(partners)][0]
            if i % 3 == 0:
                yield program0 + i, partners[(i * 7 + 1) % len(partners)][0]
    _link(ProgramPartner, "program_id", "institution_id", partner_links())

    def discipline_links():
        for i, level in enumerate(levels):
            pool = disciplines[LEVEL_CATALOGUE[level]]
            yield program0 + i, pool[(i * 13) % len(pool)]
            if i % 4 == 0:
                yield program0 + i, pool[(i * 13 + 1) % len(pool)]
    _link(Program.disciplines.through, "program_id", "discipline_id", discipline_links())
    _link(Program.sources.through, "program_id", "source_id",
          ((program0 + i, sources[i % 40]) for i in range(n["programs"])))
    progress("  partner, discipline and source links")

    def figures():
        pk = next_id(Figure)
        for j in range(FIGURES_OF_BUSY_PROGRAM):  # 5 metrics x 15 years x 4 sources
            yield _figure(pk, program0, METRICS[j % 5], 2010 + (j // 5) % 15, sources[j // 75], j)
            pk += 1
        rest = n["figures"] - FIGURES_OF_BUSY_PROGRAM
        per_program, extra = divmod(rest, n["programs"] - 1)
        for i in range(1, n["programs"]):
            for j in range(per_program + (1 if i <= extra else 0)):
                yield _figure(pk, program0 + i, METRICS[j % 5], 2010 + j // 5, sources[i % 40], i + j)
                pk += 1
    written = Writer(Figure).write(figures())
    progress(f"  {written:,} figures")

    _reset_sequences()
    # COPY sends no signals: build the search entries of everything written above in one pass.
    call_command("rebuild_search", stdout=open(os.devnull, "w"))
    progress("  search entries rebuilt")
    return Names(program_slug="bench-program-0", host_slug=Institution.objects.get(pk=busy_host).slug,
                 search_term=RARE_SUBJECT)


def _figure(pk, program, metric, year, source, seed) -> dict:
    unit = "cny" if metric == "tuition" else "count"
    return {"id": pk, "program_id": program, "metric": metric, "value": Decimal(50 + seed % 900), "unit": unit,
            "period_start": year, "period_end": year, "source_id": source, "publication_state": "published"}


def _link(model, left: str, right: str, pairs) -> None:
    """Rows of a link table (many-to-many or a partner table): ``(left, right)`` id pairs."""
    pk = next_id(model)
    Writer(model).write({"id": pk + k, left: a, right: b} for k, (a, b) in enumerate(pairs))


def _reset_sequences() -> None:
    from django.apps import apps

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
