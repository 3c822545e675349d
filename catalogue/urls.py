"""Public pages of the catalogue: films, people, awards, browse, search."""

app_name = "catalogue"

urlpatterns = []
