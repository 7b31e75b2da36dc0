"""The searchable kinds of record and the upkeep of their search entries (``core.models.SearchEntry``).

Apps register their kinds from ``AppConfig.ready()`` (as with ``core.extensions``), so core never
imports them::

    search_index.register(Program, names=..., related=..., prefetch=..., m2m=("disciplines",), ...)
    search_index.part(ProgramPartner, of="program")          # a row belonging to a record
    search_index.depends(Program, on=Institution, ids=...)   # a host's new name changes its programs

Entries follow every write: a save or delete of a record, of one of its parts (aliases, partner
rows) or of a record it names; many-to-many changes; and bulk writes, which send no signals:
``deferred()`` (the importer) refreshes what was written, and ``refresh()`` is there for the rest.
``manage.py rebuild_search`` rebuilds everything.
"""
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db.models import Max
from django.db.models.signals import m2m_changed, post_delete, post_save

from .search import document

CHUNK = 500


@dataclass
class SearchKind:
    model: type
    names: Callable  # record -> its own names (English, native, abbreviation)
    related: Callable  # record -> the names of what it is tied to (hosts, partners, aliases, disciplines)
    listing: str  # URL name of the public listing that takes ?q=
    order: int = 0  # place on the search page
    prefetch: tuple = ()
    summary: Callable | None = None  # record -> a short line under its name on the search page
    counted: Callable | None = None  # n -> "n programs" (ngettext), for the search page
    # Callables (matching_ids) -> ids of this kind found through another kind's entries
    # (an institute through its published programs' disciplines).
    via: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.model._meta.label_lower


@dataclass
class Dependency:
    model: type  # whose entries depend on ...
    on: type  # ... records of this model
    ids: Callable  # pks of ``on`` -> pks (or a values() queryset) of ``model``


