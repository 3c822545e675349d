"""The public site's URLs, in two namespaces: `lists` (home, lists, feed) and `catalogue`
(films, people, awards, browse, search). config/urls.py mounts both at the root."""

from django.urls import path

from pages import picture_views, views
from pages.feeds import LatestListsFeed

list_patterns = [
    path("", views.home, name="home"),
    path("lists/", views.list_index, name="list-index"),
    # Before the list pattern: "feed" is reserved and cannot be a list's slug.
    path("lists/feed/", LatestListsFeed(), name="feed"),
    path("lists/<slug:slug>/", views.list_detail, name="list-detail"),
]

catalogue_patterns = [
    path("films/", views.film_browse, name="film-browse"),
    path("films/<slug:slug>/", views.film_detail, name="film-detail"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("awards/", views.award_index, name="award-index"),
    path("search/", views.search, name="search"),
    path("pictures/<slug:owner>/<int:pk>/", picture_views.picture_detail, name="picture-detail"),
]
