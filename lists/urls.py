"""Public pages of curated lists, and the home page."""

app_name = "lists"

urlpatterns = []
