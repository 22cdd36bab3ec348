"""CSV next to JSON (content negotiation: `Accept: text/csv` or `?format=csv`), through the portal's one CSV
writer (cells a spreadsheet would read as a formula are escaped). A page of a list is its rows; a nested
list (the amounts of a decision) is one cell of JSON."""

import io
import json

from rest_framework import renderers

from spukportal.exports import CsvWriter


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


class CsvRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        rows = data.get("resultaten", data) if isinstance(data, dict) else data
        if isinstance(rows, dict):
            rows = [rows]
        columns = self._columns(rows, renderer_context or {})
        out = io.StringIO()
        writer = CsvWriter(out)  # the portal's one dialect: BOM, semicolons, decimal commas
        writer.writerow(columns)
        writer.writerows([_cell(row.get(c)) for c in columns] for row in rows)
        return out.getvalue().encode(self.charset)

    @staticmethod
    def _columns(rows, context):
        if rows:
            return list(rows[0].keys())
        view = context.get("view")
        response = context.get("response")
        if view is not None and response is not None and response.status_code == 200 and hasattr(view, "get_serializer"):
            return list(view.get_serializer().fields.keys())
        return []
