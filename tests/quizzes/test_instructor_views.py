"""Instructor pages: staff only, filtered by cohort (kept across links), sorted on the server, n/a not crashes."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from quizzes.models import Cohort, Question
from quizzes.roles import AUTHORS_GROUP
from tests.quizzes.analytics.data import build_hand, make_attempt, make_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand(synced, django_user_model):
    return build_hand(django_user_model)

PAGES = [
    ("instructor_overview", []), ("instructor_students", []), ("instructor_items", []),
    ("instructor_item", ["conv-window-bias"]), ("instructor_exams", []), ("instructor_exam", ["hand-exam"]),
    ("instructor_cohorts", []), ("instructor_export_exam_results", []), ("instructor_export_progress", []),
    ("instructor_export_items", []), ("instructor_reports", []), ("instructor_misconceptions", []),
    ("instructor_export_misconceptions", []),
]


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_user("teacher", password="pw-long-enough-1", is_staff=True)
    client.force_login(user)
    return client


def main(response) -> str:
    return response.content.decode().split("<main", 1)[1]


@pytest.mark.parametrize("name, args", PAGES)
def test_only_staff_reach_instructor_pages(client, django_user_model, hand, name, args):
    url = reverse(name, args=args)
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(hand.users["s1"])
    assert client.get(url).status_code == 403
    author = django_user_model.objects.create_user("writer", password="pw-long-enough-1")
    author.groups.add(Group.objects.get(name=AUTHORS_GROUP))
    client.force_login(author)
    assert client.get(url).status_code == 403
    assert client.get(reverse("preview_index")).status_code == 200  # authors keep the author preview
    client.force_login(django_user_model.objects.create_user("boss", password="pw-long-enough-1", is_staff=True))
    assert client.get(url).status_code == 200


def test_the_dashboard_link_is_for_staff_only(client, hand, staff):
    assert f'href="{reverse("instructor_overview")}">Dashboard' in staff.get(reverse("home")).content.decode()
    client.force_login(hand.users["s1"])
    assert "Dashboard" not in client.get(reverse("home")).content.decode()


def test_overview_shows_topics_weakest_first_and_exams(staff, hand):
    html = main(staff.get(reverse("instructor_overview")))
    assert "<svg" in html and "Answers per day" in html
    assert html.index("Padding, stride and output size") < html.index("Convolution arithmetic")
    assert "40%" in html and "70%" in html and "3 passed" in html


def test_cohort_filter_narrows_and_is_kept_across_links(staff, hand):
    cohort = Cohort.objects.create(name="Pair")
    cohort.members.add(hand.users["s4"], hand.users["s5"])
    response = staff.get(reverse("instructor_overview"), {"cohort": cohort.pk})
    html = main(response)
    assert f'<option value="{cohort.pk}" selected>Pair</option>' in html
    for name in ("instructor_students", "instructor_items", "instructor_exams", "instructor_cohorts"):
        assert f'href="{reverse(name)}?cohort={cohort.pk}"' in html
    students = main(staff.get(reverse("instructor_students"), {"cohort": cohort.pk}))
    assert ">s4</a>" in students and ">s5</a>" in students and ">s1</a>" not in students
    assert f"sort=-username&amp;cohort={cohort.pk}" in students
    assert f'{reverse("instructor_student", args=[hand.users["s4"].pk])}?cohort={cohort.pk}' in students


def test_an_unknown_cohort_is_a_400_with_the_form_error(staff, hand):
    response = staff.get(reverse("instructor_items"), {"cohort": "999"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert "conv-window-bias" not in main(response)


def test_students_page_sorts_on_the_server(staff, hand):
    html = main(staff.get(reverse("instructor_students"), {"sort": "-right"}))
    assert re.findall(r">(s\d)</a>", html) == ["s1", "s2", "s3", "s4", "s5"]
    html = main(staff.get(reverse("instructor_students"), {"sort": "right"}))
    assert re.findall(r">(s\d)</a>", html) == ["s4", "s5", "s2", "s3", "s1"]
    assert 'aria-sort="ascending"' in html and "?sort=-right" in html


def test_student_page_reuses_the_progress_selectors(staff, hand):
    html = main(staff.get(reverse("instructor_student", args=[hand.users["s2"].pk])))
    assert "s2" in html and "Hand Exam" in html and "2 / 3 (67%)" in html and "Mastery by topic" in html
    assert staff.get(reverse("instructor_student", args=[99999])).status_code == 404


def test_items_page_lists_every_question_with_na_where_undefined(staff, hand):
    html = main(staff.get(reverse("instructor_items")))
    assert "Needs attention (2)" in html and "finished exam attempts only" in html  # two provisional flags
    row = html.split(">conv-window-bias-1</a>")[1].split("</tr>")[0]
    assert "0.60" in row and "-32.7" in row
    unanswered = html.split(">conv-window-bias-2</a>")[1].split("</tr>")[0]
    assert unanswered.count("n/a") == 3


def test_a_flagged_question_is_listed_and_explained(staff, hand):
    html = main(staff.get(reverse("instructor_items")))
    attention = html.split('id="needs-attention"')[1].split("</ul>")[0]
    assert "conv-window-bias-1" in attention and "negative-discrimination (provisional)" in attention
    assert "only 5 answers" in attention
    item = main(staff.get(reverse("instructor_item", args=["conv-window-bias-1"])))
    assert "Check the key" in item and "(Fisher)" in item and "(Wilson)" in item
    assert "Fisher 1921" in item and "Wilson 1927" in item and "1/k" in item


def test_an_item_with_a_monkeypatched_minimum_judges_firmly(staff, hand, monkeypatch):
    monkeypatch.setattr("quizzes.views.instructor.MIN_RESPONSES_TO_FLAG", 5)
    attention = main(staff.get(reverse("instructor_items"))).split('id="needs-attention"')[1].split("</ul>")[0]
    assert "low-discrimination" in attention and "provisional" not in attention


def test_item_page_shows_fifths_choices_and_parameters(staff, hand):
    html = main(staff.get(reverse("instructor_item", args=["output-size-padded"])))
    fifths = html.split('id="fifths"')[1].split("</table>")[0]
    assert re.findall(r'<td class="num">([^<]*)</td>', fifths) == ["0.00", "0.00", "0.00", "1.00", "1.00"]
    assert "Forgot the padding" in html and "Forgot the +1" in html and "40%" in html and "20%" in html
    assert "input_height" in html and "Facility by parameter value" in html


def test_item_page_of_a_question_nobody_answered(staff, hand):
    html = main(staff.get(reverse("instructor_item", args=["conv-window-bias-2"])))
    assert "No responses in this scope yet" in html and "n/a" in html
    assert staff.get(reverse("instructor_item", args=["no-such-question"])).status_code == 404


def test_exam_pages(staff, hand):
    html = main(staff.get(reverse("instructor_exams")))
    assert "Hand Exam" in html and "60.0%" in html and "66.7%" in html and "-0.21" in html
    html = main(staff.get(reverse("instructor_exam", args=["hand-exam"])))
    assert "<svg" in html and "30–40: 2 attempts" in html and "27.9 points" in html
    assert reverse("instructor_items") + "?exam=hand-exam" in html


def test_exam_with_one_attempt_shows_na(staff, synced, student):
    exam = make_exam(slug="solo", count=1)
    make_attempt(student, exam, [(Question.objects.get(qid="conv-window-bias"), True, {})])
    html = main(staff.get(reverse("instructor_exam", args=["solo"])))
    stats = html.split('id="exam-stats"')[1].split("</dl>")[0]
    assert "100.0%" in stats and stats.count("n/a") == 2


def test_items_for_one_exam_and_all_attempts(staff, hand):
    html = main(staff.get(reverse("instructor_items"), {"exam": "hand-exam", "attempts": "all"}))
    assert "Hand Exam" in html and "all attempts" in html
    assert "?exam=hand-exam&amp;attempts=all" in html or "attempts=all&amp;exam=hand-exam" in html


def test_empty_site_renders(staff, db):
    for name in ("instructor_overview", "instructor_students", "instructor_items", "instructor_exams",
                 "instructor_cohorts"):
        assert staff.get(reverse(name)).status_code == 200


def every_instructor_url() -> list[str]:
    """Return a URL for every route under /instructor/, placeholders filled (the role check comes first)."""
    from django.urls import URLPattern, get_resolver

    urls = []
    for pattern in get_resolver("quizzes.urls.instructor").url_patterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {name: 1 if converter.__class__.__name__ == "IntConverter" else "x"
                  for name, converter in pattern.pattern.converters.items()}
        urls.append(reverse(pattern.name, kwargs=kwargs))
    return urls


def test_students_and_authors_get_403_on_every_instructor_page_and_action(client, django_user_model, hand):
    author = django_user_model.objects.create_user("writer", password="pw-long-enough-1")
    author.groups.add(Group.objects.get(name=AUTHORS_GROUP))
    urls = every_instructor_url()
    assert len(urls) >= 15 and reverse("instructor_report_resolve", args=[1]) in urls
    for user in (hand.users["s1"], author):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, url
            assert client.post(url, {"note": "x", "cohort": "", "new_name": "x"}).status_code == 403, url



def test_as_written_renders_markdown_and_latex_as_the_student_saw_it(staff, synced, student):
    from tests.quizzes.analytics.data import make_response

    question = Question.objects.select_related("current_version").get(qid="conv-window-bias-2")
    version = question.current_version
    version.data["choices"][0]["text"] = r"The bias $b$ of the filter, **once** per $\delta$"
    version.content_hash = "edited-for-this-test"
    version.save()
    make_response(student, question, right=True)
    html = main(staff.get(reverse("instructor_item", args=["conv-window-bias-2"])))
    written = html.split('id="choices-title"')[1].split("</table>")[0]
    assert "<math" in written and "<strong>once</strong>" in written and "<mi>δ</mi>" in written
    assert "$b$" not in written and r"\delta" not in written


def test_as_written_of_a_parameterised_question_shows_one_students_numbers(staff, hand):
    html = main(staff.get(reverse("instructor_item", args=["output-size-padded"])))
    assert "one student's numbers" in html and "{{" not in html.split('id="choices-title"')[1].split("</table>")[0]


def test_the_students_table_shows_whole_topic_names_and_labels_cells_for_phones(staff, hand):
    html = main(staff.get(reverse("instructor_students")))
    header = html.split('id="students"')[1].split("</thead>")[0]
    assert ">Padding, stride and output size</a>" in header  # never cut to 24 characters
    row = html.split(">s1</a>")[1].split("</tr>")[0]
    assert 'data-label="Padding, stride and output size"' in row and 'data-label="Best exam"' in row
