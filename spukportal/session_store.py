"""Django's database sessions, with the read of every request through SQL written once per process.

Reading the session is the first query of every page. Django writes its SQL anew each time (0.1-0.2 ms of
processor time, about as much as PostgreSQL needs to answer it); `spukportal.prepared.PreparedQuery` writes it
once. The row is looked up by its key alone and its expiry is checked here, not in the SQL: the SQL of a prepared
query may not hold the time of the request (it would be the same on the next one). What an expired or unknown
session gives is Django's: an empty session whose key is dropped, so that a new one is made.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from .prepared import PreparedQuery

_SESSION = PreparedQuery(lambda key: Session.objects.filter(session_key=key))


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        # A session key is a string of Django's making (`_validate_session_key`: letters and digits, 8 or more).
        rows = _SESSION.run(self.session_key) if isinstance(self.session_key, str) else []
        if rows and rows[0].expire_date > timezone.now():
            return rows[0]
        self._session_key = None
        return None