class SearchIndex:
    def __init__(self):
        self._kinds: dict[type, SearchKind] = {}
        self._parts: dict[type, str] = {}  # part model -> foreign key to the record it belongs to
        self._dependencies: dict[type, list[Dependency]] = {}
        self._local = threading.local()

    # Registration -------------------------------------------------------------------------------

    def register(self, model, *, m2m: Iterable[str] = (), **options) -> SearchKind:
        kind = self._kinds.setdefault(model, SearchKind(model=model, **options))
        self._watch(model)
        for name in m2m:
            through = model._meta.get_field(name).remote_field.through
            m2m_changed.connect(self._m2m_handler(model, name), sender=through, weak=False,
                                dispatch_uid=f"search-m2m-{kind.key}-{name}")
        return kind

    def part(self, model, *, of: str) -> None:
        """Rows of ``model`` belong to the record their foreign key ``of`` names (aliases, partner rows)."""
        self._parts[model] = of
        self._watch(model)

    def depends(self, model, *, on, ids: Callable) -> None:
        """Entries of ``model`` name records of ``on``: ``ids(pks of on)`` gives the ``model`` pks to refresh."""
        known = self._dependencies.setdefault(on, [])
        if not any(dep.model is model for dep in known):
            known.append(Dependency(model, on, ids))
        self._watch(on)

    def add_via(self, model, via: Callable) -> None:
        kind = self._kinds[model]
        if via not in kind.via:
            kind.via.append(via)

    def kinds(self) -> list[SearchKind]:
        return sorted(self._kinds.values(), key=lambda kind: kind.order)

    def kind_for(self, model) -> SearchKind:
        return self._kinds[model._meta.concrete_model]

    def entries(self, model):
        from .models import SearchEntry

        return SearchEntry.objects.filter(kind=self.kind_for(model).key)

    # Signals ------------------------------------------------------------------------------------

    def _watch(self, model) -> None:
        uid = f"search-{model._meta.label_lower}"
        post_save.connect(self._saved, sender=model, weak=False, dispatch_uid=f"{uid}-save")
        post_delete.connect(self._saved, sender=model, weak=False, dispatch_uid=f"{uid}-delete")

    def _saved(self, sender, instance, raw=False, **kwargs) -> None:
        if raw:  # loaddata: the entries come with a rebuild
            return
        owner = self._parts.get(sender)
        if owner is not None:
            field_ = sender._meta.get_field(owner)
            self.refresh(field_.related_model, [getattr(instance, field_.attname)])
        else:
            self.refresh(sender, [instance.pk])

    def _m2m_handler(self, model, name: str):
        def changed(sender, instance, action, reverse, pk_set, **kwargs):
            if not reverse:
                if action.startswith("post_"):
                    self.refresh(model, [instance.pk])
            elif action == "pre_clear":  # the records losing the link are known only before
                instance._search_cleared = list(model._default_manager.filter(**{name: instance}).values_list("pk", flat=True))
            elif action == "post_clear":
                self.refresh(model, getattr(instance, "_search_cleared", []))
            elif action in ("post_add", "post_remove"):
                self.refresh(model, pk_set or [])
        return changed

    # Upkeep -------------------------------------------------------------------------------------

    def refresh(self, model, pks: Iterable) -> None:
        """Bring the entries of records ``pks`` of ``model`` (and of records that name them) up to date."""
        pks = {pk for pk in pks if pk is not None}
        if not pks:
            return
        pending = getattr(self._local, "pending", None)
        if pending is not None:
            pending.setdefault(model, set()).update(pks)
        else:
            self._refresh_now({model: pks})

    @contextmanager
    def deferred(self):
        """Collect changes until the block ends, then refresh each record once, including records
        the block bulk-inserted (which send no signals). ``batch.cancel()`` skips it (a dry run)."""
        if getattr(self._local, "pending", None) is not None:  # nested: the outer block refreshes
            yield _Batch()
            return
        watched = [*self._kinds, *self._parts, *self._dependencies]
        floors = {model: model._default_manager.aggregate(top=Max("pk"))["top"] or 0 for model in watched}
        self._local.pending = pending = {}
        batch = _Batch()
        try:
            yield batch
        finally:
            self._local.pending = None
        if batch.cancelled:
            return
        for model, floor in floors.items():
            new = model._default_manager.filter(pk__gt=floor)
            owner = self._parts.get(model)
            if owner is not None:
                field_ = model._meta.get_field(owner)
                ids = new.values_list(field_.attname, flat=True).distinct()
                pending.setdefault(field_.related_model, set()).update(ids)
            else:
                pending.setdefault(model, set()).update(new.values_list("pk", flat=True))
        self._refresh_now(pending)

    def _refresh_now(self, dirty: dict) -> None:
        todo = {model: set(pks) for model, pks in dirty.items() if pks}
        done: dict[type, set] = {}
        while todo:
            model, pks = todo.popitem()
            pks -= done.get(model, set())
            if not pks:
                continue
            done.setdefault(model, set()).update(pks)
            for dependency in self._dependencies.get(model, ()):
                for chunk in _chunks(sorted(pks)):
                    found = set(dependency.ids(chunk))
                    if found:
                        todo.setdefault(dependency.model, set()).update(found)
        for model, pks in done.items():
            if model in self._kinds:
                for chunk in _chunks(sorted(pks)):
                    self._build(self._kinds[model], chunk)

    def _build(self, kind: SearchKind, pks: list) -> None:
        from .models import SearchEntry

        records = kind.model._default_manager.filter(pk__in=pks).prefetch_related(*kind.prefetch)
        entries = [SearchEntry(kind=kind.key, object_id=record.pk, **self.texts(kind, record)) for record in records]
        SearchEntry.objects.filter(kind=kind.key, object_id__in=pks).delete()
        SearchEntry.objects.bulk_create(entries, batch_size=CHUNK)

    @staticmethod
    def texts(kind: SearchKind, record) -> dict:
        names = list(kind.names(record))
        return {"names": document(*names), "document": document(*names, *kind.related(record))}

    def rebuild(self, kinds: Iterable[SearchKind] | None = None) -> dict[str, int]:
        """Rebuild the entries of ``kinds`` (all by default); returns how many each has now."""
        from .models import SearchEntry

        counts = {}
        for kind in kinds if kinds is not None else self.kinds():
            SearchEntry.objects.filter(kind=kind.key).delete()
            pks = list(kind.model._default_manager.order_by("pk").values_list("pk", flat=True))
            for chunk in _chunks(pks):
                self._build(kind, chunk)
            counts[kind.key] = len(pks)
        return counts

    def stale_kinds(self) -> list[SearchKind]:
        """Kinds whose entries do not match their records one for one (e.g. right after this table was added)."""
        from .models import SearchEntry

        return [kind for kind in self.kinds()
                if SearchEntry.objects.filter(kind=kind.key).count() != kind.model._default_manager.count()]


class _Batch:
    cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


search_index = SearchIndex()
