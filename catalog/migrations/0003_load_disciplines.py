"""Load the discipline catalogues, so a database made by ``migrate`` alone resolves cn-grad:0812.

It reads catalog/data/disciplines.csv as it is when the migration runs; later edits to the file
reach existing databases through ``manage.py sync_disciplines``.
"""
from django.db import migrations

from catalog.disciplines import sync_disciplines


def load_catalogues(apps, schema_editor):
    # The historical model: the live one may have fields this point of the schema lacks.
    sync_disciplines(model=apps.get_model("catalog", "Discipline"), using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0002_institution_former_names"),
    ]

    operations = [
        migrations.RunPython(load_catalogues, migrations.RunPython.noop),
    ]
