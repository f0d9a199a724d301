"""The server under abuse (issue 9), against the real `dangjian serve` on 127.0.0.1 (the `served`
fixture: a 2 s time limit, 1,000 rows, 16 KiB bodies, two query workers): writes of every kind
refused, no SERVICE call ever leaves the machine, a query that would run for minutes stopped while
others are served, answers and bodies over the limits refused, paths that climb out not found,
malformed Accept headers and unknown formats 406, and never a traceback."""

from __future__ import annotations

import asyncio
import http.server
import socket
import threading
import time

import httpx
import pytest

from linked import ServerThread, get

TRACEBACK = "Traceback"
CROSS_JOIN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CROSS_JOIN_SORTED = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i ?a"


@pytest.fixture(scope="module")
def client(served):
    with httpx.Client(base_url=served.base, timeout=60) as client:
        yield client


@pytest.fixture
def outside():
    """A web server standing in for the outside world; it records every request that reaches it."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(b'{"head":{"vars":[]},"results":{"bindings":[{}]}}')

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sparql", hits
    server.shutdown()
    server.server_close()


def no_traceback(response: httpx.Response) -> httpx.Response:
    assert TRACEBACK not in response.text
    return response


# --- writes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("update", [
    "INSERT DATA { <https://example.org/a> <https://example.org/b> <https://example.org/c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <https://example.org/data.ttl>",
    "CLEAR ALL",
    "DROP DEFAULT",
    "CREATE GRAPH <https://example.org/g>",
    "PREFIX ex: <https://example.org/>\n# a comment\nWITH ex:g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "copy default to <https://example.org/g>",
])
def test_sparql_update_is_refused_in_every_form(client, update):
    for response in (client.post("/sparql", data={"update": update}),
                     client.post("/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-update"}),
                     client.get("/sparql", params={"update": update}),
                     client.get("/sparql", params={"query": update}),
                     client.post("/sparql", data={"query": update}),
                     client.post("/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-query"})):
        assert response.status_code == 403, (response.request, response.text)
        assert "read-only" in no_traceback(response).text
    # and nothing changed
    count = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).json()
    assert int(count["results"]["bindings"][0]["n"]["value"]) > 4000


def test_load_fetches_nothing(client, outside):
    url, hits = outside
    response = client.post("/sparql", data={"update": f"LOAD <{url}>"})
    assert response.status_code == 403 and hits == []


@pytest.mark.parametrize("method, path, content_type", [
    ("PUT", "/sparql", "text/turtle"), ("POST", "/sparql", "text/turtle"), ("DELETE", "/sparql", None),
    ("PUT", "/store?default", "text/turtle"), ("POST", "/store?default", "text/turtle"),
    ("POST", "/store?graph=https://example.org/g", "application/n-triples"), ("DELETE", "/store?default", None),
    ("PATCH", "/store?default", "application/sparql-update"), ("PUT", "/id/place/anhui", "text/turtle"),
    ("DELETE", "/doc/place/anhui.ttl", None), ("PUT", "/download/dangjian.nt", "application/n-triples"),
])
def test_graph_store_writes_are_refused(client, method, path, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    body = b"<https://example.org/a> <https://example.org/b> <https://example.org/c> ." if content_type else None
    response = client.request(method, path, content=body, headers=headers)
    assert response.status_code == 403, (method, path, response.status_code)
    assert "read-only" in no_traceback(response).text


# --- SERVICE -----------------------------------------------------------------------------------


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX ex: <{url}#>\nSELECT * WHERE {{ BIND(ex:x AS ?x) SERVICE<{url}>{{?s ?p ?o}} }}",
    "SELECT * WHERE {{ VALUES ?endpoint {{ <{url}> }} SERVICE ?endpoint {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ # comment\n SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "ASK {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
])
def test_service_is_refused_and_nothing_is_fetched(client, outside, template):
    url, hits = outside
    query = template.format(url=url)
    for response in (client.get("/sparql", params={"query": query}), client.post("/sparql", data={"query": query})):
        assert response.status_code == 403
        assert "SERVICE" in no_traceback(response).text
    assert hits == []


def test_the_word_service_elsewhere_is_fine(client):
    query = ('PREFIX service: <https://example.org/service#>\nSELECT ?service WHERE { BIND("SERVICE <http://x/>" AS ?service) '
             'FILTER(?service != service:SERVICE) } # SERVICE in a comment')
    assert client.get("/sparql", params={"query": query}).status_code == 200


def test_even_a_worker_asked_directly_cannot_reach_the_network(served_project, outside):
    """Below the endpoint's check: a query worker can open no socket once its graph is loaded."""
    from dangjian.dataset.published import KnowledgeBase
    from dangjian.serve.limits import Limits
    from dangjian.serve.workers import Job, QueryPool

    url, hits = outside
    kb = KnowledgeBase(served_project)

    async def ask():
        pool = QueryPool(kb.dist / "dangjian.nt", kb.manifest["graph"], {}, Limits(timeout=10, workers=1))
        try:
            return await pool.run(Job(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "json", "turtle"))
        finally:
            pool.close()

    outcome = asyncio.run(ask())
    assert outcome.status == 400 and b"Too many open files" in outcome.body
    assert hits == []


