"""Page documents: what a film, person or list page says about its object, stored per language
and served to the next visitor instead of being rebuilt from a dozen tables and templates
(docs/performance.md, "Read documents").

A page is its layout (`base.html`: the header, navigation, language switcher) around the blocks
its template fills: `meta`, `head_pictures`, `structured_data`, `banner`, `content`. A page
rendered for a visitor keeps each of those blocks' HTML as it renders (`PageTemplate`), and
stores them as a read document (core/read_documents.py) with the tags of the rows it loaded,
so the writes that change what the page shows delete it, as they delete the API's documents.
The next visitor's page is the layout rendered live around the stored blocks
(`stored_page.html`): the same bytes, with this request's host in its links and its own CSP
nonce. Everything about the reader (signed in or not, the language switcher's query, the
CSRF cookie) stays in the live layout; the blocks show only the object.
"""

import contextlib
import contextvars
import io
import logging
from functools import partial, wraps

import jinja2
from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.db import DatabaseError, connection
from django.shortcuts import render
from django.template import engines
from django.test.utils import override_settings
from markupsafe import Markup

from core import read_documents
from core.addresses import PLAIN_SLUG
from core.response_cache import note_loaded, noting_loaded_objects, tags_of_loaded
from discovery.visibility import may_see_drafts

logger = logging.getLogger(__name__)

# Stands for the CSP nonce in a stored block: each response carries a new one.
NONCE_PLACEHOLDER = "\ue001"
STORED_PAGE_TEMPLATE = "stored_page.html"

# The blocks of the page being rendered inside `keeping_blocks()` (None elsewhere).
_kept_blocks = contextvars.ContextVar("page_blocks", default=None)


class PageTemplate(jinja2.Template):
    """A Jinja2 template that, rendered as a page inside `keeping_blocks()`, also keeps what
    each of its blocks output. Templates it includes or imports render as usual."""

    def render(self, *args, **kwargs):
        kept = _kept_blocks.get()
        if kept is None:
            return super().render(*args, **kwargs)
        token = _kept_blocks.set(None)  # the page's own blocks, not those of what it renders
        try:
            context = self.new_context(dict(*args, **kwargs))
            for name, stack in context.blocks.items():
                stack[0] = _keeping(name, stack[0], kept)
            return self.environment.concat(self.root_render_func(context))
        except Exception:
            self.environment.handle_exception()
        finally:
            _kept_blocks.reset(token)


def _keeping(name, render_block, kept):
    def render_and_keep(context):
        output = context.environment.concat(render_block(context))
        kept[name] = output
        yield output

    return render_and_keep


@contextlib.contextmanager
def keeping_blocks():
    """Inside the block, the page rendered keeps its blocks' HTML in the dict yielded."""
    kept = {}
    token = _kept_blocks.set(kept)
    try:
        yield kept
    finally:
        _kept_blocks.reset(token)


def served_from_document(kind, key_of, public_objects, collections=()):
    """Decorate a page view about one object (`view(request, slug)`): a visitor gets the page's
    blocks from its document, or a page rendered live whose blocks are then stored. `key_of(
    request, slug)` names the document: the slug and the query parameters that change what
    the page shows, the same ones the view reads; None renders live. `collections` are models
    whose every write makes all the kind's documents stale (rows a page shows without loading
    them, such as a list's neighbours). `public_objects()` are those whose pages
    `build_read_documents` builds."""

    def decorate(view):
        read_documents.register_kind(
            kind, collections, partial(build_page_documents, kind, public_objects)
        )

        @wraps(view)
        def wrapped(request, slug):
            key = key_of(request, slug) if PLAIN_SLUG.fullmatch(slug) else None
            if key is None or not answers_from_document(request):
                return view(request, slug)
            if (built := _built_pages.get()) is not None:  # build_page_documents stores them
                response, blocks, loaded = _rendered_keeping_blocks(view, request, slug)
                if blocks:
                    built.append((key, blocks, loaded))
                return response
            origin = read_documents.origin_of(request)
            try:
                reading = read_documents.find(kind, key, origin)
            except DatabaseError:
                logger.warning("Could not read a page document; rendering live", exc_info=True)
                return view(request, slug)
            if reading.data is not None:
                note_loaded(reading.tags)
                return render_stored(request, reading.data)
            response, blocks, loaded = _rendered_keeping_blocks(view, request, slug)
            if blocks:
                store(kind, key, origin, blocks, loaded, reading)
            return response

        return wrapped

    return decorate


def _rendered_keeping_blocks(view, request, slug):
    """The page `view` renders, the blocks to store of it (None when there are none), and the
    tags of the rows it loaded."""
    with noting_loaded_objects() as loaded, keeping_blocks() as blocks:
        response = view(request, slug)
    return response, storable(request, blocks) if response.status_code == 200 else None, loaded


def answers_from_document(request):
    return (
        settings.READ_DOCUMENTS
        and request.method in ("GET", "HEAD")
        and not may_see_drafts(request.user)
        # Inside a transaction a page may show writes not yet committed, which documents
        # learn of only at the commit.
        and not connection.in_atomic_block
    )


