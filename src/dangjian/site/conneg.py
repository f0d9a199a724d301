"""Content negotiation: which of the record formats an Accept header asks for (RFC 9110 §12.5.1)."""

from __future__ import annotations

from ..formats.documents import FORMATS, HTML, Format

# Media types some clients send for the same formats.
ALIASES = {"application/xhtml+xml": "text/html", "application/json": "application/ld+json",
           "application/x-turtle": "text/turtle", "text/n-triples": "application/n-triples"}


def parse_accept(header: str) -> list[tuple[str, float]]:
    """(media range, q) pairs; malformed parts are skipped."""
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((ALIASES.get(media, media), q))
    return ranges


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
    ranges = parse_accept(header)
    if not ranges:
        return HTML
    scored = [(quality(f.media_type, ranges), -i, f) for i, f in enumerate(formats)]
    q, _, chosen = max(scored, key=lambda s: (s[0], s[1]))
    return chosen if q > 0 else None
