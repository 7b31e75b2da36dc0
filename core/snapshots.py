"""A whole record as data: its fields, many-to-many links and inline parts (``snapshot_parts``).

History entries, proposed changes and import previews all hold snapshots; ``changes`` turns two
of them into the field-by-field difference staff read, and ``restore`` writes one back (revert,
approve, undelete), refusing with a readable message what would break a rule.
"""
import json
from dataclasses import dataclass

from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils.encoding import is_protected_type
from django.utils.formats import localize
from django.utils.translation import gettext as _

from .choices import PublicationState

# Bookkeeping every save changes: never part of what a change is about.
VOLATILE = {"version", "created_at", "updated_at"}


def take(record) -> dict:
    """The record (as it is in memory) and its parts as JSON-ready data."""
    return _take(type(record), [record])[record.pk]


def take_many(records) -> dict:
    """``{pk: take(record)}`` for many records of one model, read afresh, in a few queries for all of them (bulk imports)."""
    if not records:
        return {}
    model = type(records[0])
    return _take(model, model._default_manager.filter(pk__in=[record.pk for record in records]))


def _take(model, records) -> dict:
    """Snapshots of ``records`` by pk: their own fields, then their links and parts a query per relation."""
    taken = {data["pk"]: {"model": model._meta.label_lower, **data, "parts": {}}
             for data in _serialize_many(model, records)}
    pks = list(taken)
    for field in model._meta.many_to_many:
        if not field.serialize or not field.remote_field.through._meta.auto_created:
            continue  # as the serializer does: links with a model of their own are parts
        for snapshot in taken.values():
            snapshot["fields"][field.name] = []
        for owner, item in _links(field, pks):
            taken[owner]["fields"][field.name].append(item)
    for part in model.snapshot_parts:
        relation = _part_relation(model, part)
        for snapshot in taken.values():
            snapshot["parts"][part] = []
        children = relation.related_model._default_manager.filter(**{f"{relation.field.name}__in": pks}).order_by("pk")
        for child in _serialize_many(relation.related_model, children):
            taken[child["fields"][relation.field.name]]["parts"][part].append(child)
    return taken


def _links(field, pks) -> list[tuple]:
    """(owner pk, item pk) of a many-to-many field, in the order its related manager gives them."""
    owner, item = field.m2m_field_name(), field.m2m_reverse_field_name()
    ordering = [f"-{item}__{name[1:]}" if name.startswith("-") else f"{item}__{name}"
                for name in field.related_model._meta.ordering]
    through = field.remote_field.through._default_manager
    return list(through.filter(**{f"{owner}__in": pks}).order_by(*ordering).values_list(f"{owner}_id", f"{item}_id"))


def _serialize_many(model, records) -> list[dict]:
    """Each record's own fields as Django's JSON serializer writes them (many-to-many links left to the caller).

    The serializer's rule, without its per-field dispatch (a bulk import writes many thousands):
    protected types (numbers, dates, None) as they are, anything else as its field's text.
    """
    fields = [field for field in model._meta.local_fields if field.serialize and field.name not in VOLATILE]
    data = []
    for record in records:
        values = {}
        for field in fields:
            value = field.value_from_object(record)
            values[field.name] = value if is_protected_type(value) else field.value_to_string(record)
        data.append({"pk": record.pk, "fields": values})
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


# Reading snapshots -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field (or relation) that differs between two snapshots, as staff read it."""

    field: str
    label: str
    old: str
    new: str


def _part_relation(model, part: str):
    return next(rel for rel in model._meta.related_objects if rel.get_accessor_name() == part)


def _names(model, pks) -> dict:
    return {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=[pk for pk in pks if pk is not None])}


def _display(field, value, names: dict) -> str:
    if value in (None, "", []):
        return ""
    if field.many_to_many:
        return "; ".join(sorted(names.get(pk, _("#%(id)s (deleted)") % {"id": pk}) for pk in value))
    if field.is_relation:
        return names.get(value, _("#%(id)s (deleted)") % {"id": value})
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    python = field.to_python(value)
    return str(localize(python)) if not isinstance(python, str) else python


def _related_names(model, snapshots) -> dict:
    """str() of every record the snapshots point at, by model, in one query per model."""
    wanted: dict = {}
    for snapshot in snapshots:
        for name, value in snapshot["fields"].items():
            field = model._meta.get_field(name)
            if field.is_relation and value not in (None, []):
                wanted.setdefault(field.related_model, set()).update(value if field.many_to_many else [value])
    return {related: _names(related, pks) for related, pks in wanted.items()}


def describe_part(model, child: dict, names: dict, parent_field: str) -> str:
    """One inline row as a line of text, e.g. "Far Eastern Federal University · partner"."""
    values = []
    for name, value in child["fields"].items():
        field = model._meta.get_field(name)
        if name == parent_field or name in VOLATILE or value in (None, "", []):
            continue
        values.append(_display(field, value, names.get(field.related_model, {})))
    return " · ".join(value for value in values if value)


