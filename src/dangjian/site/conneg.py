"""Content negotiation: the one reading of Accept headers, and which of the record formats one
asks for (RFC 9110 §12.5.1)."""

from __future__ import annotations

import re

from ..formats.documents import FORMATS, HTML, Format

# Media types some clients send for the same formats.
ALIASES = {"application/xhtml+xml": "text/html", "application/json": "application/ld+json",
           "application/x-turtle": "text/turtle", "text/n-triples": "application/n-triples"}


class Malformed(ValueError):
    """A part of an Accept header that is no media range (in a strict reading)."""


_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_QVALUE = re.compile(r"^(0(\.\d{0,3})?|1(\.0{0,3})?)$")


def parse_accept(header: str, strict: bool = False) -> list[tuple[str, float]]:
    """(media range, q) pairs of an Accept header (RFC 9110 §12.5.1), media ranges in lower case.

    Read leniently (record URIs, whose answers the static site's rewrite rules give too): a part
    that is no media range is skipped, and a q that is no number counts as 0. Read strictly (the
    SPARQL protocol, which answers a malformed header 406, listing its formats): Malformed."""
    ranges = []
    for part in header.split(","):
        media, *params = part.split(";")
        media = media.strip().lower()
        kind, slash, subtype = media.partition("/")
        if strict:
            if not part.strip():
                continue  # empty list elements are allowed (RFC 9110 §5.6.1)
            if not slash or not _TOKEN.match(kind) or not _TOKEN.match(subtype) or (kind == "*" and subtype != "*"):
                raise Malformed(f"`{part.strip()}` is not a media range")
        elif not slash:
            continue
        q = 1.0
        for param in params:
            name, equals, value = param.strip().partition("=")
            name = name.strip()
            if strict and (not equals or not _TOKEN.match(name)):
                raise Malformed(f"`{param.strip()}` is not a parameter")
            if name.lower() == "q":
                if strict and not _QVALUE.match(value.strip()):
                    raise Malformed(f"q={value.strip()} is not a quality value")
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def as_record_formats(ranges: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """The ranges with the media types some clients send for the record formats (ALIASES) read
    as those formats' own."""
    return [(ALIASES.get(media, media), q) for media, q in ranges]


def quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """The q the most specific matching range gives a media type (0 when none matches)."""
    kind = media_type.split("/")[0]
    best, specificity = 0.0, -1
    for media, q in ranges:
        if media == media_type:
            rank = 2
        elif media == f"{kind}/*":
            rank = 1
        elif media == "*/*":
            rank = 0
        else:
            continue
        if rank > specificity:
            best, specificity = q, rank
    return best


def negotiate(header: str | None, formats: tuple[Format, ...] = FORMATS) -> Format | None:
    """The format to answer with; HTML when the client states nothing; None when nothing fits.

    Ties go to the order of ``formats`` (HTML first, then Turtle): a browser's */* gets a page.
    """
    if not header or not header.strip():
        return HTML
    ranges = as_record_formats(parse_accept(header))
    if not ranges:
        return HTML
    scored = [(quality(f.media_type, ranges), -i, f) for i, f in enumerate(formats)]
    q, _, chosen = max(scored, key=lambda s: (s[0], s[1]))
    return chosen if q > 0 else None
