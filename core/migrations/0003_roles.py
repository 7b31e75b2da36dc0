"""Grant the staff roles (Editor, Publisher, Viewer; see core.roles) their permissions on this app's models."""
from django.db import migrations

from core.roles import migration_operations


class Migration(migrations.Migration):
    dependencies = [("core", "0002_pendingchange"), ("auth", "0012_alter_user_first_name_max_length"), ("contenttypes", "0002_remove_content_type_name")]

    operations = migration_operations("core")
