"""PDF uploads: parsed with pypdf within limits; active content, encryption, too many pages,
polyglots and decompression bombs refused; an upload above the size bound is refused before it is read."""

import io
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject, TextStringObject

from spukportal import bounds

from . import factories as f

pytestmark = pytest.mark.django_db


def _pdf(build=None, pages=1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if build:
        build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _javascript(writer):
    js = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                           NameObject("/JS"): TextStringObject("app.alert('hallo');")})
    names = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("a"), writer._add_object(js)])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(names)})


def _open_action(writer):
    action = DictionaryObject({NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("x")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)


def _launch(writer):
    action = DictionaryObject({NameObject("/S"): NameObject("/Launch"),
                               NameObject("/F"): TextStringObject("cmd.exe")})
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(action)})


def _encrypted(writer):
    writer.encrypt("geheim")


def _flate_bomb(writer):
    compressor = zlib.compressobj(9)
    chunk = b"\0" * (1024 * 1024)
    data = b"".join(compressor.compress(chunk) for _ in range(120)) + compressor.flush()  # 120 MB → ~120 kB
    stream = StreamObject()
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    stream._data = data
    writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)


def _upload(client, app, content, name="bijlage.pdf"):
    return client.post(reverse("applications:attachments", args=(app.pk,)),
                       {"kind": "bijlage", "file": SimpleUploadedFile(name, content, "application/pdf")})


@pytest.mark.parametrize("build,pages,message", [
    (_javascript, 1, "actieve inhoud"),
    (_open_action, 1, "actieve inhoud"),
    (_launch, 1, "actieve inhoud"),
    (_encrypted, 1, "versleuteld"),
    (None, bounds.MAX_PDF_PAGES + 1, "501 pagina's; ten hoogste 500"),
    (_flate_bomb, 1, "onredelijk grote hoeveelheid"),
])
def test_hostile_pdf_is_refused_on_the_field(login, build, pages, message):
    app = f.draft(f.scenario())
    client = login("gemeente")
    response = _upload(client, app, _pdf(build, pages))
    assert response.status_code == 422
    errors = response.context["form"].errors["file"]
    assert message in errors[0], errors
    assert not app.attachments.exists()


@pytest.mark.parametrize("content", [
    b"PK\x03\x04" + b"\0" * 100 + _pdf(),                   # a zip with a pdf inside its first kilobyte
    b"<html><script>alert(1)</script></html>\n" + _pdf(),   # an HTML/PDF polyglot
    b"%PDF-1.4\n%%EOF\n" + b"garbage" * 10,                 # header and trailer, nothing readable between
])
def test_polyglots_and_broken_files_are_refused(login, content):
    app = f.draft(f.scenario())
    client = login("gemeente")
    response = _upload(client, app, content)
    assert response.status_code == 422
    assert "pdf-bestand" in response.context["form"].errors["file"][0]
    assert not app.attachments.exists()


def test_a_plain_pdf_with_pages_is_accepted(login):
    app = f.draft(f.scenario())
    client = login("gemeente")
    response = _upload(client, app, _pdf(pages=3))
    assert response.status_code == 302 and app.attachments.count() == 1


def test_too_large_upload_is_refused_with_a_message(login):
    app = f.draft(f.scenario())
    client = login("gemeente")
    response = _upload(client, app, b"%PDF-1.4\n" + b"0" * (bounds.MAX_UPLOAD_BYTES + 1))
    assert response.status_code == 413
    assert "ten hoogste 10 MB" in response.context["form"].errors["file"][0]
    assert not app.attachments.exists()


class _Endless(io.RawIOBase):
    """A request body of `size` bytes that is never in memory: a multipart file part of zeros; counts reads."""

    def __init__(self, size):
        self.head = (b"--grens\r\nContent-Disposition: form-data; name=\"file\"; filename=\"groot.pdf\"\r\n"
                     b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n")
        self.size, self.read_bytes = size, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.size - self.read_bytes)
        if n <= 0:
            return 0
        start = self.read_bytes
        data = (self.head[start:start + n] if start < len(self.head) else b"")
        buffer[:n] = data + b"\0" * (n - len(data))
        self.read_bytes += n
        return n


@pytest.mark.parametrize("announced", [300 * 1024 * 1024, bounds.MAX_UPLOAD_BYTES + 100 * 1024])
def test_a_300_mb_upload_is_not_read_before_it_is_refused(announced):
    size = 300 * 1024 * 1024
    body = _Endless(size)
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/", "SERVER_NAME": "testserver", "SERVER_PORT": "80",
               "wsgi.input": io.BufferedReader(body), "wsgi.url_scheme": "http",
               "CONTENT_TYPE": "multipart/form-data; boundary=grens",
               # Announced just above the bound: the file is stopped once it grows past it.
               "CONTENT_LENGTH": str(announced)}
    request = WSGIRequest(environ)
    assert "file" not in request.FILES
    assert request._upload_too_large
    assert body.read_bytes < bounds.MAX_UPLOAD_BYTES + 2 * 1024 * 1024
