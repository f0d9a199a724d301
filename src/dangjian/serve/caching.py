"""HTTP caching for the site's answers (RFC 9110 §8.8, §13, §14; RFC 9111), as nginx and Apache
give it for the static site:

- a strong ``ETag``: a hash of the bytes sent, the one Apache's ``FileETag Digest`` makes (SHA-1,
  base64) and the static site's nginx rules list, so that the server, nginx and Apache give
  one representation the same tag and a client may move between them; ``Last-Modified``: the
  release date, when the build is a release;
- ``304 Not Modified`` for ``If-None-Match`` (weak comparison, a list or ``*``), or, without it,
  for ``If-Modified-Since`` on or after the release date;
- gzip when ``Accept-Encoding`` allows it, for text formats (the ETag then weak, as nginx
  makes it: the bytes differ, the representation's content does not), ``Vary: Accept-Encoding``;
- one byte range (``Range: bytes=…``) answered 206 when the body is not compressed; a range that
  starts past the end 416; several ranges, or a malformed header, the whole body (RFC 9110
  allows ignoring Range).

``Cache-Control`` comes from :func:`dangjian.site.resolve.cache_control`, shared with the static rules.
"""

from __future__ import annotations

import gzip
import re
from datetime import date, datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

from ..site.resolve import entity_tag as strong_etag

COMPRESSIBLE = ("text/", "application/ld+json", "application/n-triples", "application/rdf+xml", "application/json")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def http_date(day: str | None) -> str | None:
    """A release date (2026-06-01) as an HTTP date at midnight UTC; None when there is none."""
    if not day:
        return None
    moment = datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=timezone.utc)
    return format_datetime(moment, usegmt=True)




def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def none_match(header: str, etag: str) -> bool:
    """Whether If-None-Match names the representation (weak comparison, RFC 9110 §13.1.2)."""
    if header.strip() == "*":
        return True
    return _opaque(etag) in {_opaque(t) for t in header.split(",")}


def unmodified_since(header: str, last_modified: str) -> bool:
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
    if since is None or since.tzinfo is None:
        return False
    return parsedate_to_datetime(last_modified) <= since


def accepts_gzip(header: str) -> bool:
    for part in header.split(","):
        coding, *params = [p.strip() for p in part.split(";")]
        if coding.lower() in ("gzip", "x-gzip", "*"):
            q = next((p.split("=", 1)[1] for p in params if p.lower().startswith("q=")), "1")
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def one_range(header: str, size: int) -> tuple[int, int] | str | None:
    """(first, last) of a single satisfiable byte range; "unsatisfiable"; None to send it all."""
    match = _RANGE.match(header.strip().replace(" ", ""))
    if not match or (not match.group(1) and not match.group(2)):
        return None
    first, last = match.groups()
    if not first:  # the last n bytes
        n = int(last)
        return (max(0, size - n), size - 1) if n and size else "unsatisfiable"
    start = int(first)
    if start >= size:
        return "unsatisfiable"
    end = min(int(last), size - 1) if last else size - 1
    return (start, end) if end >= start else None


def with_vary(headers: dict[str, str], token: str) -> None:
    present = [t.strip() for t in headers.get("Vary", "").split(",") if t.strip()]
    if token.lower() not in (t.lower() for t in present):
        headers["Vary"] = ", ".join([*present, token])


def cached(request: Request, status: int, body: bytes, media_type: str | None, headers: dict[str, str],
           cache_control: str, last_modified: str | None) -> Response:
    """The response for a site answer, with validators, conditional requests, gzip and ranges."""
    headers = dict(headers)
    if status not in (200, 301, 303):
        return Response(body, status_code=status, media_type=media_type, headers=headers)
    headers["Cache-Control"] = cache_control
    if status != 200:
        return Response(body, status_code=status, media_type=media_type, headers=headers)
    etag = strong_etag(body)
    headers["ETag"] = etag
    if last_modified:
        headers["Last-Modified"] = last_modified
    compressible = bool(media_type) and media_type.startswith(COMPRESSIBLE)
    if compressible:
        with_vary(headers, "Accept-Encoding")
    asked = request.headers
    if "if-none-match" in asked:
        fresh = none_match(asked["if-none-match"], etag)
    else:
        fresh = bool(last_modified and "if-modified-since" in asked and unmodified_since(asked["if-modified-since"], last_modified))
    if fresh:
        kept = {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified", "Cache-Control", "Vary", "Link")}
        return Response(status_code=304, headers=kept)
    if compressible and accepts_gzip(asked.get("accept-encoding", "")):
        headers["ETag"] = "W/" + etag
        headers["Content-Encoding"] = "gzip"
        return Response(gzip.compress(body, compresslevel=6, mtime=0), status_code=200, media_type=media_type, headers=headers)
    headers["Accept-Ranges"] = "bytes"
    wanted = one_range(asked["range"], len(body)) if "range" in asked and request.method == "GET" else None
    if wanted == "unsatisfiable":
        headers["Content-Range"] = f"bytes */{len(body)}"
        del headers["Cache-Control"]
        return Response(b"416 Range Not Satisfiable\n", status_code=416, media_type="text/plain", headers=headers)
    if wanted is not None:
        first, last = wanted
        headers["Content-Range"] = f"bytes {first}-{last}/{len(body)}"
        return Response(body[first:last + 1], status_code=206, media_type=media_type, headers=headers)
    return Response(body, status_code=200, media_type=media_type, headers=headers)
