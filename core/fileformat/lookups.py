"""Which record does a cell name? Answers are cached for the run, so a large file costs few queries."""
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from .cells import Unresolved, name_key


def _describe(records) -> str:
    return "; ".join(str(record) for record in records)


class Lookups:
    def __init__(self, *, on_source_created: Callable[[Model, int], None], publishing: bool = False):
        self._on_source_created = on_source_created
        # Records published by this run may only name published records (see Publishable).
        self._publishing = publishing
        # (model, kind of lookup, key) -> the record or, for a miss, the message that explains it.
        self._cache: dict[tuple, Model | str] = {}

    def forget(self, model: type[Model]) -> None:
        """Drop what is known of ``model``: a write may have added or renamed its records."""
        self._cache = {key: found for key, found in self._cache.items() if key[0] is not model}

    def _cached(self, key: tuple, find: Callable):
        found = self._cache.get(key)
        if found is None:
            try:
                found = find()
            except Unresolved as problem:
                found = str(problem)
            self._cache[key] = found
        if isinstance(found, str):
            raise Unresolved(found)
        return found

    def _usable(self, record, text: str):
        if self._publishing and not getattr(record, "is_published", True):
            raise Unresolved(
                _("'%(text)s' is a draft in the registry, and a published record may only name published ones: "
                  "publish it first, or import it with --publish in the same run") % {"text": text}
            )
        return record

    def record(self, model: type[Model], text: str, *, label: str = "name", hint: str = "") -> Model:
        """The ``model`` record ``text`` names: by ``label``, or anything its ``matching_name()`` accepts."""
        found = self._cached((model, "name", name_key(text)), lambda: self._find(model, text, label, hint))
        return self._usable(found, text)

    @staticmethod
    def _find(model: type[Model], text: str, label: str, hint: str) -> Model:
        queryset = model._default_manager.all()
        matching = getattr(queryset, "matching_name", None)
        matches = list(matching(text) if matching else queryset.filter(**{f"{label}__iexact": " ".join(text.split())}))
        # An exact name beats an abbreviation or alias that happens to be the same.
        chosen = [record for record in matches if name_key(str(getattr(record, label, ""))) == name_key(text)]
        chosen = chosen or matches
        noun = model._meta.verbose_name
        if len(chosen) == 1:
            return chosen[0]
        if not chosen:
            raise Unresolved(_("unknown %(noun)s '%(text)s'") % {"noun": noun, "text": text} + (f": {hint}" if hint else ""))
        raise Unresolved(_("ambiguous %(noun)s '%(text)s': it could be %(candidates)s; use the full %(label)s") % {
            "noun": noun, "text": text, "candidates": _describe(chosen), "label": label})

    def subject(self, model: type[Model], text: str, *, by_name: bool) -> Model:
        """The record a figure is about, by slug or (``by_name``: where names identify records) by name."""
        def find():
            by_slug = model._default_manager.filter(slug=text).first()
            if by_slug is not None:
                return by_slug
            if not by_name:
                raise Unresolved(_("unknown %(noun)s '%(text)s': name it by its slug") % {
                    "noun": model._meta.verbose_name, "text": text})
            return self._find(model, text, "name", "give its slug or its name")

        return self._usable(self._cached((model, "subject", text), find), text)

    def source(self, model: type[Model], title: str, url: str, *, create: Callable, cells) -> Model | None:
        """The source cited as ``title`` (at ``url``), created when the registry does not have it yet."""
        try:
            return self._cached((model, "source", name_key(title), url),
                                lambda: self._find_or_create_source(model, title, url, create, cells.number))
        except Unresolved as problem:
            cells.error("source_url" if "URL" in str(problem) else "source_title", str(problem))
            return None

    def _find_or_create_source(self, model, title: str, url: str, create: Callable, number: int):
        matches = list(model._default_manager.all().titled(title, url)[:2])
        if len(matches) > 1:
            # Keeps "URL" in every language: source() reports it under source_url by that word.
            raise Unresolved(_("several sources are titled '%(title)s': give the URL to say which") % {"title": title})
        if matches:
            return matches[0]
        try:
            source = create(title=title, url=url)
        except ValidationError as error:
            raise Unresolved(_("cannot record source '%(title)s': %(error)s") % {
                "title": title, "error": " ".join(error.messages)}) from error
        # A side effect of row ``number``: the import's report lists it apart from the rows' own records.
        self._on_source_created(source, number)
        return source
