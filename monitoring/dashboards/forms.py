"""The dashboards' filters (GET parameters): province, region, regulation, year."""

from django import forms

from applications import regulations
from regions.models import PROVINCES, Region

from . import selectors as ds


def _regulations_or_both():
    return [("", "Beide regelingen"), *regulations.choices()]

class DashboardFilterForm(forms.Form):
    provincie = forms.ChoiceField(label="Provincie", required=False,
                                  choices=[("", "Alle provincies")] + [(p, p) for p in PROVINCES],
                                  error_messages={"invalid_choice": "Kies een provincie uit de lijst."})
    regio = forms.ModelChoiceField(label="IZA-regio", required=False, queryset=Region.objects.order_by("name"),
                                   to_field_name="slug", empty_label="Alle regio's",
                                   error_messages={"invalid_choice": "Kies een IZA-regio uit de lijst."})
    regeling = forms.ChoiceField(label="Regeling", required=False,
                                 choices=_regulations_or_both,
                                 error_messages={"invalid_choice": "Kies een regeling uit de lijst."})
    jaar = forms.TypedChoiceField(label="Jaar", required=False, coerce=int, empty_value=None,
                                  error_messages={"invalid_choice": "Kies een jaar uit de lijst."})

    def __init__(self, *args, regions=True, regulations=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = [(y, str(y)) for y in ds.years_choice()]
        self.fields["jaar"].initial = ds.default_year()
        if self.is_bound and not self.data.get("jaar"):
            # Other filters or a map asked for without a year (a link, a bookmark): the page shows the default
            # year, so the year list says that year too instead of its first entry.
            self.data = self.data.copy()
            self.data["jaar"] = str(self.fields["jaar"].initial)
        for field in self.fields.values():
            field.widget.attrs["class"] = "utrecht-select utrecht-select--html-select"
        if not regions:
            del self.fields["provincie"], self.fields["regio"]
        if not regulations:
            del self.fields["regeling"]

    def filters(self) -> ds.Filters:
        """The chosen filters; a field with an invalid value falls back to 'all' (and shows its error), and an
        unbound form (no filters asked for) gives the defaults: everything, last year."""
        data = self.cleaned_data if self.is_valid() else {
            k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        return ds.Filters(year=data.get("jaar") or ds.default_year(), province=data.get("provincie") or "",
                          region=data.get("regio"), regulation=data.get("regeling") or "")
