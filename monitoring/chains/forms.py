"""Forms of the ketenaanpak monitoring. They parse what was typed; the rules (no date in the future, no
percentage above 100, no negative count) live in `chain_services`, whose errors the views put on the fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from spukportal import bounds
from spukportal.dates import bound_date
from spukportal.money import NumberError, format_number, parse_whole_number

from ..models import MAX_PEOPLE, ChainApproach, ChainStage


class CountField(forms.CharField):
    needed = True  # the service asks for every count ("Vul een aantal in."): never labelled optional

    """A count of people, typed the Dutch way ('43.100', '43100'; `spukportal.money.parse_whole_number`, the
    reader amounts use too); negative and too large counts are refused by the service with a Dutch message (so
    the same words appear for every caller)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def prepare_value(self, value):
        return format_number(value) if isinstance(value, int) else value

    def to_python(self, value):
        try:
            return parse_whole_number(super().to_python(value))
        except NumberError as exc:
            if exc.kind == "too_long":
                raise ValidationError(f"Een aantal kan ten hoogste {format_number(MAX_PEOPLE)} zijn.",
                                      code="too_large") from None
            raise ValidationError("Vul een heel getal in, bijvoorbeeld 43.100 of 43100.", code="invalid") from None


class ChainStateForm(forms.Form):
    approach = forms.ChoiceField(label="Ketenaanpak", choices=[("", "Kies een ketenaanpak")] + ChainApproach.choices,
                                 error_messages={"required": "Kies een ketenaanpak."})
    stage = forms.ChoiceField(label="Stand", choices=ChainStage.choices, widget=forms.RadioSelect,
                              error_messages={"required": "Kies een stand."})
    changed_on = forms.DateField(label="Sinds", error_messages={"required": "Vul de datum in waarop deze stand is bereikt.",
                                                                 "invalid": "Vul een geldige datum in."})
    note = forms.CharField(label="Toelichting", required=False, max_length=500,
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
