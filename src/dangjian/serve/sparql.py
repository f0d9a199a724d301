"""The SPARQL 1.1 Protocol at ``/sparql``, read-only, and the Graph Store Protocol's reads at ``/store``.

- Queries: ``GET /sparql?query=…``, ``POST`` a form (``application/x-www-form-urlencoded``,
  ``query=…``), or ``POST`` the query itself (``application/sparql-query``). ``default-graph-uri``
  and ``named-graph-uri`` set the dataset (the published graph is the default graph and also the
  named graph of the release, ``manifest.json``'s ``graph``).
- Answers by content negotiation (``Accept``) or ``format=``: SELECT and ASK as SPARQL JSON
  (default), XML, CSV, TSV; CONSTRUCT and DESCRIBE as Turtle (default), N-Triples, JSON-LD,
  RDF/XML; HTML for a browser. Nothing acceptable, a malformed ``Accept`` or an unknown
  ``format``: 406, listing the formats.
- Refused: SPARQL Update in any form (403), ``SERVICE`` (403: the server never fetches anything),
  Graph Store writes (403).
- Queries run in the worker pool (:mod:`dangjian.serve.workers`), under the time and size limits.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import pyoxigraph
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..dataset.published import VOCABULARY, VOCABULARY_GRAPH_PATH, KnowledgeBase
from ..query import formats, querytext
from ..query.catalogue import catalogue, find
from ..query.formats import Format
from ..site.conneg import Malformed, parse_accept, quality
from . import description, sparql_page
from .guards import plain, slash_alias
from .limits import Limits
from .workers import HTML, Job, QueryPool


# The endpoint's own format, beside the shared ones: the query page with the answer as a table.
PAGE = Format(HTML, "text/html", (*formats.ANSWERS, *formats.GRAPHS), "", also=("application/xhtml+xml",))
# In order of preference: ties in the Accept header go to the earlier.
RESULT_FORMATS = (*formats.fitting("solutions"), PAGE)
GRAPH_FORMATS = (*formats.fitting("graph"), PAGE)


def by_name(value: str) -> tuple[str | None, str | None]:
    """The formats ``format=`` names: (for SELECT and ASK, for CONSTRUCT and DESCRIBE), None
    where it names none ("json": SPARQL JSON, or JSON-LD for a graph)."""
    asked = formats.word(value)

    def one(candidates: tuple[Format, ...]) -> str | None:
        return next((f.name for f in candidates if f.named(asked)), None)

    return one(RESULT_FORMATS), one(GRAPH_FORMATS)


FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
RDF_BODIES = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
              "application/n-quads", "application/trig", "text/n3", "application/x-turtle")


def negotiate(ranges: list[tuple[str, float]] | None, candidates: tuple[Format, ...]) -> str | None:
    """The name of the format to answer with (the first when the client states nothing)."""
    if not ranges:
        return candidates[0].name
    def score(f: Format) -> float:
        # An alias counts only where named outright: `text/*` is not a request for SPARQL XML as text/xml.
        named = [q for media, q in ranges if media in f.also]
        return max([quality(f.media_type, ranges), *named])

    scored = [(score(f), -i, f.name) for i, f in enumerate(candidates)]
    q, _, name = max(scored)
    return name if q > 0 else None


def format_list() -> str:
    def line(candidates):
        return ", ".join(f"{f.media_type} (format={f.listed_name})" for f in candidates)

    return (f"SELECT and ASK: {line(RESULT_FORMATS)}.\nCONSTRUCT and DESCRIBE: {line(GRAPH_FORMATS)}.")


def not_acceptable(why: str) -> Response:
    return plain(406, f"406 Not Acceptable: {why}. This endpoint writes:\n{format_list()}")


READ_ONLY = ("403 Forbidden: this endpoint is read-only: {what} is refused. The knowledge base changes only "
             "through its records (see the README); query it with SELECT, ASK, CONSTRUCT or DESCRIBE.")


def refused(what: str) -> Response:
    return plain(403, READ_ONLY.format(what=what))


def pool_for(app) -> QueryPool:
    """The app's query pool, made on first use (from app.state.kb and app.state.limits)."""
    pool = getattr(app.state, "query_pool", None)
    if pool is None:
        kb: KnowledgeBase = app.state.kb
        limits = getattr(app.state, "limits", None) or Limits()
        graph = kb.manifest.get("graph") or (kb.manifest.get("base", "https://w3id.org/dangjian/") + "graph/default")
        vocabulary = (kb.dist / VOCABULARY, kb.ontology.base + VOCABULARY_GRAPH_PATH)
        pool = QueryPool(kb.dist / "dangjian.nt", graph, kb.ontology.output_prefixes, limits, vocabulary)
        app.state.query_pool = pool
    return pool


