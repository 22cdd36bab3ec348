"""The ministry's forms for determinations: a transition (with its date and a confirmation) and the batch."""

from django import forms
from django.utils import timezone

from applications.regulations import all_definitions
from spukportal.dates import bound_date

DATE_LABELS = {"vaststellen": "Datum van de vaststelling (de brief)", "terugvorderen": "Terugvordering verzonden op",
               "ontvangen": "Ontvangen of verrekend op", "afsluiten": "Afgesloten op"}


class TransitionForm(forms.Form):
    on = forms.DateField(label="Datum")
    confirm = forms.BooleanField(error_messages={"required": "Vink aan dat u de bedragen hebt gecontroleerd."},
                                 label="Ik heb de bedragen gecontroleerd; deze stap is niet terug te draaien.")

    def __init__(self, *args, name: str, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["on"].label = DATE_LABELS.get(name, "Datum")
        bound_date(self.fields["on"])


def regulation_choices():
    return [(d.code, d.label) for d in all_definitions()]


class BatchChoiceForm(forms.Form):
    regulation = forms.ChoiceField(label="Regeling", choices=regulation_choices)


class BatchStartForm(forms.Form):
    letter_date = forms.DateField(label="Datum van de vaststellingen (de brieven)")
    expected_count = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    confirm = forms.BooleanField(label="Ik heb de aantallen en bedragen gecontroleerd; vaststellen is niet terug te "
                                       "draaien.",
                                 error_messages={"required": "Vink aan dat u de aantallen en bedragen hebt gecontroleerd."})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"letter_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        bound_date(self.fields["letter_date"])
