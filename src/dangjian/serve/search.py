"""`/search?q=&kind=&limit=&page=`: word search over the published records, as an HTML page (no
script needed) or as JSON (``Accept: application/json`` or ``format=json``). Results come in pages
of ``limit``; both say how many records match in all (``total``), not only how many are shown."""

from __future__ import annotations

import threading
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..dataset.published import KnowledgeBase
from ..site.conneg import as_record_formats, parse_accept, quality
from ..site.pages.render import templates
from ..site.pages.view import kind_links
from .guards import slash_alias

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_QUERY = 200


class Searcher:
    """The index and the page template, made on first use (once, whatever the number of threads)."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self._lock = threading.Lock()
        self._index = None

    @property
    def index(self):
        with self._lock:
            if self._index is None:
                from ..search.index import SearchIndex

                self._index = SearchIndex.open(self.kb)
            return self._index

    def render(self, **context) -> bytes:
        manifest = self.kb.manifest
        return templates().get_template("search.html").render(
            dataset=manifest.get("dataset", "Dangjian KB"), version=manifest.get("version", ""),
            kinds=kind_links(self.kb.ontology), root="", **context).encode("utf-8")


def page_numbers(page: int, pages: int, around: int = 3) -> list[int | None]:
    """The pages to link: the first, the last and those near this one; None where some are left out."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    out: list[int | None] = []
    for number in shown:
        if out and number - (out[-1] or 0) > 1:
            out.append(None)
        out.append(number)
    return out


def wants_json(request: Request) -> bool:
    if request.query_params.get("format") == "json":
        return True
    if request.query_params.get("format") == "html":
        return False
    header = request.headers.get("accept")
    if not header:
        return False
    ranges = as_record_formats(parse_accept(header))
    # application/json reads as JSON-LD; either asks for JSON here.
    return quality("application/ld+json", ranges) > quality("text/html", ranges)


def routes(kb: KnowledgeBase) -> list[Route]:
    searcher = Searcher(kb)

    def search(request: Request) -> Response:
        params = request.query_params
        as_json = wants_json(request)
        q = (params.get("q") or "").strip()[:MAX_QUERY]
        kind = params.get("kind") or None
        error = None
        try:
            limit = int(params.get("limit") or DEFAULT_LIMIT)
            if not 1 <= limit <= MAX_LIMIT:
                raise ValueError
        except ValueError:
            error, limit = f"limit: give a whole number from 1 to {MAX_LIMIT}", DEFAULT_LIMIT
        try:
            page = int(params.get("page") or 1)
            if page < 1:
                raise ValueError
        except ValueError:
            error, page = "page: give a whole number from 1", 1
        if kind is not None and kind not in kb.ontology.kinds:
            error = f"kind: `{kind}` is no kind of record; choose from {', '.join(kb.ontology.kinds)}"
        if as_json and not q and error is None:
            error = "q: give a query"
        if error:
            if as_json:
                return JSONResponse({"error": error}, status_code=400)
            return Response(searcher.render(q=q, kind=kind or "", hits=[], terms=[], error=error, json_href="", paging=None),
                            status_code=400, media_type="text/html; charset=utf-8")
        index = searcher.index if q else None
        results = index.results(q, kind=kind) if index else None
        total = results.total if results else 0
        offset = (page - 1) * limit
        hits = results.hits(offset, limit) if results else []
        terms = index.query_terms(q) if index else []
        pages = max(1, -(-total // limit))

        def href(number: int, fmt: str | None = None) -> str:
            query = {"q": q, **({"kind": kind} if kind else {}), **({"limit": limit} if limit != DEFAULT_LIMIT else {}),
                     **({"page": number} if number > 1 else {}), **({"format": fmt} if fmt else {})}
            return "search?" + urlencode(query)

        if as_json:
            links = {name: href(number, "json") for name, number in (("previous", page - 1), ("next", page + 1))
                     if 1 <= number <= pages}
            return JSONResponse({"query": q, "kind": kind, "limit": limit, "page": page, "pages": pages, "total": total,
                                 "terms": terms, "count": len(hits), "results": [h.as_json() for h in hits], **links},
                                headers={"Vary": "Accept"})
        paging = {"total": total, "page": page, "pages": pages, "first": offset + 1, "last": offset + len(hits),
                  "links": [{"number": n, "href": href(n)} if n else None for n in page_numbers(page, pages)],
                  "previous": href(page - 1) if page > 1 else None, "next": href(page + 1) if page < pages else None}
        body = searcher.render(q=q, kind=kind or "", hits=hits, terms=terms, error=None, json_href=href(page, "json"),
                               paging=paging)
        return Response(body, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})

    return [Route("/search", search), slash_alias("/search")]
