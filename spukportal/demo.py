"""Demo accounts for `make run` (password 'spuk-demo'). Never loaded by migrations or in production."""

from django.contrib.auth import get_user_model

from regions.models import Municipality

from .models import EHerkenningIdentity, Role
from .services import role_assign

DEMO_PASSWORD = "spuk-demo"

# username, full name, role, CBS code (officers only)
DEMO_USERS = [
    ("gemeente", "Anna de Vries", Role.OFFICER, "GM0034"),  # Almere, mandaathouder Flevoland
    ("gemeente2", "Bram Jansen", Role.OFFICER, "GM0995"),  # Lelystad, Flevoland
    ("gemeente3", "Carla Hendriks", Role.OFFICER, "GM0928"),  # Kerkrade, Zuid-Limburg
    ("gemeente4", "Daan Peters", Role.OFFICER, "GM0917"),  # Heerlen, Zuid-Limburg: the whole money chain
    ("kerngroep", "Dirk Bakker", Role.REVIEWER, None),
    ("kerngroep2", "Gerda Mulder", Role.REVIEWER, None),  # the second pair of eyes
    ("voorzitter", "Hanna de Boer", Role.REVIEWER, None),  # chairs the kerngroep: reviewer and chair
    ("voorzitter", "Hanna de Boer", Role.REVIEW_CHAIR, None),
    ("ministerie", "Eva Smit", Role.MINISTRY, None),
    ("beheer", "Frank Visser", Role.ADMINISTRATOR, None),
]
# eHerkenning with the demo broker of `make run` (EHERKENNING_MOCK): Almere gets a FICTITIOUS KVK number (the real
# one is not in the reference data; a beheerder sets it) and the demo officer is linked to the pseudonym that the
# demo broker suggests.
DEMO_EHERKENNING = ("GM0034", "99000034", "gemeente", "demo-anna-de-vries")
# Postal addresses for the decision letters of the demo gemeenten: FICTITIOUS (made-up postbus numbers with the
# town's postcode area; the reference data has no addresses, a beheerder or the ministry sets the real ones).
DEMO_POSTAL_ADDRESSES = {
    "GM0034": ("Postbus 90034", "1300 AA", "ALMERE"),
    "GM0995": ("Postbus 90995", "8200 AA", "LELYSTAD"),
    "GM0928": ("Postbus 90928", "6460 AA", "KERKRADE"),
    "GM0184": ("Postbus 90184", "8320 AA", "URK"),  # the demo's decided application
    "GM0917": ("Postbus 90917", "6400 AA", "HEERLEN"),
}


def load(stdout=None):
    User = get_user_model()
    for username, full_name, role_code, cbs_code in DEMO_USERS:
        first, last = full_name.split(" ", 1)
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if role_code == Role.ADMINISTRATOR:
                user.is_staff = user.is_superuser = True
            user.save()
        municipality = Municipality.objects.get(cbs_code=cbs_code) if cbs_code else None
        role_assign(actor=None, user=user, role_code=role_code, municipality=municipality)
    cbs_code, kvk, username, subject = DEMO_EHERKENNING
    municipality = Municipality.objects.get(cbs_code=cbs_code)
    if not municipality.kvk_number and not Municipality.objects.filter(kvk_number=kvk).exists():
        municipality.kvk_number = kvk
        municipality.save(update_fields=["kvk_number"])
    EHerkenningIdentity.objects.get_or_create(municipality=municipality, acting_subject_id=subject,
                                              defaults={"user": User.objects.get(username=username)})
    for cbs_code, (address, postal_code, city) in DEMO_POSTAL_ADDRESSES.items():
        Municipality.objects.filter(cbs_code=cbs_code, postal_address="").update(
            postal_address=address, postal_code=postal_code, postal_city=city)
    if stdout:
        stdout.write(f"Demo-accounts: {', '.join(dict.fromkeys(u[0] for u in DEMO_USERS))} (wachtwoord '{DEMO_PASSWORD}').")