def describe_parts(model, part: str, children: list[dict]) -> list[str]:
    relation = _part_relation(model, part)
    child_model = relation.related_model
    names = _related_names(child_model, children)
    return sorted(describe_part(child_model, child, names, relation.field.name) for child in children)


def changes(model, old: dict | None, new: dict | None) -> list[Change]:
    """What differs from ``old`` to ``new`` (either may be None: a creation or a deletion)."""
    empty = {"fields": {}, "parts": {}}
    old, new = old or empty, new or empty
    names = _related_names(model, [old, new])
    result = []
    for field in model._meta.concrete_fields + model._meta.many_to_many:
        name = field.name
        if name in VOLATILE or field.primary_key:
            continue
        before, after = old["fields"].get(name), new["fields"].get(name)
        if field.many_to_many:
            before, after = sorted(before or []), sorted(after or [])
        if before == after or (before in (None, "", []) and after in (None, "", [])):
            continue
        related = names.get(field.related_model, {}) if field.is_relation else {}
        result.append(Change(name, str(field.verbose_name), _display(field, before, related),
                             _display(field, after, related)))
    for part in model.snapshot_parts:
        before = describe_parts(model, part, old["parts"].get(part, []))
        after = describe_parts(model, part, new["parts"].get(part, []))
        if before != after:
            label = str(_part_relation(model, part).related_model._meta.verbose_name_plural)
            result.append(Change(part, label, "\n".join(before), "\n".join(after)))
    return result


# Writing snapshots back --------------------------------------------------------------------------


class RestoreRefused(Exception):
    """The snapshot cannot be written back without breaking a rule; ``messages`` say why."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def _deserialize(model, data: dict):
    payload = [{"model": model._meta.label_lower, "pk": data["pk"], "fields": data["fields"]}]
    try:
        return next(serializers.deserialize("python", payload, ignorenonexistent=True))
    except serializers.base.DeserializationError as error:
        raise RestoreRefused([str(error.__cause__ or error)]) from error


def _validation_messages(record, error: ValidationError) -> list[str]:
    messages = []
    for name, problems in error.message_dict.items():
        label = str(record._meta.get_field(name).verbose_name) if name != "__all__" else ""
        messages.extend(f"{label}: {problem}" if label else problem for problem in problems)
    return messages


@transaction.atomic
def restore(model, snapshot: dict):
    """Make the record (existing, or deleted and re-created under its old id) exactly ``snapshot``.

    Fields, many-to-many links and parts are all written, or nothing is: a rule the result would
    break (a missing related record, a taken slug, a published record naming a draft) raises
    RestoreRefused with every problem, and the transaction is rolled back.
    """
    loaded = _deserialize(model, snapshot)
    record = loaded.object
    current = model._default_manager.filter(pk=record.pk).first()
    if current is not None:
        for name in VOLATILE & {field.name for field in model._meta.concrete_fields}:
            setattr(record, name, getattr(current, name))
        record._state.adding = False
    problems = []
    try:
        record.full_clean(exclude=VOLATILE)
    except ValidationError as error:
        problems.extend(_validation_messages(record, error))
    for name, pks in (loaded.m2m_data or {}).items():
        related = model._meta.get_field(name).related_model
        missing = set(pks) - set(related._default_manager.filter(pk__in=pks).values_list("pk", flat=True))
        if missing:
            problems.append(_("%(field)s: %(count)d linked record(s) no longer exist") % {
                "field": model._meta.get_field(name).verbose_name, "count": len(missing)})
    if problems:
        raise RestoreRefused(problems)
    record.save()
    for name, pks in (loaded.m2m_data or {}).items():
        getattr(record, name).set(pks)
    for part in model.snapshot_parts:
        _restore_part(record, part, snapshot["parts"].get(part, []), problems)
    if problems:
        transaction.set_rollback(True)
        raise RestoreRefused(problems)
    blockers = record.publication_blockers(record.publication_state) if hasattr(record, "publication_blockers") else []
    if blockers and record.publication_state == PublicationState.PUBLISHED:
        transaction.set_rollback(True)
        raise RestoreRefused([_("“%(record)s” would be published while naming drafts: %(names)s.") % {
            "record": record, "names": "; ".join(str(blocker) for blocker in blockers[:5])}])
    return record


def _restore_part(record, part: str, children: list[dict], problems: list[str]) -> None:
    relation = _part_relation(type(record), part)
    child_model = relation.related_model
    keep = [child["pk"] for child in children]
    getattr(record, part).exclude(pk__in=keep).delete()
    for data in children:
        child = _deserialize(child_model, data).object
        setattr(child, relation.field.attname, record.pk)
        existing = child_model._default_manager.filter(pk=child.pk).first()
        if existing is not None:
            for name in VOLATILE & {field.name for field in child_model._meta.concrete_fields}:
                setattr(child, name, getattr(existing, name))
            child._state.adding = False
        try:
            child.full_clean(exclude=VOLATILE)
        except ValidationError as error:
            problems.extend(f"{child_model._meta.verbose_name}: {message}"
                            for message in _validation_messages(child, error))
            continue
        child.save()
