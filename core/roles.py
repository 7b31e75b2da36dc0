"""The staff roles, as groups of permissions. Migrations create them (core) and grant each app's
models to them (each app's own migration calls ``grant``), so every database has the same roles.

- Editor: adds and changes records (and their inline parts) but cannot publish, unpublish or
  delete a record; changes to published records wait for review (core.review).
- Publisher: everything an editor does, plus publishing, deleting and approving changes.
- Viewer: sees the admin read-only (auditors).
"""
EDITOR, PUBLISHER, VIEWER = "Editor", "Publisher", "Viewer"
ROLES = (EDITOR, PUBLISHER, VIEWER)
PUBLISH_PERMISSION = "core.publish_records"

# Reference data loaded from official lists (disciplines) and the seeds' bookkeeping: read-only to every role.
READ_ONLY_MODELS = {"discipline", "seedrecord"}


def codenames(role: str, model) -> set[str]:
    """The permissions ``role`` holds on ``model`` (a migration-state model)."""
    name = model._meta.model_name
    if role == VIEWER or name in READ_ONLY_MODELS:
        return {f"view_{name}"}
    if name == "pendingchange":
        # Proposing (and withdrawing) is an edit; deciding is publishing. Proposed changes are never deleted.
        actions = {"add_pendingchange", "change_pendingchange", "view_pendingchange"}
        return actions | ({"publish_records"} if role == PUBLISHER else set())
    # A record has a version (core.models.Versioned); a part (a partner link, an alias) has none and
    # is added, changed and removed as part of editing its record.
    is_record = any(field.name == "version" for field in model._meta.fields)
    actions = {"add", "change", "view"}
    if role == PUBLISHER or not is_record:
        actions.add("delete")
    return {f"{action}_{name}" for action in actions}


def _ensure_permissions(apps) -> None:
    # Permissions are normally created after all migrations run; create them now to grant them.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, app_label: str, *, create_permissions: bool = True) -> None:
    """Create the roles if needed and give them their permissions on ``app_label``'s models.

    ``create_permissions`` is for migrations, which run before Django creates permissions; pass
    False with the project's own app registry, once permissions exist (after a flush, say).
    """
    if create_permissions:
        _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.model_name.startswith("historical"):
                continue  # simple-history checks the record's own permissions
            wanted = codenames(role, model)
            group.permissions.add(*Permission.objects.filter(
                content_type__app_label=app_label, codename__in=wanted))


def migration_operations(app_label: str) -> list:
    """The operation an app's roles migration runs."""
    from django.db import migrations

    return [migrations.RunPython(lambda apps, schema_editor: grant(apps, app_label), migrations.RunPython.noop)]
