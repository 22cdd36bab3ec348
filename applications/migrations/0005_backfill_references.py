"""Applications submitted before references existed get theirs (as `services.application_reference`
would have given at their first submission), and a review deadline when still awaiting review."""

import datetime

from django.db import migrations


def backfill(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    seen = {}
    for app in Application.objects.filter(submitted_at__isnull=False, reference="").select_related(
            "period", "municipality", "region").order_by("submitted_at", "pk"):
        prefix = "BS" if app.regulation == "brede_spuk" else "IZA"
        code = app.municipality.cbs_code if app.municipality_id else app.region.slug
        key = (app.period_id, code)
        seen[key] = seen.get(key, 0) + 1
        app.reference = f"{prefix}-{app.period.first_year}.{app.period_id}-{code}-{seen[key]:02d}"
        if app.state == "ingediend" and app.review_due_on is None:
            app.review_due_on = app.submitted_at.date() + datetime.timedelta(weeks=app.period.review_weeks)
        app.save(update_fields=["reference", "review_due_on"])


class Migration(migrations.Migration):
    dependencies = [("applications", "0004_review_and_decisions")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
