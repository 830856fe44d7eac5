"""URLs of the reminder settings and the one-click unsubscribe."""

from django.urls import path

from reminders import views as reminder_views

app_name = "reminders"

urlpatterns = [
    path("settings/reminders/", reminder_views.reminder_settings, name="settings"),
    path("reminders/unsubscribe/<str:token>/", reminder_views.unsubscribe, name="unsubscribe"),
]
