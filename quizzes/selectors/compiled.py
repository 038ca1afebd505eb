"""Read queries compiled to SQL once and run with new parameters: for the pages a class hits most.

Django compiles every QuerySet to SQL on every request; for the exam question page, the
practice question page and the autosave that compiling costs ten to twenty times more than
SQLite takes to answer (0.2-0.5 ms a query against 0.02 ms). A ``CompiledRead`` is written as an
ordinary QuerySet, compiled the first time it runs on a connection, and from then on sends the
same SQL with the new parameter values, its rows converted exactly as Django converts them
(``SQLCompiler.apply_converters``: datetimes, booleans, JSON). Its placeholders are named
(``%(p0)s``) and its values passed as a mapping: for ``%s`` placeholders Django's SQLite backend
rescans the whole SQL with a regular expression on every run, which cost more than SQLite's
own answer (50 us for the exam page's item read).

Parameters are integers only (primary keys, positions): the builder is called twice with
different stand-ins (``Stand``), and a SQL parameter is the caller's where the two compilations
differ by exactly the stand-ins' values (the SQL itself must not change). With a ``Shape``
the rows come back as model instances (``Model.from_db``, joined models attached as
``select_related`` attaches them), so the code that receives them is unchanged; a field left
out is deferred (read on access with a query: slower, never wrong).
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from django.db import connections
from django.db.models import Field, Model, QuerySet

BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
STAND_BASES = (30_001, 31_002)
"""Stand-in values of the two compilations: inside every integer field's range (a value out of
a field's range would make Django compile the lookup away), unlike each other, of either parity."""


class Stand:
    """The stand-in values a builder receives: ``stand.attempt_id`` is an int found again in the SQL's parameters."""

    def __init__(self, names: Sequence[str], base: int) -> None:
        self.values = {name: base + index for index, name in enumerate(names)}

    def __getattr__(self, name: str) -> int:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(f"no parameter {name!r}: declare it in CompiledRead(params=...)") from None


PLACEHOLDER_OR_PERCENT = re.compile(r"%%|%s")


def placeholder_name(number: int) -> str:
    """Return the name of the SQL's ``number``-th placeholder (from 0): ``p0``, ``p1``..."""
    return f"p{number}"


def named_placeholders(sql: str) -> str:
    """Return ``sql`` with its ``%s`` placeholders named ``%(p0)s``, ``%(p1)s``... in order (``%%`` kept).

    Both placeholder styles are Django's (``format`` with a sequence of values, ``pyformat`` with
    a mapping); ``%%``, a literal percent sign, means the same in both.
    """
    numbers = itertools.count()

    def named(match: re.Match) -> str:
        return "%%" if match.group() == "%%" else f"%({placeholder_name(next(numbers))})s"

    return PLACEHOLDER_OR_PERCENT.sub(named, sql)


@dataclass
class _Compiled:
    connection: object
    sql: str
    """The query's SQL with named placeholders (``named_placeholders``)."""
    names: list
    """Each SQL parameter's placeholder name, in order (``placeholder_name``)."""
    slots: list
    """For each SQL parameter, in order: the name of the caller's parameter, or ``None`` for a constant."""
    constants: list
    compiler: object
    converters: dict


