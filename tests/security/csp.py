"""Reading a response the way a browser enforcing its Content-Security-Policy would."""

import re
from html.parser import HTMLParser

NONCE_SOURCE = re.compile(r"'nonce-([A-Za-z0-9_\-+/=]+)'")


def policy(response):
    """The CSP header as {directive: [values]}."""
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def header_nonce(response):
    match = NONCE_SOURCE.search(response.headers.get("Content-Security-Policy", ""))
    return match.group(1) if match else None


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _is_same_origin(url):
    return url.startswith("/") and not url.startswith("//")


def csp_violations(response):
    """What on this page the browser would block under the page's own policy.

    An empty list means every script and style is same-origin or carries the nonce, and no
    inline event handler, style attribute or javascript: URL is left to break silently.
    """
    nonce = header_nonce(response)
    parser = _Tags()
    parser.feed(response.content.decode())
    problems = []
    for tag, attrs in parser.tags:
        if tag in ("script", "style"):
            if "src" in attrs:
                if not _is_same_origin(attrs["src"]):
                    problems.append(f"<{tag}> from another origin: {attrs['src']}")
            elif attrs.get("type") == "application/json":
                pass  # data, not code: CSP does not apply
            elif nonce is None or attrs.get("nonce") != nonce:
                problems.append(f"inline <{tag}> without the page's nonce: {attrs}")
        if tag == "link" and "stylesheet" in attrs.get("rel", "").split():
            if not _is_same_origin(attrs.get("href", "")):
                problems.append(f"stylesheet from another origin: {attrs.get('href')}")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"inline event handler {name}= on <{tag}>")
            if name == "style":
                problems.append(f"style= attribute on <{tag}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                problems.append(f"javascript: URL on <{tag}>")
    return problems
