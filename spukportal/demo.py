"""Demo accounts for `make run` (password 'spuk-demo'). Never loaded by migrations or in production."""

from django.contrib.auth import get_user_model

from regions.models import Municipality

from .models import Role
from .services import role_assign

DEMO_PASSWORD = "spuk-demo"

# username, full name, role, CBS code (officers only)
DEMO_USERS = [
    ("gemeente", "Anna de Vries", Role.OFFICER, "GM0034"),  # Almere, mandaathouder Flevoland
    ("gemeente2", "Bram Jansen", Role.OFFICER, "GM0995"),  # Lelystad, Flevoland
    ("gemeente3", "Carla Hendriks", Role.OFFICER, "GM0928"),  # Kerkrade, Zuid-Limburg
    ("kerngroep", "Dirk Bakker", Role.REVIEWER, None),
    ("kerngroep2", "Gerda Mulder", Role.REVIEWER, None),  # the second pair of eyes
    ("voorzitter", "Hanna de Boer", Role.REVIEWER, None),  # chairs the kerngroep: reviewer and chair
    ("voorzitter", "Hanna de Boer", Role.REVIEW_CHAIR, None),
    ("ministerie", "Eva Smit", Role.MINISTRY, None),
    ("beheer", "Frank Visser", Role.ADMINISTRATOR, None),
]


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
    if stdout:
        stdout.write(f"Demo-accounts: {', '.join(dict.fromkeys(u[0] for u in DEMO_USERS))} (wachtwoord '{DEMO_PASSWORD}').")
