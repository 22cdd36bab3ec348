"""Is an uploaded file a plain, harmless PDF? Parsed with pypdf, within limits (spukportal/bounds.py).

Refused: anything that is not a PDF from its first byte on (polyglots), files pypdf cannot read, encrypted
files, more than `MAX_PDF_PAGES` pages, active content (JavaScript, an action on opening, launching a program,
embedded files, XFA forms) and streams that decompress to more than `MAX_PDF_DECODED_BYTES` in total
(decompression bombs). The messages are Dutch and name the file.
"""

import logging

from pypdf import PdfReader
from pypdf.errors import LimitReachedError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

from . import bounds

logger = logging.getLogger(__name__)

# Keys and action types that make a PDF do something by itself.
ACTIVE_KEYS = {"/JS", "/JavaScript", "/OpenAction", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/XFA",
               "/RichMedia", "/SubmitForm", "/ImportData"}
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute", "/GoToE"}
MAX_PDF_DECODED_BYTES = 100 * 1024 * 1024
MAX_PDF_OBJECTS = 200_000


class PdfRefused(ValueError):
    """The message is Dutch and fit for a form field."""


def _objects(reader):
    """Every indirect object of the file, also those inside object streams."""
    numbers = {(num, gen) for gen, entries in reader.xref.items() for num in entries}
    numbers |= {(num, 0) for num in reader.xref_objStm}
    if len(numbers) > MAX_PDF_OBJECTS:
        raise PdfRefused("bevat te veel objecten")
    for num, gen in sorted(numbers):
        try:
            obj = reader.get_object(IndirectObject(num, gen, reader))
        except (PyPdfError, ValueError, KeyError, TypeError):
            continue
        if obj is not None:
            yield obj


def _active(obj, depth=0) -> str | None:
    """The first active-content key found in this (direct) object, if any."""
    if depth > 20:
        return None
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            if key in ACTIVE_KEYS:
                return key
            if key == "/S" and isinstance(value, NameObject) and value in ACTIVE_ACTIONS:
                return value
            if not isinstance(value, IndirectObject):
                found = _active(value, depth + 1)
                if found:
                    return found
    elif isinstance(obj, ArrayObject):
        for value in obj:
            if not isinstance(value, IndirectObject):
                found = _active(value, depth + 1)
                if found:
                    return found
    return None


def check_pdf_content(stream, name: str) -> None:
    """Raise `PdfRefused` when `stream` (an open binary file) is not a plain PDF within the limits."""
    stream.seek(0)
    if not stream.read(5) == b"%PDF-":
        raise PdfRefused(f"‘{name}’ is geen pdf-bestand (de inhoud is geen pdf, ook al eindigt de naam misschien op "
                         ".pdf). Sla het document op als pdf en probeer het opnieuw.")
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            raise PdfRefused(f"‘{name}’ is beveiligd met een wachtwoord of versleuteld. Sla het op als gewone pdf "
                             "zonder beveiliging en probeer het opnieuw.")
        pages = len(reader.pages)
        if pages > bounds.MAX_PDF_PAGES:
            raise PdfRefused(f"‘{name}’ heeft {pages} pagina's; ten hoogste {bounds.MAX_PDF_PAGES} zijn toegestaan.")
        decoded = 0
        for obj in _objects(reader):
            found = _active(obj)
            if found:
                logger.warning("PDF refused: active content %s", found)
                raise PdfRefused(f"‘{name}’ bevat actieve inhoud (zoals JavaScript, een actie bij openen of een "
                                 "ingesloten bestand). Sla het document op als gewone pdf (bijvoorbeeld via "
                                 "‘Afdrukken als pdf’) en probeer het opnieuw.")
            if isinstance(obj, StreamObject):
                decoded += len(obj.get_data())
                if decoded > MAX_PDF_DECODED_BYTES:
                    raise LimitReachedError("decoded size")
    except PdfRefused:
        raise
    except LimitReachedError as exc:
        raise PdfRefused(f"‘{name}’ pakt uit tot een onredelijk grote hoeveelheid gegevens en wordt niet "
                         "aanvaard.") from exc
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
            OSError, NotImplementedError) as exc:
        raise PdfRefused(f"‘{name}’ is geen leesbaar pdf-bestand (het bestand is beschadigd of onvolledig). "
                         "Sla het document opnieuw op als pdf en probeer het opnieuw.") from exc
    finally:
        stream.seek(0)
