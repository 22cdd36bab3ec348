from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from regions.models import Municipality, MunicipalityStatistics
from spukportal import bounds
from spukportal.dates import bound_date
from spukportal.money import AmountError, format_euro, parse_euro

from . import rules
from .models import (AllocationReport, AllocationRun, BudgetLine, BudgetVersion, DEFAULT_REGULATION,
                     DistributionKey, Factor, Regulation)
from .selectors import runs_with_year
from .services import KeyInputs
from .simulation import Draft

YEARS = [(y, str(y)) for y in (2023, 2024, 2025, 2026)]


def new_key_name(value: str) -> str:
    """The name of a new distribution key (a new version): not one that a key already has."""
    name = value.strip()
    if DistributionKey.objects.filter(name=name).exists():
        raise ValidationError("Er bestaat al een verdeelsleutel met deze naam.")
    return name


class RunStartForm(forms.Form):
    regulation = forms.ChoiceField(label="Regeling", choices=Regulation.choices, initial=DEFAULT_REGULATION)
    years = forms.TypedMultipleChoiceField(label="Jaren", choices=YEARS, coerce=int,
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text="Kies een of meer jaren.")
    budget_version = forms.ModelChoiceField(label="Begrotingsversie", queryset=BudgetVersion.objects.none(),
                                            empty_label=None)
    distribution_key = forms.ModelChoiceField(label="Verdeelsleutel", queryset=DistributionKey.objects.none(),
                                              empty_label=None)
    reference_date = forms.DateField(
        label="Peildatum regio-indeling", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Lidmaatschap van de IZA-regio's op deze datum. Leeg: 1 januari van het eerste jaar.")
    name = forms.CharField(label="Naam van de berekening", max_length=200, required=False,
                           help_text="Leeg: een naam uit regeling, jaren, begroting en sleutel.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        versions = BudgetVersion.objects.order_by("-source_date", "-id")
        self.fields["budget_version"].queryset = versions
        self.fields["budget_version"].initial = versions.first()
        self.fields["distribution_key"].queryset = DistributionKey.objects.all()
        self.fields["distribution_key"].initial = DistributionKey.objects.filter(is_default=True).first()
        bound_date(self.fields["reference_date"])


class KeyCreateForm(forms.Form):
    name = forms.CharField(label="Naam", max_length=200)
    description = forms.CharField(label="Toelichting", widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  max_length=bounds.MAX_NOTE_CHARS)
    reference_year = forms.TypedChoiceField(label="Peiljaar statistieken", coerce=int, choices=())
    weight_population = forms.DecimalField(label="Gewicht inwoners", min_value=0, max_value=1, decimal_places=6,
                                           initial=Decimal("0.5"))
    weight_disadvantage = forms.DecimalField(label="Gewicht inwoners met gezondheidsachterstand", min_value=0,
                                             max_value=1, decimal_places=6, initial=Decimal("0.5"))
    copy_fixed_from = forms.ModelChoiceField(label="Vaste bedragen overnemen van", required=False,
                                             queryset=DistributionKey.objects.none(),
                                             empty_label="Geen vaste bedragen")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = sorted(set(MunicipalityStatistics.objects.values_list("reference_year", flat=True)), reverse=True)
        self.fields["reference_year"].choices = [(y, str(y)) for y in years]
        self.fields["copy_fixed_from"].queryset = DistributionKey.objects.all()
        self.fields["copy_fixed_from"].initial = DistributionKey.objects.filter(is_default=True).first()

    def clean_name(self):
        return new_key_name(self.cleaned_data["name"])

    def clean(self):
        data = super().clean()
        population, disadvantage = data.get("weight_population"), data.get("weight_disadvantage")
        if population is not None and disadvantage is not None:
            problem = rules.weights_problem([population, disadvantage])
            if problem:
                self.add_error("weight_disadvantage", problem)
        return data

    def weights(self):
        return {Factor.POPULATION: self.cleaned_data["weight_population"],
                Factor.DISADVANTAGE: self.cleaned_data["weight_disadvantage"]}


class OfficialImportForm(forms.Form):
    name = forms.CharField(label="Naam van de officiële tabel", max_length=200)
    regulation = forms.ChoiceField(label="Regeling", choices=Regulation.choices, initial=DEFAULT_REGULATION)
    source = forms.CharField(label="Bron", max_length=255, help_text="Bijvoorbeeld de brief met kenmerk en bijlage.")
    file = forms.FileField(label="CSV-bestand", help_text="Kolommen cbs_code,naam,bedrag_2025,bedrag_2026,… "
                                                          "(hele euro's, UTF-8, komma-gescheiden).")
    publish = forms.BooleanField(label="Direct zichtbaar voor gemeenten", required=False)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if AllocationRun.objects.filter(name=name).exists():
            raise ValidationError("Er bestaat al een berekening of tabel met deze naam.")
        return name


class CompareForm(forms.Form):
    a = forms.ModelChoiceField(label="Berekening A", queryset=AllocationRun.objects.none(), empty_label=None)
    b = forms.ModelChoiceField(label="Berekening B (of officiële tabel)", queryset=AllocationRun.objects.none(),
                               empty_label=None)
    year = forms.TypedChoiceField(label="Jaar", choices=YEARS, coerce=int, initial=2025)
    q = forms.CharField(label="Zoek op naam of CBS-code", required=False)
    province = forms.ChoiceField(label="Provincie", required=False)
    sort = forms.ChoiceField(label="Sorteren op", required=False, initial="naam", choices=[
        ("naam", "Gemeente (A–Z)"), ("-naam", "Gemeente (Z–A)"),
        ("-verschil", "Verschil, grootste eerst (omhoog of omlaag)"), ("verschil", "Verschil, kleinste eerst"),
        ("-procent", "Verschil in %, grootste eerst"), ("procent", "Verschil in %, kleinste eerst"),
        ("-a", "Bedrag A (hoogste eerst)"), ("a", "Bedrag A (laagste eerst)"),
        ("-b", "Bedrag B (hoogste eerst)"), ("b", "Bedrag B (laagste eerst)"),
    ])

    def __init__(self, *args, runs, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["a"].queryset = runs
        self.fields["b"].queryset = runs
        self.fields["province"].choices = [("", "Alle provincies")] + [(p, p) for p in provinces]


class ReportForm(forms.Form):
    format = forms.ChoiceField(label="Formaat", choices=AllocationReport.Format.choices)


class SimulationForm(forms.Form):
    """A draft key and budget changes for the simulation (GET: nothing is stored). The budget lines of the chosen
    version, regulation and years become fields of their own (`regel_<onderdeel-id>_<jaar>`)."""

    regulation = forms.ChoiceField(label="Regeling", choices=Regulation.choices)
    years = forms.TypedMultipleChoiceField(label="Jaren", choices=YEARS, coerce=int,
                                           widget=forms.CheckboxSelectMultiple)
    budget_version = forms.ModelChoiceField(label="Begrotingsversie", queryset=BudgetVersion.objects.none(),
                                            empty_label=None)
    key = forms.ModelChoiceField(label="Uitgaan van verdeelsleutel", queryset=DistributionKey.objects.none(),
                                 empty_label=None, help_text="Haar vaste bedragen gelden, met de wijzigingen hieronder.")
    weight_population = forms.DecimalField(label="Gewicht inwoners", min_value=0, max_value=1, decimal_places=6,
                                           localize=True, help_text="Bijvoorbeeld 0,5; samen precies 1.")
    weight_disadvantage = forms.DecimalField(label="Gewicht inwoners met gezondheidsachterstand", min_value=0,
                                             max_value=1, decimal_places=6, localize=True)
    reference_year = forms.TypedChoiceField(label="Peiljaar statistieken", coerce=int, choices=())
    fixed_changes = forms.CharField(
        label="Vaste bedragen wijzigen", required=False, max_length=bounds.MAX_NOTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Eén per regel: CBS-code, jaar en bedrag, bijv. ‘GM0088 2026 150000’; ‘geen’ in plaats van een "
                  "bedrag haalt het vaste bedrag weg. Alleen voor jaren met één begrotingsregel.")
    compare = forms.ModelChoiceField(label="Vergelijken met", queryset=AllocationRun.objects.none(), required=False,
                                     empty_label="Niets (alleen de simulatie)")
    year = forms.TypedChoiceField(label="Jaar op de kaart en in de tabellen", coerce=int, choices=YEARS)

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = data.copy()  # a budget line left out of the request keeps its amount (filled in below)
        super().__init__(data, **kwargs)
        self.fields["budget_version"].queryset = BudgetVersion.objects.order_by("-source_date", "-id")
        self.fields["key"].queryset = DistributionKey.objects.all()
        self.fields["compare"].queryset = AllocationRun.objects.filter(
            status=AllocationRun.Status.FINISHED).order_by("-created_at", "-id")
        years = sorted(set(MunicipalityStatistics.objects.values_list("reference_year", flat=True)), reverse=True)
        self.fields["reference_year"].choices = [(y, str(y)) for y in years]
        self.lines = []
        self._add_line_fields()

    @classmethod
    def defaults(cls) -> dict:
        """The first view: the default key on the newest budget version, the default regulation 2025–2026, compared
        with the newest finished run of that regulation."""
        key = DistributionKey.objects.filter(is_default=True).first() or DistributionKey.objects.first()
        version = BudgetVersion.objects.order_by("-source_date", "-id").first()
        weights = {f.factor: f.weight for f in key.factors.all()} if key else {}
        finished = AllocationRun.objects.filter(status=AllocationRun.Status.FINISHED, regulation=DEFAULT_REGULATION)
        run = runs_with_year(finished, 2025).order_by("-created_at", "-id").first()
        return {"regulation": DEFAULT_REGULATION, "years": ["2025", "2026"],
                "budget_version": version.pk if version else "", "key": key.pk if key else "",
                "weight_population": weights.get(Factor.POPULATION, 0),
                "weight_disadvantage": weights.get(Factor.DISADVANTAGE, 0),
                "reference_year": key.reference_year if key else "", "compare": run.pk if run else "", "year": 2025}

    def _raw(self, name):
        field = self.fields[name]
        return field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))

    def _add_line_fields(self):
        """A field per budget line of the chosen version, regulation and years (prefilled with its amount)."""
        try:
            version = self.fields["budget_version"].clean(self._raw("budget_version"))
            regulation = self.fields["regulation"].clean(self._raw("regulation"))
            years = self.fields["years"].clean(self._raw("years"))
        except ValidationError:
            return
        for line in (BudgetLine.objects.filter(version=version, component__regulation=regulation, year__in=years)
                     .select_related("component").order_by("year", "component__number")):
            name = f"regel_{line.component_id}_{line.year}"
            self.fields[name] = forms.CharField(label=f"{line.year}: {line.component.label}", required=False)
            if self.data is not None and not self.data.get(name):
                self.data[name] = format_euro(line.amount)
            self.lines.append((name, line))

    def line_fields(self):
        return [self[name] for name, _line in self.lines]

    def clean(self):
        data = super().clean()
        population, disadvantage = data.get("weight_population"), data.get("weight_disadvantage")
        if population is not None and disadvantage is not None:
            problem = rules.weights_problem([population, disadvantage])
            if problem:
                self.add_error("weight_disadvantage", problem)
        if data.get("years") and data.get("year") not in data["years"]:
            self.add_error("year", "Kies een jaar dat in de simulatie zit.")
        amounts = {}
        for name, line in self.lines:
            raw = self.data.get(name)
            if raw in (None, ""):
                continue
            try:
                amount = parse_euro(raw)
            except AmountError as exc:
                self.add_error(name, str(exc))
                continue
            if amount != line.amount:
                amounts[(line.component_id, line.year)] = amount
        data["line_amounts"] = amounts
        if data.get("key") and data.get("years") and data.get("regulation"):
            data["fixed"] = self._fixed(data)
        return data

    def _fixed(self, data):
        """The key's fixed amounts with the typed changes applied: [{cbs_code, component_id, year, amount}]."""
        regulation, years = data["regulation"], data["years"]
        fixed = {(f.municipality.cbs_code, f.component_id, f.year): f.amount
                 for f in data["key"].fixed_amounts.filter(component__regulation=regulation, year__in=years)
                 .select_related("municipality")}
        lines_per_year = {}
        for _name, line in self.lines:
            lines_per_year.setdefault(line.year, []).append(line.component_id)
        codes = set(Municipality.objects.values_list("cbs_code", flat=True))
        problems = []
        for number, text in enumerate((data.get("fixed_changes") or "").splitlines(), start=1):
            parts = text.split()
            if not parts:
                continue
            if len(parts) < 3:
                problems.append(f"Regel {number}: schrijf CBS-code, jaar en bedrag (bijv. ‘GM0088 2026 150000’).")
                continue
            code, year_text, amount_text = parts[0].upper(), parts[1], " ".join(parts[2:])
            if code not in codes:
                problems.append(f"Regel {number}: onbekende CBS-code ‘{parts[0]}’.")
                continue
            if not year_text.isdigit() or int(year_text) not in years:
                problems.append(f"Regel {number}: het jaar {year_text} zit niet in de simulatie.")
                continue
            year = int(year_text)
            if len(lines_per_year.get(year, [])) != 1:
                problems.append(f"Regel {number}: {year} heeft meer dan één begrotingsregel; een vast bedrag kan hier "
                                "alleen voor jaren met één regel.")
                continue
            component_id = lines_per_year[year][0]
            if amount_text.lower() == "geen":
                fixed.pop((code, component_id, year), None)
                continue
            try:
                fixed[(code, component_id, year)] = parse_euro(amount_text)
            except AmountError as exc:
                problems.append(f"Regel {number}: {exc}")
        for problem in problems:
            self.add_error("fixed_changes", problem)
        return [{"cbs_code": c, "component_id": comp, "year": y, "amount": a} for (c, comp, y), a in fixed.items()]

    def draft(self):
        d = self.cleaned_data
        key = KeyInputs(name=f"Concept op basis van {d['key']}", reference_year=d["reference_year"],
                        weights={f: w for f, w in ((Factor.POPULATION, d["weight_population"]),
                                                   (Factor.DISADVANTAGE, d["weight_disadvantage"])) if w},
                        fixed=d["fixed"])
        return Draft(regulation=d["regulation"], years=d["years"], budget_version=d["budget_version"], key=key,
                     line_amounts=d["line_amounts"])


class SimulationSaveForm(SimulationForm):
    key_name = forms.CharField(label="Naam van de nieuwe verdeelsleutel", max_length=200)
    budget_name = forms.CharField(label="Naam van de nieuwe begrotingsversie", max_length=200, required=False,
                                  help_text="Alleen nodig als u begrotingsbedragen hebt gewijzigd.")
    run_name = forms.CharField(label="Naam van de berekening", max_length=200, required=False,
                               help_text="Leeg: een naam uit regeling, jaren, begroting en sleutel.")

    def clean_key_name(self):
        return new_key_name(self.cleaned_data["key_name"])

    def clean(self):
        data = super().clean()
        name = (data.get("budget_name") or "").strip()
        if data.get("line_amounts"):
            if not name:
                self.add_error("budget_name", "Geef de nieuwe begrotingsversie een naam: u hebt bedragen gewijzigd.")
            elif BudgetVersion.objects.filter(name=name).exists():
                self.add_error("budget_name", "Er bestaat al een begrotingsversie met deze naam.")
        data["budget_name"] = name
        return data
