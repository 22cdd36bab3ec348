"""The one writer of every CSV and XLSX export: a cell that a spreadsheet would read as a formula (text that
starts with =, +, -, @, a tab or a carriage return) is written with a leading apostrophe, so a run name or a
gemeente name such as `=HYPERLINK(…)` stays text (OWASP "CSV injection"). Numbers stay numbers, also
negative ones written as text (e.g. '-12.50')."""

import csv
import re

from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?")


def escape_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def escape_row(row) -> list:
    return [escape_cell(v) for v in row]


class CsvWriter:
    """`csv.writer` with every cell escaped."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row):
        return self._writer.writerow(escape_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class XlsxWriter:
    """A write-only workbook whose sheets escape every cell: `add_sheet(title)` then `append(sheet, row)`."""

    def __init__(self):
        self.workbook = Workbook(write_only=True)

    def add_sheet(self, title):
        return self.workbook.create_sheet(title)

    @staticmethod
    def append(sheet, row):
        sheet.append(escape_row(row))

    def save(self, out):
        self.workbook.save(out)
