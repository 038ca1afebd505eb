"""CSV exports: UTF-8 with BOM, a header, one row per thing, formula injection neutralised."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from quizzes.analytics.exports import csv_text, safe_cell
from quizzes.models import Cohort
from tests.quizzes.analytics.data import build_hand

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand(synced, django_user_model):
    return build_hand(django_user_model)


@pytest.fixture
def staff(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("teacher", password="pw-long-enough-1", is_staff=True))
    return client


def download(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")))), response


@pytest.mark.parametrize("value, cell", [
    ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=x", "'\t=x"),
    ("\r=x", "'\r=x"), ("plain", "plain"), ("Émile", "Émile"), ("a=b", "a=b"), ("", ""),
    (-12.5, -12.5), (-3, -3), (0.25, 0.25), (None, ""), (True, "yes"), (False, "no"),
    (datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "2026-01-02 03:04:05"),
])
def test_safe_cell_escapes_text_only(value, cell):
    assert safe_cell(value) == cell


def test_csv_text_has_a_bom_a_header_and_keeps_negative_numbers_numeric():
    text = csv_text(["name", "score"], [["=HYPERLINK(\"x\")", -4.5]])
    assert text.startswith("\ufeffname,score\r\n")
    assert text.splitlines()[1] == "\"'=HYPERLINK(\"\"x\"\")\",-4.5"


def test_exam_results_one_row_per_attempt(staff, hand, django_user_model):
    rows, response = download(staff, "instructor_export_exam_results")
    assert rows[0][:3] == ["attempt", "username", "exam"] and len(rows) == 6
    by_user = {row[1]: row for row in rows[1:]}
    assert by_user["s2"][7:] == ["2", "3", "66.7", "yes"]
    assert "exam-results-" in response["Content-Disposition"]


def test_usernames_that_look_like_formulas_are_escaped(staff, hand, django_user_model):
    hand.users["s1"].username = "=cmd|' /C calc'!A0"
    hand.users["s1"].save()
    hand.users["s2"].username = "-s2"
    hand.users["s2"].save()
    rows, _ = download(staff, "instructor_export_exam_results")
    names = {row[1] for row in rows[1:]}
    assert "'=cmd|' /C calc'!A0" in names and "'-s2" in names
    progress, _ = download(staff, "instructor_export_progress")
    assert "'=cmd|' /C calc'!A0" in {row[0] for row in progress[1:]}


def test_student_progress_one_row_per_student(staff, hand):
    rows, _ = download(staff, "instructor_export_progress")
    header = rows[0]
    assert header[:4] == ["username", "last active (UTC)", "answered", "share right"]
    assert "mastery % convolution" in header and header[-3:] == ["exams finished", "exams passed", "best exam %"]
    s4 = next(row for row in rows[1:] if row[0] == "s4")
    assert s4[2:4] == ["3", "0.3333"] and s4[header.index("mastery % convolution")] == "50"
    assert s4[header.index("mastery % output-size")] == "0"


def test_item_statistics_keep_negative_discrimination_numeric(staff, hand):
    rows, _ = download(staff, "instructor_export_items")
    header = rows[0]
    b = next(row for row in rows[1:] if row[0] == "conv-window-bias-1")
    assert b[header.index("facility")] == "0.6"
    assert b[header.index("discrimination index")] == "-32.7"  # a number, not escaped
    assert [b[header.index(f"fifth {n} mean")] for n in range(1, 6)] == ["1.0", "0.0", "1.0", "0.0", "1.0"]
    d = next(row for row in rows[1:] if row[0] == "conv-window-bias-2")
    assert d[header.index("facility")] == "" and d[header.index("discrimination index")] == ""


def test_exports_follow_the_cohort_filter_and_name_it(staff, hand):
    cohort = Cohort.objects.create(name="Group Ä/1")
    cohort.members.add(hand.users["s3"])
    rows, response = download(staff, "instructor_export_exam_results", cohort=cohort.pk)
    assert [row[1] for row in rows[1:]] == ["s3"]
    assert 'filename="exam-results-group-a1-' in response["Content-Disposition"]


def test_exports_are_for_staff_only(client, hand):
    client.force_login(hand.users["s1"])
    assert client.get(reverse("instructor_export_items")).status_code == 403
