"""Account URLs: Django's auth views rendered with the site's two account templates."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from ..views.accounts import ThrottledPasswordResetView, signup

FORM_PAGE = "registration/form_page.html"
MESSAGE_PAGE = "registration/message_page.html"


def _form(title: str, submit_label: str, intro: str = "") -> dict:
    return {"template_name": FORM_PAGE,
            "extra_context": {"title": title, "submit_label": submit_label, "intro": intro}}


def _message(title: str, message: str, link_url: str = "", link_text: str = "") -> dict:
    return {"template_name": MESSAGE_PAGE,
            "extra_context": {"title": title, "message": message,
                              "link_url": link_url, "link_text": link_text}}


urlpatterns = [
    path("signup/", signup, name="signup"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, **_form("Log in", "Log in")
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(**_form("Change your password", "Change password")),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            **_message("Password changed", "Your password has been changed.",
                       reverse_lazy("home"), "Back to the home page")
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        ThrottledPasswordResetView.as_view(
            **_form("Reset your password", "Send reset link",
                    "Enter the e-mail address of your account and we will send you a link "
                    "to choose a new password.")
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            **_message("Check your e-mail",
                       "If an account uses that address, we have sent it a link to choose "
                       "a new password.")
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            **_form("Choose a new password", "Set password")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            **_message("Password set", "Your new password is set. You can log in with it now.",
                       reverse_lazy("login"), "Log in")
        ),
        name="password_reset_complete",
    ),
]
