"""Cohorts: create one and add students to it from a list of usernames (a CSV upload).

The file is either a CSV with a ``username`` column (any other columns are ignored) or plain
text with one username per line. ``parse_usernames`` raises ``BadFile`` with one of the message
constants below; ``cohort_import`` adds every listed student or, if any username is unknown,
nobody (and creates no cohort): it raises ``UnknownUsernames`` listing them all, or ``NameTaken``
if a new cohort's name is taken (checked again when it is created, so a double-clicked upload
is refused, not a crash).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from ..models import Cohort

MAX_FILE_BYTES = 1_000_000
MAX_USERNAMES = 5_000
USERNAME_HEADER = "username"

NOT_TEXT = "This file is not a UTF-8 text or CSV file. Save it as CSV (UTF-8) and upload it again."
EMPTY_FILE = "This file lists no usernames."
NO_USERNAME_COLUMN = ("This CSV has several columns but none is headed 'username'. Add that header, "
                      "or upload one username per line.")
TOO_LARGE = "This file is larger than 1 MB; split it into smaller files."
TOO_MANY = f"This file lists more than {MAX_USERNAMES} usernames; split it into smaller files."
UNKNOWN_USERNAMES = "Nobody was added: {count} username{plural} did not match any account: {names}."
CHOOSE_ONE = "Choose an existing cohort or type the name of a new one (not both)."
NAME_TAKEN = "A cohort with this name already exists; choose it from the list instead."


class BadFile(ValueError):
    """The upload cannot be read as a list of usernames; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NameTaken(Exception):
    """A cohort of that name already exists; nothing was saved."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownUsernames(Exception):
    """Some usernames match no account; nothing was saved."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.message = UNKNOWN_USERNAMES.format(count=len(names), plural="" if len(names) == 1 else "s",
                                                names=", ".join(names))
        super().__init__(self.message)


@dataclass(frozen=True)
class ImportReport:
    cohort: Cohort
    added: list[str]
    already: list[str]
    created: bool

    @property
    def summary(self) -> str:
        """Return e.g. "Autumn: 3 students added, 1 already members." """
        text = f"{self.cohort.name}: {len(self.added)} student{'' if len(self.added) == 1 else 's'} added"
        return text + (f", {len(self.already)} already members." if self.already else ".")


def parse_usernames(raw: bytes) -> list[str]:
    """Return the usernames listed in ``raw`` (a CSV or one per line), in order, without repeats."""
    if len(raw) > MAX_FILE_BYTES:
        raise BadFile(TOO_LARGE)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadFile(NOT_TEXT) from None
    if "\x00" in text:
        raise BadFile(NOT_TEXT)
    try:
        # newline=None: lines may end in \n, \r\n or a lone \r (old Mac spreadsheets)
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=None))]
    except csv.Error:
        raise BadFile(NOT_TEXT) from None
    rows = [row for row in rows if any(row)]
    if not rows:
        raise BadFile(EMPTY_FILE)
    header = [cell.casefold() for cell in rows[0]]
    if USERNAME_HEADER in header:
        column = header.index(USERNAME_HEADER)
        cells = [row[column] if column < len(row) else "" for row in rows[1:]]
    elif max(len(row) for row in rows) > 1:
        raise BadFile(NO_USERNAME_COLUMN)
    else:
        cells = [row[0] for row in rows]
    names = list(dict.fromkeys(cell for cell in cells if cell))
    if not names:
        raise BadFile(EMPTY_FILE)
    if len(names) > MAX_USERNAMES:
        raise BadFile(TOO_MANY)
    return names


def match_users(names: list[str]) -> tuple[dict[str, object], list[str]]:
    """Return ({listed name: user}, unknown names): exact match first, else one case-insensitive match."""
    users = get_user_model().objects
    exact = {user.username: user for user in users.filter(username__in=names)}
    rest = [name for name in names if name not in exact]
    folded: dict[str, list] = {}
    if rest:
        for user in users.annotate(folded=Lower("username")).filter(folded__in=[n.lower() for n in rest]):
            folded.setdefault(user.username.lower(), []).append(user)
    found = dict(exact)
    unknown = []
    for name in rest:
        candidates = folded.get(name.lower(), [])
        if len(candidates) == 1:
            found[name] = candidates[0]
        else:
            unknown.append(name)
    return found, unknown


def _cohort_create(*, name: str, created_by) -> Cohort:
    """Create the cohort ``name``; raise ``NameTaken`` if one of that name exists (any case)."""
    if Cohort.objects.filter(name__iexact=name).exists():
        raise NameTaken(NAME_TAKEN)
    try:
        with transaction.atomic():
            return Cohort.objects.create(name=name, created_by=created_by)
    except IntegrityError:  # created by a concurrent request (a double-clicked upload) since the check
        raise NameTaken(NAME_TAKEN) from None


@transaction.atomic
def cohort_import(*, usernames: list[str], cohort: Cohort | None = None, new_name: str = "",
                  created_by=None) -> ImportReport:
    """Add the students ``usernames`` to ``cohort`` (or to a new cohort ``new_name``); all or nothing."""
    found, unknown = match_users(usernames)
    if unknown:
        raise UnknownUsernames(unknown)
    created = cohort is None
    if created:
        cohort = _cohort_create(name=new_name.strip(), created_by=created_by)
    present = set(cohort.members.filter(pk__in=[u.pk for u in found.values()]).values_list("pk", flat=True))
    cohort.members.add(*found.values())
    added = [user.username for user in found.values() if user.pk not in present]
    already = [user.username for user in found.values() if user.pk in present]
    return ImportReport(cohort, list(dict.fromkeys(added)), list(dict.fromkeys(already)), created)
