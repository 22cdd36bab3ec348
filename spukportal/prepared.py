"""Queries whose SQL the ORM writes once per process, run again with new values.

Writing the SQL of a query (Django's compiler: joins, expressions, subqueries) costs more processor time than
PostgreSQL needs to answer a small one: an application with its gemeente, region, period and run (the row of
every application page) took 1.2 ms of processor time in Django, and takes 0.3 ms with its SQL written once
(measured on the national-volume database of benchmarks/bench_load.py). For the queries of every request the
portal builds the QuerySet once with stand-in values for its parameters, keeps the compiler with its SQL, and runs
that SQL again with the request's values: the rows become model instances through the ORM's own iterable
(select_related, deferred fields, annotations and values() as the QuerySet asks; dates converted on SQLite); only
the writing of the SQL is skipped. A deploy (new code, migrations) starts new processes, so the SQL never outlives
the schema it was written for. The portal has one database.

The values are integers (primary keys), dates, strings (compared exactly, not in `icontains`), or tuples of
integers (for `__in`). A tuple's length and any keyword arguments (a role, say) are part of the query's shape;
each shape is written once. Everything else in the query must be the same on every request: the first run builds
the query twice with other stand-ins and refuses a query whose SQL or other values differ (a `timezone.now()` in
it, say). So today's date is a value too.
"""

import copy
import datetime
import inspect
import threading

from django.core.exceptions import EmptyResultSet
from django.db import connections


class _StandIns:
    """Values that no query of ours has as a constant, per kind: where they are in the parameters, a value goes."""

    def __init__(self, number, day, text):
        self.number, self.day, self.text = number, day, text

    def for_values(self, values) -> list:
        """A stand-in per value, of the same kind and length, unique over all values (items of tuples included)."""
        n, result = 0, []
        for value in values:
            if isinstance(value, tuple):
                result.append(tuple(self.number - n - i for i in range(len(value))))
                n += len(value)
                continue
            if isinstance(value, datetime.date):
                result.append(self.day + datetime.timedelta(days=n))
            elif isinstance(value, str):
                result.append(f"{self.text}{n}")
            else:
                result.append(self.number - n)
            n += 1
        return result


_STAND_INS = _StandIns(-2_086_194_337, datetime.date(1111, 1, 1), "\x1fprepared:")
_OTHER_STAND_INS = _StandIns(-1_761_207_433, datetime.date(1222, 1, 1), "\x1fother:")
_KINDS = (int, datetime.date, str)


def _is(param, stand_in) -> bool:
    """Whether a parameter of the written SQL is this stand-in. A date is a date in PostgreSQL's parameters and
    text in SQLite's (each backend's own adapter)."""
    if type(stand_in) is datetime.date and type(param) is str:
        return param == stand_in.isoformat()
    return type(param) is type(stand_in) and param == stand_in


class _Query:
    """The query of a QuerySet as the ORM's iterables read it, with the written compiler in place of a new one."""

    def __init__(self, query, compiler):
        self._query, self._compiler = query, compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler

    def __getattr__(self, name):  # values_select, annotation_select and the like: the query's own
        return getattr(self._query, name)


class _Run:
    """What an iterable (ModelIterable, ValuesIterable, …) reads of its QuerySet."""

    def __init__(self, queryset, compiler):
        self.db, self.model = queryset.db, queryset.model
        self._known_related_objects = queryset._known_related_objects
        self._fields = queryset._fields
        self.query = _Query(queryset.query, compiler)


class PreparedQuery:
    """`build(*stand_ins, **shape)` returns the QuerySet, with a stand-in of the value's kind wherever a value
    goes. `run(*values, **shape)` runs its SQL with the values in their places and returns a list, as
    `list(queryset)` would. No prefetch_related: run those queries on their own."""

    def __init__(self, build):
        self.build = build
        self.arity = len([p for p in inspect.signature(build).parameters.values()
                          if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)])
        self._written = {}  # shape → (QuerySet, compiler, SQL, parameters, places of the values)
        self._lock = threading.Lock()

    def _write(self, values, shape):
        stand_ins = _STAND_INS.for_values(values)
        queryset = self.build(*stand_ins, **shape)
        if queryset._prefetch_related_lookups:
            raise ValueError("A prepared query cannot prefetch: run the prefetched query on its own.")
        compiler = queryset.query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # `.none()`, an empty `__in`: no rows in this shape, whatever the values
            return queryset, None, None, (), []
        places = []  # (value index, item index or None, position in the parameters, a date written as text)
        for index, stand_in in enumerate(stand_ins):
            for item, single in (enumerate(stand_in) if isinstance(stand_in, tuple) else [(None, stand_in)]):
                found = [(i, isinstance(single, datetime.date) and type(p) is str)
                         for i, p in enumerate(params) if _is(p, single)]
                if not found:
                    raise ValueError(f"The query does not have value {index} as a parameter.")
                places += [(index, item, position, as_text) for position, as_text in found]
        # Built again with other stand-ins, the query must be the same but for them: nothing else may vary.
        other = self.build(*_OTHER_STAND_INS.for_values(values), **shape)
        other_sql, other_params = other.query.get_compiler(other.db).as_sql()
        mine = {position for _, _, position, _ in places}
        if other_sql != sql or [p for i, p in enumerate(params) if i not in mine] != \
                [p for i, p in enumerate(other_params) if i not in mine]:
            raise ValueError("The query differs between two builds: a value in it is not one of its parameters.")
        return queryset, compiler, sql, tuple(params), places

    def run(self, *values, **shape) -> list:
        if len(values) != self.arity:
            raise TypeError(f"{self.arity} values expected, {len(values)} given.")
        values = tuple(tuple(v) if isinstance(v, (list, set, frozenset)) else v for v in values)
        for value in values:
            if not (all(type(v) is int for v in value) if isinstance(value, tuple) else type(value) in _KINDS):
                raise TypeError(f"A prepared query takes integers, dates, strings and tuples of integers, "
                                f"not {value!r}.")
        key = (tuple(len(v) if isinstance(v, tuple) else type(v) for v in values), tuple(sorted(shape.items())))
        written = self._written.get(key)
        if written is None:
            with self._lock:  # two threads would write the same; one writes it
                written = self._written.get(key) or self._written.setdefault(key, self._write(values, shape))
        queryset, compiler, sql, params, places = written
        if compiler is None:
            return []
        params = list(params)
        for index, item, position, as_text in places:
            value = values[index] if item is None else values[index][item]
            params[position] = value.isoformat() if as_text else value
        # A copy of the compiler per run: the SQL and parameters of this run, and this thread's connection.
        ready = copy.copy(compiler)
        ready.connection = connections[queryset.db]
        ready.as_sql = lambda *args, **kwargs: (sql, params)
        return list(queryset._iterable_class(_Run(queryset, ready)))