# --- the time limit ----------------------------------------------------------------------------


@pytest.mark.parametrize("query", [CROSS_JOIN_COUNT, CROSS_JOIN_SORTED], ids=["count", "order-by"])
def test_a_query_for_minutes_is_stopped_while_others_are_served(served, query):
    long_answer: dict = {}

    def run_long():
        started = time.monotonic()
        response = httpx.get(served.url("/sparql"), params={"query": query}, timeout=60)
        long_answer.update(response=response, seconds=time.monotonic() - started)

    thread = threading.Thread(target=run_long)
    thread.start()
    time.sleep(0.5)  # the long query is in its worker by now
    quick = []
    while thread.is_alive() and len(quick) < 50:
        started = time.monotonic()
        response = httpx.get(served.url("/sparql"), params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        middle = time.monotonic()
        page = httpx.get(served.url("/id/place/anhui"), headers={"Accept": "text/turtle"}, timeout=60)
        quick.append((response.status_code, page.status_code, max(middle - started, time.monotonic() - middle)))
        time.sleep(0.1)
    thread.join(timeout=60)
    response, seconds = long_answer["response"], long_answer["seconds"]
    assert response.status_code == 503
    assert "time limit of 2 s" in response.text or "memory limit" in response.text
    assert response.headers.get("retry-after")
    assert seconds < 10, f"the long query was answered after {seconds:.1f} s"
    assert quick, "no other request was tried while the long query ran"
    assert all(status == 200 and page == 303 for status, page, _ in quick), quick
    # Had they waited behind the long query, the first would have taken the rest of its 2 s.
    assert max(s for *_, s in quick) < 1.0, quick
    # the killed worker is replaced: both workers serve again
    time.sleep(1)
    for _ in range(4):
        assert httpx.get(served.url("/sparql"), params={"query": "ASK {}"}, timeout=30).status_code == 200


def test_two_long_queries_at_once_and_a_third_waits_or_is_told_to(served):
    """With both workers busy, a third query waits for one (never hangs past the limits)."""
    def ask(query):
        return httpx.get(served.url("/sparql"), params={"query": query}, timeout=60)

    results: list = [None] * 3
    threads = [threading.Thread(target=lambda i=i, q=q: results.__setitem__(i, ask(q)))
               for i, q in enumerate([CROSS_JOIN_COUNT, CROSS_JOIN_COUNT, "ASK {}"])]
    started = time.monotonic()
    for t in threads:
        t.start()
        time.sleep(0.2)
    for t in threads:
        t.join(timeout=60)
    assert [r.status_code for r in results[:2]] == [503, 503]
    assert results[2].status_code in (200, 503)
    assert time.monotonic() - started < 20


# --- size limits -------------------------------------------------------------------------------


def test_too_many_rows_is_413(client):
    for query in ("SELECT * WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"):
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 413
        assert "1,000" in no_traceback(response).text and "LIMIT" in response.text
    assert client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1000"}).status_code == 200


def test_a_large_body_is_refused_unread(served):
    body = b"query=" + b"#" * (10 * 2**20)  # 10 MiB; the limit is 16 KiB
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", served.port), timeout=30) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body) + body[:1024])
        received = b""
        while b"bytes" not in received:  # the server answers, and closes, without reading the rest
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
        answer = received.decode("utf-8", errors="replace")
    assert answer.startswith("HTTP/1.1 413"), answer
    assert "16,384 bytes" in answer and TRACEBACK not in answer
    assert time.monotonic() - started < 5


def test_a_large_chunked_body_is_refused(served):
    def chunks():
        for _ in range(64):
            yield b"#" * 1024

    response = httpx.post(served.url("/sparql"), content=chunks(),
                          headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert response.status_code == 413
    assert TRACEBACK not in response.text
    assert httpx.get(served.url("/sparql"), params={"query": "ASK {}"}, timeout=30).status_code == 200


def test_a_body_under_the_limit_is_read(client):
    query = "ASK {}" + "\n#" + "x" * 10_000
    response = client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 200


# --- paths -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/doc/../../etc/passwd", "/doc/%2e%2e/%2e%2e/etc/passwd", "/doc/%252e%252e/%252e%252e/etc/passwd",
    "/doc/place/..%2f..%2f..%2fetc%2fpasswd", "/doc/place/..\\..\\etc\\passwd", "/doc/..%5c..%5cetc%5cpasswd",
    "/download/..%2f..%2fetc%2fpasswd", "/download/%2e%2e%2fmanifest.json", "/releases/..%2f..%2f/passwd",
    "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/id/place/..%2F..%2Fetc", "/compare/..%2f..%2fetc%2fpasswd",
    "/doc/place/anhui.html%00.ttl", "//etc/passwd", "/doc/place/%2e%2e", "/releases/%2e%2e/manifest.json",
    "/download/manifest.json", "/doc/place/%2e%2e%2f%2e%2e%2fsettings.py", "/.well-known/../../pyproject.toml",
])
def test_path_traversal_is_404(served, path):
    response = get(served.port, path)
    assert response.status == 404, (path, response.status, response.header("location"))
    assert b"root:" not in response.body and TRACEBACK.encode() not in response.body


