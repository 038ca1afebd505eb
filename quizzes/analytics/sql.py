"""Database helpers the ORM lacks, for SQLite and PostgreSQL.

- ``SecondsBetween(start, end)``: ``end - start`` in seconds, as a float.
- ``ChosenSource()``: a response's ``choice_order[chosen_position]``, the source index of its choice.
- ``aggregate_over(queryset, select=..., group_by=...)``: run an aggregate over the rows of a
  queryset that has window annotations (``NTILE``, ``ROW_NUMBER``): SQL cannot aggregate a window
  function in the same ``SELECT``, so the queryset becomes a subquery in ``FROM``. The outer SQL
  is a constant written in this package, never user input; the queryset's own parameters are
  passed as parameters.
"""

from __future__ import annotations

from django.db import NotSupportedError, connections
from django.db.models import Case, F, FloatField, Func, IntegerField, QuerySet, Value, When

SCORE = Case(When(is_correct=True, then=Value(1)), default=Value(0), output_field=IntegerField())
"""A response's score: 1 if right, 0 if wrong (or left unanswered in a finished exam)."""


class SecondsBetween(Func):
    """The number of seconds from ``start`` to ``end`` (two datetime expressions), as a float."""

    output_field = FloatField()

    def _sides(self, compiler, connection):
        start, start_params = compiler.compile(self.source_expressions[0])
        end, end_params = compiler.compile(self.source_expressions[1])
        return start, end, [*end_params, *start_params]

    def as_sqlite(self, compiler, connection, **extra):
        start, end, params = self._sides(compiler, connection)
        return f"((julianday({end}) - julianday({start})) * 86400.0)", params

    def as_postgresql(self, compiler, connection, **extra):
        start, end, params = self._sides(compiler, connection)
        return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS double precision)", params

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"SecondsBetween is not written for {connection.vendor}.")


def aggregate_over(queryset: QuerySet, *, select: str, group_by: str, where: str = "") -> list[tuple]:
    """Return ``SELECT {select} FROM (queryset) AS sub [WHERE {where}] GROUP BY {group_by}`` rows.

    The columns of ``sub`` are the names in the queryset's ``values()``.
    """
    inner, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    sql = f"SELECT {select} FROM ({inner}) AS sub {f'WHERE {where}' if where else ''} GROUP BY {group_by}"
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def as_float(value) -> float | None:
    """Return a database number (int, Decimal, float) as a float; None stays None."""
    return None if value is None else float(value)


class ChosenSource(Func):
    """The source index of the choice a response picked: ``choice_order[chosen_position]`` (an integer).

    ``choice_order`` is a JSON array of source indices in display order; NULL when nothing was chosen.
    """

    output_field = IntegerField()

    def __init__(self, choice_order="choice_order", chosen_position="chosen_position", **extra):
        super().__init__(F(choice_order), F(chosen_position), **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self._compiled(compiler, "sqlite")

    def as_postgresql(self, compiler, connection, **extra):
        return self._compiled(compiler, "postgresql")

    def _compiled(self, compiler, vendor):
        order, order_params = compiler.compile(self.source_expressions[0])
        position, position_params = compiler.compile(self.source_expressions[1])
        if vendor == "sqlite":
            sql = f"CAST(json_extract({order}, '$[' || {position} || ']') AS INTEGER)"
        else:
            sql = f"CAST(({order} ->> CAST({position} AS integer)) AS integer)"
        return sql, [*order_params, *position_params]

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"ChosenSource is not written for {connection.vendor}.")


def aggregate_joined(queryset: QuerySet, *, mapping: list[tuple], on: str, select: str, group_by: str,
                     left: bool = False, where: str = "", then: str = "") -> list[tuple]:
    """Return ``SELECT {select} FROM (queryset) AS sub [LEFT] JOIN (VALUES mapping) AS map ON {on} ... GROUP BY``.

    With ``then``, that grouped result becomes the common table ``t`` and ``then`` is the query
    run over it (``WITH t AS (...) {then}``), so a second level of grouping needs no second scan.

    ``mapping`` is a small table of constant rows, passed as parameters; its columns are
    ``map.column1``, ``map.column2``... (the default names of a VALUES list in SQLite and PostgreSQL).
    The SQL around the queryset is a constant written in this package, never user input.
    """
    if not mapping:
        return []
    inner, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    width = len(mapping[0])
    values = ", ".join("(" + ", ".join(["%s"] * width) + ")" for _ in mapping)
    join = "LEFT JOIN" if left else "JOIN"
    sql = (f"SELECT {select} FROM ({inner}) AS sub {join} (VALUES {values}) AS map ON {on} "
           f"{f'WHERE {where}' if where else ''} GROUP BY {group_by}")
    if then:
        sql = f"WITH t AS ({sql}) {then}"
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, [*params, *[cell for row in mapping for cell in row]])
        return cursor.fetchall()
