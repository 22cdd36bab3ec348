from django import forms
from django.core.exceptions import ValidationError

from budgets.models import AllocationRun, Component
from regions.models import Municipality, Region
from spukportal import bounds
from spukportal.dates import bound_date, bound_year, bounded_signature_date, year_span
from spukportal.money import AmountError, format_number, parse_euro
from spukportal.pdf_check import PdfRefused, check_pdf_content

from .. import rules
from ..models import SIGNATORY_ROLES, Application, ApplicationPeriod, Attachment, PlanLine

MAX_UPLOAD_BYTES = bounds.MAX_UPLOAD_BYTES


class EuroField(forms.CharField):
    """An amount in whole euros, typed the Dutch way: '€ 1.234.567', '1.234.567', '1234567'."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_number(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return parse_euro(value)
        except AmountError as exc:
            raise ValidationError(str(exc), code="invalid") from exc


class ComponentsForm(forms.Form):
    """Per component: applied or not, amount per year (≤ the cap), reason when not applied."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, rows, years, caps=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows, self.years, self.caps = rows, years, caps
        for r in rows:
            c = r["component"]
            self.fields[f"c{c.number}_applied"] = forms.BooleanField(
                label=f"{c.name} aanvragen" + (" (verplicht)" if c.is_mandatory else ""), required=False,
                initial=r["choice"].applied)
            for y in r["years"]:
                field = self.fields[f"c{c.number}_{y['year']}"] = EuroField(
                    label=f"Bedrag {y['year']}", initial=y["amount"],
                    help_text="" if y["cap"] is None else f"Toekenning {y['year']}: € {format_number(y['cap'])}")
                field.summary_label = f"{c.number}. {c.name}, bedrag {y['year']}"  # the error summary says which
            self.fields[f"c{c.number}_reason"] = forms.CharField(
                label=f"Waarom vraagt u {c.name} niet aan?", required=False,
                initial=r["choice"].reason_not_applied, widget=forms.Textarea(attrs={"rows": 2}))

    def groups(self):
        """The bound fields per component, for the template."""
        for r in self.rows:
            n = r["component"].number
            yield {
                "row": r, "applied": self[f"c{n}_applied"], "reason": self[f"c{n}_reason"],
                "amounts": [(y, self[f"c{n}_{y['year']}"]) for y in r["years"]],
            }

    def clean(self):
        data = super().clean()
        by_id = {r["component"].pk: r["component"] for r in self.rows}
        problems = rules.cap_problems(caps=self.caps, years=self.years, choices=self.choices(),
                                      names={pk: c.name for pk, c in by_id.items()})
        for (component_id, year), message in problems.items():
            field = None if component_id is None else f"c{by_id[component_id].number}_{year}"
            self.add_error(field, ValidationError(message, code="above_allocation"))
        return data

    def choices(self) -> dict:
        data = self.cleaned_data
        return {
            r["component"].pk: {
                "applied": bool(data.get(f"c{r['component'].number}_applied")),
                "reason": (data.get(f"c{r['component'].number}_reason") or "").strip(),
                "amounts": {y["year"]: data.get(f"c{r['component'].number}_{y['year']}") for y in r["years"]},
            }
            for r in self.rows
        }

    def add_completeness_errors(self):
        """After saving: what is still missing, on the field it belongs to (the draft is saved)."""
        choices = self.choices()
        problems = rules.choice_problems(
            (r["component"], choices[r["component"].pk]["applied"],
             any(choices[r["component"].pk]["amounts"].values()), choices[r["component"].pk]["reason"])
            for r in self.rows)
        first_year = {r["component"].pk: (r["years"][0]["year"] if r["years"] else None) for r in self.rows}
        for problem in problems:
            n = problem.component.number
            if problem.field == "amounts" and first_year[problem.component.pk] is not None:
                field = f"c{n}_{first_year[problem.component.pk]}"
            else:
                field = f"c{n}_{'reason' if problem.field == 'reason' else 'applied'}"
            self.add_error(field, ValidationError(problem.message, code=f"incomplete_{problem.field}"))


