"""Site URLs: pages and JSON endpoints."""

from django.urls import path

from ..views import health, pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
]