# --- formats -----------------------------------------------------------------------------------


@pytest.mark.parametrize("accept", [
    "foo", "text/html;q=abc", ";;;", "text/turtle;q=2", "*/html", "application/", "/json", "text/csv; q",
    "text/csv;q=0.5;q", "\x01", "application/sparql-results+json;q=-1", "a" * 3000,
])
def test_a_malformed_accept_header_is_406_with_the_formats(client, accept):
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": accept})
    if accept == "\x01" and response.status_code == 400:  # not even HTTP: the server's HTTP parser refuses it
        assert "Invalid HTTP request" in response.text
        return
    assert response.status_code == 406, accept
    assert "malformed" in response.text
    assert "application/sparql-results+json" in response.text and "text/turtle" in response.text


@pytest.mark.parametrize("accept", ["image/png", "application/pdf;q=1, text/markdown", "text/turtle"])
def test_no_acceptable_format_is_406(client, accept):
    response = client.get("/sparql", params={"query": "ASK {}" if accept == "text/turtle" else "SELECT * WHERE {} "},
                          headers={"Accept": accept})
    assert response.status_code == 406
    assert "format=csv" in no_traceback(response).text


@pytest.mark.parametrize("fmt", ["yaml", "pdf", "jsonp", "text/markdown", "", "../../etc/passwd", "json\x00"])
def test_an_unknown_format_is_406(client, fmt):
    response = client.get("/sparql", params={"query": "ASK {}", "format": fmt})
    if fmt == "":  # an empty format= is no format
        assert response.status_code == 200
        return
    assert response.status_code == 406
    assert "format=json" in no_traceback(response).text


def test_a_format_that_does_not_fit_the_query_is_406(client):
    response = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "format": "csv"})
    assert response.status_code == 406 and "CONSTRUCT" in response.text
    response = client.get("/sparql", params={"query": "ASK {}", "format": "turtle"})
    assert response.status_code == 406 and "SELECT" in response.text


def test_record_uris_never_fail_on_a_strange_accept_header(served):
    for accept in ("foo", ";;;", "text/html;q=abc", "\x01", "*/html", "text/turtle;q=2", "a" * 3000):
        response = get(served.port, "/id/place/anhui", accept=accept)
        assert response.status in (303, 406) or (accept == "\x01" and response.status == 400), (accept, response.status)


# --- no traceback, ever ------------------------------------------------------------------------