class SectionForm(forms.Form):
    text = forms.CharField(label="Tekst", required=False, widget=forms.Textarea(attrs={"rows": 6}),
                           validators=[bounds.validate_plan_text])
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    overwrite = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    # The colleague's version whose conflict is on screen: autosaves stay refused quietly until the
    # officer chooses, so the conflict panel (and its button) is not replaced while they read it.
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class SignatureForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Application
        fields = ["signatory_name", "signatory_role", "signed_on", "monitoring_consent"]
        widgets = {"signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {"signatory_name": "Naam van de ondertekenaar",
                  "signatory_role": "Functie van de ondertekenaar",
                  "signed_on": "Datum van ondertekening",
                  "monitoring_consent": "De gemeente stemt in met het gebruik van de informatie in deze aanvraag "
                                        "voor de landelijke monitoring"}
        help_texts = {"signatory_name": "Een wethouder of de burgemeester van uw gemeente.",
                      "monitoring_consent": ""}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bounded_signature_date(self.fields["signed_on"])
        for name in ("signatory_name", "signatory_role", "signed_on"):  # may be saved empty, but needed to submit
            self.fields[name].needed = True


def check_pdf(upload) -> None:
    """A real, plain PDF (by content, parsed, not by name) of at most `bounds.MAX_UPLOAD_BYTES`; Dutch errors.
    The size is checked before anything is read."""
    if upload.size == 0:
        raise ValidationError("Het bestand is leeg.", code="empty")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"Het bestand is {upload.size / 1024 / 1024:.1f} MB; het mag ten hoogste 10 MB zijn.".replace(".", ",", 1),
            code="too_large")
    try:
        check_pdf_content(upload, upload.name)
    except PdfRefused as exc:
        raise ValidationError(str(exc), code="not_pdf") from exc


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="Soort bijlage", choices=Attachment.Kind.choices)
    file = forms.FileField(label="Bestand (pdf, ten hoogste 10 MB)",
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_pdf(upload)
        return upload


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(
        label="Ik bevestig dat deze aanvraag is ondertekend namens de gemeente en dat ik hem nu wil indienen. "
              "Na indienen kan de gemeente de aanvraag niet meer wijzigen.",
        error_messages={"required": "Vink aan dat u de aanvraag wilt indienen."})


class WithdrawForm(forms.Form):
    note = forms.CharField(label="Waarom trekt u de aanvraag in?", widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=bounds.MAX_NOTE_CHARS)
    confirm = forms.BooleanField(label="Ik wil deze aanvraag intrekken. Dit kan niet ongedaan worden gemaakt.",
                                 error_messages={"required": "Vink aan dat u de aanvraag wilt intrekken."})


class PlanLineForm(forms.Form):
    """One budget line of an IZA plan (the formset checks the lines together: rules.line_problems)."""

    activity = forms.CharField(label="Onderdeel van het regioplan / activiteit", max_length=200)
    scope = forms.ChoiceField(label="Regionaal of lokaal", choices=[("", "— kies —"), *PlanLine.Scope.choices])
    municipality = forms.ModelChoiceField(label="Gemeente (bij lokaal)", queryset=Municipality.objects.none(),
                                          required=False, empty_label="— (regionaal)")
    year = forms.TypedChoiceField(label="Jaar", coerce=int, choices=())
    amount = EuroField(label="Bedrag", required=True)
    brede_component = forms.ModelChoiceField(label="Raakt onderdeel brede SPUK", required=False,
                                             queryset=Component.objects.none(), empty_label="— (nee)")
    double_funding_note = forms.CharField(label="Waarom geen dubbele financiering", required=False,
                                          widget=forms.Textarea(attrs={"rows": 2}), max_length=bounds.MAX_NOTE_CHARS)

    def __init__(self, *args, members=(), years=(), brede_components=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(pk__in=[m.pk for m in members]) \
            .order_by("name")
        self.fields["year"].choices = [("", "— kies —"), *[(y, str(y)) for y in years]]
        if brede_components is not None:
            self.fields["brede_component"].queryset = brede_components


class BasePlanLineFormSet(forms.BaseFormSet):
    def __init__(self, *args, caps=None, members=(), years=(), **kwargs):
        self.caps, self.members, self.years = caps, list(members), list(years)
        super().__init__(*args, **kwargs)

    def row_anchor(self, index):
        return f"regel-{index + 1}"  # the row's fieldset in lines.html

    def lines(self) -> list[dict]:
        """The filled-in lines (empty and deleted rows left out), in order."""
        return [{k: f.cleaned_data.get(k) for k in PlanLineForm.base_fields}
                for f in self._filled()]

    def _filled(self):
        """Rows with content (an untouched empty row has no cleaned data) that are not marked for deletion."""
        return [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]

    def clean(self):
        if self.management_form.cleaned_data.get("TOTAL_FORMS", 0) < 0:
            # A negative count would mean "no rows", and saving no rows deletes every line.
            raise ValidationError("Het formulier is niet volledig verstuurd. Laad de pagina opnieuw en probeer het "
                                  "nog eens.", code="negative_total_forms")
        if any(self.errors):
            return
        filled = self._filled()
        problems = rules.line_problems(lines=self.lines(), caps=self.caps, years=self.years,
                                       members={m.pk for m in self.members})
        for (index, field), message in problems.items():
            if index is None:
                self._non_form_errors = self._non_form_errors or self.error_class()
                self._non_form_errors.append(message)
            else:
                filled[index].add_error(field if field in PlanLineForm.base_fields else None, message)


def plan_line_formset(data=None, *, initial, caps, members, years, brede_components):
    formset_class = forms.formset_factory(PlanLineForm, formset=BasePlanLineFormSet, extra=3, can_delete=True,
                                          max_num=200, absolute_max=200, validate_max=True)
    return formset_class(data, initial=initial, prefix="regel", caps=caps, members=members, years=years,
                         form_kwargs={"members": members, "years": years, "brede_components": brede_components})


class DeclarationForm(forms.Form):
    municipality = forms.ModelChoiceField(label="Gemeente", queryset=Municipality.objects.none())
    signatory_name = forms.CharField(label="Naam van de ondertekenaar", max_length=200,
                                     help_text="Een wethouder of de burgemeester van uw gemeente.")
    signatory_role = forms.ChoiceField(label="Functie van de ondertekenaar",
                                       choices=SIGNATORY_ROLES)
    signed_on = forms.DateField(label="Datum van ondertekening")
    file = forms.FileField(label="Ondertekende verklaring (pdf, ten hoogste 10 MB)",
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}))

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if municipalities.count() == 1:
            self.fields["municipality"].initial = municipalities.first()
        bounded_signature_date(self.fields["signed_on"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_pdf(upload)
        return upload


class RegionStartForm(forms.Form):
    region = forms.ModelChoiceField(label="IZA-regio", queryset=Region.objects.none())

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        if regions.count() == 1:
            self.fields["region"].initial = regions.first()


class StartForm(forms.Form):
    municipality = forms.ModelChoiceField(label="Gemeente", queryset=Municipality.objects.none())

    def __init__(self, *args, municipalities, **kwargs):
        """`municipalities`: the officer's own gemeenten (a list), the only ones offered and accepted."""
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(
            pk__in=[m.pk for m in municipalities]).order_by("name")
        if len(municipalities) == 1:
            self.fields["municipality"].initial = municipalities[0]


def run_choice_label(run) -> str:
    """A run in the period form's list: name, regulation, years and whether gemeenten can see it."""
    span = year_span(run.years) or "geen jaren"
    hidden = "" if run.is_published else ", nog niet zichtbaar voor gemeenten"
    return f"{run.name} ({run.get_regulation_display()}, {span}{hidden})"


class PeriodForm(forms.ModelForm):
    class Meta:
        model = ApplicationPeriod
        fields = ["name", "regulation", "first_year", "last_year", "opens_on", "closes_on", "plan_required",
                  "allocation_run"]
        widgets = {"opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        run_field = self.fields["allocation_run"]
        run_field.queryset = AllocationRun.objects.filter(status=AllocationRun.Status.FINISHED) \
            .order_by("regulation", "-created_at", "-id")
        run_field.label_from_instance = run_choice_label
        run_field.help_text = ("De bedragen van deze berekening zijn het maximum dat een gemeente per onderdeel en "
                               "jaar kan aanvragen, en de bedragen die gemeenten op “Mijn bedragen” zien. Kies een "
                               "berekening van dezelfde regeling met bedragen voor alle jaren van de periode.")
        for name in ("opens_on", "closes_on"):
            bound_date(self.fields[name])
        for name in ("first_year", "last_year"):
            bound_year(self.fields[name])

    def clean(self):
        data = super().clean()
        if data.get("first_year") and data.get("last_year") and data["last_year"] < data["first_year"]:
            self.add_error("last_year", "Het laatste jaar ligt vóór het eerste jaar.")
        elif data.get("first_year") and data.get("last_year") and \
                data["last_year"] - data["first_year"] >= bounds.MAX_PERIOD_YEARS:
            self.add_error("last_year", f"Een aanvraagperiode omvat ten hoogste {bounds.MAX_PERIOD_YEARS} jaar.")
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "De sluitingsdatum ligt vóór de openingsdatum.")
        return data


class ExtensionForm(forms.Form):
    municipality = forms.ModelChoiceField(label="Gemeente", queryset=Municipality.objects.order_by("name"))
    closes_on = forms.DateField(label="Nieuwe sluitingsdatum (tot en met)",
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label="Reden", widget=forms.Textarea(attrs={"rows": 3}), max_length=bounds.MAX_NOTE_CHARS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_date(self.fields["closes_on"])
