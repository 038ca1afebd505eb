"""The exam question page fetches only what it shows: the navigation loads no versions or choice texts."""

import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes.models import ExamAttempt
from quizzes.selectors import variants
from quizzes.selectors.exams import NavItem
from quizzes.templatetags.exam_nav import exam_nav_items, exam_nav_link, flag_badge

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(client, student, synced) -> ExamAttempt:
    client.force_login(student)
    client.post(reverse("exam_start", args=["tiny-exam"]))
    return ExamAttempt.objects.get(user=student)


def test_the_navigation_loads_no_versions_and_no_choice_texts(client, attempt):
    """Of the attempt's questions only the shown one is read with its version; the navigation reads marks.

    No query reads the stored choice texts (the page shows the variant rendered from its source).
    """
    url = reverse("attempt_question", args=[attempt.pk, 2])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    versions = [q["sql"] for q in queries.captured_queries if '"quizzes_questionversion"' in q["sql"]]
    assert len(versions) == 1 and '"quizzes_response"."position" = 2' in versions[0]
    assert not any('"quizzes_response"."choice_texts"' in q["sql"] for q in queries.captured_queries)
    assert not any('"quizzes_questionversion"."data"' in q["sql"] for q in queries.captured_queries)
    assert "Question 2 of 2" in html


def test_a_reload_of_the_exam_page_sends_four_queries_besides_the_session_and_writes_nothing(client, attempt):
    """The user, the attempt with its exam, the navigation, the shown item (its version and topic).

    The session is read from the database, or from Redis with ``REDIS_URL`` (``cached_db``).
    """
    url = reverse("attempt_question", args=[attempt.pk, 2])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    page_queries = [q["sql"] for q in queries.captured_queries if '"django_session"' not in q["sql"]]
    assert len(page_queries) == 4, "\n".join(sql[:150] for sql in page_queries)
    assert all(sql.lstrip().upper().startswith("SELECT") for sql in page_queries)


def test_the_variant_source_is_read_again_only_when_the_variant_is_not_cached(client, attempt):
    url = reverse("attempt_question", args=[attempt.pk, 1])
    variants.variant_cache_clear()
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200


def test_navigation_marks_current_answered_and_flagged_questions(client, attempt):
    client.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": 0})
    client.post(reverse("attempt_flag", args=[attempt.pk, 2]), {"flagged": "1"})
    html = client.get(reverse("attempt_question", args=[attempt.pk, 2])).content.decode()
    nav = html.split('<nav class="exam-nav"')[1].split("</nav>")[0]
    links = re.findall(r"<li>(<a [^>]*>\d+</a>)</li>", nav)
    assert links == [
        f'<a id="exam-nav-1" href="/attempts/{attempt.pk}/q/1/" class="answered" aria-label="Question 1, answered">1</a>',
        f'<a id="exam-nav-2" href="/attempts/{attempt.pk}/q/2/" class="flagged" aria-current="page" '
        'aria-label="Question 2, flagged">2</a>',
    ]


def test_a_missing_position_is_404(client, attempt):
    assert client.get(reverse("attempt_question", args=[attempt.pk, 3])).status_code == 404
    assert client.get(reverse("attempt_question", args=[attempt.pk, 0])).status_code == 404


def test_the_practice_question_page_reads_its_question_topic_and_score_in_few_queries(client, student, synced):
    """Session, user, practice session, the question with its version and topic, one score query, roles, banner."""
    client.force_login(student)
    client.post(reverse("practice"), {"topics": [], "difficulty": ""})
    client.get(reverse("practice_question"))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("practice_question")).content.decode()
    assert "Check answer" in html
    assert len(queries) <= 7, "\n".join(q["sql"][:120] for q in queries.captured_queries)


def test_every_state_of_a_navigation_link_and_of_the_flag_badge_has_its_markup():
    """The links are assembled in Python (``templatetags.exam_nav``): each state's exact markup."""
    now = timezone.now()
    rows = [NavItem(11, 1, now, True, None), NavItem(12, 2, None, False, None), NavItem(13, 3, now, False, now)]
    free = SimpleNamespace(pk=7, one_way=False, furthest_position=3)
    assert exam_nav_items(free, rows, rows[2]).split("\n") == [
        '<li><a id="exam-nav-1" href="/attempts/7/q/1/" class="answered flagged" '
        'aria-label="Question 1, answered, flagged">1</a></li>',
        '<li><a id="exam-nav-2" href="/attempts/7/q/2/" class="" aria-label="Question 2">2</a></li>',
        '<li><a id="exam-nav-3" href="/attempts/7/q/3/" class="answered" aria-current="page" '
        'aria-label="Question 3, answered">3</a></li>',
    ]
    one_way = SimpleNamespace(pk=7, one_way=True, furthest_position=3)
    assert exam_nav_items(one_way, rows[:2], None).split("\n") == [
        '<li><span id="exam-nav-1" class="answered passed-by" aria-label="Question 1, answered (one way: closed)">'
        "1</span></li>",
        '<li><span id="exam-nav-2" class=" passed-by" aria-label="Question 2 (one way: closed)">2</span></li>',
    ]
    assert exam_nav_link(one_way, rows[2], rows[2], oob=True) == (
        '<a id="exam-nav-3" href="/attempts/7/q/3/" class="answered" aria-current="page" hx-swap-oob="true" '
        'aria-label="Question 3, answered">3</a>')
    assert flag_badge(False) == '<span id="flag-badge"></span>'
    assert flag_badge(True, oob=True) == (
        '<span id="flag-badge" hx-swap-oob="true"> <span class="badge badge-flag">flagged for review</span></span>')
