"""Queries whose SQL the ORM writes once per process, run again with a new value.

Writing the SQL of a query (Django's compiler: joins, expressions, subqueries) costs more processor time than
PostgreSQL needs to answer a small one: about 1 ms against a few tenths. For the query of every request (the
logged-in user with their roles and unread count: spukportal/session_user.py) the portal builds the query once
with a stand-in value for its parameter, keeps its SQL and runs that through `raw()` with the request's value.
`raw()` turns the rows into model instances with the ORM's own conversions (dates on SQLite, for one); the
query's annotations become attributes. A deploy (new code, migrations) starts new processes, so the SQL never
outlives the schema it was written for. The portal has one database.
"""

# An integer that no query of ours has as a constant: where it is in the parameters, the value goes.
_STAND_IN = -2_086_194_337


class PreparedQuery:
    """`build(stand_in)` returns the QuerySet with that integer where the value goes (exactly once in its
    parameters); `run(value)` runs its SQL with the value in its place: a list of model instances."""

    def __init__(self, build):
        self.build = build
        self._written = None  # (manager, SQL, parameters, the stand-in's position); written by the first run

    def _write(self):
        queryset = self.build(_STAND_IN)
        sql, params = queryset.query.sql_with_params()
        found = [i for i, p in enumerate(params) if p == _STAND_IN]
        if len(found) != 1:
            raise ValueError(f"The query has its parameter {len(found)} times; it needs it exactly once.")
        # Two threads writing it at once write the same; either result is kept.
        self._written = (queryset.model._default_manager.db_manager(queryset.db), sql, tuple(params), found[0])
        return self._written

    def run(self, value) -> list:
        manager, sql, params, position = self._written or self._write()
        params = list(params)
        params[position] = value
        return list(manager.raw(sql, params))
