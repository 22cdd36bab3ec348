"""Password rules with Dutch messages (AUTH_PASSWORD_VALIDATORS)."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(f"Dit wachtwoord is te kort: gebruik ten minste {self.min_length} tekens.",
                                  code="password_too_short", params={"min_length": self.min_length})

    def get_help_text(self):
        return f"Uw wachtwoord moet ten minste {self.min_length} tekens bevatten."
