"""URLs of the API (/api/v1/, django-ninja's) and of the learner's token settings page."""

from django.urls import path

from api import views
from api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("settings/tokens/", views.tokens, name="api_tokens"),
    path("settings/tokens/<int:pk>/revoke/", views.token_revoke_view, name="api_token_revoke"),
]
