"""What every letter of the portal shares: the sender, the addressee with its postal address, the date and
reference block, the signatory with the function in which it signs, and the objection address.

A letter's template extends `applications/letter_base.html` (page frame, sender, addressee, reference table,
signature) and fills in `subject` and `body`; its context starts from `letter_frame(...)`. The decision letter
(applications/decisions.py) is one; an amended decision or a determination letter is made the same way."""

from django.conf import settings

MINISTRY = "Ministerie van Volksgezondheid, Welzijn en Sport"
MINISTRY_ADDRESS = ("Postbus 20350", "2500 EJ Den Haag")
MINISTER = "De Minister van Volksgezondheid, Welzijn en Sport"
OBJECTION_WEEKS = 6  # bezwaar within six weeks: Awb art. 6:7 (the law, not the GALA)


def addressee(application) -> dict:
    """To whom the letter goes: the college of the gemeente, or for a regional application the mandate holder
    (a gemeente's college or a public body) on behalf of the region. {"lines": [...], "address": [...]}; the
    address is empty when the beheer has not set it."""
    definition = application.definition
    applicant = application.applicant
    if not definition.by_region:
        return {"lines": [f"Het college van burgemeester en wethouders van de gemeente {applicant.name}"],
                "address": applicant.municipality.postal_lines}
    holder = applicant.mandate_holder
    on_behalf = f"als mandaathouder namens de gemeenten in de IZA-regio {applicant.name}"
    if holder is None:
        return {"lines": [f"De gemeenten in de IZA-regio {applicant.name}"], "address": []}
    if holder.municipality_id:
        return {"lines": [f"Het college van burgemeester en wethouders van de gemeente {holder.municipality.name}",
                          on_behalf], "address": holder.municipality.postal_lines}
    return {"lines": [holder.organisation_name, on_behalf], "address": []}


def signatory(user) -> dict:
    """Who signs on the minister's behalf: the name of the deciding user and the function from the settings
    (LETTER_SIGNATORY_TITLE)."""
    title = settings.LETTER_SIGNATORY_TITLE
    name = user.get_full_name() if user else ""
    return {"name": name or title[:1].upper() + title[1:], "title": title if name else ""}


def letter_frame(application, *, reference: str, date, signed_by) -> dict:
    """The context every letter template needs (letter_base.html)."""
    return {"ministry": MINISTRY, "ministry_address": MINISTRY_ADDRESS, "minister": MINISTER,
            "addressee": addressee(application), "letter_reference": reference, "letter_date": date,
            "signatory": signatory(signed_by), "objection_weeks": OBJECTION_WEEKS}
