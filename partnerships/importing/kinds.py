"""What each kind of file means: how its cells become a record, how a record is found again, how it is saved."""
import functools
from dataclasses import dataclass, field

from django.db.models import Model, Q

from catalog.models import Institution, InstitutionAlias, Region, Source
from catalog.services import update_institution, update_record

from ..choices import MemberRole
from ..formats import COLUMNS
from ..models import (
    SUBJECT_FIELDS,
    Agreement,
    AgreementParty,
    Figure,
    InstituteMember,
    JointInstitute,
    Program,
    ProgramPartner,
)
from ..services import upsert_agreement, upsert_joint_institute, upsert_program
from .cells import Cells, name_key, web_address_problem
from .lookups import Lookups, SourceProblem


@dataclass
class Parsed:
    """One readable row: field values and link lists for the columns the file has."""

    number: int
    values: dict
    links: dict[str, list] = field(default_factory=dict)
    slug: str = ""
    extra: dict = field(default_factory=dict)
    record: Model | None = None


@functools.cache
def _choices(model, field_name: str) -> dict[str, str]:
    choices = {}
    for value, label in model._meta.get_field(field_name).flatchoices:
        choices.update({str(label).casefold(): value, str(value).casefold(): value})
    return choices


def choice_value(model, field_name: str, text: str) -> str:
    """The stored value a choice cell names (by value or label, any case); unknown text is left for full_clean."""
    return _choices(model, field_name).get(text.casefold(), text)


def through_rows(record: Model, relation: str, items) -> list[Model]:
    """Rows of the automatic many-to-many table ``relation`` linking ``record`` to ``items``."""
    m2m = record._meta.get_field(relation)
    through = m2m.remote_field.through
    owner, target = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
    return [through(**{owner: record.pk, target: item.pk}) for item in items]


def read_sources(cells: Cells, lookups: Lookups, *, single: bool = False) -> list[Source] | None:
    """The sources named by the parallel source_title / source_url lists (None if the file has no such column)."""
    if not cells.has("source_title"):
        return None
    titles = cells.items("source_title")
    urls = [url.strip() for url in (cells.raw("source_url").split("|") if cells.raw("source_url") else [])]
    if single and len(titles) > 1:
        cells.error("source_title", "a figure cites exactly one source")
        return []
    if urls and len(urls) != len(titles):
        cells.error("source_url", f"give one URL per source title ({len(titles)} titles, {len(urls)} URLs); "
                                  "leave a URL empty between the separators when it is unknown")
        return []
    sources = {}
    for title, url in zip(titles, urls or [""] * len(titles)):
        if not title:
            cells.error("source_title", "a source has an empty title")
            continue
        if problem := web_address_problem(url):
            cells.error("source_url", problem)
            continue
        try:
            source = lookups.source(title, url)
        except SourceProblem as problem:
            cells.error(problem.column, str(problem))
        else:
            sources.setdefault(source.pk, source)
    return list(sources.values())


