"""The site's URL map: the quizzes app, accounts and the Django admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("quizzes.urls.accounts")),
    path("", include("quizzes.urls.site")),
]


handler500 = "quizzes.views.errors.server_error"
