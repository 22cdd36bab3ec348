"""Forms of the ketenaanpak monitoring. They parse what was typed; the rules (no date in the future, no
percentage above 100, no negative count) live in `chain_services`, whose errors the views put on the fields."""

from django import forms
from django.utils import timezone

from spukportal import bounds
from spukportal.dates import bound_date

from .models import MAX_PEOPLE, ChainApproach, ChainStage


class CountField(forms.IntegerField):
    """A count of people: whole numbers; negative and too large counts are refused by the service with a Dutch
    message (so the same words appear for every caller)."""

    default_error_messages = {"invalid": "Vul een heel getal in, zonder punten of letters."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "min": 0, "max": MAX_PEOPLE})
        self.widget.input_type = "text"  # no spinner that hides a typed minus sign; the server checks


class ChainStateForm(forms.Form):
    approach = forms.ChoiceField(label="Ketenaanpak", choices=[("", "Kies een ketenaanpak")] + ChainApproach.choices,
                                 error_messages={"required": "Kies een ketenaanpak."})
    stage = forms.ChoiceField(label="Stand", choices=ChainStage.choices, widget=forms.RadioSelect,
                              error_messages={"required": "Kies een stand."})
    changed_on = forms.DateField(label="Sinds", error_messages={"required": "Vul de datum in waarop deze stand is bereikt.",
                                                                 "invalid": "Vul een geldige datum in."})
    note = forms.CharField(label="Toelichting (niet verplicht)", required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_date(self.fields["changed_on"])  # "not in the future" is the service's check, with its own message
        self.fields["changed_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class FallPreventionForm(forms.Form):
    year = forms.TypedChoiceField(label="Jaar", coerce=int, error_messages={"required": "Kies een jaar."})
    home_dwelling_65_plus = CountField(label="Thuiswonende 65-plussers", required=False,
                                       help_text="Het aantal inwoners van 65 jaar en ouder dat thuis woont "
                                                 "(bijvoorbeeld uit CBS-cijfers).")
    assessments = CountField(label="Valrisico-inschattingen gehouden", required=False,
                             help_text="Hoeveel thuiswonende 65-plussers dit jaar een risico-inschatting kregen.")
    interventions = CountField(label="Deelnemers aan een erkende valpreventieve interventie", required=False,
                               help_text="Hoeveel thuiswonende 65-plussers (met verhoogd valrisico) dit jaar een "
                                         "erkende beweeginterventie volgden.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, max(bounds.MIN_YEAR, 2023) - 1, -1)]