class Kind:
    name: str
    model: type[Model]
    required: tuple[str, ...] = ()
    # Plain columns and how to read them: text, choice, country, integer, decimal, date, full_date, url.
    plain: dict[str, str] = {}
    links: tuple[str, ...] = ()
    identity = "slug"
    prefetch: tuple[str, ...] = ()
    constraint_columns: dict[str, str] = {}
    # Foreign keys filled from lookups: they exist, so full_clean need not query for them.
    resolved: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        return COLUMNS[self.name]

    @property
    def has_slug(self) -> bool:
        return "slug" in self.columns

    def read(self, cells: Cells, lookups: Lookups) -> Parsed:
        values = {}
        for column, reader in self.plain.items():
            if not cells.has(column):
                continue
            if reader == "date":
                values[column], values[f"{column}_precision"] = cells.dated(column)
            elif reader == "choice":
                values[column] = choice_value(self.model, column, cells.text(column))
            elif reader == "country":
                values[column] = cells.text(column).upper()
            else:
                values[column] = getattr(cells, reader)(column)
        parsed = Parsed(cells.number, values, slug=cells.raw("slug") if self.has_slug else "")
        self.read_references(cells, lookups, parsed)
        return parsed

    def read_references(self, cells: Cells, lookups: Lookups, parsed: Parsed) -> None:
        sources = read_sources(cells, lookups)
        if sources is not None and "sources" in self.links:
            parsed.links["sources"] = sources
            if not sources and not self.model._meta.get_field("sources").blank and not cells.failed:
                cells.error("source_title", "missing required value: every record cites at least one source")

    def column_of(self, field_name: str) -> str | None:
        if field_name in self.columns:
            return field_name
        if field_name.endswith("_precision") and field_name.removesuffix("_precision") in self.columns:
            return field_name.removesuffix("_precision")
        return None

    def unfilled_fields(self, header: set[str]) -> set[str]:
        """Optional fields that no column of ``header`` fills: new records keep their defaults there."""
        return {f.name for f in self.model._meta.concrete_fields if f.blank and self.column_of(f.name) not in header}

    def fields_of(self, column: str) -> list[str]:
        return [f.name for f in self.model._meta.concrete_fields if self.column_of(f.name) == column]

    def natural_key(self, values: dict) -> tuple:
        raise NotImplementedError

    def key_of(self, record: Model) -> tuple:
        raise NotImplementedError

    def lookup(self, values: dict) -> Q:
        raise NotImplementedError

    def lookup_batch(self, rows: list[dict]) -> Q:
        """A query for the records a batch of rows may name by natural key (it may find more)."""
        query = Q(pk__in=[])
        for values in rows:
            query |= self.lookup(values)
        return query

    def slug_text(self, parsed: Parsed) -> str:
        return parsed.values.get("name") or parsed.values.get("title") or ""

    def link_rows(self, record: Model, parsed: Parsed) -> list[Model]:
        """The link rows of a record just inserted (it has its key)."""
        return through_rows(record, "sources", parsed.links.get("sources", [])) if "sources" in self.links else []

    def current_links(self, record: Model) -> dict[str, list]:
        return {name: list(getattr(record, name).all()) for name in self.links}

    def update(self, record: Model, values: dict, links: dict[str, list]) -> None:
        update_record(record=record, values=values, sources=links.get("sources"))

    def after_write(self, record: Model, parsed: Parsed, outcome: str) -> None:
        """Called for every written or matched row; kinds that resolve something later remember it here."""

    def finish(self, run) -> None:
        """Called once the whole file is read."""


class NamedInCountry(Kind):
    required = ("name", "kind", "country")
    identity = "name and country"

    def natural_key(self, values):
        return (name_key(values.get("name", "")), values.get("country", ""))

    def key_of(self, record):
        return (name_key(record.name), record.country.code)

    def lookup(self, values):
        return Q(country=values.get("country", ""), name__iexact=values.get("name", ""))


class Sources(Kind):
    name, model = "sources", Source
    required = ("title",)
    plain = {"title": "text", "publisher": "text", "published_on": "full_date", "url": "url", "seed_file": "text"}
    identity = "title and URL"
    constraint_columns = {"source_unique_seed_file": "seed_file"}

    def natural_key(self, values):
        return (name_key(values.get("title", "")), values.get("url", ""))

    def key_of(self, record):
        return (name_key(record.title), record.url)

    def lookup(self, values):
        return Q(title__iexact=values.get("title", ""), url=values.get("url", ""))


class Regions(NamedInCountry):
    name, model = "regions", Region
    plain = {"name": "text", "native_name": "text", "kind": "choice", "country": "country"}
    links = ("sources",)
    prefetch = ("sources",)
    constraint_columns = {"region_unique_name_per_country": "name"}


class Institutions(NamedInCountry):
    name, model = "institutions", Institution
    plain = {"name": "text", "native_name": "text", "abbreviation": "text", "kind": "choice", "country": "country",
             "city": "text", "region": "text", "website": "url", "ror_id": "raw"}
    links = ("aliases",)
    prefetch = ("aliases",)
    constraint_columns = {"institution_unique_ror_id": "ror_id", "institution_unique_name_per_country": "name",
                          "institution_not_own_parent": "parent"}

    def __init__(self):
        self.pending_parents = []

    def read_references(self, cells, lookups, parsed):
        if cells.has("aliases"):
            aliases = list(dict.fromkeys(alias for alias in cells.items("aliases") if alias))
            for alias in aliases:
                if len(alias) > InstitutionAlias._meta.get_field("name").max_length:
                    cells.error("aliases", f"the alias '{alias[:40]}…' is longer than 255 characters")
            parsed.links["aliases"] = aliases
        if cells.has("parent"):
            # Parents are resolved once the whole file is in, since a parent may come later in the file.
            entry = {"number": cells.number, "name": cells.text("parent"), "current": None}
            parsed.extra["parent"] = entry
            self.pending_parents.append(entry)

    def link_rows(self, record, parsed):
        return [InstitutionAlias(institution_id=record.pk, name=alias) for alias in parsed.links.get("aliases", [])]

    def current_links(self, record):
        return {"aliases": [alias.name for alias in record.aliases.all()]}

    def update(self, record, values, links):
        update_institution(institution=record, values=values, aliases=links.get("aliases"))

    def after_write(self, record, parsed, outcome):
        if "parent" in parsed.extra:
            parsed.extra["parent"].update(pk=record.pk, outcome=outcome, current=record.parent_id)

    def finish(self, run):
        """Set the parents named in the file, now that every institution of the file exists."""
        pending, self.pending_parents = self.pending_parents, []
        run.lookups.forget_after_write(self.name)
        for entry in pending:
            cells = run.cells_for(entry["number"], {"parent": entry["name"]})
            parent = cells.reference("parent", run.lookups.institution)
            pk = entry.get("pk")
            if cells.failed or pk is None:
                continue  # a row with other problems is reported already; its parent has been checked
            if parent is not None and parent.pk == pk:
                cells.error("parent", "an institution cannot be its own parent")
            elif entry["current"] != (parent.pk if parent else None):
                institution = Institution.objects.get(pk=pk)
                saved = run.save_update(self, cells, institution, {"parent": parent}, {})
                if saved and entry["outcome"] == "unchanged":
                    run.recount(self.name, "unchanged", "changed")


