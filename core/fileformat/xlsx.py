"""Writing rows as an Excel workbook (.xlsx) with openpyxl, for the listing downloads.

Memory stays bounded: openpyxl's write-only mode writes each row to a temporary file as it comes
(from the same row iterator as the CSV; with lxml, as openpyxl advises for this mode), and the finished
workbook is spooled to disk past 1 MB.
Cells hold what the CSV holds: the same spreadsheet_safe() quoting, and text cells typed as text, since
openpyxl would otherwise store a string starting with "=" as a formula. Only the cells of number columns
(intake, tuition, a figure's value) are numbers, so a spreadsheet can sum them.
"""
import re
import tempfile
from collections.abc import Iterable
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font

from .columns import Integer, Number
from .kinds import Kind
from .writing import safe_row

PLAIN_NUMBER = re.compile(r"-?\d{1,15}(?:\.\d{1,15})?")  # what a spreadsheet holds exactly (15 digits)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPOOL_BYTES = 1024 * 1024
SHEET_TITLE_LENGTH = 31  # Excel's limit


def text_cell(sheet, value: str, *, bold: bool = False) -> Cell | str:
    # Control characters other than tab and line breaks are not allowed in the file's XML.
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not bold and not value.startswith("="):
        return value  # openpyxl stores other text as text; a bare string is a third faster than a cell
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # plain text, never a formula (spreadsheet_safe() quoted it already: this is a second lock)
    if bold:
        cell.font = Font(bold=True)
    return cell


def number_cell(sheet, value: str) -> Cell | str:
    """A number column's cell as a number (text exactly as the CSV has it, when it is not a plain number)."""
    if not PLAIN_NUMBER.fullmatch(value):
        return text_cell(sheet, value)
    return WriteOnlyCell(sheet, value=int(value) if value.lstrip("-").isdigit() else Decimal(value))


def xlsx_file(kind: Kind, rows: Iterable[dict[str, str]], *, header: list[str]):
    """A workbook of one sheet (the header row, then ``rows``), as an open binary file at its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(kind.name[:SHEET_TITLE_LENGTH])
    sheet.freeze_panes = "A2"
    sheet.append([text_cell(sheet, name, bold=True) for name in header])
    numbers = {column.name for column in kind.columns if isinstance(column, (Integer, Number))}
    cells = [number_cell if name in numbers else text_cell for name in header]
    for row in rows:
        safe = safe_row(row)
        sheet.append([cell(sheet, str(safe.get(name, ""))) for cell, name in zip(cells, header)])
    output = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    workbook.save(output)
    output.seek(0)
    return output
