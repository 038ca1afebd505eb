"""sync_content: one transaction, idempotent, versioned; a bad file changes nothing."""

import pytest
from django.core.management import CommandError, call_command

from quizzes.content.errors import ContentInvalid
from quizzes.content.sync import sync_content
from quizzes.models import Exam, Question, QuestionVersion, Topic
from tests.conftest import STATIC

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Question.objects.values_list("qid", "retired_at", "current_version__number")),
        QuestionVersion.objects.count(),
        sorted(Exam.objects.values_list("slug", "content_hash", "retired_at")),
    )


def test_first_sync_creates_topics_questions_versions_and_exams(good_content):
    report = sync_content(root=good_content.root)
    assert sorted(report.created) == ["conv-window-bias", "output-size-padded"]
    assert report.exams_created == ["tiny-exam"]
    assert list(Topic.objects.values_list("slug", flat=True)) == ["output-size", "convolution"]
    question = Question.objects.get(qid="output-size-padded")
    assert question.is_parameterised and question.current_version.number == 1
    assert question.current_version.data["scenario"] == "conv-output-size"
    assert not Question.objects.get(qid="conv-window-bias").is_parameterised
    assert Exam.objects.get().question_count == 2


def test_resync_unchanged_makes_no_new_version(good_content):
    sync_content(root=good_content.root)
    before = snapshot()
    report = sync_content(root=good_content.root)
    assert report.created == report.changed == report.retired == []
    assert report.unchanged == 2
    assert snapshot() == before


def test_changed_file_makes_a_new_version_and_keeps_the_old_one(good_content):
    sync_content(root=good_content.root)
    good_content.question("conv-window-bias", STATIC.replace("What does", "Which value does"))
    report = sync_content(root=good_content.root)
    assert report.changed == ["conv-window-bias"]
    question = Question.objects.get(qid="conv-window-bias")
    assert [v.number for v in question.versions.all()] == [1, 2]
    assert question.current_version.number == 2
    assert question.versions.get(number=1).data["stem"].startswith("What does")


def test_removed_file_retires_its_question_and_a_restored_one_returns(good_content):
    sync_content(root=good_content.root)
    path = good_content.root / "questions" / "convolution" / "conv-window-bias.md"
    text = path.read_text()
    path.unlink()
    good_content.exam("tiny-exam", good_content.root.joinpath("exams/tiny-exam.md").read_text()
                      .replace("count: 2", "count: 1"))
    report = sync_content(root=good_content.root)
    assert report.retired == ["conv-window-bias"]
    question = Question.objects.get(qid="conv-window-bias")
    assert question.retired_at is not None and question.versions.count() == 1
    path.write_text(text)
    report = sync_content(root=good_content.root)
    assert report.unchanged == 2
    assert Question.objects.get(qid="conv-window-bias").retired_at is None


def test_a_bad_file_changes_nothing_in_the_database(good_content):
    sync_content(root=good_content.root)
    before = snapshot()
    good_content.question("conv-window-bias", STATIC.replace("What does", "Changed?"))
    good_content.question("broken", "---\nid: [\n---\n")
    with pytest.raises(ContentInvalid) as invalid:
        sync_content(root=good_content.root)
    assert any("broken.md:3: YAML error" in str(error) for error in invalid.value.errors)
    assert snapshot() == before


def test_dry_run_reports_and_writes_nothing(good_content):
    report = sync_content(root=good_content.root, dry_run=True)
    assert sorted(report.created) == ["conv-window-bias", "output-size-padded"]
    assert Question.objects.count() == 0 and Topic.objects.count() == 0


def test_sync_command_says_what_it_did_and_fails_cleanly(good_content, capsys):
    call_command("sync_content")
    out = capsys.readouterr().out
    assert "2 created: conv-window-bias, output-size-padded" in out
    call_command("sync_content")
    assert "2 unchanged question(s)" in capsys.readouterr().out
    good_content.question("broken", "")
    with pytest.raises(CommandError, match="nothing was synced"):
        call_command("sync_content")
    assert "broken.md:1: empty file" in capsys.readouterr().err


def test_validate_command_prints_every_problem_and_exits_non_zero(good_content, capsys):
    call_command("validate_content")
    assert "no problems" in capsys.readouterr().out
    bad = good_content.question("bad", STATIC.replace("id: conv-window-bias", "id: Bad_Id").replace(
        "- [x]", "- [ ]"))
    with pytest.raises(CommandError) as failure:
        call_command("validate_content", str(bad))
    assert failure.value.returncode == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all(line.startswith("content/questions/convolution/bad.md:") for line in err)
