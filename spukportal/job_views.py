"""What a view answers when someone starts a background job again (a decision letter, a SiSa appendix, a batch, an
allocation run, an export): the service's refusal or a queue that is down becomes a message, success says what
happens now, and the person goes back to the job's page. One place, so every "Opnieuw proberen" behaves alike."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from .jobs import QueueUnavailable


def restart_job(request, start, *, started: str, to, **to_kwargs):
    """Call `start()` (the service); then redirect to `to` (a URL name with `to_kwargs`, as `redirect` takes it)."""
    try:
        start()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except QueueUnavailable as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, started)
    return redirect(to, **to_kwargs)
