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


# Pairs of stand-ins: a query is written with the first and checked with the second of a pair. Django leaves out a
# comparison of an integer field with a value outside the field's range (a PositiveIntegerField's `number__lt=-5`
# is never true: EmptyResultSet; `__gt=-5` always: no condition at all), so a query whose stand-in falls outside a
# field's range is written again with the next pair, whose numbers are within the range of every integer field
# (a SmallIntegerField's ends at 32767). The first pair's numbers are less likely to equal a constant of the query.
_FAMILIES = (
    (_StandIns(-2_086_194_337, datetime.date(1111, 1, 1), "\x1fprepared:"),
     _StandIns(-1_761_207_433, datetime.date(1222, 1, 1), "\x1fother:")),
    (_StandIns(29_983, datetime.date(1333, 1, 1), "\x1fsmall:"),
     _StandIns(27_917, datetime.date(1444, 1, 1), "\x1fsmall-other:")),
)
_KINDS = (int, datetime.date, str)


class _NotWritten(Exception):
    """These stand-ins did not all become parameters of the query's SQL."""


def _is(param, stand_in) -> bool:
    """Whether a parameter of the written SQL is this stand-in. A date is a date in PostgreSQL's parameters and
    text in SQLite's (each backend's own adapter); an integer compared with an integer field may be psycopg's
    Int4 (Django's lookups on PostgreSQL), a subclass of int."""
    if type(stand_in) is datetime.date and type(param) is str:
        return param == stand_in.isoformat()
    if type(stand_in) is int:
        return isinstance(param, int) and type(param) is not bool and param == stand_in
    return type(param) is type(stand_in) and param == stand_in


def _as_written(param, value):
    """`value` as the ORM wrote the stand-in in this place: a date as text, an integer as its Int4."""
    if type(param) is str and type(value) is datetime.date:
        return value.isoformat()
    return value if type(param) is type(value) else type(param)(value)


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
        self._found_converters = {}  # (shape, database, columns) → (columns, converters)
        self._lock = threading.Lock()

    def _write(self, values, shape):
        """(QuerySet, compiler, SQL, parameters, places of the values) of this shape, written with the first pair
        of stand-ins that all become parameters; (None, None, …) when the shape has no rows whatever the values."""
        missing = None
        for stand_ins, other_stand_ins in _FAMILIES:
            try:
                return self._write_with(values, shape, stand_ins, other_stand_ins)
            except EmptyResultSet:  # `.none()`, an empty `__in`; or a stand-in outside a field's range: try the next
                pass
            except _NotWritten as error:
                missing = error
        if missing is not None:
            raise ValueError(str(missing))
        return None, None, None, (), []

    def _write_with(self, values, shape, stand_ins, other_stand_ins):
        mine = stand_ins.for_values(values)
        queryset = self.build(*mine, **shape)
        if queryset._prefetch_related_lookups:
            raise ValueError("A prepared query cannot prefetch: run the prefetched query on its own.")
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        places = []  # (value index, item index or None, position in the parameters)
        for index, stand_in in enumerate(mine):
            for item, single in (enumerate(stand_in) if isinstance(stand_in, tuple) else [(None, stand_in)]):
                found = [i for i, p in enumerate(params) if _is(p, single)]
                if not found:
                    raise _NotWritten(f"The query does not have value {index} as a parameter.")
                places += [(index, item, position) for position in found]
        # Built again with other stand-ins, the query must be the same but for them: nothing else may vary, and
        # every place of a value holds the other stand-in (not a constant that happened to equal the first).
        others = other_stand_ins.for_values(values)
        other = self.build(*others, **shape)
        other_sql, other_params = other.query.get_compiler(other.db).as_sql()
        positions = {position for _, _, position in places}
        if other_sql != sql or len(other_params) != len(params) or \
                [p for i, p in enumerate(params) if i not in positions] != \
                [p for i, p in enumerate(other_params) if i not in positions]:
            raise ValueError("The query differs between two builds: a value in it is not one of its parameters.")
        for index, item, position in places:
            if not _is(other_params[position], others[index] if item is None else others[index][item]):
                raise ValueError("A constant of the query equals a stand-in: it cannot be told from a value.")
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
        for index, item, position in places:
            value = values[index] if item is None else values[index][item]
            params[position] = _as_written(params[position], value)
        # A copy of the compiler per run: the SQL and parameters of this run, and this thread's connection.
        ready = copy.copy(compiler)
        ready.connection = connection = connections[queryset.db]
        ready.as_sql = lambda *args, **kwargs: (sql, params)
        ready.get_converters = self._converters(key, ready.get_converters, connection)
        return list(queryset._iterable_class(_Run(queryset, ready)))

    def _converters(self, key, work_out, connection):
        """The compiler's `get_converters`, remembered per shape and database. Django works out which converters
        the columns need (from_db_value, the backend's) on every run, over every column of the query (a
        select_related row has dozens), and the answer only depends on the columns and the database, the same on
        every run of the written SQL. Keyed on the database's alias, not on the connection object: a thread has a
        connection of its own (the development server starts a thread per request), and those are the same
        database with the same settings. Keyed on the columns too, so a caller that asks for others gets its own."""
        def converters(expressions):
            found_key = (key, connection.alias, tuple(map(id, expressions)))
            found = self._found_converters.get(found_key)
            if found is None:
                # The columns are kept with the answer, so that their ids are not reused meanwhile.
                found = self._found_converters[found_key] = (expressions, work_out(expressions))
            return found[1]
        return converters
