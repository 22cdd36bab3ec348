"""Uploads larger than `bounds.MAX_UPLOAD_BYTES` are refused before they are read.

`SizeLimitedUploadHandler` is the first of FILE_UPLOAD_HANDLERS: when the request announces a body larger
than the largest upload (plus room for the other form fields), or a file grows past that size while it is
received, it stops reading the request (the rest is never read nor stored) and marks the request; a view
then shows `too_large_message()` on its file field.
"""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from . import bounds

FORM_FIELDS_ROOM = 256 * 1024


def too_large_message() -> str:
    return (f"Het bestand is te groot; het mag ten hoogste {bounds.MAX_UPLOAD_BYTES // (1024 * 1024)} MB zijn. "
            "Er is niets opgeslagen.")


def upload_too_large(request) -> bool:
    return getattr(request, "_upload_too_large", False)


class SizeLimitedUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.refuse = content_length > bounds.MAX_UPLOAD_BYTES + FORM_FIELDS_ROOM
        return None

    def _stop(self):
        if self.request is not None:
            self.request._upload_too_large = True
        raise StopUpload(connection_reset=True)

    def new_file(self, *args, **kwargs):
        if getattr(self, "refuse", False):
            self._stop()
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > bounds.MAX_UPLOAD_BYTES + 1:
            self._stop()
        return raw_data

    def file_complete(self, file_size):
        return None
