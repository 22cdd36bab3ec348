from django.db import migrations

ROLES = [
    ("gemeente", "Gemeentelijk medewerker", "Vraagt namens de eigen gemeente aan en verantwoordt de besteding."),
    ("kerngroep", "Beoordelaar kerngroep / VNG-ondersteuningsteam", "Beoordeelt plannen van aanpak en adviseert."),
    ("ministerie", "Medewerker ministerie (VWS / DUS-I)", "Beheert budgetten en verdeelsleutel, beslist en rapporteert."),
    ("beheerder", "Beheerder", "Beheert gebruikers, rollen en referentiegegevens."),
]


def seed(apps, schema_editor):
    Role = apps.get_model("spukportal", "Role")
    for code, name, description in ROLES:
        Role.objects.update_or_create(code=code, defaults={"name": name, "description": description})


class Migration(migrations.Migration):
    dependencies = [("spukportal", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
