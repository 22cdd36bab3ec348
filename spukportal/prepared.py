"""Queries whose SQL the ORM writes once per process, run again with new values.

Writing the SQL of a query (Django's compiler: joins, expressions, subqueries) costs more processor time than
PostgreSQL needs to answer a small one: about 1 ms against a few tenths. For the query of every request (the
logged-in user with their roles and unread count: spukportal/session_user.py) the portal builds the query once
with a stand-in value for each parameter, keeps its SQL and runs that through `raw()` with the request's values.
`raw()` turns the rows into model instances with the ORM's own conversions (dates on SQLite, for one); the
query's annotations become attributes. A deploy (new code, migrations) starts new processes, so the SQL never
outlives the schema it was written for. The portal has one database.
"""

import threading

# Integers that no query of ours has as a constant: where one of these is in the parameters, a value goes.
_STAND_INS = (-2_086_194_337, -2_086_194_338, -2_086_194_339)


class PreparedQuery:
    """`build(*stand_ins)` returns the QuerySet with those integers where the values go (each exactly once in its
    parameters); `run(*values)` runs its SQL with the values in their place: a list of model instances."""

    def __init__(self, build, parameters: int = 1):
        if not 0 < parameters <= len(_STAND_INS):
            raise ValueError(f"Een query met 1 tot {len(_STAND_INS)} parameters.")
        self.build, self.stand_ins = build, _STAND_INS[:parameters]
        self._written = None  # (manager, SQL, parameters, the stand-ins' positions)
        self._lock = threading.Lock()

    def _write(self):
        with self._lock:
            if self._written is None:
                queryset = self.build(*self.stand_ins)
                sql, params = queryset.query.sql_with_params()
                positions = []
                for stand_in in self.stand_ins:
                    found = [i for i, p in enumerate(params) if p == stand_in]
                    if len(found) != 1:
                        raise ValueError(f"De query heeft parameter {stand_in} {len(found)} keer; precies één keer "
                                         "nodig.")
                    positions.append(found[0])
                self._written = (queryset.model._default_manager.db_manager(queryset.db), sql, tuple(params),
                                 tuple(positions))
        return self._written

    def run(self, *values) -> list:
        manager, sql, params, positions = self._written or self._write()
        params = list(params)
        for position, value in zip(positions, values, strict=True):
            params[position] = value
        return list(manager.raw(sql, params))
