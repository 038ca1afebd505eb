"""Deep linking (an instructor places exams and topics) and Names and Roles (the roster into the cohort)."""

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from quizzes.lti.models import LtiCourse

from .platform import CLIENT_ID, DEPLOYMENT_ID, INSTRUCTOR, ISSUER, LEARNER

User = get_user_model()


def deep_link_launch(platform, client, roles=(INSTRUCTOR,)):
    return platform.launch(client, sub="teacher-1", roles=roles, message="deep_link", ags=False)


def test_instructor_places_an_exam_and_a_topic_and_the_lms_accepts_the_signed_answer(platform, client, synced):
    response = deep_link_launch(platform, client)
    assert response["Location"] == reverse("lti_deep_link")
    page = client.get(reverse("lti_deep_link")).content.decode()
    assert "Tiny exam" in page and "Practice: Convolution arithmetic" in page
    answer = client.post(reverse("lti_deep_link"), {"items": ["exam:tiny-exam", "topic:convolution"]})
    html = answer.content.decode()
    assert 'action="https://lms.example.test/deep-link-return"' in html
    assert "js/lti-autosubmit.js" in html and "<script>" not in html  # no inline script (CSP 'self')
    jwt_value = unescape(re.search(r'name="JWT" value="([^"]+)"', html).group(1))
    items = platform.verify_deep_link_response(jwt_value)  # signature checked against /lti/jwks/
    assert [item["custom"] for item in items] == [{"exam": "tiny-exam"}, {"topic": "convolution"}]
    assert all(item["type"] == "ltiResourceLink" and item["url"] == "http://testserver/lti/launch/" for item in items)
    assert items[0]["lineItem"] == {"scoreMaximum": 2, "label": "Tiny exam", "resourceId": "tiny-exam",
                                    "tag": "exam:tiny-exam"}
    assert "lineItem" not in items[1]
    import jwt as pyjwt

    claims = pyjwt.decode(jwt_value, options={"verify_signature": False})
    assert claims["iss"] == CLIENT_ID and claims["aud"] == [ISSUER]
    assert claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] == DEPLOYMENT_ID
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "opaque-1"
    assert client.get(reverse("lti_deep_link")).status_code == 403  # the launch is used up


def test_deep_link_needs_a_choice(platform, client, synced):
    deep_link_launch(platform, client)
    response = client.post(reverse("lti_deep_link"), {})
    assert response.status_code == 200 and "Pick at least one exam or topic." in response.content.decode()
    response = client.post(reverse("lti_deep_link"), {"items": ["exam:nope"]})
    assert "Select a valid choice" in response.content.decode()


def test_a_learner_cannot_place_content(platform, client, synced):
    deep_link_launch(platform, client, roles=(LEARNER,))
    assert client.get(reverse("lti_deep_link")).status_code == 403


def test_deep_link_page_without_a_launch_is_forbidden(client, student):
    client.force_login(student)
    assert client.get(reverse("lti_deep_link")).status_code == 403


MEMBERS = [
    {"user_id": "learner-1", "roles": [LEARNER], "status": "Active", "name": "Ada Lovelace",
     "given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.edu"},
    {"user_id": "learner-2", "roles": [LEARNER], "status": "Active", "given_name": "Alan", "family_name": "Turing",
     "email": "alan@example.edu"},
    {"user_id": "learner-3", "roles": [LEARNER], "status": "Inactive", "name": "Gone Student"},
    {"user_id": "teacher-1", "roles": [INSTRUCTOR], "status": "Active", "name": "Grace Hopper"},
]


@pytest.fixture
def course(platform, client, synced):
    platform.launch(client, sub="learner-3", roles=[LEARNER])  # in the cohort before the roster says inactive
    client.logout()
    platform.launch(client, sub="teacher-1", roles=[INSTRUCTOR])
    return LtiCourse.objects.get()


def test_instructor_syncs_the_roster_into_the_cohort(platform, client, course):
    platform.members = MEMBERS
    assert list(course.cohort.members.values_list("lti_users__sub", flat=True)) == ["learner-3"]
    response = client.post(reverse("lti_course_sync_roster", args=[course.pk]), follow=True)
    assert "Roster synced: 2 students, 1 instructors; 1 left the cohort." in response.content.decode()
    subs = sorted(course.cohort.members.values_list("lti_users__sub", flat=True))
    assert subs == ["learner-1", "learner-2"]
    alan = User.objects.get(lti_users__sub="learner-2")
    assert (alan.first_name, alan.last_name, alan.email) == ("Alan", "Turing", "alan@example.edu")
    assert "Alan Turing" in client.get(reverse("lti_course", args=[course.pk])).content.decode()
    client.logout()
    platform.launch(client, sub="learner-2")  # the roster's account is the one the launch signs in
    assert User.objects.filter(lti_users__sub="learner-2").distinct().count() == 1
    assert int(client.session["_auth_user_id"]) == alan.pk


def test_roster_command_and_a_failing_platform(platform, client, course, mock_http):
    import responses

    platform.members = MEMBERS
    call_command("sync_lti_roster", "--all")
    assert course.cohort.members.count() == 2
    mock_http.replace(responses.GET, platform.memberships_url, status=503, body="maintenance")
    with pytest.raises(CommandError):
        call_command("sync_lti_roster", "--course", str(course.pk))
    course.refresh_from_db()
    assert "could not be fetched" in course.roster_sync_note and course.cohort.members.count() == 2


def test_roster_sync_is_for_the_course_staff_only(platform, client, course):
    client.logout()
    platform.launch(client, sub="learner-1", roles=[LEARNER])
    assert client.post(reverse("lti_course_sync_roster", args=[course.pk])).status_code == 403


def test_register_command_creates_and_updates_a_platform(db, capsys):
    from lti_tool.models import Key, LtiDeployment, LtiRegistration

    args = ["--issuer", "https://moodle.example.edu", "--client-id", "abc", "--auth-url",
            "https://moodle.example.edu/mod/lti/auth.php", "--token-url", "https://moodle.example.edu/mod/lti/token.php",
            "--keyset-url", "https://moodle.example.edu/mod/lti/certs.php", "--deployment-id", "1"]
    call_command("register_lti_platform", *args)
    call_command("register_lti_platform", *args, "--deployment-id", "2")
    registration = LtiRegistration.objects.get()
    assert sorted(LtiDeployment.objects.filter(registration=registration, is_active=True)
                  .values_list("deployment_id", flat=True)) == ["1", "2"]
    assert Key.objects.count() == 1
    assert "Registered" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--token-url is not an http"):
        call_command("register_lti_platform", *args[:7], "ftp://x", *args[8:])
