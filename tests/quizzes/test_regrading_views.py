"""The instructor's regrading and exam-rule pages: staff only, changes by POST with CSRF."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Accommodation, ExamAttempt, ExamRules, ExamWindow, Regrade
from quizzes.roles import AUTHORS_GROUP
from quizzes.services import exams as exam_services
from quizzes.services.regrading import regrade_add
from tests.quizzes.analytics.data import build_hand

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand(synced, django_user_model):
    return build_hand(django_user_model)


@pytest.fixture
def teacher(django_user_model):
    return django_user_model.objects.create_user("teacher", password="pw-long-enough-1", is_staff=True)


@pytest.fixture
def staff(client, teacher):
    client.force_login(teacher)
    return client


def every_new_url(hand, teacher):
    """Return (method, url, data) for every new instructor page and action."""
    regrade = regrade_add(version=hand.c.current_version, kind="drop", params={}, by=teacher,
                          when=timezone.now()).regrade
    window = ExamWindow.objects.create(exam=hand.exam)
    accommodation = Accommodation.objects.create(user=hand.users["s1"], extra_minutes=5)
    attempt = exam_services.exam_start(user=hand.users["s1"], exam=exam_services.Exam.objects.get(slug="tiny-exam"),
                                       when=timezone.now())
    version = hand.c.current_version.pk
    return [
        ("get", reverse("instructor_regrades"), {}),
        ("get", reverse("instructor_exam_rules", args=[hand.exam.slug]), {}),
        ("get", reverse("instructor_accommodations"), {}),
        ("post", reverse("instructor_regrade", args=[hand.c.qid]), {"version": version, "kind": "full_marks"}),
        ("post", reverse("instructor_regrade_undo", args=[regrade.pk]), {}),
        ("post", reverse("instructor_exam_rules", args=[hand.exam.slug]), {"rules-max_attempts": "1"}),
        ("post", reverse("instructor_exam_window_add", args=[hand.exam.slug]), {"window-closes_at": "2030-01-01T10:00"}),
        ("post", reverse("instructor_exam_window_delete", args=[hand.exam.slug, window.pk]), {}),
        ("post", reverse("instructor_attempt_extend", args=[attempt.pk]), {"minutes": "30"}),
        ("post", reverse("instructor_attempt_end", args=[attempt.pk]), {}),
        ("post", reverse("instructor_accommodations"), {"username": "s2", "time_multiplier": "2", "extra_minutes": "0"}),
        ("post", reverse("instructor_accommodation_delete", args=[accommodation.pk]), {}),
    ]


def snapshot():
    return (list(Regrade.objects.values_list("pk", "undone_at")), list(ExamRules.objects.values()),
            list(ExamWindow.objects.values()), list(Accommodation.objects.values()),
            list(ExamAttempt.objects.values_list("pk", "deadline", "finished_at", "score")))


@pytest.mark.parametrize("who", ["student", "author"])
def test_students_and_authors_get_403_everywhere_and_change_nothing(hand, teacher, client, django_user_model, who):
    user = django_user_model.objects.create_user("someone", password="pw-long-enough-1")
    if who == "author":
        user.groups.add(Group.objects.get(name=AUTHORS_GROUP))
    client.force_login(user)
    urls = every_new_url(hand, teacher)
    before = snapshot()
    for method, url, data in urls:
        assert getattr(client, method)(url, data).status_code == 403, url
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_log_in(hand, teacher, client):
    for method, url, data in every_new_url(hand, teacher):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_actions_are_post_only_and_need_the_csrf_token(hand, teacher):
    urls = every_new_url(hand, teacher)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(teacher)
    before = snapshot()
    for method, url, data in urls:
        if method == "post":
            assert strict.get(url).status_code in (405, 200), url  # the pages with a form answer GET
            assert strict.post(url, data).status_code == 403, url
    assert snapshot() == before
    for name, args in (("instructor_regrade", [hand.c.qid]), ("instructor_attempt_end", [1]),
                       ("instructor_attempt_extend", [1]), ("instructor_regrade_undo", [1])):
        assert strict.get(reverse(name, args=args)).status_code == 405


def test_the_item_page_regrades_and_the_exam_statistics_change(hand, staff):
    item_url = reverse("instructor_item", args=[hand.c.qid])
    html = staff.get(item_url).content.decode()
    assert 'id="regrade"' in html and "Accept another choice as correct too" in html and "Drop from scoring" in html
    exam_url = reverse("instructor_exam", args=[hand.exam.slug])
    assert "60.0%" in staff.get(exam_url).content.decode()
    done = staff.post(reverse("instructor_regrade", args=[hand.c.qid]),
                      {"version": hand.c.current_version.pk, "kind": "accept_choice", "choice": "1", "cohort": "",
                       "note": "The key missed padding"}, follow=True)
    assert done.redirect_chain[-1][0] == item_url + "#regrade"
    page = done.content.decode()
    assert "Regraded:" in page and "2 answers changed" in page and ">Undo<" in page
    assert "73.3%" in staff.get(exam_url).content.decode()
    again = staff.post(reverse("instructor_regrade", args=[hand.c.qid]),
                       {"version": hand.c.current_version.pk, "kind": "accept_choice", "choice": "1"}, follow=True)
    assert "already applied: nothing changed" in again.content.decode() and Regrade.objects.count() == 1
    log = staff.get(reverse("instructor_regrades")).content.decode()
    assert hand.c.qid in log and "2 → 4" in log and "3 → 4" in log and "The key missed padding" in log
    undo = staff.post(reverse("instructor_regrade_undo", args=[Regrade.objects.get().pk]), {"back": "log"}, follow=True)
    assert "Undone:" in undo.content.decode() and "undone" in undo.content.decode()
    assert "60.0%" in staff.get(exam_url).content.decode()


def test_a_refused_regrade_shows_why(hand, staff):
    response = staff.post(reverse("instructor_regrade", args=[hand.c.qid]),
                          {"version": hand.c.current_version.pk, "kind": "accept_choice", "choice": "0"}, follow=True)
    assert "Choose one of this version&#x27;s wrong choices" in response.content.decode()
    bad = staff.post(reverse("instructor_regrade", args=[hand.c.qid]),
                     {"version": hand.a.current_version.pk, "kind": "drop"}, follow=True)  # another question's version
    assert "The regrade was not applied" in bad.content.decode()
    assert not Regrade.objects.exists()


def test_the_rules_page_sets_rules_windows_and_controls_attempts(hand, staff, teacher):
    url = reverse("instructor_exam_rules", args=["tiny-exam"])
    assert staff.post(url, {"rules-max_attempts": "2", "rules-one_way": "on"}).status_code == 302
    rules = ExamRules.objects.get()
    assert (rules.max_attempts, rules.one_way, rules.updated_by) == (2, True, teacher)
    assert staff.post(url, {"rules-max_attempts": "0"}).status_code == 400
    add = reverse("instructor_exam_window_add", args=["tiny-exam"])
    assert staff.post(add, {"window-opens_at": "2030-01-02T10:00", "window-closes_at": "2030-01-01T10:00"}
                      ).status_code == 400
    assert staff.post(add, {"window-closes_at": "2030-01-01T10:00"}).status_code == 302
    taken = staff.post(add, {"window-closes_at": "2031-01-01T10:00"})
    assert taken.status_code == 400 and "already has a window for everyone else" in taken.content.decode()
    attempt = exam_services.exam_start(user=hand.users["s1"], exam=exam_services.Exam.objects.get(slug="tiny-exam"),
                                       when=timezone.now())
    page = staff.get(url).content.decode()
    assert "s1" in page and "Add minutes" in page and "End now" in page
    staff.post(reverse("instructor_attempt_extend", args=[attempt.pk]), {"minutes": "30"})
    assert ExamAttempt.objects.get(pk=attempt.pk).deadline == attempt.deadline + timedelta(minutes=30)
    refused = staff.post(reverse("instructor_attempt_extend", args=[attempt.pk]), {"minutes": "9999"}, follow=True)
    assert "600" in refused.content.decode()
    staff.post(reverse("instructor_attempt_end", args=[attempt.pk]))
    ended = ExamAttempt.objects.get(pk=attempt.pk)
    assert ended.finished_at is not None and ended.ended_by == teacher
    again = staff.post(reverse("instructor_attempt_end", args=[attempt.pk]), follow=True)
    assert "already finished" in again.content.decode()


def test_the_accommodations_page_gives_and_removes_extra_time(hand, staff):
    url = reverse("instructor_accommodations")
    assert staff.post(url, {"username": "nobody", "time_multiplier": "1", "extra_minutes": "5"}).status_code == 400
    assert staff.post(url, {"username": "s1", "time_multiplier": "9", "extra_minutes": "5"}).status_code == 400
    assert staff.post(url, {"username": "s1", "time_multiplier": "1.5", "extra_minutes": "5"}).status_code == 302
    assert staff.post(url, {"username": "s1", "time_multiplier": "1.25", "extra_minutes": "0"}).status_code == 302
    accommodation = Accommodation.objects.get()  # the second replaced the first
    assert str(accommodation.time_multiplier) == "1.25"
    assert "s1" in staff.get(url).content.decode()
    staff.post(reverse("instructor_accommodation_delete", args=[accommodation.pk]))
    assert not Accommodation.objects.exists()


def test_the_admin_edits_rules_and_lists_regrades_read_only(hand, client, django_user_model, teacher):
    admin = django_user_model.objects.create_superuser("root", password="pw-long-enough-1")
    client.force_login(admin)
    for name in ("examrules", "examwindow", "accommodation"):
        assert client.get(reverse(f"admin:quizzes_{name}_add")).status_code == 200
    regrade_add(version=hand.c.current_version, kind="drop", params={}, by=teacher, when=timezone.now())
    assert client.get(reverse("admin:quizzes_regrade_changelist")).status_code == 200
    assert client.get(reverse("admin:quizzes_regrade_add")).status_code == 403
