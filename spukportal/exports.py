"""The one writer of every CSV and XLSX export: a cell that a spreadsheet would read as a formula (text that
starts with =, +, -, @, a tab or a carriage return) is written with a leading apostrophe, so a run name or a
gemeente name such as `=HYPERLINK(…)` stays text (OWASP "CSV injection"). Numbers stay numbers, also
negative ones written as text (e.g. '-12.50')."""

import csv
import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?")


def escape_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def escape_row(row) -> list:
    return [escape_cell(v) for v in row]


class CsvWriter:
    """The portal's one CSV dialect, the one Dutch Excel opens as columns without an import wizard: a UTF-8
    byte order mark, semicolons between cells, decimal commas (a float or Decimal 4.05 is written 4,05;
    whole numbers as digits without thousands separators); every cell escaped."""

    def __init__(self, out):
        out.write("\ufeff")
        self._writer = csv.writer(out, delimiter=";", lineterminator="\r\n")

    def writerow(self, row):
        return self._writer.writerow(escape_row(_dutch_decimal(v) for v in row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def _dutch_decimal(value):
    if isinstance(value, (float, Decimal)) and not isinstance(value, bool):
        return str(value).replace(".", ",")
    return value


def csv_bytes(rows) -> bytes:
    """Rows (the header first) as the bytes of a CSV file in the portal's dialect."""
    out = io.StringIO()
    CsvWriter(out).writerows(rows)
    return out.getvalue().encode("utf-8")


EURO_FORMAT = '"€" #,##0'
_HEADER_FONT = Font(bold=True)


class XlsxSheet:
    """A write-only worksheet with a bold, frozen and filterable header row, column widths that fit, amounts
    in the euro number format and every text cell escaped."""

    def __init__(self, workbook, title, columns):
        # columns: [(Dutch header, width, number format or None)]
        self.ws = workbook.create_sheet(title)
        self.formats = [fmt for _, _, fmt in columns]
        for i, (_, width, _) in enumerate(columns, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        self.ws.freeze_panes = "A2"
        header = []
        for heading, _, _ in columns:
            cell = WriteOnlyCell(self.ws, value=escape_cell(heading))
            cell.font = _HEADER_FONT
            header.append(cell)
        self.ws.append(header)
        self.rows, self.width = 1, len(columns)

    def append(self, values):
        row = []
        for value, fmt in zip(values, self.formats):
            if fmt and isinstance(value, (int, float)):
                cell = WriteOnlyCell(self.ws, value=value)
                cell.number_format = fmt
                row.append(cell)
            else:
                row.append(escape_cell(value))
        self.ws.append(row)
        self.rows += 1

    def finish(self):
        self.ws.auto_filter.ref = f"A1:{get_column_letter(self.width)}{self.rows}"


class XlsxWriter:
    """A write-only workbook: `add_sheet(title, columns)`, `sheet.append(row)`, then `save(out)`."""

    def __init__(self):
        self.workbook = Workbook(write_only=True)
        self.sheets = []

    def add_sheet(self, title, columns) -> XlsxSheet:
        sheet = XlsxSheet(self.workbook, title, columns)
        self.sheets.append(sheet)
        return sheet

    def save(self, out):
        for sheet in self.sheets:
            sheet.finish()
        self.workbook.save(out)
