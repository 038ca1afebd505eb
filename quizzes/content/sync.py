"""Publish a valid bank to the database in one transaction.

A changed question file makes a new ``QuestionVersion``; an unchanged one makes none; a removed
one is retired (its versions stay, so past attempts still render). Exams and topics follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from ..models import Exam, Question, QuestionVersion, Topic
from .bank import Bank, content_hash, load_bank
from .errors import ContentInvalid
from .validate import validate_bank


@dataclass
class SyncReport:
    """What a sync did (or, in a dry run, would do), by id."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: int = 0
    exams_created: list[str] = field(default_factory=list)
    exams_changed: list[str] = field(default_factory=list)
    exams_retired: list[str] = field(default_factory=list)
    topics: int = 0
    dry_run: bool = False

    def lines(self) -> list[str]:
        """Return a human summary, one line per kind of change."""
        verb = "would be" if self.dry_run else ""
        out = []
        for label, ids in (("created", self.created), ("changed (new version)", self.changed),
                           ("retired", self.retired), ("exams created", self.exams_created),
                           ("exams changed", self.exams_changed), ("exams retired", self.exams_retired)):
            if ids:
                out.append(f"{len(ids)} {verb} {label}: {', '.join(ids)}".replace("  ", " "))
        out.append(f"{self.unchanged} unchanged question(s); {self.topics} topic(s)")
        return out


def _question_fields(question, topic: Topic, source_path: str) -> dict:
    return {"topic_id": topic.pk, "difficulty": question.difficulty, "tags": question.tags,
            "is_parameterised": question.is_parameterised, "source_path": source_path,
            "misconceptions": question.misconception_slugs()}


def sync_content(*, root: Path, dry_run: bool = False) -> SyncReport:
    """Validate ``root`` and publish it; raise ``ContentInvalid`` (nothing written) on problems."""
    bank = load_bank(root)
    datas = {question.id: question.to_data() for question in bank.questions if question.id}
    hashes = {qid: content_hash(data) for qid, data in datas.items()}
    current = dict(
        Question.objects.filter(current_version__isnull=False)
        .values_list("qid", "current_version__content_hash")
    )
    changed_ids = [qid for qid, digest in hashes.items() if current.get(qid) != digest]
    errors = validate_bank(bank, deep_ids=changed_ids)
    if errors:
        raise ContentInvalid(errors)
    with transaction.atomic():
        report = _write(bank, datas, hashes, dry_run=dry_run)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _write(bank: Bank, datas: dict, hashes: dict, *, dry_run: bool) -> SyncReport:
    report = SyncReport(dry_run=dry_run, topics=len(bank.topics))
    topics = _sync_topics(bank)
    now = timezone.now()
    existing = {q.qid: q for q in Question.objects.select_related("current_version")}
    new_versions = []
    for source in bank.questions:
        fields = _question_fields(source, topics[source.topic], datas[source.id]["path"])
        question = existing.get(source.id)
        if question is None:
            question = Question.objects.create(qid=source.id, **fields)
            report.created.append(source.id)
            number = 1
        elif question.current_version and question.current_version.content_hash == hashes[source.id]:
            if question.retired_at is not None or any(getattr(question, k) != v for k, v in fields.items()):
                Question.objects.filter(pk=question.pk).update(retired_at=None, updated_at=now, **fields)
            report.unchanged += 1
            continue
        else:
            Question.objects.filter(pk=question.pk).update(retired_at=None, updated_at=now, **fields)
            report.changed.append(source.id)
            number = (question.current_version.number + 1) if question.current_version else 1
        new_versions.append(QuestionVersion(question=question, number=number,
                                            content_hash=hashes[source.id], data=datas[source.id]))
    for version in QuestionVersion.objects.bulk_create(new_versions):
        version.question.current_version = version
    Question.objects.bulk_update([v.question for v in new_versions], ["current_version"])

    gone = [q for qid, q in existing.items() if qid not in datas and q.retired_at is None]
    Question.objects.filter(pk__in=[q.pk for q in gone]).update(retired_at=now)
    report.retired = sorted(q.qid for q in gone)
    _sync_exams(bank, report, now)
    return report


def _sync_topics(bank: Bank) -> dict[str, Topic]:
    existing = {topic.slug: topic for topic in Topic.objects.all()}
    result = {}
    for source in bank.topics:
        values = {"title": source.title, "description": source.description, "order": source.order}
        topic = existing.get(source.slug)
        if topic is None:
            topic = Topic.objects.create(slug=source.slug, **values)
        elif any(getattr(topic, k) != v for k, v in values.items()):
            Topic.objects.filter(pk=topic.pk).update(**values)
        result[source.slug] = topic
    return result


def _sync_exams(bank: Bank, report: SyncReport, now) -> None:
    existing = {exam.slug: exam for exam in Exam.objects.all()}
    for source in bank.exams:
        data = source.to_data()
        values = {"title": source.title, "description": source.description,
                  "time_limit_minutes": source.time_limit_minutes, "pass_mark": source.pass_mark,
                  "sections": data["sections"], "content_hash": content_hash(data),
                  "source_path": source.path, "retired_at": None}
        exam = existing.get(source.id)
        if exam is None:
            Exam.objects.create(slug=source.id, **values)
            report.exams_created.append(source.id)
        elif exam.content_hash != values["content_hash"] or exam.retired_at is not None:
            Exam.objects.filter(pk=exam.pk).update(**values)
            report.exams_changed.append(source.id)
    ids = {source.id for source in bank.exams}
    gone = [exam for slug, exam in existing.items() if slug not in ids and exam.retired_at is None]
    Exam.objects.filter(pk__in=[exam.pk for exam in gone]).update(retired_at=now)
    report.exams_retired = sorted(exam.slug for exam in gone)
