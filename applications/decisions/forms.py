"""The ministry's forms: one decision (grant with amounts, or reject with reasons) and a batch of decisions."""

from django import forms
from django.utils import timezone

from spukportal import bounds
from spukportal.dates import bound_date
from spukportal.money import format_euro

from .. import ledger_posting
from . import decide as decisions
from ..intake.forms import EuroField
from ..models import GrantDecision, PlanLine

GRANT, REJECT = GrantDecision.Outcome.GRANTED, GrantDecision.Outcome.REJECTED  # the form offers both outcomes


def decision_rows(app) -> list[dict]:
    """The rows of the amounts table: brede SPUK one per applied component (every year of the period), SPUK
    IZA one per plan line (its year); each year with the requested amount and the cap beside it."""
    requested = {}
    for line in decisions.requested_lines(app):
        subject = ("plan_line", line["plan_line"]) if line["plan_line"] else ("component", line["component"])
        requested.setdefault(subject, {})[line["year"]] = requested.get(subject, {}).get(line["year"], 0) + line["amount"]
    caps = app.definition.caps(app)
    subjects = decisions._subjects(app)
    rows = []
    for subject, by_year in requested.items():
        label = subjects[subject][0] if subject in subjects else "?"
        years = app.period.years if subject[0] == "component" else sorted(by_year)
        cells = []
        for year in years:
            cap = None
            if caps is not None and subject[0] == "component":
                cap = caps.for_component(subject[1], year)
            cells.append({"year": year, "requested": by_year.get(year), "cap": cap,
                          "name": f"bedrag-{subject[0]}-{subject[1]}-{year}"})
        rows.append({"subject": subject, "label": label, "cells": cells})
    if app.definition.budget_in_lines:
        order = {pk: i for i, pk in enumerate(PlanLine.objects.filter(application=app).order_by("position", "id")
                                              .values_list("pk", flat=True))}
        rows.sort(key=lambda r: order.get(r["subject"][1], 0))
    return rows


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label="Besluit", widget=forms.RadioSelect,
                                choices=[(GRANT, "Toekennen"), (REJECT, "Afwijzen")])
    decided_on = forms.DateField(label="Datum beschikking")
    reasons = forms.CharField(label="Motivering", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=bounds.MAX_NOTE_CHARS,
                              help_text="Bij afwijzen verplicht: de redenen staan in de beschikking. Bij toekennen "
                                        "optioneel (bijvoorbeeld waarom minder wordt toegekend dan gevraagd).")
    confirmed = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, application, **kwargs):
        self.application = application
        self.rows = decision_rows(application)
        kwargs.setdefault("initial", {"outcome": GRANT, "decided_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        bound_date(self.fields["decided_on"])
        # Live grants (ledger) for years of this period: granting is refused unless they are replaced explicitly.
        self.live = ledger_posting.overlapping(application, [{"year": y, "amount": 1} for y in application.period.years])
        if self.live:
            self.fields["replace_live"] = forms.BooleanField(
                label="Vervang de lopende toekenning uitdrukkelijk door deze beschikking", required=False,
                help_text="Al toegekend voor deze jaren: " + "; ".join(
                    f"{g.label} ({', '.join(str(y) for y in g.years)}, {format_euro(g.total)})" for g in self.live)
                + ". Zonder vinkje wordt toekennen geweigerd; met vinkje vervalt die toekenning voor al haar jaren.")
        for row in self.rows:
            for cell in row["cells"]:
                help_parts = [f"Aangevraagd: {format_euro(cell['requested'] or 0)}"]
                if cell["cap"] is not None:
                    help_parts.append(f"toekenning uit de verdeling: {format_euro(cell['cap'])}")
                self.fields[cell["name"]] = EuroField(label=str(cell["year"]),  # the row's legend says what
                                                      initial=cell["requested"], help_text="; ".join(help_parts))
                cell["field"] = cell["name"]

    def groups(self):
        """Per row its label and bound fields (for the template)."""
        return [{"label": row["label"], "fields": [self[c["name"]] for c in row["cells"]]} for row in self.rows]

    def clean(self):
        data = super().clean()
        if data.get("outcome") == REJECT and not (data.get("reasons") or "").strip():
            self.add_error("reasons", "Geef de redenen van de afwijzing; ze staan in de beschikking.")
        if data.get("outcome") == GRANT and not self.errors:
            lines = self.lines()
            overruns = decisions.cap_overruns(self.application, [{**line, "label": label}
                                                                 for line, label in self._labelled(lines)])
            for (subject, year), message in overruns.items():
                name = f"bedrag-{subject[0]}-{subject[1]}-{year}" if subject else None
                self.add_error(name if name in self.fields else None, message)
            if not overruns and not any(line["amount"] for line in lines):
                self.add_error(None, "Een toekenning heeft ten minste één bedrag boven € 0. Wijs de aanvraag anders af.")
            if not self.errors:
                conflict = ledger_posting.conflict(self.application, lines, replaces=self.replaces())
                if conflict is not None:
                    self.add_error("replace_live" if "replace_live" in self.fields else None, conflict.messages[0])
        return data

    def replaces(self) -> list:
        """The live grants (ledger sources) this decision replaces: those overlapping its years, if ticked."""
        if not self.cleaned_data.get("replace_live"):
            return []
        years = {line["year"] for line in self.lines() if line["amount"]}
        return [(g.source_kind, g.source_id) for g in self.live if years & set(g.years)]

    def _labelled(self, lines):
        labels = {row["subject"]: row["label"] for row in self.rows}
        return [(line, labels[("plan_line", line["plan_line"]) if line["plan_line"] else ("component", line["component"])])
                for line in lines]

    def lines(self) -> list[dict]:
        """The amounts typed, as decision lines (empty fields left out)."""
        lines = []
        for row in self.rows:
            kind, pk = row["subject"]
            for cell in row["cells"]:
                amount = self.cleaned_data.get(cell["name"])
                if amount is not None:
                    lines.append({"component": pk if kind == "component" else None,
                                  "plan_line": pk if kind == "plan_line" else None, "year": cell["year"],
                                  "amount": amount})
        return lines

    def summary(self) -> list[dict]:
        """What will be decided, for the confirmation step: rows with their amounts per year, and the total."""
        return [{"label": row["label"], "cells": [(c["year"], self.cleaned_data.get(c["name"])) for c in row["cells"]]}
                for row in self.rows]


class AdvancePaidForm(forms.Form):
    paid_on = forms.DateField(label="Betaald op", help_text="De datum waarop het voorschot is overgemaakt.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"paid_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        bound_date(self.fields["paid_on"])


class BatchForm(forms.Form):
    applications = forms.MultipleChoiceField(label="Aanvragen", widget=forms.CheckboxSelectMultiple,
                                             error_messages={"required": "Kies ten minste één aanvraag."})
    decided_on = forms.DateField(label="Datum beschikkingen")
    confirmed = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, awaiting, **kwargs):
        kwargs.setdefault("initial", {"decided_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.awaiting = list(awaiting)
        self.fields["applications"].choices = [(str(a.pk), str(a.pk)) for a in self.awaiting]
        bound_date(self.fields["decided_on"])

    def chosen(self):
        pks = {int(pk) for pk in self.cleaned_data["applications"]}
        return [a for a in self.awaiting if a.pk in pks]
