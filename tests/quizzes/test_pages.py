"""The site shell: home page, navigation, error pages."""

import pytest
from django.test import override_settings
from django.urls import include, path, reverse

pytestmark = pytest.mark.django_db


def test_home_page_says_what_the_site_is_and_where_to_start(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Backprop Lab" in html
    assert "backpropagation" in html
    assert reverse("signup") in html
    assert '<main id="main"' in html and 'aria-label="Main"' in html


def test_home_page_greets_a_signed_in_user(client, django_user_model):
    user = django_user_model.objects.create_user("grace", password="pw-long-enough-1")
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert "Signed in as" in html and "grace" in html
    assert reverse("logout") in html


def test_admin_link_only_for_staff(client, django_user_model):
    student = django_user_model.objects.create_user("s", password="pw-long-enough-1")
    client.force_login(student)
    assert reverse("admin:index") not in client.get(reverse("home")).content.decode()
    staff = django_user_model.objects.create_user("t", password="pw-long-enough-1", is_staff=True)
    client.force_login(staff)
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()


def test_unknown_page_renders_the_site_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def _forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


def _broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("forbidden/", _forbidden), path("broken/", _broken), path("", include("config.urls"))]


@override_settings(ROOT_URLCONF=__name__)
def test_permission_denied_renders_the_site_403(client):
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_server_error_renders_the_site_500(client):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
