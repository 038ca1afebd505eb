"""LTI in a real browser: the LMS (simulated; its pages are Playwright routes) launches the site.

The platform's server side (keys, token, scores) is ``tests/quizzes/lti/platform.py`` behind
``responses``; its browser side is a route that answers the OIDC auth request with the
auto-posting form an LMS sends, so cookies, redirects and the cross-site POST are the browser's.
"""

import re
from html import escape
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import responses

from quizzes.lti.models import LtiCourse, LtiGradePost
from quizzes.lti.tool import forget_platform_keys
from tests.quizzes.lti.platform import CLIENT_ID, DEPLOYMENT_ID, INSTRUCTOR, ISSUER, LEARNER, Platform


@pytest.fixture
def lms(transactional_db):
    forget_platform_keys()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_passthru("http://localhost")
        mock.add_passthru("http://127.0.0.1")
        platform = Platform()
        platform.register()
        platform.serve(mock)
        yield platform
    forget_platform_keys()


def lms_pages(page, platform, token_options: dict, returned: list) -> None:
    """Answer the platform's auth URL with its auto-post form, and record deep-linking returns."""

    def auth(route):
        query = dict(parse_qsl(urlsplit(route.request.url).query))
        token = platform.id_token(query, **token_options)
        route.fulfill(content_type="text/html", body=(
            f'<form id="f" method="post" action="{escape(query["redirect_uri"])}">'
            f'<input type="hidden" name="id_token" value="{token}">'
            f'<input type="hidden" name="state" value="{escape(query["state"])}"></form>'
            "<script>document.getElementById('f').submit()</script>"))

    def deep_link_return(route):
        returned.append(dict(parse_qsl(route.request.post_data)))
        route.fulfill(content_type="text/html", body="<h1>Back in the LMS</h1>")

    page.route(lambda url: url.startswith(f"{ISSUER}/auth?"), auth)
    page.route(lambda url: url.startswith(f"{ISSUER}/deep-link-return"), deep_link_return)


def start(page, live_server) -> None:
    """Open the tool's login initiation as the LMS would, then follow it to the LMS's auth page.

    Playwright routes no request reached by a redirect, so the login's redirect is read (in the
    page's own cookie jar) and the auth page opened directly.
    """
    login = page.context.request.get(f"{live_server.url}/lti/login/?" + urlencode({
        "iss": ISSUER, "login_hint": "u", "lti_message_hint": "m", "client_id": CLIENT_ID,
        "lti_deployment_id": DEPLOYMENT_ID, "target_link_uri": f"{live_server.url}/lti/launch/"}), max_redirects=0)
    assert login.status == 302, login.text()
    page.goto(login.headers["location"])


def test_student_launches_an_exam_and_the_grade_reaches_the_lms(page, live_server, lms, synced, screenshot):
    lms_pages(page, lms, {"sub": "learner-9", "roles": [LEARNER], "name": "Ada Lovelace",
                          "custom": {"exam": "tiny-exam"}}, [])
    lms.fail_scores = 1  # the LMS is down when the exam is submitted
    start(page, live_server)
    page.wait_for_url("**/exams/tiny-exam/")
    assert "Ada" in page.locator(".account-nav").inner_text() or "lti-" in page.locator(".account-nav").inner_text()
    screenshot(page, "lti-1-student-launch")
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url(re.compile(r".*/attempts/\d+/q/1/"))
    page.get_by_role("link", name="Finish exam…").click()
    page.get_by_role("button", name="Yes, submit and see my score").click()
    page.wait_for_url(re.compile(r".*/result/"))
    post = LtiGradePost.objects.get()
    assert post.status == LtiGradePost.Status.FAILED and lms.scores == []

    page.context.clear_cookies()
    lms_pages(page, lms, {"sub": "teacher-9", "roles": [INSTRUCTOR], "name": "Grace Hopper"}, [])
    start(page, live_server)
    page.wait_for_url(re.compile(r".*/lti/courses/\d+/"))
    assert "Failed (will retry)" in page.locator("#unsent-grades").inner_text()
    screenshot(page, "lti-2-course-page-failed-grade")
    page.get_by_role("button", name="Try sending them now").click()
    page.get_by_text("Every grade has reached the LMS.").wait_for()
    assert len(lms.scores) == 1 and lms.scores[0]["userId"] == "learner-9"
    screenshot(page, "lti-3-course-page-sent")


def test_instructor_places_an_exam_by_deep_linking(page, live_server, lms, synced, screenshot):
    returned: list = []
    lms_pages(page, lms, {"sub": "teacher-9", "roles": [INSTRUCTOR], "message": "deep_link", "ags": False},
              returned)
    start(page, live_server)
    page.wait_for_url("**/lti/deep-link/")
    screenshot(page, "lti-4-deep-link-picker")
    page.get_by_label(re.compile("Tiny exam")).check()
    page.get_by_role("button", name="Add to the course").click()
    page.get_by_role("heading", name="Back in the LMS").wait_for()  # posted by static/js/lti-autosubmit.js
    items = lms.verify_deep_link_response(returned[0]["JWT"])
    assert items[0]["custom"] == {"exam": "tiny-exam"} and items[0]["lineItem"]["scoreMaximum"] == 2
    assert LtiCourse.objects.count() == 1


def test_a_forged_launch_shows_why(page, live_server, lms, synced, screenshot):
    lms_pages(page, lms, {"mutate": lambda claims: claims.update(aud="someone-else")}, [])
    start(page, live_server)
    page.get_by_role("heading", name="This LMS launch was refused").wait_for()
    assert "Wrong audience" in page.locator("#reason").inner_text()
    screenshot(page, "lti-5-refused")
