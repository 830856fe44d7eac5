"""URLs of the Job ads pages."""

from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("jobs/", views.ads, name="ads"),
    path("jobs/analyse/", views.analyse, name="analyse"),
    path("jobs/save/", views.save, name="save"),
    path("jobs/market/", views.market, name="market"),
    path("jobs/market/all/", views.market_all, name="market_all"),
    path("jobs/focus/remove/", views.unfocus, name="unfocus"),
    path("jobs/<int:pk>/", views.ad, name="ad"),
    path("jobs/<int:pk>/delete/", views.delete, name="delete"),
    path("jobs/<int:pk>/focus/", views.focus, name="focus"),
]
