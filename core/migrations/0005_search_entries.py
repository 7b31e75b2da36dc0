"""The search entries (core.search), and on PostgreSQL pg_trgm with a GIN trigram index on their text.

SQLite has no pg_trgm: there the LIKE tests scan the table, which is fine at its sizes. The index is
kept out of the model's state so that SQLite never tries to build it when it remakes the table.
"""
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

TRIGRAM_INDEX = GinIndex(fields=["document"], opclasses=["gin_trgm_ops"], name="searchentry_document_trgm")


class OnPostgreSQL(migrations.operations.base.Operation):
    """``AddIndex`` of ``TRIGRAM_INDEX`` on PostgreSQL only, leaving the migration state alone."""

    reduces_to_sql = False
    reversible = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(to_state.apps.get_model(app_label, "SearchEntry"), TRIGRAM_INDEX)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(from_state.apps.get_model(app_label, "SearchEntry"), TRIGRAM_INDEX)

    def describe(self):
        return "Add a GIN trigram index on SearchEntry.document (PostgreSQL only)"


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_correctionreport'),
    ]

    operations = [
        TrigramExtension(),  # does nothing on other databases
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(help_text="The model's label, e.g. partnerships.program.", max_length=100, verbose_name='kind of record')),
                ('object_id', models.BigIntegerField(verbose_name='record id')),
                ('names', models.TextField(blank=True, verbose_name='own names')),
                ('document', models.TextField(blank=True, verbose_name='searchable text')),
            ],
            options={
                'verbose_name': 'search entry',
                'verbose_name_plural': 'search entries',
                'ordering': ['kind', 'object_id'],
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='searchentry_unique_record')],
            },
        ),
        OnPostgreSQL(),
    ]
