"""Writing rows as an Excel workbook (.xlsx) with openpyxl, for the listing downloads.

Memory stays bounded: openpyxl's write-only mode writes each row to a temporary file as it comes
(from the same row iterator as the CSV), and the finished workbook is spooled to disk past 1 MB.
Every cell is text, as in the CSV: the same spreadsheet_safe() quoting, and the cell's type set to
text, since openpyxl would otherwise store a string starting with "=" as a formula.
"""
import tempfile
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .kinds import Kind
from .writing import safe_row

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPOOL_BYTES = 1024 * 1024
SHEET_TITLE_LENGTH = 31  # Excel's limit


def text_cell(sheet, value: str, *, bold: bool = False) -> WriteOnlyCell:
    # Control characters other than tab and line breaks are not allowed in the file's XML.
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # plain text, never a formula
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_file(kind: Kind, rows: Iterable[dict[str, str]], *, header: list[str]):
    """A workbook of one sheet (the header row, then ``rows``), as an open binary file at its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(kind.name[:SHEET_TITLE_LENGTH])
    sheet.freeze_panes = "A2"
    sheet.append([text_cell(sheet, name, bold=True) for name in header])
    for row in rows:
        safe = safe_row(row)
        sheet.append([text_cell(sheet, str(safe.get(name, ""))) for name in header])
    output = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    workbook.save(output)
    output.seek(0)
    return output
