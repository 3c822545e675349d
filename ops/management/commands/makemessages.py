"""Django's `makemessages`, reading the public site's Jinja2 templates too.

Django's command reads templates written in Django's template language only: the pages'
`_()`, `ngettext()`, `pgettext()` and `npgettext()` (templates/jinja2/) would be missed and their
translations marked obsolete. Each Jinja2 template is handed to xgettext as the Python calls
it makes, on the lines where it makes them, as Django does with its own templates.
"""

from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.commands import makemessages
from jinja2 import Environment

# The gettext functions the pages call (pages/templating.py), as xgettext knows them in Python.
PYTHON_GETTEXT = {
    "_": "gettext",
    "gettext": "gettext",
    "ngettext": "ngettext",
    "pgettext": "pgettext",
    "npgettext": "npgettext",
}
# How many of each one's first arguments are text to translate (its context included).
MESSAGE_STRINGS = {"gettext": 1, "ngettext": 2, "pgettext": 2, "npgettext": 3}


def page_template_folders():
    """The folders of the Jinja2 engine's templates."""
    return [
        Path(folder).resolve()
        for engine in settings.TEMPLATES
        if engine["BACKEND"].endswith("jinja2.Jinja2")
        for folder in engine.get("DIRS", [])
    ]


def is_page_template(path):
    path = Path(path).resolve()
    return path.suffix == ".html" and any(path.is_relative_to(f) for f in page_template_folders())


def template_messages(source):
    """(line, Python gettext function, its text arguments, context first) of each message a
    Jinja2 template translates."""
    extractor = Environment(extensions=["jinja2.ext.i18n"])
    for line, function, message in extractor.extract_translations(source):
        python = PYTHON_GETTEXT[function]
        strings = message if isinstance(message, tuple) else (message,)
        yield line, python, strings[: MESSAGE_STRINGS[python]]


def messages_as_python(source):
    """The messages a Jinja2 template translates, as the Python calls xgettext reads, each on
    its template's line (a plural's count, not a constant, is written 0)."""
    calls = defaultdict(list)
    for line, python, strings in template_messages(source):
        arguments = [repr(text) for text in strings]
        if python in ("ngettext", "npgettext"):
            arguments.append("0")  # the count, which is no message
        calls[line].append(f"{python}({', '.join(arguments)})")
    last = max(calls, default=0)
    return "".join("; ".join(calls.get(line, [])) + "\n" for line in range(1, last + 1))


class BuildFile(makemessages.BuildFile):
    def preprocess(self):
        if not (self.domain == "django" and is_page_template(self.path)):
            return super().preprocess()
        source = Path(self.path).read_text(encoding="utf-8")
        Path(self.work_path).write_text(messages_as_python(source), encoding="utf-8")


class Command(makemessages.Command):
    build_file_class = BuildFile
