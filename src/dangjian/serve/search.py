"""`/search?q=&kind=&limit=`: word search over the published records, as an HTML page (no script
needed) or as JSON (``Accept: application/json`` or ``format=json``)."""

from __future__ import annotations

import threading
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..dataset.published import KnowledgeBase
from ..site.conneg import as_record_formats, parse_accept, quality

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_QUERY = 200


class Searcher:
    """The index and the page template, made on first use (once, whatever the number of threads)."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self._lock = threading.Lock()
        self._index = None
        self._env = None

    @property
    def index(self):
        with self._lock:
            if self._index is None:
                from ..search.index import SearchIndex

                self._index = SearchIndex.open(self.kb)
            return self._index

    def render(self, **context) -> bytes:
        if self._env is None:
            from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

            self._env = Environment(loader=PackageLoader("dangjian.site.pages", "templates"), undefined=StrictUndefined,
                                    autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
        ontology = self.kb.ontology
        kinds = []
        for name, kind in ontology.kinds.items():
            labels = ontology.labels.get(kind.shape_iri, {})
            kinds.append({"name": name, "zh": labels.get("zh-Hans", name), "en": labels.get("en", name)})
        manifest = self.kb.manifest
        return self._env.get_template("search.html").render(
            dataset=manifest.get("dataset", "Dangjian KB"), version=manifest.get("version", ""), kinds=kinds,
            root="", **context).encode("utf-8")


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
        if kind is not None and kind not in kb.ontology.kinds:
            error = f"kind: `{kind}` is no kind of record; choose from {', '.join(kb.ontology.kinds)}"
        if as_json and not q and error is None:
            error = "q: give a query"
        if error:
            if as_json:
                return JSONResponse({"error": error}, status_code=400)
            return Response(searcher.render(q=q, kind=kind or "", hits=[], terms=[], error=error, json_href=""),
                            status_code=400, media_type="text/html; charset=utf-8")
        index = searcher.index if q else None
        hits = index.search(q, kind=kind, limit=limit) if index else []
        terms = index.query_terms(q) if index else []
        if as_json:
            return JSONResponse({"query": q, "kind": kind, "limit": limit, "terms": terms, "count": len(hits),
                                 "results": [h.as_json() for h in hits]},
                                headers={"Vary": "Accept"})
        query = {"q": q, "format": "json", **({"kind": kind} if kind else {}), "limit": limit}
        body = searcher.render(q=q, kind=kind or "", hits=hits, terms=terms, error=None,
                               json_href="search?" + urlencode(query))
        return Response(body, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})

    return [Route("/search", search)]
