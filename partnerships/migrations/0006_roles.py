"""Grant the staff roles (Editor, Publisher, Viewer; see core.roles) their permissions on this app's models."""
from django.db import migrations

from core.roles import migration_operations


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0005_versions_and_history_snapshots"), ("core", "0003_roles")]

    operations = migration_operations("partnerships")
