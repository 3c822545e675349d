"""Public pages of the catalogue: films, people, awards, browse, search."""

from django.urls import path

from catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("films/", views.film_browse, name="film-browse"),
    path("films/<slug:slug>/", views.film_detail, name="film-detail"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("awards/", views.award_index, name="award-index"),
    path("search/", views.search, name="search"),
]
