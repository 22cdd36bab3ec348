from django import forms
from django.contrib.auth import get_user_model


class MandateOfficerForm(forms.Form):
    username = forms.CharField(label="Gebruikersnaam van de medewerker", max_length=150)

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(f"Er is geen actieve gebruiker met gebruikersnaam ‘{name}’.")
        return user
