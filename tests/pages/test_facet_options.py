"""A browse facet's options, built by `facet_options()` in one loop, are the HTML a template
loop would write: values and labels escaped, the chosen one selected, counts grouped as
the reader's language groups them, and `lang` on a label not in the page's language."""

import pytest
from django.template import engines
from django.utils import translation

from discovery.facets import Option

TEMPLATE_LOOP = engines["jinja2"].from_string(
    '{% for option in options %}<option value="{{ option.value }}"'
    "{% if option.selected %} selected{% endif %}{{ lang_attr(option.label) }}>{{ option.label }}"
    ' ({{ option.count|floatformat("0g") }})</option>\n        {% endfor %}'
)
FACET_OPTIONS = engines["jinja2"].from_string("{{ facet_options(options) }}")

OPTIONS = [
    Option('a"b', '<b>Tom & "Jerry"</b>\'', 1234567, True),
    Option("su", "СССР", 3, False),
    Option("mosfilm", "Мосфильм & Lenfilm", 0, False),
    Option("blank", "", 5, False),
    Option("spaces", "   ", 5, False),
]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_options_are_the_html_the_template_loop_wrote(language):
    with translation.override(language):
        # The same characters escaped, in Django's spelling (&quot; for markupsafe's &#34;).
        expected = TEMPLATE_LOOP.render({"options": OPTIONS})
        expected = expected.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
        assert FACET_OPTIONS.render({"options": OPTIONS}) == expected


def test_a_russian_reader_gets_lang_on_english_labels_only():
    with translation.override("ru"):
        html = FACET_OPTIONS.render({"options": OPTIONS})
    assert '<option value="su">СССР (3)</option>' in html
    assert '<option value="a&quot;b" selected lang="en">' in html
    assert "1\xa0234\xa0567" in html or "1 234 567" in html
