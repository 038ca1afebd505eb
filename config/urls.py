"""The site's URL map: the quizzes app, accounts and the Django admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("quizzes.urls.accounts")),
    path("", include("quizzes.urls.site")),
]


handler500 = "quizzes.views.errors.server_error"
if getattr(settings, "BENCH_CONTROL_VIEW", False):  # config.settings.bench only: manage.py bench_pages
    from quizzes.views import bench

    urlpatterns.append(path("bench/control/", bench.control, name="bench_control"))
