"""Importing curated lists from documents (listicle, structured list, Letterboxd CSV).

`import_list` (services.py) is the entry point for the command and the admin upload.
"""

from lists.importing.errors import ListImportError
from lists.importing.services import ImportReport, import_list

__all__ = ["ImportReport", "ListImportError", "import_list"]
