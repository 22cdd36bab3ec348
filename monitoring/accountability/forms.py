"""Forms of the SiSa spending reports. The report form is built from the report's lines and H35B rows; its
checks are the services' (`sisa_services.check`), so the form and the service say the same thing."""

from django import forms
from django.core.exceptions import ValidationError

from applications import regulations
from applications.intake.forms import EuroField
from budgets.models import Component
from regions.models import Municipality
from spukportal import bounds
from spukportal.money import AmountError, format_number, parse_euro

from . import rules as sisa_rules, services as sisa_services

YES_NO = [("ja", "Ja"), ("nee", "Nee")]


def _regulations_or_all():
    return [("", "Beide"), *regulations.choices()]


class SignedEuroField(forms.CharField):
    """/03 correctie: whole euros, may be negative ('-1.234')."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "text", "autocomplete": "off"})

    def prepare_value(self, value):
        return format_number(value) if isinstance(value, int) else value

    def to_python(self, value):
        value = (super().to_python(value) or "").strip().replace("−", "-")
        negative = value.startswith("-")
        try:
            amount = parse_euro(value[1:] if negative else value)
        except AmountError as exc:
            raise ValidationError(str(exc), code="invalid") from exc
        if amount is None:
            return None
        return -amount if negative else amount


class ExpenditureField(EuroField):
    """/01 and /04: a negative amount gets the SiSa wording."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip().startswith(("-", "−")):
            raise ValidationError("De besteding kan niet negatief zijn.", code="negative")
        return super().to_python(value)


class StartForm(forms.Form):
    regulation = forms.ChoiceField(label="Regeling", choices=regulations.choices)
    year = forms.TypedChoiceField(label="Jaar", coerce=int,
                                  choices=[(y, str(y)) for y in sisa_rules.years()])

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"] = forms.ModelChoiceField(label="Gemeente", queryset=municipalities,
                                                             empty_label=None)
        self.order_fields(["municipality", "regulation", "year"])


class ReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    self_executed = forms.ChoiceField(label="/02 Zelfstandige uitvoering", choices=YES_NO, widget=forms.RadioSelect,
                                      help_text="Ja: de gemeente voert de taken zelf uit (niet via een gemeenschappelijke regeling).")
    is_final = forms.ChoiceField(label="/05 Eindverantwoording", choices=YES_NO, widget=forms.RadioSelect,
                                 help_text="Ja: dit is de laatste verantwoording over de hele periode; wat niet is "
                                           "besteed, wordt teruggevorderd.")
    explanation = forms.CharField(label="Toelichting op afwijkingen", required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}), max_length=bounds.MAX_NOTE_CHARS)

    def __init__(self, *args, report, frame, **kwargs):
        super().__init__(*args, **kwargs)
        self.report, self.frame = report, frame
        lines = {line.component_id: line for line in report.lines.all()}
        components = {c.pk: c for c in Component.objects.filter(pk__in=[k for k in lines if k])}
        self.line_groups, self.transfer_groups = [], []
        for key in sorted(lines, key=lambda k: components[k].number if k else 0):
            line = lines[key]
            label = str(components[key]) if key else report.definition.legal_name
            self.line_groups.append(self._group(sisa_services.line_field(key), label,
                                                (line.expenditure, line.correction_previous, line.cumulative),
                                                frame.granted.lines.get(key), frame.previous.get(key, 0), key))
        transfers = {t.recipient_id: t for t in report.transfers.all()}
        names = {m.pk: m for m in Municipality.objects.filter(pk__in=list(transfers))}
        for member_id in sorted(transfers, key=lambda m: names[m].name):
            t = transfers[member_id]
            self.transfer_groups.append(self._group(
                f"t{member_id}", f"{names[member_id].name} ({names[member_id].cbs_code})",
                (t.expenditure, t.correction_previous, t.cumulative), frame.granted.members.get(member_id),
                frame.previous_transfers.get(member_id, 0), member_id))
        if sisa_rules.carry_over_allowed(report.regulation, report.year):
            self.fields["carry_over"] = EuroField(
                label="Doorschuiven naar 2026", help_text="Ten hoogste 10% van de toekenning over 2025, en niet meer "
                                                          "dan er niet is besteed.")
        # The fields in the page's order, so the error summary lists them as the page shows them.
        self.order_fields(["version", *[f.name for g in self.line_groups + self.transfer_groups for f in g["fields"]],
                           "self_executed", "is_final", "carry_over", "explanation"])
        self.initial.update({"version": report.edit_version, "self_executed": "ja" if report.self_executed else "nee",
                             "is_final": "ja" if report.is_final else "nee", "explanation": report.explanation,
                             "carry_over": report.carry_over})

    def _group(self, prefix, label, values, granted, previous, key):
        self.fields[f"{prefix}_expenditure"] = ExpenditureField(label=f"/01 Besteding {self.report.year}")
        self.fields[f"{prefix}_correction"] = SignedEuroField(label=f"/03 Correctie besteding {self.report.year - 1}",
                                                              help_text="Mag negatief zijn, bijvoorbeeld -1.000.")
        # /04 is computed by the portal (last year's /04 + /01 + /03), shown read-only: never typed.
        self.fields[f"{prefix}_cumulative"] = ExpenditureField(
            label="/04 Cumulatieve besteding (berekend)", required=False, disabled=True,
            help_text=f"Berekend bij opslaan: tot en met vorig jaar {format_number(previous)} + /01 + /03.")
        for name, value in zip(("expenditure", "correction", "cumulative"), values):
            self.initial[f"{prefix}_{name}"] = value
            field = self.fields[f"{prefix}_{name}"]
            field.summary_label = f"{label}, {field.label}"  # the error summary says which line
        return {"label": label, "granted": granted, "previous": previous, "key": key,
                "fields": [self[f"{prefix}_{n}"] for n in ("expenditure", "correction", "cumulative")]}

    def data_for_service(self) -> dict:
        cd = self.cleaned_data

        def triple(prefix, previous):
            expenditure, correction = cd.get(f"{prefix}_expenditure"), cd.get(f"{prefix}_correction")
            return (expenditure, correction, previous + (expenditure or 0) + (correction or 0))

        return {
            "lines": {g["key"]: triple(sisa_services.line_field(g["key"]), g["previous"]) for g in self.line_groups},
            "transfers": {g["key"]: triple(f"t{g['key']}", g["previous"]) for g in self.transfer_groups},
            "self_executed": cd.get("self_executed") == "ja", "is_final": cd.get("is_final") == "ja",
            "explanation": cd.get("explanation", ""), "carry_over": cd.get("carry_over") or 0,
        }


class CorrectionForm(forms.Form):
    reason = forms.CharField(label="Reden van de correctie", widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=bounds.MAX_NOTE_CHARS,
                             error_messages={"required": "Geef de reden van de correctie."})


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(label="Ik heb de verantwoording gecontroleerd; na indienen is ze vergrendeld.",
                                 error_messages={"required": "Vink aan dat u de verantwoording hebt gecontroleerd."})


class PriorGrantImportForm(forms.Form):
    file = forms.FileField(label="CSV-bestand", help_text="Kolommen cbs_code,regeling,jaar,onderdeel,bedrag,kenmerk "
                                                          "(regeling: brede_spuk of spuk_iza; onderdeel: nummer, of leeg "
                                                          "voor de hele regeling; UTF-8, komma-gescheiden).")
    dry_run = forms.BooleanField(label="Alleen proberen (niets opslaan)", required=False)


class ReportFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="Jaar", coerce=int, required=False, empty_value=None,
                                  choices=[("", "Alle jaren")] + [(y, str(y)) for y in
                                                                  sisa_rules.years()])
    regulation = forms.ChoiceField(label="Regeling", required=False, choices=_regulations_or_all)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Alle")] + [
        ("concept", "Concept"), ("ingediend", "Ingediend"), ("vervangen", "Vervangen")])


class BatchStartForm(forms.Form):
    year = forms.TypedChoiceField(label="Jaar", coerce=int,
                                  choices=[(y, str(y)) for y in sisa_rules.years()])
