"""URLs of accounts, onboarding and mentoring."""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.views import account

app_name = "accounts"

urlpatterns = [
    path("signup/", account.signup, name="signup"),
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
