"""The public site's Jinja2 templates are read for messages like Django's own: `makemessages`
finds every `_()`, `ngettext()`, `pgettext()` and `npgettext()` of the pages, on its line, and
every one of them has its Russian translation."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management import get_commands

from ops.management.commands.makemessages import (
    BuildFile,
    is_page_template,
    messages_as_python,
    page_template_folders,
    template_messages,
)

RUSSIAN_PO = Path(settings.LOCALE_PATHS[0]) / "ru" / "LC_MESSAGES" / "django.po"
TEMPLATE = """<h1>{{ _("Films") }}</h1>
<p>{{ ngettext("%(films)s film", "%(films)s films", n, films=n) }}</p>

<nav aria-label="{{ pgettext('navigation', 'Main') }}">{{ _("Page %(number)s", number=1) }}</nav>
<dt>{{ npgettext("film card", "Director", "Directors", count) }}</dt>{{ gettext("Year") }}
"""


def page_templates():
    return sorted(path for folder in page_template_folders() for path in folder.rglob("*.html"))


def page_messages():
    """(where, msgctxt, msgid, msgid_plural) of every message the page templates translate."""
    for path in page_templates():
        for line, function, strings in template_messages(path.read_text()):
            context = strings[0] if function in ("pgettext", "npgettext") else None
            texts = strings[1:] if context is not None else strings
            yield f"{path.name}:{line}", context, texts[0], texts[1] if len(texts) > 1 else None


def test_a_template_s_messages_are_the_python_calls_xgettext_reads_on_their_lines():
    assert messages_as_python(TEMPLATE).splitlines() == [
        "gettext('Films')",
        "ngettext('%(films)s film', '%(films)s films', 0)",
        "",
        "pgettext('navigation', 'Main'); gettext('Page %(number)s')",
        "npgettext('film card', 'Director', 'Directors', 0); gettext('Year')",
    ]


def test_makemessages_hands_page_templates_to_xgettext_as_python(tmp_path):
    template = page_templates()[0]
    copy = tmp_path / "page.html.py"

    class Translatable:
        file, dirpath, path = template.name, str(tmp_path), str(template)

    build = BuildFile(command=None, domain="django", translatable=Translatable)
    build.__dict__["work_path"] = str(copy)
    build.preprocess()

    assert copy.read_text(encoding="utf-8") == messages_as_python(template.read_text())
    assert get_commands()["makemessages"] == "ops"


def test_only_the_jinja2_engine_s_templates_are_read_as_jinja2():
    assert all(is_page_template(path) for path in page_templates())
    admin = Path(settings.BASE_DIR) / "templates" / "admin" / "index.html"
    assert admin.exists() and not is_page_template(admin)


def test_every_message_of_the_pages_has_its_russian_translation():
    translated = {
        (entry.msgctxt, entry.msgid, entry.msgid_plural or None)
        for entry in polib.pofile(str(RUSSIAN_PO)).translated_entries()
    }
    missing = [
        f"{where}: {msgid}"
        for where, context, msgid, plural in page_messages()
        if (context, msgid, plural) not in translated
    ]
    assert len(page_templates()) > 20
    assert missing == []


def test_no_translation_brings_markup_its_message_lacks():
    """A page's translated message is trusted as HTML (its variables are escaped, not its
    text): a translation may not add a quote, a bracket or an ampersand of its own."""
    msgids = {msgid for _where, _context, msgid, _plural in page_messages()}
    added = []
    for entry in polib.pofile(str(RUSSIAN_PO)).translated_entries():
        if entry.msgid not in msgids:
            continue
        source = entry.msgid + (entry.msgid_plural or "")
        for translation in [entry.msgstr, *entry.msgstr_plural.values()]:
            extra = {mark for mark in '"<>&' if translation.count(mark) > source.count(mark)}
            if extra:
                added.append(f"{entry.msgid}: {sorted(extra)}")
    assert msgids and added == []
