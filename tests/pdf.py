"""The text of a PDF as a reader sees it, for assertions: pypdf (a dependency of the portal itself), so no
test needs a system tool such as pdftotext. Non-breaking spaces become spaces and runs of white space one."""

import io

from pypdf import PdfReader


def pdf_pages(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().replace("\u00a0", " ").split()) for page in PdfReader(io.BytesIO(content)).pages]


def pdf_text(content: bytes) -> str:
    return " ".join(pdf_pages(content))
