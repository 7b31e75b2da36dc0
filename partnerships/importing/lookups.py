"""Which record does a cell name? Answers are cached for the run, so a large file costs few queries."""
from collections.abc import Callable

from django.core.exceptions import ValidationError

from catalog.choices import DisciplineCatalogue
from catalog.models import Discipline, Institution, Region, Source
from catalog.services import create_source

from ..models import SUBJECT_FIELDS, JointInstitute, Program
from .cells import Unresolved, name_key

# Which caches a write of each kind makes stale.
STALE_AFTER_WRITE = {
    "sources": ("sources",),
    "regions": ("subjects",),
    "institutions": ("institutions", "subjects"),
    "joint_institutes": ("institutes", "subjects"),
    "programs": ("subjects",),
}


class SourceProblem(Unresolved):
    def __init__(self, message: str, column: str):
        super().__init__(message)
        self.column = column


def _describe(institutions) -> str:
    return "; ".join(f"{i.name} ({i.country.code})" for i in institutions)


class Lookups:
    def __init__(self, *, on_source_created: Callable[[], None], publishing: bool = False):
        self._on_source_created = on_source_created
        # Records published by this run may only name published records (see Publishable).
        self._publishing = publishing
        self._disciplines: dict[str, Discipline] | None = None
        # Each cache maps a key to a record or, for a miss, the message that explains it.
        self.caches = {"institutions": {}, "institutes": {}, "subjects": {}, "sources": {}}

    def forget_after_write(self, kind: str) -> None:
        for cache in STALE_AFTER_WRITE.get(kind, ()):
            self.caches[cache].clear()

    def _cached(self, cache: str, key, find: Callable):
        found = self.caches[cache].get(key)
        if found is None:
            try:
                found = find()
            except Unresolved as problem:
                found = str(problem)
            self.caches[cache][key] = found
        if isinstance(found, str):
            raise Unresolved(found)
        return found

    def _usable(self, record, text: str):
        if self._publishing and not record.is_published:
            raise Unresolved(
                f"'{text}' is a draft in the registry, and a published record may only name published ones: "
                "publish it first, or import it with --publish in the same run"
            )
        return record

    def institution(self, text: str) -> Institution:
        return self._usable(self._cached("institutions", name_key(text), lambda: self._find_institution(text)), text)

    @staticmethod
    def _find_institution(text: str) -> Institution:
        matches = list(Institution.objects.matching_name(text))
        # An exact English name beats an abbreviation or alias that happens to be the same.
        chosen = [i for i in matches if name_key(i.name) == name_key(text)] or matches
        if len(chosen) == 1:
            return chosen[0]
        if not chosen:
            raise Unresolved(
                f"unknown institution '{text}': no institution has this name, native name, abbreviation or alias "
                "(define it in an institutions file imported in the same run)"
            )
        raise Unresolved(f"ambiguous institution '{text}': it could be {_describe(chosen)}; use the English name")

    def joint_institute(self, text: str) -> JointInstitute:
        return self._usable(self._cached("institutes", name_key(text), lambda: self._find_institute(text)), text)

    @staticmethod
    def _find_institute(text: str) -> JointInstitute:
        matches = list(JointInstitute.objects.matching_name(text))
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise Unresolved(
                f"unknown joint institute '{text}' (define it in a joint_institutes file imported in the same run)"
            )
        raise Unresolved(f"ambiguous joint institute '{text}': it could be {'; '.join(m.name for m in matches)}")

    def discipline(self, text: str) -> Discipline:
        if self._disciplines is None:
            self._disciplines = {d.key.casefold(): d for d in Discipline.objects.all()}
        found = self._disciplines.get("".join(text.split()).casefold())
        if found is None:
            catalogues = ", ".join(DisciplineCatalogue.values)
            raise Unresolved(
                f"unknown discipline '{text}': write CATALOGUE:CODE as on the pages, e.g. cn-grad:0812 "
                f"(catalogues: {catalogues})"
            )
        return found

    def source(self, title: str, url: str) -> Source:
        return self._cached("sources", (name_key(title), url), lambda: self._find_or_create_source(title, url))

    def _find_or_create_source(self, title: str, url: str) -> Source:
        matches = list(Source.objects.titled(title, url)[:2])
        if len(matches) > 1:
            raise SourceProblem(f"several sources are titled '{title}': give the URL to say which", "source_url")
        if matches:
            return matches[0]
        try:
            source = create_source(title=title, url=url)
        except ValidationError as error:
            column = "source_url" if "url" in error.message_dict else "source_title"
            raise SourceProblem(f"cannot record source '{title}': {' '.join(error.messages)}", column) from error
        self._on_source_created()
        return source

    def subject(self, subject_type: str, text: str):
        """The institution, joint institute, program or region a figure row is about (by slug or name)."""
        if subject_type not in SUBJECT_FIELDS:
            raise Unresolved(f"unknown subject type '{subject_type}' (expected one of: {', '.join(SUBJECT_FIELDS)})")
        found = self._cached("subjects", (subject_type, text), lambda: self._find_subject(subject_type, text))
        return self._usable(found, text)

    def _find_subject(self, subject_type: str, text: str):
        if subject_type == "institution":
            return Institution.objects.filter(slug=text).first() or self._find_institution(text)
        if subject_type == "joint_institute":
            return self._find_institute(text)
        if subject_type == "program":
            program = Program.objects.filter(slug=text).first()
            if program is None:
                raise Unresolved(f"unknown program '{text}': name a program by its slug")
            return program
        region = Region.objects.filter(slug=text).first() or Region.objects.filter(name__iexact=text).first()
        if region is None:
            raise Unresolved(f"unknown region '{text}' (define it in a regions file imported in the same run)")
        return region
