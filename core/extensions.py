"""Extension points: how a higher app adds to what a lower app shows and queries, without the lower
app importing it (in the style of Wagtail's hooks).

A lower app declares an extension point and reads whatever has been registered in it; a higher app
registers into it from its ``AppConfig.ready()``, which Django runs once every app's models are
loaded. So the layers stay one-way: core imports no domain app, catalog imports neither
partnerships nor api (``tests/core/test_layers.py`` checks this).

The extension points:

``core.extensions.detail_sections``
    per model, callables ``section(record) -> dict`` whose context the record's public detail page
    (a ``core.views.ExtensibleDetailView``) merges into its own. Partnerships adds an institution's
    joint institutes, programs, agreements, activities and figures this way, and what a discipline,
    a region and a source page show of its records.
``catalog.extensions.institution_discipline_links``
    the ways published records tie an institution to a discipline besides teaching it (hosting or
    partnering a program in it); ``InstitutionQuerySet.in_disciplines()`` and ``discipline_counts()``
    OR them together with the disciplines an institution teaches.
``core.search_index.search_index``
    the kinds of record the registry-wide search covers, how each one's search text is built, and
    which records' names it depends on (``catalog/search.py``, ``partnerships/search.py``).
"""
from django.core.exceptions import ImproperlyConfigured


class Hook:
    """Things higher apps register, kept in registration order. Registering the same thing again
    changes nothing, so a second ``ready()`` (as some test runners cause) does not double it."""

    def __init__(self, name: str):
        self.name = name
        self._items: list = []

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._items)} registered>"

    def register(self, item):
        """Add ``item``; returns it, so a function can be registered with ``@hook.register``."""
        if item not in self._items:
            self._items.append(item)
        return item

    def __iter__(self):
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)


class DetailSections:
    """Per model, the sections other apps add to the context of that model's public detail page."""

    def __init__(self, name: str = "detail_sections"):
        self.name = name
        self._hooks: dict[type, Hook] = {}

    def register(self, model, section=None):
        """Add ``section(record) -> dict`` to ``model``'s detail page; as a decorator: ``@register(Model)``."""
        if section is None:
            return lambda function: self.register(model, function)
        hook = self._hooks.setdefault(model, Hook(f"{self.name}[{model._meta.label}]"))
        return hook.register(section)

    def for_model(self, model) -> list:
        return list(self._hooks.get(model, ()))

    def context(self, record) -> dict:
        """What every section registered for ``record``'s model adds; two sections may not give the same name."""
        merged: dict = {}
        for section in self.for_model(record._meta.concrete_model):
            added = section(record)
            clash = merged.keys() & added.keys()
            if clash:
                raise ImproperlyConfigured(
                    f"{section.__module__}.{section.__qualname__} gives {', '.join(sorted(clash))}, "
                    f"which another section for {record._meta.label} already gives."
                )
            merged.update(added)
        return merged


detail_sections = DetailSections()
