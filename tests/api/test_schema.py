"""The OpenAPI description in the repository (api/openapi.yaml) is the one the code makes and the one the API
serves; after a change to the API: `.venv/bin/python manage.py spectacular --file api/openapi.yaml`."""

import io
from pathlib import Path

from django.core.management import call_command

COMMITTED = Path(__file__).resolve().parents[2] / "api" / "openapi.yaml"


def test_the_committed_schema_is_the_generated_one(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", file=str(generated), validate=True, stdout=io.StringIO(), stderr=io.StringIO())
    assert generated.read_text() == COMMITTED.read_text(), (
        "api/openapi.yaml is verouderd: draai `.venv/bin/python manage.py spectacular --file api/openapi.yaml`")


def test_the_served_schema_is_the_committed_one(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response.content.decode() == COMMITTED.read_text()


def test_the_docs_page_loads_its_scripts_from_the_portal(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "https://" not in page  # no CDN
