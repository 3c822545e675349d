"""Who edits: the Editors group, which holds the model permissions an editor needs on the
catalogue and on lists (its permissions are granted by lists/migrations/0002_editors_group.py,
which spells the name out as migrations must)."""

EDITORS_GROUP = "Editors"
