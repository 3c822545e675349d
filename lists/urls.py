"""Public pages of curated lists, and the home page."""

from django.urls import path

from lists import views
from lists.feeds import LatestListsFeed

app_name = "lists"

urlpatterns = [
    path("", views.home, name="home"),
    path("lists/", views.list_index, name="list-index"),
    # Before the list pattern: "feed" is reserved and cannot be a list's slug.
    path("lists/feed/", LatestListsFeed(), name="feed"),
    path("lists/<slug:slug>/", views.list_detail, name="list-detail"),
]