class JointInstitutes(Kind):
    name, model = "joint_institutes", JointInstitute
    required = ("name", "source_title")
    plain = {"name": "text", "native_name": "text", "city": "text", "launched_on": "date", "approval_number": "text",
             "approval_status": "choice", "approval_date": "date", "degree_model": "choice", "dean": "text",
             "enrollment_target": "integer", "website": "url"}
    links = ("hosts", "partners", "sources")
    identity = "name"
    prefetch = ("members_links__institution", "sources")

    def read_references(self, cells, lookups, parsed):
        super().read_references(cells, lookups, parsed)
        for role in ("hosts", "partners"):
            if cells.has(role):
                parsed.links[role] = cells.references(role, lookups.institution)
        both = {i.pk for i in parsed.links.get("hosts", [])} & {i.pk for i in parsed.links.get("partners", [])}
        if both:
            cells.error("partners", "an institution cannot be both a host and a partner of the same institute")

    def natural_key(self, values):
        return (name_key(values.get("name", "")),)

    def key_of(self, record):
        return (name_key(record.name),)

    def lookup(self, values):
        return Q(name__iexact=values.get("name", ""))

    def link_rows(self, record, parsed):
        members = [
            InstituteMember(joint_institute_id=record.pk, institution_id=institution.pk, role=role)
            for role, links in ((MemberRole.HOST, "hosts"), (MemberRole.PARTNER, "partners"))
            for institution in parsed.links.get(links, [])
        ]
        return members + super().link_rows(record, parsed)

    def current_links(self, record):
        return {"hosts": record.hosts, "partners": record.partners, "sources": list(record.sources.all())}

    def update(self, record, values, links):
        upsert_joint_institute(slug=record.slug, **links, **values)


class Programs(Kind):
    name, model = "programs", Program
    required = ("name", "host", "source_title")
    plain = {"name": "text", "level": "choice", "city": "text", "degree_model": "choice",
             "duration_years": "decimal", "annual_intake": "integer", "tuition_cny_per_year": "integer",
             "language": "text", "approval_number": "text", "approval_status": "choice", "approval_date": "date",
             "enrollment_start_year": "integer", "enrollment_end_year": "integer"}
    links = ("partners", "disciplines", "sources")
    identity = "host, name and level"
    prefetch = ("partners", "disciplines", "sources")
    resolved = ("host", "joint_institute")
    constraint_columns = {"program_enrollment_ends_after_start": "enrollment_end_year",
                          "program_unique_name_level_per_host": "name"}

    def read_references(self, cells, lookups, parsed):
        super().read_references(cells, lookups, parsed)
        parsed.values["host"] = cells.reference("host", lookups.institution)
        if cells.has("joint_institute"):
            parsed.values["joint_institute"] = cells.reference("joint_institute", lookups.joint_institute)
        if cells.has("partners"):
            parsed.links["partners"] = cells.references("partners", lookups.institution)
        if cells.has("disciplines"):
            parsed.links["disciplines"] = cells.references("disciplines", lookups.discipline)

    def natural_key(self, values):
        host = values.get("host")
        return (host.pk if host else None, values.get("name", ""), values.get("level", ""))

    def key_of(self, record):
        return (record.host_id, record.name, record.level)

    def lookup(self, values):
        return Q(host=values.get("host"), name=values.get("name", ""), level=values.get("level", ""))

    def lookup_batch(self, rows):
        # Two IN lists cost far less to build than hundreds of OR-ed conditions; key_of() sorts out the rest.
        return Q(host__in={values["host"].pk for values in rows}, name__in={values.get("name", "") for values in rows})

    def slug_text(self, parsed):
        host = parsed.values["host"]
        return f"{host.abbreviation or host.name} {parsed.values['name']} {parsed.values.get('level', '')}"

    def link_rows(self, record, parsed):
        partners = [ProgramPartner(program_id=record.pk, institution_id=i.pk) for i in parsed.links.get("partners", [])]
        return partners + through_rows(record, "disciplines", parsed.links.get("disciplines", [])) + super().link_rows(
            record, parsed
        )

    def update(self, record, values, links):
        values = dict(values)
        upsert_program(slug=record.slug, host=values.pop("host", record.host), **links, **values)