async def startup(app) -> None:
    await pool_for(app).start()


async def shutdown(app) -> None:
    pool = getattr(app.state, "query_pool", None)
    if pool is not None:
        pool.close()


class Params:
    """The protocol's parameters, from a query string or a form (repeats kept)."""

    def __init__(self, pairs: list[tuple[str, str]]):
        self.pairs = pairs

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k == name]

    def one(self, name: str) -> str | None:
        values = self.all(name)
        if len(values) > 1:
            raise ValueError(f"`{name}` is given {len(values)} times; give it once")
        return values[0] if values else None

    def __contains__(self, name: str) -> bool:
        return any(k == name for k, _ in self.pairs)


def routes(kb: KnowledgeBase) -> list[Route]:
    project = kb.project
    dataset = kb.manifest.get("dataset", "Dangjian KB")
    base = kb.manifest.get("base", "")

    vocabulary_triples: list[int] = []

    def service_description(request: Request, name: str) -> bytes:
        if not vocabulary_triples:
            path = kb.dist / VOCABULARY
            vocabulary_triples.append(sum(1 for _ in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
                                      if path.is_file() else 0)
        records, vocabulary = kb.manifest.get("triples", 0), vocabulary_triples[0]
        graphs = {kb.manifest.get("graph") or base + "graph/default": records, kb.ontology.base + VOCABULARY_GRAPH_PATH: vocabulary}
        endpoint = str(request.url.replace(query="", fragment=""))
        return description.written(description.description(endpoint, dataset, graphs, records + vocabulary), name)

    def page(request: Request, status: int = 200, **fields) -> Response:
        limits = getattr(request.app.state, "limits", None) or Limits()
        endpoint = str(request.url.replace(query="", fragment=""))
        body = sparql_page.render(dataset=dataset, base=base, endpoint=endpoint, limits=limits, examples=catalogue(project),
                                  ontology=kb.ontology, version=kb.manifest.get("version", ""), **fields)
        return Response(body, status_code=status, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})

    async def sparql(request: Request) -> Response:
        method = request.method
        if method not in ("GET", "HEAD", "POST"):
            return refused("writing a graph (Graph Store Protocol)")
        query_string = parse_qsl(request.url.query, keep_blank_values=True)
        body_query = None
        if method == "POST":
            media = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await request.body()
            if media == UPDATE_BODY:
                return refused("SPARQL Update")
            if media in RDF_BODIES:
                return refused("writing a graph (Graph Store Protocol)")
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                return plain(400, "400 Bad Request: the body is not UTF-8")
            if media == FORM:
                params = Params(parse_qsl(text, keep_blank_values=True))
            elif media == QUERY_BODY:
                params, body_query = Params(query_string), text
            else:
                return plain(415, f"415 Unsupported Media Type: `{media or 'no Content-Type'}`; POST a query as "
                                  f"{FORM} (query=…) or as {QUERY_BODY}")
        else:
            params = Params(query_string)

        if "update" in params:
            return refused("SPARQL Update")
        try:
            query = body_query if body_query is not None else params.one("query")
            format_param = params.one("format")
        except ValueError as error:
            return plain(400, f"400 Bad Request: {error}")

        # Which formats: format= wins over Accept.
        accept = request.headers.get("accept", "")
        if format_param is not None and format_param.strip():
            results_format, graph_format = by_name(format_param)
            if results_format is None and graph_format is None:
                return not_acceptable(f"format={format_param} is not one of the formats")
        else:
            try:
                ranges = parse_accept(accept, strict=True) if accept.strip() else None
            except Malformed as error:
                return not_acceptable(f"the Accept header is malformed: {error}")
            results_format, graph_format = negotiate(ranges, RESULT_FORMATS), negotiate(ranges, GRAPH_FORMATS)

        if query is None or not query.strip():
            described = _description_format(accept) if not format_param else None
            if method in ("GET", "HEAD") and described is not None:
                return Response(service_description(request, described), media_type=description.content_type(described),
                                headers={"Vary": "Accept"})
            wants_page = results_format == HTML if format_param else _html_acceptable(accept)
            if method in ("GET", "HEAD") and wants_page:
                example = find(project, params.all("example")[0]) if params.all("example") else None
                return page(request, query=example.text if example else "")
            return plain(400, "400 Bad Request: no query. Send query=… (GET, or a POSTed form), or POST the query as "
                              f"{QUERY_BODY}; open /sparql in a browser for a query form and examples")

        if querytext.is_update(query):
            return refused("SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY)")
        if querytext.uses_service(query):
            return plain(403, "403 Forbidden: SERVICE is refused: this endpoint answers from the published knowledge base "
                              "only and never fetches anything from the network")
        if results_format is None and graph_format is None:
            return not_acceptable(f"nothing in `Accept: {accept}` fits")

        graphs = {}
        for name, key in (("default-graph-uri", "default_graphs"), ("named-graph-uri", "named_graphs")):
            values = params.all(name)
            for value in values:
                try:
                    pyoxigraph.NamedNode(value)
                except ValueError as error:
                    return plain(400, f"400 Bad Request: {name}={value} is not an IRI: {error}")
            graphs[key] = values
        if not graphs["default_graphs"] and not graphs["named_graphs"]:
            graphs = {}

        limits = getattr(request.app.state, "limits", None) or Limits()
        job = Job(query, results_format, graph_format, max_rows=limits.max_rows, max_bytes=limits.max_bytes, **graphs)
        outcome = await pool_for(request.app).run(job)

        html_asked = (outcome.kind == "graph" and graph_format == HTML) or (outcome.kind != "graph" and results_format == HTML)
        if outcome.status == 406:
            what = "a graph (CONSTRUCT or DESCRIBE)" if outcome.kind == "graph" else "solutions (SELECT or ASK)"
            asked = f"format={format_param}" if format_param else f"Accept: {accept}"
            return not_acceptable(f"the query gives {what}, and `{asked}` names no format for it")
        if html_asked and outcome.status == 200:
            return page(request, query=query, chosen=HTML, table=outcome.table, seconds=outcome.seconds)
        if html_asked:
            error = outcome.body.decode("utf-8", errors="replace").strip()
            return page(request, status=outcome.status, query=query, chosen=HTML, error=error)
        headers = {"Vary": "Accept", **outcome.headers}
        return Response(outcome.body, status_code=outcome.status, media_type=outcome.media_type, headers=headers)

    async def store(request: Request) -> Response:
        """Graph Store Protocol: reads of the default graph or the release's graph; writes refused."""
        if request.method not in ("GET", "HEAD"):
            return refused("writing a graph (Graph Store Protocol)")
        params = Params(parse_qsl(request.url.query, keep_blank_values=True))
        graph = kb.manifest.get("graph")
        try:
            named = params.one("graph")
        except ValueError as error:
            return plain(400, f"400 Bad Request: {error}")
        if "default" not in params and named is None:
            return plain(400, "400 Bad Request: name the graph: ?default, or ?graph=IRI")
        if named is not None and named != graph:
            return plain(404, f"404 Not Found: no graph {named}; this store holds {graph}")
        try:
            ranges = parse_accept(request.headers.get("accept", ""), strict=True) if request.headers.get("accept", "").strip() else None
        except Malformed as error:
            return not_acceptable(f"the Accept header is malformed: {error}")
        chosen = negotiate(ranges, GRAPH_FORMATS[:2])
        if chosen is None:
            return plain(406, "406 Not Acceptable: the graph is served as text/turtle or application/n-triples")
        name, media = ("dangjian.ttl", "text/turtle") if chosen == "ttl" else ("dangjian.nt", "application/n-triples")
        return Response((kb.dist / name).read_bytes(), media_type=f"{media}; charset=utf-8", headers={"Vary": "Accept"})

    methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]
    return [Route("/sparql", sparql, methods=methods), Route("/store", store, methods=methods),
            slash_alias("/sparql", methods), slash_alias("/store", methods)]


def _description_format(accept: str) -> str | None:
    """For a bare /sparql: the RDF format of the service description when the Accept header
    prefers one to HTML (a browser gets the query page); None otherwise."""
    try:
        ranges = parse_accept(accept, strict=True) if accept.strip() else None
    except Malformed:
        return None
    if not ranges:
        return None
    rdf = max((quality(media, ranges), -i, name) for i, (media, name) in enumerate(description.MEDIA_TYPES.items()))
    page = max(quality(m, ranges) for m in ("text/html", "application/xhtml+xml"))
    return rdf[2] if rdf[0] > 0 and rdf[0] > page else None


def _html_acceptable(accept: str) -> bool:
    """For a bare /sparql: the page, unless the client's Accept plainly excludes HTML."""
    try:
        ranges = parse_accept(accept, strict=True) if accept.strip() else None
    except Malformed:
        return False
    return ranges is None or max(quality(m, ranges) for m in ("text/html", "application/xhtml+xml")) > 0
