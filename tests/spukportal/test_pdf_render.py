"""spukportal.pdf renders every PDF of the portal with Python's garbage collector paused (a quarter of the
national report's time went to it); the collector must be back on afterwards, also when a render fails, or a
worker process would keep every reference cycle it ever made."""

import gc
import io

import pytest
from pypdf import PdfReader

from spukportal.pdf import html_to_pdf, run_weasyprint


def test_a_pdf_is_made_and_the_collector_is_on_again_afterwards():
    assert gc.isenabled()
    content = html_to_pdf('<html lang="nl"><head><title>Proef</title></head><body><p>Bedrag € 1.250</p></body></html>')
    assert gc.isenabled()
    assert "Bedrag € 1.250" in PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_a_failing_render_leaves_the_collector_on():
    def failing():
        assert not gc.isenabled()  # paused while WeasyPrint works
        raise ValueError("kapot")

    with pytest.raises(ValueError, match="kapot"):
        run_weasyprint(failing)
    assert gc.isenabled()


def test_the_streams_of_a_pdf_are_compressed_at_zlibs_default_level():
    """pydyf would compress them at level 9: several times the processor time for a few per cent less
    (spukportal/pdf.py, _ZlibAtDefaultLevel)."""
    import zlib

    rows = "".join(f"<tr><th>Gemeente {i}</th><td>€ {i * 1234:,}</td></tr>" for i in range(400))
    content = html_to_pdf(f'<html lang="nl"><head><title>Proef</title></head><body><table>{rows}</table></body></html>')
    page = PdfReader(io.BytesIO(content)).pages[0]
    stream = page["/Contents"].get_object()
    assert stream["/Filter"] == "/FlateDecode"
    raw, decoded = stream._data, stream.get_data()
    assert zlib.compress(decoded, 9) != zlib.compress(decoded, 6), "a stream on which the levels differ"
    assert raw == zlib.compress(decoded, zlib.Z_DEFAULT_COMPRESSION)
