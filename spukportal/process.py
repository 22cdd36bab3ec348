"""The shape of every process table (the application workflow, the review assessment, the decision, the SiSa
report): a transition names its source states, target, guard, button label, audit code, effects and the
notices it sends (to whom, and what they read, in Dutch).

A process module holds its states and a dict of these transitions; its service takes a transition by name,
checks source and guard, runs the effects (each is told which transition ran), writes the audit event and
hands the notices to `send_notices` with the people each audience names and the words the messages fill in.
"""

from dataclasses import dataclass
from typing import Callable

from .notifications import notify
from .permissions import Decision, deny


@dataclass(frozen=True)
class Notice:
    """One message a transition sends: to `audience` (a name the process resolves to users), with `subject` and
    `body` as `str.format` templates over the process's message words, linking to `link` (a name the process
    resolves to a URL). `event` is the notification's kind; empty: "<process>.<transition>"."""

    audience: str
    subject: str
    body: str
    link: str = "detail"
    event: str = ""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    guard: Callable  # (user, obj) -> Decision: who may take it (a function of the app's permissions.py)
    label: str  # what the button says
    audit_action: str  # the audit event code (spukportal.audit.EVENTS)
    needs_note: bool = False  # the actor must say why (stored in the audit event)
    effects: tuple[str, ...] = ()
    notices: tuple[Notice, ...] = ()


def check_transition(transitions: dict, states: dict, user, obj, state: str, name: str, what: str) -> Decision:
    """May `user` take transition `name` on `obj` (whose state is `state`) now, by state and by guard?"""
    transition = transitions[name]
    if state not in transition.sources:
        return deny(f"{what} met status ‘{states[state].label}’ kan niet: {transition.label.lower()}.")
    return transition.guard(user, obj)


def send_notices(transition: Transition, *, prefix: str, audiences: Callable, words: dict, links: Callable) -> None:
    """Store (and, after commit, mail) each notice of `transition`: `audiences(name)` gives the users,
    `links(name)` the URL, `words` fills in the subject and body. A notice to nobody is skipped."""
    for notice in transition.notices:
        users = [u for u in audiences(notice.audience) if u is not None]
        if users:
            notify(users=users, event=notice.event or f"{prefix}.{transition.name}", url=links(notice.link),
                   subject=notice.subject.format(**words), body=notice.body.format(**words))
