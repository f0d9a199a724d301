"""404 Not Found, as the client can read it: the site's HTML page for a browser (its navigation,
search and SPARQL links), one line of plain text for every other client."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..site.conneg import as_record_formats, parse_accept, quality
from ..site.pages.render import not_found_page
from .guards import plain


def wants_html(accept: str | None) -> bool:
    """A browser: text/html preferred to text/plain (``*/*`` alone, as curl sends, is not)."""
    ranges = as_record_formats(parse_accept(accept or ""))
    return quality("text/html", ranges) > quality("text/plain", ranges)


def not_found(request: Request, what: str = "nothing here") -> Response:
    if wants_html(request.headers.get("accept")):
        kb = request.app.state.kb
        manifest = kb.manifest
        root = request.scope.get("root_path", "") + "/"
        body = not_found_page(kb.ontology, manifest.get("dataset", "Dangjian KB"), manifest.get("version", ""),
                              f"404 Not Found: {what}", root)
        return Response(body, status_code=404, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})
    return plain(404, f"404 Not Found: {what}", Vary="Accept")


async def unknown_path(request: Request, _error: Exception) -> Response:
    """The answer for a path no route has."""
    return not_found(request, "no page or record has this address")