class Agreements(Kind):
    name, model = "agreements", Agreement
    required = ("title", "kind", "status", "source_title")
    plain = {"title": "text", "kind": "choice", "signed_on": "date", "scope": "raw", "status": "choice"}
    links = ("parties", "sources")
    identity = "title"
    prefetch = ("parties", "sources")

    def read_references(self, cells, lookups, parsed):
        super().read_references(cells, lookups, parsed)
        if cells.has("parties"):
            parsed.links["parties"] = cells.references("parties", lookups.institution)

    def natural_key(self, values):
        return (name_key(values.get("title", "")),)

    def key_of(self, record):
        return (name_key(record.title),)

    def lookup(self, values):
        return Q(title__iexact=values.get("title", ""))

    def link_rows(self, record, parsed):
        parties = [AgreementParty(agreement_id=record.pk, institution_id=i.pk) for i in parsed.links.get("parties", [])]
        return parties + super().link_rows(record, parsed)

    def update(self, record, values, links):
        upsert_agreement(slug=record.slug, **links, **values)


class Figures(Kind):
    name, model = "figures", Figure
    required = ("subject_type", "subject", "metric", "value", "source_title")
    plain = {"metric": "choice", "value": "decimal", "unit": "choice", "qualifier": "choice",
             "period_start": "integer", "period_end": "integer", "note": "text"}
    identity = "subject, metric, period and source"
    resolved = ("source", *SUBJECT_FIELDS)
    constraint_columns = {"figure_value_not_negative": "value", "figure_percent_at_most_100": "value",
                          "figure_period_ends_after_start": "period_end", "figure_exactly_one_subject": "subject",
                          **{f"figure_unique_per_{field}": "subject" for field in SUBJECT_FIELDS}}

    def read(self, cells, lookups):
        parsed = super().read(cells, lookups)
        for column in ("unit", "qualifier"):
            if not parsed.values.get(column):
                # An empty cell means the model's default: a count, stated exactly.
                parsed.values.pop(column, None)
        return parsed

    def read_references(self, cells, lookups, parsed):
        sources = read_sources(cells, lookups, single=True)
        parsed.values["source"] = sources[0] if sources else None
        subject_type = cells.text("subject_type")
        if not subject_type:
            cells.error("subject_type", f"missing required value (one of: {', '.join(SUBJECT_FIELDS)})")
            return
        subject = cells.reference("subject", lambda text: lookups.subject(subject_type, text))
        if subject is not None:
            parsed.values[Figure.subject_field_for(subject)] = subject
        elif "subject" not in cells.failed:
            cells.error("subject", "missing required value")

    def column_of(self, field_name):
        if field_name in SUBJECT_FIELDS:
            return "subject"
        return "source_title" if field_name == "source" else super().column_of(field_name)

    def subject_of(self, values) -> Model | None:
        return next((values[f] for f in SUBJECT_FIELDS if values.get(f) is not None), None)

    def natural_key(self, values):
        subject, source = self.subject_of(values), values.get("source")
        return (Figure.subject_field_for(subject) if subject else None, subject.pk if subject else None,
                values.get("metric"), values.get("period_start"), values.get("period_end"),
                source.pk if source else None)

    def key_of(self, record):
        field_name = next(f for f in SUBJECT_FIELDS if getattr(record, f"{f}_id") is not None)
        return (field_name, getattr(record, f"{field_name}_id"), record.metric, record.period_start,
                record.period_end, record.source_id)

    def lookup(self, values):
        subject = self.subject_of(values)
        return Q(**{Figure.subject_field_for(subject): subject}, metric=values.get("metric"),
                 period_start=values.get("period_start"), period_end=values.get("period_end"),
                 source=values.get("source"))


def kind_for(name: str) -> Kind:
    return {kind.name: kind for kind in (Sources, Regions, Institutions, JointInstitutes, Programs, Agreements,
                                         Figures)}[name]()