def raw(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


@pytest.mark.parametrize("request_bytes", [
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 4\r\nConnection: close\r\n\r\n\xff\xfe\xfd\xfc",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\nConnection: close\r\n\r\nquery=%ff",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n",
    b"GET /sparql?query=%ff%fe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"GET /sparql?query=ASK%20%7B%7D%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"GET /sparql?query=%%%%% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"GET /sparql?query=" + b"A" * 100_000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"GET /sparql HTTP/1.1\r\nHost: x\r\nAccept: " + b"text/html;" * 2000 + b"\r\nConnection: close\r\n\r\n",
    b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"BREW /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"GET /sparql?default-graph-uri=%3Cx%3E&query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"GET /sparql?query=SELECT%20*%20WHERE%20%7B%20BIND(1%2F0%20AS%20%3Fx)%20%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"GARBAGE\r\n\r\n",
])
def test_no_traceback_for_odd_requests(served, request_bytes):
    answer = raw(served.port, request_bytes)
    assert TRACEBACK.encode() not in answer
    if answer:
        status = int(answer.split(b" ", 2)[1])
        assert status < 500 or status == 503, answer[:300]


def test_queries_that_fail_while_running_get_a_plain_answer(client):
    for query in ('SELECT (REGEX("a", "(") AS ?x) WHERE {}', "SELECT * WHERE { BIND(<x> AS ?x) }",
                  'SELECT (STRDT("1", <http://www.w3.org/2001/XMLSchema#int>) + 1 AS ?x) WHERE {}'):
        response = client.get("/sparql", params={"query": query})
        assert response.status_code in (200, 400), (query, response.text)
        no_traceback(response)


def test_an_error_in_a_route_is_a_plain_500(served_project):
    """The catch-all: a route that raises answers 500 with a plain message (the traceback goes to
    the log only)."""
    from starlette.routing import Route

    from dangjian.dataset.published import KnowledgeBase
    from dangjian.serve.app import create_app

    async def broken(request):
        raise RuntimeError("secret detail")

    app = create_app(KnowledgeBase(served_project))
    app.router.routes.append(Route("/broken", broken))
    server = ServerThread(app).start()
    try:
        response = get(server.port, "/broken")
    finally:
        server.stop()
    assert response.status == 500
    assert response.header("content-type").startswith("text/plain")
    assert b"Traceback" not in response.body and b"secret detail" not in response.body


def test_the_server_log_has_no_traceback_either(served):
    """Everything the abuse above sent was the client's doing or a limit: the log says so in one
    line each, with no dump (a real failure would be logged, as test_an_error_in_a_route shows)."""
    assert "Traceback" not in served.output(), served.output()[-3000:]


# --- the query-text checks on their own ----------------------------------------------------------


@pytest.mark.parametrize("text, update", [
    ("INSERT DATA { <a> <b> <c> }", True),
    ("PREFIX ex: <https://example.org/>\nBASE <https://example.org/>\n# INSERT?\nDELETE WHERE { ?s ?p ?o }", True),
    ("PREFIX : <https://example.org/> load <https://example.org/x>", True),
    ("\\u0049NSERT DATA { <a> <b> <c> }", True),
    ('SELECT * WHERE { BIND("INSERT DATA" AS ?x) }', False),
    ("PREFIX insert: <https://example.org/> SELECT ?delete WHERE { ?delete insert:load ?x }", False),
    ("# DROP ALL\nASK {}", False),
])
def test_what_counts_as_an_update(text, update):
    from dangjian.query import querytext

    assert querytext.is_update(text) is update


@pytest.mark.parametrize("text, service", [
    ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", True),
    ("SELECT * {SERVICE<http://x/>{?s ?p ?o}}", True),
    ("SELECT * { service silent ?x { ?s ?p ?o } }", True),
    ("SELECT * { \\u0053ERVICE <http://x/> { ?s ?p ?o } }", True),
    ("SELECT * { \\U00000073ervice <http://x/> { ?s ?p ?o } }", True),
    ("SELECT * { FILTER(1<2)SERVICE<http://x/>{?s ?p ?o} }", True),
    ('SELECT ?service { ?service <http://x/service> "SERVICE <http://x/>" } # SERVICE', False),
    ("PREFIX service: <http://x/> SELECT * { ?s service:SERVICE ?o ; <http://x/SERVICE> ?p }", False),
    ("SELECT $service WHERE { ?s ?p $service }", False),
    ("SELECT * { ?s ?p '''\nSERVICE <http://x/> { }\n''' }", False),
])
def test_what_counts_as_service(text, service):
    from dangjian.query import querytext

    assert querytext.uses_service(text) is service