def storable(request, blocks):
    """`blocks` with the placeholder in place of this response's CSP nonce, or None when there
    are none or a text on the page holds the placeholder itself (it would become the next
    one's nonce)."""
    if not blocks or any(NONCE_PLACEHOLDER in html for html in blocks.values()):
        return None
    nonce = getattr(request, "_csp_nonce", None)
    if not nonce:  # a LazyNonce is truthy once a block used it
        return blocks
    nonce = str(nonce)
    return {name: html.replace(nonce, NONCE_PLACEHOLDER) for name, html in blocks.items()}


def store(kind, key, origin, blocks, tags, reading):
    try:
        read_documents.store(kind, origin, [(key, blocks, tags)], reading)
    except DatabaseError:  # SQLite: another write holds the lock; the next visitor stores
        logger.info("Could not store a page document", exc_info=True)


def render_stored(request, blocks):
    """The page whose blocks were stored: the layout rendered live around them."""
    if any(NONCE_PLACEHOLDER in html for html in blocks.values()):
        nonce = str(request._csp_nonce)  # reading it makes the CSP header carry it
        blocks = {name: html.replace(NONCE_PLACEHOLDER, nonce) for name, html in blocks.items()}
    stored = {name: Markup(html) for name, html in blocks.items()}
    return render(request, STORED_PAGE_TEMPLATE, {"stored": stored})


# The pages `build_page_documents` is rendering keep their blocks here (None elsewhere).
_built_pages = contextvars.ContextVar("built_pages", default=None)


def build_page_documents(kind, public_objects, batch_size=200, shard=(1, 1)):
    """Build and store the page document of every object in `public_objects()` (of `shard`
    (k, n): every n-th from the k-th), in the current language, each rendered as a visitor's
    GET of its page through the whole middleware stack (what a build stores is what a visit
    would), `batch_size` stored together. Returns (stored, skipped)."""
    handler = BaseHandler()
    handler.load_middleware()
    paths = [row.get_absolute_url() for row in public_objects().order_by("pk").only("slug")]

    def build_batch(batch):
        built = []
        token = _built_pages.set(built)
        try:
            requests = [WSGIRequest(_visitors_get(path)) for path in batch]
            for request in requests:
                handler.get_response(request)
        finally:
            _built_pages.reset(token)
        return read_documents.origin_of(requests[0]), built

    # Building every page is no reason to fill the response cache with them.
    with override_settings(RESPONSE_CACHE_PAGES=False):
        return read_documents.build_in_batches(kind, paths, build_batch, batch_size, shard)


def _visitors_get(path):
    host = next(
        (host.lstrip(".") for host in settings.ALLOWED_HOSTS if host.lstrip(".") and host != "*"),
        "localhost",
    )
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "443" if settings.SECURE_SSL_REDIRECT else "80",
        "HTTP_HOST": host,
        "wsgi.url_scheme": "https" if settings.SECURE_SSL_REDIRECT else "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }


# --- film cards --------------------------------------------------------------------------------
# A listing's film cards, each stored as its own document (the HTML of includes/film_card.html):
# a browse page answered by the film index shows twenty cards out of documents read in one
# query, rather than loading twenty films, their posters, directors and countries and rendering
# each card.

FILM_CARD_KIND = "page-film-card"
FILM_CARD_TEMPLATE = "includes/film_card.html"


def film_cards(request, ids, films):
    """The HTML of the cards of the films `ids`, in that order, for a visitor: from their
    documents, those missing rendered from `films` (the cards' rows) and stored. An id gone
    meanwhile has no card."""
    origin = read_documents.origin_of(request)
    keys = [str(pk) for pk in ids]
    cards = read_documents.read_or_build(
        FILM_CARD_KIND, keys, origin, lambda missing: rendered_cards(films.filter(pk__in=missing))
    )
    return [Markup(card) for card in cards]


def rendered_cards(films):
    """(key, the card's HTML, the tags of the rows it shows) of each of `films`."""
    card = engines["jinja2"].env.get_template(FILM_CARD_TEMPLATE).module.film_card
    for film in films:
        with noting_loaded_objects() as noted:
            html = str(card(film))
        yield str(film.pk), html, noted | tags_of_loaded(film)


def build_film_cards(films, batch_size=200, shard=(1, 1)):
    """Build and store the card of every film of `films()` (of `shard` (k, n): every n-th
    from the k-th), in the current language. Returns (stored, skipped)."""
    origin = read_documents.origin_of(WSGIRequest(_visitors_get("/")))
    keys = list(films().order_by("pk").values_list("pk", flat=True))

    def build_batch(batch):
        return origin, list(rendered_cards(films().filter(pk__in=batch)))

    return read_documents.build_in_batches(FILM_CARD_KIND, keys, build_batch, batch_size, shard)


def register_film_cards(films):
    """Declare the film cards' documents; `films()`: the cards' rows of the films visitors see."""
    read_documents.register_kind(FILM_CARD_KIND, (), partial(build_film_cards, films))
