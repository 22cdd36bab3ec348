from django.db import migrations


def seed(apps, schema_editor):
    Role = apps.get_model("spukportal", "Role")
    Role.objects.update_or_create(code="voorzitter", defaults={
        "name": "Voorzitter kerngroep",
        "description": "Verdeelt de aanvragen over de beoordelaars van de kerngroep (naast de rol kerngroep)."})


def unseed(apps, schema_editor):
    apps.get_model("spukportal", "Role").objects.filter(code="voorzitter").delete()


class Migration(migrations.Migration):
    dependencies = [("spukportal", "0002_seed_roles")]
    operations = [migrations.RunPython(seed, unseed)]
