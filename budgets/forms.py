from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from regions.models import MunicipalityStatistics
from spukportal import bounds
from spukportal.dates import bound_date

from . import rules
from .models import DEFAULT_REGULATION, AllocationReport, AllocationRun, BudgetVersion, DistributionKey, Factor, Regulation

YEARS = [(y, str(y)) for y in (2023, 2024, 2025, 2026)]


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
        name = self.cleaned_data["name"].strip()
        if DistributionKey.objects.filter(name=name).exists():
            raise ValidationError("Er bestaat al een verdeelsleutel met deze naam.")
        return name

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
