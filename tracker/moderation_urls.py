"""Moderator pages for source health, served under /moderation/ by the moderation app."""

from django.urls import path

from .views import moderation

app_name = "moderation"

urlpatterns = [
    path("sources/", moderation.source_list, name="sources"),
    path("sources/<int:pk>/reviewed/", moderation.source_mark_reviewed, name="source-reviewed"),
    path("sources/<int:pk>/check/", moderation.source_check_now, name="source-check"),
]
