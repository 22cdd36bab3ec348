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


class GuessablePasswordValidator:
    """Refuses a password that is easy to guess even when it is long enough: repeats (`aaaaaaaaaaaa`), sequences
    (`abcdefghijkl`), keyboard patterns, common words with digits. zxcvbn estimates how many guesses an attacker
    needs; below `min_score` (0–4, default 3: about 10^8 guesses) the password is refused."""

    def __init__(self, min_score=3):
        self.min_score = min_score

    def validate(self, password, user=None):
        # Imported here, not at the top: zxcvbn builds its word lists on import; only a password change needs it.
        from zxcvbn import zxcvbn

        hints = [getattr(user, name, "") or "" for name in ("username", "first_name", "last_name", "email")]
        if zxcvbn(password[:72], user_inputs=[h for h in hints if h])["score"] < self.min_score:
            raise ValidationError(
                "Dit wachtwoord is te makkelijk te raden (bijvoorbeeld herhalingen, reeksen of een woord met "
                "cijfers). Gebruik een langere zin of een mix van woorden die niet bij elkaar horen.",
                code="password_guessable")

    def get_help_text(self):
        return "Uw wachtwoord mag niet makkelijk te raden zijn: geen herhalingen, reeksen of bekende woorden."
