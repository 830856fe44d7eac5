"""URLs of accounts: sign-up, log-in, address verification, the profile page and the learner's data."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts.views import account, data

app_name = "accounts"

urlpatterns = [
    path("signup/", account.signup, name="signup"),
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", account.profile_page, name="profile"),
    path("verify/", account.verify_status, name="verify_status"),
    path("verify/resend/", account.verify_resend, name="verify_resend"),
    path("verify/<str:token>/", account.verify_email, name="verify_email"),
    path("data/", data.data_page, name="data"),
    path("data/download/", data.data_download, name="data_download"),
    path("delete/", data.account_delete, name="delete"),
    # Django's own password views with our templates.
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change_form.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path("password/reset/", account.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
