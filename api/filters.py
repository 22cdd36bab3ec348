"""Query parameters (django-filter), in Dutch: jaar, regeling, gemeente (CBS-code), … A bad value is a 400 with
the reason per parameter; years and codes are bounded, so no input reaches the database unchecked."""

import django_filters as filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field

from applications.models import Application, GrantDecision
from budgets.ledger.models import LedgerEntry
from budgets.models import Allocation, AllocationRun, Component, Regulation, RegionAllocation
from budgets.selectors import runs_with_year
from monitoring.models import SpendingReport
from regions.models import PROVINCES, Municipality, RegionMembership
from spukportal import bounds


@extend_schema_field({"type": "integer", "minimum": bounds.MIN_YEAR, "maximum": bounds.MAX_YEAR})
class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", bounds.MIN_YEAR)
        kwargs.setdefault("max_value", bounds.MAX_YEAR)
        kwargs.setdefault("help_text", "jaar (JJJJ)")
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "pattern": "^GM[0-9]{4}$"})
class CbsCodeFilter(filters.CharFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", "CBS-code van de gemeente, bijv. GM0034")
        kwargs.setdefault("validators", [RegexValidator(r"^GM[0-9]{4}$", "Geef een CBS-code zoals GM0034.")])
        kwargs.setdefault("max_length", 6)
        super().__init__(*args, **kwargs)


def _regulation():
    return filters.ChoiceFilter(field_name="regulation", choices=Regulation.choices, help_text="regeling")


class GemeenteFilter(filters.FilterSet):
    provincie = filters.ChoiceFilter(field_name="province", choices=[(p, p) for p in PROVINCES])

    class Meta:
        model = Municipality
        fields = []


class RegiolidmaatschapFilter(filters.FilterSet):
    gemeente = CbsCodeFilter(field_name="municipality__cbs_code")
    regio = filters.CharFilter(field_name="region__slug", max_length=100, help_text="korte naam van de regio")
    datum = filters.DateFilter(method="on_date", help_text="alleen de lidmaatschappen die op deze datum gelden")

    class Meta:
        model = RegionMembership
        fields = []

    def on_date(self, queryset, name, value):
        return queryset.filter(valid_from__lte=value).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=value))


class OnderdeelFilter(filters.FilterSet):
    regeling = _regulation()

    class Meta:
        model = Component
        fields = []


class VerdelingFilter(filters.FilterSet):
    regeling = _regulation()
    jaar = YearFilter(method="with_year", help_text="berekeningen die dit jaar bevatten")
    soort = filters.ChoiceFilter(field_name="kind", choices=AllocationRun.Kind.choices)

    class Meta:
        model = AllocationRun
        fields = []

    def with_year(self, queryset, name, value):
        return runs_with_year(queryset, value)


class BedragFilter(filters.FilterSet):
    gemeente = CbsCodeFilter(field_name="municipality__cbs_code")
    jaar = YearFilter(field_name="year")
    onderdeel = filters.NumberFilter(field_name="component__number", min_value=0, max_value=99,
                                     help_text="nummer van het onderdeel")

    class Meta:
        model = Allocation
        fields = []


class RegiobedragFilter(filters.FilterSet):
    regio = filters.CharFilter(field_name="region__slug", max_length=100, help_text="korte naam van de regio")
    jaar = YearFilter(field_name="year")

    class Meta:
        model = RegionAllocation
        fields = []


class AanvraagFilter(filters.FilterSet):
    jaar = YearFilter(method="covers_year", help_text="aanvragen waarvan de periode dit jaar bevat")
    regeling = _regulation()
    gemeente = CbsCodeFilter(field_name="municipality__cbs_code")
    status = filters.ChoiceFilter(field_name="state", choices=Application._meta.get_field("state").choices)

    class Meta:
        model = Application
        fields = []

    def covers_year(self, queryset, name, value):
        return queryset.filter(period__first_year__lte=value, period__last_year__gte=value)


class BeschikkingFilter(filters.FilterSet):
    jaar = YearFilter(method="with_year", help_text="beschikkingen met een bedrag in dit jaar")
    regeling = filters.ChoiceFilter(field_name="application__regulation", choices=Regulation.choices)
    gemeente = CbsCodeFilter(field_name="application__municipality__cbs_code")

    class Meta:
        model = GrantDecision
        fields = []

    def with_year(self, queryset, name, value):
        return queryset.filter(lines__year=value).distinct()


class VerantwoordingFilter(filters.FilterSet):
    jaar = YearFilter(field_name="year")
    regeling = _regulation()
    gemeente = CbsCodeFilter(field_name="municipality__cbs_code")
    status = filters.ChoiceFilter(field_name="status", choices=SpendingReport.Status.choices)

    class Meta:
        model = SpendingReport
        fields = []


class GeldFilter(filters.FilterSet):
    jaar = YearFilter(field_name="year")
    regeling = _regulation()
    gemeente = CbsCodeFilter(field_name="municipality__cbs_code")
    regio = filters.CharFilter(field_name="region__slug", max_length=100, help_text="korte naam van de regio")

    class Meta:
        model = LedgerEntry
        fields = []
