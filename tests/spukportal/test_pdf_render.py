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
