"""Every message a person sees when an upload is refused, written once so tests assert on it."""

NOT_AN_IMAGE = "This file is not an image Kinoteka can read."
UNSUPPORTED_FORMAT = "{format} pictures are not accepted: upload a {allowed} file."
TOO_LARGE = "The file is {size}; pictures may be at most {limit}."
TOO_MANY_PIXELS = (
    "The picture has more than the {limit_mp:.0f} megapixels accepted (a small file that opens "
    "this large is how a decompression bomb looks); scale it down first."
)
TRUNCATED = "The file ends before the picture does (a broken or incomplete upload)."
EMPTY = "The file is empty."
