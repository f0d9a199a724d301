"""404 Not Found, as the client can read it: the site's HTML page for a browser (its navigation,
search and SPARQL links), one line of plain text for every other client. What it says depends on
the path alone (:func:`dangjian.site.resolve.not_found_message`), as on the static site."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..site.conneg import as_record_formats, parse_accept, quality
from ..site.pages.render import not_found_page
from ..site.resolve import not_found_message
from .guards import plain


def wants_html(accept: str | None) -> bool:
    """A browser: text/html preferred to text/plain (``*/*`` alone, as curl sends, is not)."""
    ranges = as_record_formats(parse_accept(accept or ""))
    return quality("text/html", ranges) > quality("text/plain", ranges)


def not_found(request: Request) -> Response:
    root = request.scope.get("root_path", "")
    message = not_found_message(request.url.path.removeprefix(root))
    if wants_html(request.headers.get("accept")):
        kb = request.app.state.kb
        manifest = kb.manifest
        body = not_found_page(kb.ontology, manifest.get("dataset", "Dangjian KB"), manifest.get("version", ""),
                              message, root + "/")
        return Response(body, status_code=404, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})
    return plain(404, message, Vary="Accept")


async def unknown_path(request: Request, _error: Exception) -> Response:
    """The answer for a path no route has."""
    return not_found(request)
