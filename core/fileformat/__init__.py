"""The registry's file format: each kind of record declared once (``kinds``), read by the importer and
written by the exporter, the CSV downloads and the open-data files.

Lists inside a cell are separated by ``|``; countries are ISO 3166-1 alpha-2; disciplines are
``CATALOGUE:CODE``; dates are ISO 8601 at the precision the source states (``2025-05`` for
"May 2025"); an empty cell means unknown.
"""
from .kinds import Kind, kinds

__all__ = ["Kind", "kinds"]
