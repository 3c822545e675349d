"""Every message a person sees when an upload is refused, written once so tests assert on it."""

from django.utils.translation import gettext_lazy as _

NOT_AN_IMAGE = _("This file is not an image Kinoteka can read.")
UNSUPPORTED_FORMAT = _("{format} pictures are not accepted: upload a {allowed} file.")
TOO_LARGE = _("The file is {size}; pictures may be at most {limit}.")
TOO_MANY_PIXELS = _(
    "The picture has more than the {limit_mp:.0f} megapixels accepted (a small file that opens "
    "this large is how a decompression bomb looks); scale it down first."
)
TRUNCATED = _("The file ends before the picture does (a broken or incomplete upload).")
EMPTY = _("The file is empty.")
TOO_SMALL = _(
    "The picture is {size} pixels; a {kind} must be at least {minimum} pixels (width × height)."
)
