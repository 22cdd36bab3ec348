from django import forms
from django.contrib.auth import get_user_model

from .models import Municipality


class MandateOfficerForm(forms.Form):
    username = forms.CharField(label="Gebruikersnaam van de medewerker", max_length=150)

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(f"Er is geen actieve gebruiker met gebruikersnaam ‘{name}’.")
        return user


class MunicipalityAddressForm(forms.ModelForm):
    """The ministry sets where letters to a gemeente go (the model checks: all three parts or none)."""

    # Typed freely ("6460ap"), written as PostNL does ("6460 AP") before the model checks the form.
    postal_code = forms.CharField(label="Postcode", max_length=10, required=False, help_text="Bijv. 1300 AE.")

    class Meta:
        model = Municipality
        fields = ["postal_address", "postal_code", "postal_city"]

    def clean_postal_code(self):
        code = "".join(self.cleaned_data["postal_code"].upper().split())
        return f"{code[:4]} {code[4:]}" if len(code) == 6 else code

    def clean_postal_city(self):
        return self.cleaned_data["postal_city"].strip().upper()