class CompiledRead:
    """A read-only query compiled once per database connection.

    ``build(stand)`` returns the QuerySet, using ``stand.<name>`` where a parameter goes: ending
    in ``values_list(...)``, or filtered only when a ``shape`` says what to load;
    ``rows(name=value, ...)`` runs it (``instances`` too, with a shape). A query with
    ``select_for_update`` must first run inside a transaction (Django refuses to compile it outside one).
    """

    def __init__(self, build: Callable[[Stand], QuerySet], *, params: Sequence[str], shape: Shape | None = None,
                 using: str = "default") -> None:
        self.build, self.params, self.shape, self.using = build, tuple(params), shape, using
        self._local = threading.local()

    def _queryset(self, stand: Stand) -> QuerySet:
        queryset = self.build(stand)
        return queryset.values_list(*self.shape.columns()) if self.shape is not None else queryset

    def _compile(self, connection) -> _Compiled:
        stands = [Stand(self.params, base) for base in STAND_BASES]
        compilers = [self._queryset(stand).query.get_compiler(using=self.using) for stand in stands]
        (sql, sql_params), (other_sql, other_params) = (compiler.as_sql() for compiler in compilers)
        if sql != other_sql or len(sql_params) != len(other_params):
            raise ValueError("this query's SQL depends on its parameters' values: it cannot be compiled once")
        names = {(stands[0].values[name], stands[1].values[name]): name for name in self.params}
        slots = [names.get((a, b)) if a != b else None for a, b in zip(sql_params, other_params, strict=True)]
        if None in (slot for slot, a, b in zip(slots, sql_params, other_params, strict=True) if a != b):
            raise ValueError("a parameter of this query is not passed through unchanged")
        missing = set(self.params) - set(slots)
        if missing:
            raise ValueError(f"parameters {sorted(missing)} do not reach the SQL of this query")
        compiler = compilers[0]
        fields = [select[0] for select in compiler.select[: compiler.col_count]]
        names = [placeholder_name(number) for number in range(len(slots))]
        return _Compiled(connection, named_placeholders(sql), names, slots, list(sql_params), compiler,
                         compiler.get_converters(fields))

    def rows(self, **values: int) -> list[tuple]:
        """Return the query's rows for these parameter values (each an ``int``).

        A value no 64-bit column can hold matches nothing (as Django's own lookups answer it).
        """
        if any(not BIGINT_MIN <= int(value) <= BIGINT_MAX for value in values.values()):
            return []
        connection = connections[self.using]
        compiled = getattr(self._local, "compiled", None)
        if compiled is None or compiled.connection is not connection:
            compiled = self._local.compiled = self._compile(connection)
        params = {name: constant if slot is None else int(values[slot])
                  for name, slot, constant in zip(compiled.names, compiled.slots, compiled.constants, strict=True)}
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [tuple(row) for row in compiled.compiler.apply_converters(rows, compiled.converters)]
        return rows

    def first(self, **values: int) -> tuple | None:
        """Return the first row, or None."""
        rows = self.rows(**values)
        return rows[0] if rows else None

    def instances(self, **values: int) -> list[Model]:
        """Return the rows as model instances of the ``shape`` (joined models attached)."""
        return [self.shape.build(iter(row), self.using) for row in self.rows(**values)]

    def instance(self, **values: int) -> Model | None:
        """Return the first row as a model instance, or None."""
        found = self.instances(**values)
        return found[0] if found else None


@dataclass(frozen=True)
class Shape:
    """Which fields of ``model`` a read loads, and which joined models (by foreign key name) with theirs."""

    model: type[Model]
    names: tuple[str, ...] | None = None
    """Attnames to load (None: every concrete field); always in the model's field order."""
    joins: tuple[tuple[str, Shape], ...] = ()

    @cached_property
    def _attnames(self) -> list[str]:
        """The model's attnames this shape loads, in field order (worked out once per shape)."""
        order = [field.attname for field in self.model._meta.concrete_fields]
        if self.names is None:
            return order
        unknown = set(self.names) - set(order)
        if unknown:
            raise ValueError(f"{self.model.__name__} has no concrete fields {sorted(unknown)}")
        return [name for name in order if name in self.names]

    @cached_property
    def _relations(self) -> list[tuple[Field, Shape]]:
        return [(self.model._meta.get_field(relation), shape) for relation, shape in self.joins]

    def columns(self, prefix: str = "") -> list[str]:
        """Return the ``values_list`` names of this shape and its joins, in the order ``build`` reads them."""
        columns = [prefix + name for name in self._attnames]
        for relation, shape in self.joins:
            columns += shape.columns(f"{prefix}{relation}__")
        return columns

    def build(self, values, using: str) -> Model:
        """Return an instance from the iterator ``values`` (consumed in ``columns`` order), joins attached."""
        names = self._attnames
        instance = self.model.from_db(using, names, [next(values) for _ in names])
        for field, shape in self._relations:
            field.set_cached_value(instance, shape.build(values, using))
        return instance
