"""Question reports: students report after answering, only what they were shown, rate-limited; instructors resolve."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from quizzes.analytics import items
from quizzes.analytics.scope import Scope
from quizzes.forms import REPORT_TEXT_NEEDED
from quizzes.models import Cohort, Question, QuestionReport, Response
from quizzes.roles import AUTHORS_GROUP
from quizzes.services import reports as report_services
from tests.quizzes.analytics.data import build_hand, make_attempt, make_exam, make_response

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><b>bold</b> the key is B'


@pytest.fixture
def answered(synced, student):
    question = Question.objects.select_related("current_version").get(qid="output-size-padded")
    return make_response(student, question, right=False, shown=timezone.now() - timedelta(minutes=5))


def report_url(response) -> str:
    return reverse("question_report", args=[response.pk])


def test_a_student_reports_a_practice_answer_and_it_keeps_version_and_seed(client, student, answered):
    client.force_login(student)
    html = client.get(reverse("practice_result", args=[answered.pk])).content.decode()
    assert f'href="{report_url(answered)}"' in html and "Report a problem" in html
    page = client.get(report_url(answered))
    assert page.status_code == 200 and "The key looks wrong" in page.content.decode()
    sent = client.post(report_url(answered), {"kind": "key", "text": HOSTILE})
    assert sent.status_code == 302 and sent.url == reverse("practice_result", args=[answered.pk])
    report = QuestionReport.objects.get()
    assert (report.user, report.response, report.question_id, report.version_id, report.seed, report.kind) == (
        student, answered, answered.question_id, answered.version_id, answered.seed, "key")
    assert report.text == HOSTILE and report.is_open
    assert "Thank you" in client.get(sent.url).content.decode()


def test_the_exam_review_offers_a_report_link_per_question(client, synced, student):
    questions = list(Question.objects.filter(qid__startswith="conv-window-bias").order_by("qid")[:2])
    attempt = make_attempt(student, make_exam(count=2), [(questions[0], True, {}), (questions[1], False, {})])
    client.force_login(student)
    html = client.get(reverse("attempt_result", args=[attempt.pk])).content.decode()
    for item in attempt.responses.all():
        assert f'href="{report_url(item)}"' in html
    assert client.post(report_url(attempt.responses.get(position=2)), {"kind": "unclear"}).url == (
        reverse("attempt_result", args=[attempt.pk]) + "#q2")


def test_a_student_cannot_report_what_they_were_not_shown_or_have_not_answered(client, synced, student,
                                                                             django_user_model):
    question = Question.objects.select_related("current_version").get(qid="conv-window-bias")
    other = django_user_model.objects.create_user("other", password="pw-long-enough-1")
    theirs = make_response(other, question, right=True)
    unanswered = make_response(student, question, right=False, answered=False)
    Response.objects.filter(pk=unanswered.pk).update(is_correct=None)
    open_exam = make_attempt(student, make_exam(count=1), [(question, True, {})])
    open_exam.finished_at = None
    open_exam.save()
    client.force_login(student)
    for response in (theirs, unanswered, open_exam.responses.get()):
        assert client.get(report_url(response)).status_code == 404
        assert client.post(report_url(response), {"kind": "typo"}).status_code == 404
    assert client.get(reverse("question_report", args=[999999])).status_code == 404
    assert not QuestionReport.objects.exists()
    client.logout()
    assert client.get(report_url(theirs)).status_code == 302  # to log in


def test_reports_are_rate_limited_per_student_with_a_clear_error(client, student, answered):
    client.force_login(student)
    for n in range(report_services.REPORTS_PER_HOUR):
        assert client.post(report_url(answered), {"kind": "typo", "text": f"typo {n}"}).status_code == 302
    refused = client.post(report_url(answered), {"kind": "typo", "text": "one more"})
    assert refused.status_code == 429
    assert "10 reports in the last hour" in refused.content.decode() and "one more" in refused.content.decode()
    assert QuestionReport.objects.count() == report_services.REPORTS_PER_HOUR
    QuestionReport.objects.update(created_at=timezone.now() - timedelta(hours=1, minutes=1))
    assert client.post(report_url(answered), {"kind": "typo", "text": "later"}).status_code == 302


def test_a_double_click_stores_one_report(client, student, answered):
    client.force_login(student)
    for _ in range(2):
        client.post(report_url(answered), {"kind": "unclear", "text": "which layer?"})
    assert QuestionReport.objects.count() == 1


@pytest.mark.parametrize("data, error", [
    ({"kind": "other", "text": "  "}, REPORT_TEXT_NEEDED),
    ({"kind": "typo", "text": "x" * 2001}, "at most 2000 characters"),
    ({"kind": "nonsense"}, "Select a valid choice"),
    ({}, "This field is required"),
])
def test_bad_reports_are_form_errors(client, student, answered, data, error):
    client.force_login(student)
    response = client.post(report_url(answered), data)
    assert response.status_code == 400 and error in response.content.decode()
    assert not QuestionReport.objects.exists()


@pytest.fixture
def reported(synced, django_user_model):
    hand = build_hand(django_user_model)
    response = Response.objects.get(user=hand.users["s4"], question=hand.b)
    report = report_services.report_create(user=hand.users["s4"], response=response, kind="key", text=HOSTILE,
                                           when=timezone.now())
    return hand, report


@pytest.fixture
def staff(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("teacher", password="pw-long-enough-1", is_staff=True))
    return client


def test_the_instructor_queue_shows_reports_as_text_and_resolves_them(staff, reported, django_user_model):
    _, report = reported
    queue = staff.get(reverse("instructor_reports")).content.decode()
    assert "conv-window-bias-1" in queue and "s4" in queue and "The key looks wrong" in queue
    assert "&lt;script&gt;" in queue and "<script>alert" not in queue and "<b>bold" not in queue
    detail = staff.get(reverse("instructor_report", args=[report.pk])).content.decode()
    assert "&lt;script&gt;alert" in detail and "<script>alert" not in detail
    assert "(1) What does a convolution add" in detail and "The bias of the filter" in detail  # what s4 saw
    assert "seed 1" in detail
    done = staff.post(reverse("instructor_report_resolve", args=[report.pk]), {"note": "Key checked: it is right."})
    assert done.status_code == 302
    report.refresh_from_db()
    assert not report.is_open and report.resolved_by.username == "teacher"
    assert report.resolution_note == "Key checked: it is right."
    assert "No open reports" in staff.get(reverse("instructor_reports")).content.decode()
    resolved = staff.get(reverse("instructor_reports") + "?status=resolved").content.decode()
    assert "resolved" in resolved and "by teacher" in resolved and "Key checked" in resolved
    staff.post(reverse("instructor_report_reopen", args=[report.pk]))
    report.refresh_from_db()
    assert report.is_open


def test_a_note_too_long_is_a_form_error(staff, reported):
    _, report = reported
    response = staff.post(reverse("instructor_report_resolve", args=[report.pk]), {"note": "n" * 2001})
    assert response.status_code == 400 and "at most 2000 characters" in response.content.decode()
    report.refresh_from_db()
    assert report.is_open


def test_open_reports_count_on_the_item_page_and_in_needs_attention(staff, reported):
    hand, report = reported
    item = staff.get(reverse("instructor_item", args=["conv-window-bias-1"])).content.decode()
    assert "1 open report" in item and f"{reverse('instructor_reports')}?question=conv-window-bias-1" in item
    attention = staff.get(reverse("instructor_items")).content.decode().split('id="needs-attention"')[1]
    assert "reported" in attention.split("</ul>")[0]
    stats = {i.qid: i for i in items.item_stats(Scope())}
    assert stats["conv-window-bias-1"].open_reports == 1
    assert "reported" in [f.code for f in stats["conv-window-bias-1"].flags]
    report_services.report_resolve(report=report, by=None, note="", when=timezone.now())
    after = {i.qid: i for i in items.item_stats(Scope())}["conv-window-bias-1"]
    assert after.open_reports == 0 and "reported" not in [f.code for f in after.flags]


def test_the_queue_filters_by_question_and_cohort(staff, reported):
    hand, _ = reported
    cohort = Cohort.objects.create(name="Without s4")
    cohort.members.add(hand.users["s1"])
    queue = staff.get(reverse("instructor_reports") + f"?cohort={cohort.pk}").content.decode()
    assert "conv-window-bias-1" not in queue.split("<tbody>")[1]
    assert "#1" not in staff.get(reverse("instructor_reports") + "?question=conv-window-bias").content.decode()
    assert staff.get(reverse("instructor_reports") + "?question=nope").status_code == 404
    assert staff.get(reverse("instructor_reports") + "?cohort=999").status_code == 400


def test_students_and_authors_get_403_on_the_report_pages_and_actions(client, reported, django_user_model):
    hand, report = reported
    author = django_user_model.objects.create_user("writer", password="pw-long-enough-1")
    author.groups.add(Group.objects.get(name=AUTHORS_GROUP))
    for user in (hand.users["s4"], author):
        client.force_login(user)
        assert client.get(reverse("instructor_reports")).status_code == 403
        assert client.get(reverse("instructor_report", args=[report.pk])).status_code == 403
        assert client.post(reverse("instructor_report_resolve", args=[report.pk]), {"note": "x"}).status_code == 403
        assert client.post(reverse("instructor_report_reopen", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert report.is_open
