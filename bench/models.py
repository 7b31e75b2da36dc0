"""The Fortunes page's table (TechEmpower's ``fortune``), created by bench/load.py, not by migrations."""
from django.db import models


class Fortune(models.Model):
    id = models.IntegerField(primary_key=True)
    message = models.CharField(max_length=2048)

    class Meta:
        managed = False
        db_table = "bench_fortune"
