"""The amendments' forms: the applicant's change request (reasons, plan change, amounts per line and year), the
kerngroep's advice, the ministry's decision and its batch after a budget change."""

from django import forms
from django.utils import timezone

from spukportal import bounds
from spukportal.dates import bound_date
from spukportal.money import format_euro

from ..intake.forms import EuroField
from . import selectors

GRANT, REJECT = "toekennen", "afwijzen"  # the flow's deciding transitions


def _field_name(line) -> str:
    kind, pk = selectors.subject_key(line)
    return f"bedrag-{kind}-{pk}-{line['year']}"


class ChangeRequestForm(forms.Form):
    reasons = forms.CharField(label="Reden van de wijziging", widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=bounds.MAX_NOTE_CHARS,
                              error_messages={"required": "Geef de reden van de wijziging."},
                              help_text="Waarom wijzigt het plan of de begroting? Dit staat in het wijzigingsbesluit.")
    plan_text = forms.CharField(label="Wijziging van het plan van aanpak", required=False,
                                widget=forms.Textarea(attrs={"rows": 6}), max_length=bounds.MAX_NOTE_CHARS,
                                help_text="Beschrijf wat er in het plan verandert. Leeg: het plan blijft gelijk.")

    def __init__(self, *args, change_request, **kwargs):
        self.change_request = change_request
        self.current = selectors.current_lines(change_request.decision)
        asked = {(selectors.subject_key(line), line["year"]): line["amount"] for line in change_request.lines}
        kwargs.setdefault("initial", {"reasons": change_request.reasons, "plan_text": change_request.plan_text})
        super().__init__(*args, **kwargs)
        self.rows = {}
        for line in self.current:
            name = _field_name(line)
            initial = asked.get((selectors.subject_key(line), line["year"]), line["amount"])
            self.fields[name] = EuroField(label=str(line["year"]), required=True, initial=initial,
                                          help_text=f"Nu toegekend: {format_euro(line['amount'])}",
                                          error_messages={"required": "Vul een bedrag in hele euro's in (0 mag)."})
            self.rows.setdefault(line["label"], []).append(name)

    def groups(self):
        return [{"label": label, "fields": [self[name] for name in names]} for label, names in self.rows.items()]

    def lines(self) -> list[dict]:
        return [{"component": line["component"], "plan_line": line["plan_line"], "year": line["year"],
                 "amount": self.cleaned_data.get(_field_name(line))} for line in self.current]

    def error_field(self, message: str) -> str | None:
        """The amount field a service message is about (its label and year in the message), if any."""
        for line in self.current:
            if line["label"] in message and str(line["year"]) in message:
                return _field_name(line)
        return None


class NoteForm(forms.Form):
    note = forms.CharField(label="Toelichting", widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=bounds.MAX_NOTE_CHARS, error_messages={"required": "Geef een toelichting."})


class AdviceForm(forms.Form):
    advice = forms.ChoiceField(label="Advies", widget=forms.RadioSelect,
                               choices=[("positief_adviseren", "Positief"), ("negatief_adviseren", "Negatief")],
                               error_messages={"required": "Kies positief of negatief."})
    note = forms.CharField(label="Motivering", widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=bounds.MAX_NOTE_CHARS, error_messages={"required": "Motiveer het advies."})


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label="Besluit", widget=forms.RadioSelect,
                                choices=[(GRANT, "Wijziging toekennen"), (REJECT, "Wijziging afwijzen")],
                                error_messages={"required": "Kies toekennen of afwijzen."})
    decided_on = forms.DateField(label="Datum wijzigingsbesluit")
    note = forms.CharField(label="Motivering", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=bounds.MAX_NOTE_CHARS,
                           help_text="Bij afwijzen verplicht: de reden gaat naar de aanvrager.")
    confirmed = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"decided_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        bound_date(self.fields["decided_on"])

    def clean(self):
        data = super().clean()
        if data.get("outcome") == REJECT and not (data.get("note") or "").strip():
            self.add_error("note", "Geef de reden van de afwijzing; die gaat naar de aanvrager.")
        return data


class BatchForm(forms.Form):
    decisions = forms.MultipleChoiceField(label="Beschikkingen", widget=forms.CheckboxSelectMultiple,
                                          error_messages={"required": "Kies ten minste één beschikking."})
    decided_on = forms.DateField(label="Datum wijzigingsbesluiten")
    reasons = forms.CharField(label="Reden van de wijziging", widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=bounds.MAX_NOTE_CHARS,
                              error_messages={"required": "Geef de reden; die staat in elk wijzigingsbesluit."})
    confirmed = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, affected, **kwargs):
        kwargs.setdefault("initial", {"decided_on": timezone.localdate(),
                                      "decisions": [str(row["decision"].pk) for row in affected]})
        super().__init__(*args, **kwargs)
        self.affected = affected
        self.fields["decisions"].choices = [(str(row["decision"].pk), row["decision"].reference) for row in affected]
        bound_date(self.fields["decided_on"])

    def chosen(self):
        pks = {int(pk) for pk in self.cleaned_data["decisions"]}
        return [row for row in self.affected if row["decision"].pk in pks]
