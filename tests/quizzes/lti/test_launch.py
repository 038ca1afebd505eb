"""End to end: OIDC login -> signed launch from the simulated LMS -> signed in, placed, redirected."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from lti_tool.models import LtiMembership, LtiUser

from quizzes.lti.accounts import is_course_staff
from quizzes.lti.models import LtiCourse, LtiExamLaunch
from quizzes.models import Cohort

from .platform import INSTRUCTOR, ISSUER, LEARNER

User = get_user_model()


def test_login_redirects_to_the_platform_with_state_and_nonce(platform, client):
    response = platform.login(client)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{ISSUER}/auth?")
    assert "nonce=" in response["Location"] and "state=state-" in response["Location"]
    assert "prompt=none" in response["Location"] and "response_mode=form_post" in response["Location"]


def test_learner_launch_signs_in_a_linked_account_and_joins_the_course_cohort(platform, client, synced):
    response = platform.launch(client, sub="learner-42", name="Ada Lovelace", email="ada@example.edu")
    assert response.status_code == 302, response.content
    assert response["Location"] == reverse("home")
    user = User.objects.get(lti_users__sub="learner-42", lti_users__registration__issuer=ISSUER)
    assert (user.first_name, user.last_name, user.email) == ("Ada", "Lovelace", "ada@example.edu")
    assert not user.is_staff and not user.has_usable_password()
    assert int(client.session["_auth_user_id"]) == user.pk
    course = LtiCourse.objects.get()
    assert course.cohort.name == "LMS: CNN 101"
    assert list(course.cohort.members.all()) == [user]
    assert not is_course_staff(user, course)


def test_second_launch_reuses_the_account_and_refreshes_name_and_email(platform, client, synced):
    platform.launch(client, sub="learner-42", name="Ada Lovelace", email="ada@example.edu")
    client.logout()
    platform.launch(client, sub="learner-42", name="Ada King", email="ada.king@example.edu")
    assert User.objects.filter(lti_users__sub="learner-42").distinct().count() == 1
    user = User.objects.get(lti_users__sub="learner-42")
    assert (user.last_name, user.email) == ("King", "ada.king@example.edu")
    assert Cohort.objects.count() == 1 and LtiUser.objects.count() == 1


def test_instructor_is_staff_for_the_course_only_not_a_site_superuser(platform, client, synced):
    response = platform.launch(client, sub="teacher-1", roles=[INSTRUCTOR], name="Grace Hopper")
    course = LtiCourse.objects.get()
    assert response["Location"] == reverse("lti_course", args=[course.pk])
    teacher = User.objects.get(lti_users__sub="teacher-1")
    assert not teacher.is_staff and not teacher.is_superuser
    assert is_course_staff(teacher, course)
    assert not course.cohort.members.filter(pk=teacher.pk).exists()  # not counted as a student
    assert LtiMembership.objects.get(user__sub="teacher-1").is_instructor
    assert client.get(reverse("lti_course", args=[course.pk])).status_code == 200
    assert client.get(reverse("instructor_overview")).status_code == 403  # the site dashboards stay staff-only


def test_teaching_assistant_sub_role_counts_as_course_staff(platform, client, synced):
    platform.launch(client, sub="ta-1", roles=["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"])
    assert is_course_staff(User.objects.get(lti_users__sub="ta-1"), LtiCourse.objects.get())


def test_a_learner_may_not_open_the_course_page(platform, client, synced):
    platform.launch(client, sub="teacher-1", roles=[INSTRUCTOR])
    course = LtiCourse.objects.get()
    client.logout()
    platform.launch(client, sub="learner-1", roles=[LEARNER])
    assert client.get(reverse("lti_course", args=[course.pk])).status_code == 403


def test_exam_link_opens_the_exam_and_remembers_the_grade_column(platform, client, synced):
    response = platform.launch(client, sub="learner-1", custom={"exam": "tiny-exam"})
    assert response["Location"] == reverse("exam_detail", args=["tiny-exam"])
    launch = LtiExamLaunch.objects.get()
    assert launch.exam.slug == "tiny-exam" and launch.lineitem_url == platform.lineitem_url
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in launch.scopes


def test_topic_link_opens_practice_for_that_topic(platform, client, synced):
    response = platform.launch(client, custom={"topic": "convolution"})
    assert response["Location"] == reverse("practice") + "?topics=convolution"


def test_link_to_a_missing_exam_says_so(platform, client, synced):
    response = platform.launch(client, custom={"exam": "no-such-exam"})
    assert response.status_code == 404
    assert b"no-such-exam" in response.content


def test_jwks_publishes_the_tool_key(platform, client):
    keys = client.get(reverse("lti_jwks")).json()["keys"]
    assert len(keys) == 1 and keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256" and "d" not in keys[0]
