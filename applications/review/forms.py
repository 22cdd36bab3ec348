"""Forms of the kerngroep's review."""

from django import forms

from regions.models import PROVINCES
from regions.selectors import region_choices
from spukportal import bounds

from .. import regulations
from ..intake.flow import ApplicationState, STATES
from ..models import Advice, Verdict

# The NL Design System radio button (templates/applications/review/_choice.html prints the label beside it).
RADIO_CLASS = "utrecht-radio-button utrecht-radio-button--html-input"


class QueueFilterForm(forms.Form):
    q = forms.CharField(label="Zoeken", required=False, max_length=100,
                        help_text="Gemeente, regio, CBS-code of kenmerk (bijvoorbeeld ‘Den Haag’ of ‘GM0034’)")
    regulation = forms.ChoiceField(label="Regeling", required=False)
    state = forms.ChoiceField(label="Status", required=False)
    province = forms.ChoiceField(label="Provincie", required=False)
    region = forms.ChoiceField(label="Regio", required=False)
    mine = forms.BooleanField(label="Aan mij toegewezen", required=False)
    unassigned = forms.BooleanField(label="Nog niet toegewezen", required=False)
    overdue = forms.BooleanField(label="Advies over de termijn", required=False)
    waiting = forms.BooleanField(label="Wacht op mij", required=False,
                                 help_text="Waar de volgende stap van de beoordeling aan u is")
    sort = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regulation"].choices = [("", "Alle regelingen"), *regulations.choices()]
        self.fields["state"].choices = [("", "Alle statussen"), *[
            (s.code, s.label) for s in STATES.values() if s.code != ApplicationState.CONCEPT]]
        self.fields["province"].choices = [("", "Alle provincies"), *[(p, p) for p in PROVINCES]]
        self.fields["region"].choices = [("", "Alle regio's"), *region_choices()]


class ReviewersAssignForm(forms.Form):
    first = forms.ModelChoiceField(label="Eerste beoordelaar", queryset=None, required=False,
                                   empty_label="(niemand)")
    second = forms.ModelChoiceField(label="Tweede beoordelaar", queryset=None, required=False,
                                    empty_label="(niemand)")

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first"].queryset = reviewers
        self.fields["second"].queryset = reviewers
        for f in self.fields.values():
            f.label_from_instance = lambda u: u.get_full_name() or u.get_username()

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("first") == data.get("second"):
            self.add_error("second", "De eerste en de tweede beoordelaar moeten twee verschillende personen zijn.")
        return data


class NoteForm(forms.Form):
    comment = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=bounds.MAX_NOTE_CHARS)


class ReturnForm(forms.Form):
    comment = forms.CharField(label="Waarom stuurt u het advies terug?", widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=bounds.MAX_NOTE_CHARS,
                              error_messages={"required": "Schrijf waarom u het advies terugstuurt."})


class AssessmentForm(forms.Form):
    """A verdict and a comment per element (fields `item<N>_verdict`, `item<N>_comment`), the advice and its
    reasons. Everything optional here: the service says what a proposal needs (errors come back to the fields)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    advice = forms.ChoiceField(label="Advies", required=False,
                               widget=forms.RadioSelect(attrs={"class": RADIO_CLASS}))
    reasons = forms.CharField(label="Motivering van het advies", required=False, max_length=bounds.MAX_NOTE_CHARS,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.fields["advice"].choices = Advice.choices
        self.rows = []
        for i, item in enumerate(self.items):
            v, c = f"item{i}_verdict", f"item{i}_comment"
            self.fields[v] = forms.ChoiceField(label=f"Oordeel: {item.label}", required=False,
                                               choices=Verdict.choices, widget=forms.RadioSelect(
                                                   attrs={"class": RADIO_CLASS}))
            self.fields[c] = forms.CharField(label=f"Toelichting bij ‘{item.label}’", required=False,
                                             max_length=bounds.MAX_NOTE_CHARS, widget=forms.Textarea(attrs={"rows": 2}))
            self.initial.setdefault(v, item.verdict)
            self.initial.setdefault(c, item.comment)
            self.rows.append((item, v, c))
        for name, field in self.fields.items():  # needed for a proposal (a draft may be saved without)
            field.needed = name in ("advice", "reasons") or name.endswith("_verdict")
        # keep `advice` and `reasons` after the elements
        self.order_fields(["version", *[n for _, v, c in self.rows for n in (v, c)], "advice", "reasons"])

    def item_data(self) -> dict:
        return {item.key: {"verdict": self.cleaned_data.get(v) or "", "comment": self.cleaned_data.get(c) or ""}
                for item, v, c in self.rows}

    def add_service_errors(self, errors: dict):
        field_of = {item.key: v for item, v, _ in self.rows}
        for key, messages in errors.items():
            self.add_error(field_of.get(key, key if key in self.fields else None), messages)

    def verdict_rows(self):
        return [(item, self[v], self[c]) for item, v, c in self.rows]


class PointsForm(forms.Form):
    """The points of a request for additions (`points` repeated; empty ones are dropped)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.points = [p for p in (self.data.getlist("points") if self.is_bound else [])]


class CommentForm(forms.Form):
    text = forms.CharField(label="Opmerking", max_length=bounds.MAX_NOTE_CHARS, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Schrijf een opmerking."})
    audience = forms.ChoiceField(label="Zichtbaar voor", required=False, widget=forms.RadioSelect,
                                 choices=[("intern", "Intern (alleen kerngroep en ministerie)"),
                                          ("aanvrager", "Ook de gemeente")], initial="intern")
