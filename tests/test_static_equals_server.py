"""The static site equals the server: `dangjian build --site` of a release (with a renamed and a
withdrawn record) served by real nginx and real Apache with the generated rules, and the same
project served by `dangjian serve`; one matrix of requests (paths x Accept x conditional
headers x Range x gzip), sent to all three, must get the same status, Location, Content-Type,
Vary, CORS headers, validators, Cache-Control and body.

Compared as a client sees them: Location by its path and query (Apache writes absolute URLs, the
others paths); the Content-Type of an answer without a body (a redirect) is the server's own (nginx and
Apache write their own redirect pages); the ETag of a gzipped body differs by design (nginx
weakens it, Apache appends -gzip). A 404 is compared whole: its page for a browser, its line for
a program, each saying what the server says for the path."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pytest

from dangjian.build import build
from dangjian.site.pages.render import stylesheet

from linked import linked_project
from serving import ServeProcess
from statichosts import start_apache, start_nginx

VERSION, ISSUED = "1.0.0", "2026-06-01"
LAST_MODIFIED = "Mon, 01 Jun 2026 00:00:00 GMT"
ORIGIN = "https://example.org"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ACCEPTS = [None, "text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml",
           BROWSER, "*/*", "application/json", "text/turtle;q=1.0, application/rdf+xml;q=0.5", "application/pdf"]
NEGOTIATED = ["/id/place/anhui", "/id/amount/suzhou-2015-cadre-pay-funding", "/id/place/suzhou",
              "/id/organisation/suzhou-daily", "/id/place/no-such-place", "/ontology"]
FILES = ["/", "/index.html", "/doc/place/", "/doc/place/index.html", "/compare/village-cadre-pay.html",
         *[f"/doc/place/anhui.{x}" for x in ("html", "ttl", "jsonld", "nt", "rdf")],
         *[f"/ontology.{x}" for x in ("html", "ttl", "jsonld", "nt", "rdf")],
         "/.well-known/void", "/download/dangjian.nt", "/download/dangjian.ttl", "/download/dangjian.jsonld",
         "/download/dangjian.nt.gz", "/download/dangjian.nq.gz", "/download/ontology.ttl", "/download/context.jsonld",
         f"/releases/{VERSION}/dangjian.nt", "/" + stylesheet().path]
ELSEWHERE = ["/doc/place/suzhou.ttl", "/doc/organisation/suzhou-daily.html", "/doc/organisation/suzhou-daily.ttl",
             "/doc/organisation/suzhou-daily.rdf", "/doc/place/no-such-place.ttl", "/doc/place/anhui.pdf",
             "/gone/organisation/suzhou-daily.ttl", "/errors/406.txt", "/ontology.pdf", "/nothing-here", "/static/site.css"]
NOT_FOUND = ["/id/place/no-such-place", "/id/nothing/anhui", "/doc/place/no-such-place.html", "/doc/place/anhui.pdf",
             "/doc/nothing/index.html", "/download/nothing.nt", f"/releases/{VERSION}/nothing.nt", "/releases/9.9.9/dangjian.nt",
             "/compare/nothing.html", "/nothing-here", "/404", "/404.html", "/404.txt", "/errors/404.html", "/gone/",
             "/static/site.css", "/id", "/doc/", "/doc/nothing", "/doc/place/anhui.html/", "/download/dangjian.nt/",
             "/ontology/", "/index.html/", "/releases/9.9.9"]
# Folders named without their trailing slash (301 to it) and with it (a page or 404), hidden ones too.
FOLDERS = [f"{folder}{slash}" for folder in ("/doc", "/doc/place", "/download", "/releases", f"/releases/{VERSION}", "/static",
                                             "/compare", "/.well-known", "/errors", "/gone", "/gone/organisation")
           for slash in ("", "/")]
RANGES = ["bytes=0-99", "bytes=-50", "bytes=100-", "bytes=0-0,5-9"]


@dataclass(frozen=True)
class Ask:
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    method: str = "GET"

    def __str__(self) -> str:
        return f"{self.method} {self.path} {dict(self.headers)}"


def matrix() -> list[Ask]:
    asks = []
    for path in NEGOTIATED:
        asks += [Ask(path, (("Accept", a),) if a is not None else ()) for a in ACCEPTS]
    asks += [Ask(path) for path in FILES + ELSEWHERE]
    asks += [Ask(path, (("Accept", accept),)) for path in NOT_FOUND + FOLDERS for accept in (BROWSER, "text/turtle", "*/*")]
    asks += [Ask("/doc/place?page=2")]
    asks += [Ask(path, (("Accept-Encoding", "gzip"),)) for path in FILES]
    asks += [Ask("/doc/place/anhui.ttl", (("Accept-Encoding", "gzip;q=0, identity"),))]
    asks += [Ask("/download/dangjian.nt", (("Range", r),)) for r in RANGES]
    asks += [Ask("/doc/place/anhui.html", (("Range", "bytes=10-20"),))]
    asks += [Ask(path, method="HEAD") for path in ("/doc/place/anhui.ttl", "/id/place/anhui", "/download/dangjian.nt.gz")]
    asks += [Ask(path, (("If-Modified-Since", since),)) for path in FILES[:8]
             for since in (LAST_MODIFIED, "Tue, 02 Jun 2026 10:00:00 GMT", "Sun, 31 May 2026 23:59:59 GMT", "not a date")]
    asks += [Ask(path, (("If-None-Match", '"not-this-one"'), ("If-Modified-Since", LAST_MODIFIED))) for path in FILES[:4]]
    asks += [Ask(path, (("If-None-Match", "*"),)) for path in FILES[:2]]
    return asks


@pytest.fixture(scope="module")
def project(tmp_path_factory, repo):
    project = linked_project(tmp_path_factory.mktemp("static-equals-server") / "kb", repo)
    build(project, site=True, release=(VERSION, ISSUED))
    return project


@pytest.fixture(scope="module")
def hosts(project):
    started = {}
    try:
        started["server"] = ServeProcess(project.root, "--workers", "1").start()
        started["nginx"] = start_nginx(project.dist / "site")
        started["apache"] = start_apache(project.dist / "site")
        yield {name: host.base for name, host in started.items()}
    finally:
        for host in started.values():
            host.stop()


def send(base: str, ask: Ask) -> httpx.Response:
    headers = {"Origin": ORIGIN, "Accept-Encoding": "identity", **dict(ask.headers)}
    return httpx.request(ask.method, base + ask.path, headers=headers, timeout=30, follow_redirects=False)


def body(response: httpx.Response) -> bytes:
    return response.content  # httpx undoes the Content-Encoding


def vary(response: httpx.Response) -> set[str]:
    return {t.strip().lower() for t in response.headers.get("vary", "").split(",") if t.strip()}


def seen(response: httpx.Response) -> dict:
    """What a client relies on, as comparable values."""
    status = response.status_code
    h = response.headers
    out = {"status": status,
           "Access-Control-Allow-Origin": h.get("access-control-allow-origin"),
           "Access-Control-Expose-Headers": h.get("access-control-expose-headers")}
    if status in (301, 303):
        location = urlsplit(h.get("location", ""))
        out["Location"] = location.path + (f"?{location.query}" if location.query else "")
    if status in (200, 206, 404, 406, 410):
        out["Content-Type"] = (h.get("content-type") or "").replace(" ", "").lower()
        out["body"] = body(response)
    if status in (200, 206, 303, 406, 410) or (status == 301 and "/id/" in str(response.url)):
        out["Vary"] = vary(response)
    if status == 404:  # (nginx may add Accept-Encoding: it would compress a long page)
        out["Vary"] = vary(response) - {"accept-encoding"}
    if status in (200, 206, 301, 303, 304):
        out["Cache-Control"] = h.get("cache-control")
    if status in (200, 206, 304) and h.get("content-encoding") != "gzip":
        out["ETag"] = h.get("etag")
    if status in (200, 206):
        out["Last-Modified"] = h.get("last-modified")
        out["Content-Encoding"] = h.get("content-encoding")
        out["Link"] = h.get("link")
    if status == 206:
        out["Content-Range"] = h.get("content-range")
    if response.request.method == "HEAD":
        out.pop("body", None)
    return out


def test_every_host_answers_the_matrix_alike(hosts):
    failures = []
    asks = matrix()
    for ask in asks:
        answers = {name: seen(send(base, ask)) for name, base in hosts.items()}
        reference = answers["server"]
        for name in ("nginx", "apache"):
            differing = {k: (reference.get(k), answers[name].get(k)) for k in reference.keys() | answers[name].keys()
                         if reference.get(k) != answers[name].get(k)}
            if differing:
                shown = {k: tuple(_short(v) for v in pair) for k, pair in differing.items()}
                failures.append(f"{ask}: server vs {name}: {shown}")
    assert not failures, f"{len(failures)} of {len(asks) * 2} comparisons differ:\n" + "\n".join(failures[:60])


def _short(value):
    if isinstance(value, bytes) and len(value) > 80:
        return value[:60] + b"..." + f" ({len(value)} bytes)".encode()
    return value


def test_the_matrix_covers_what_it_claims(hosts):
    """The answers the comparison relies on are really there (so that agreeing is not agreeing
    on nothing), asked of the server; the comparison holds the others to the same."""
    server = hosts["server"]
    etag = send(server, Ask("/doc/place/anhui.ttl")).headers["etag"]
    assert re.fullmatch(r'"[A-Za-z0-9+/]{27}="', etag)
    assert send(server, Ask("/doc/place/anhui.ttl", (("If-None-Match", etag),))).status_code == 304
    assert send(server, Ask("/doc/place/anhui.ttl", (("If-Modified-Since", LAST_MODIFIED),))).status_code == 304
    zipped = send(server, Ask("/download/dangjian.nt", (("Accept-Encoding", "gzip"),)))
    assert zipped.headers["content-encoding"] == "gzip" and "accept-encoding" in vary(zipped)
    part = send(server, Ask("/download/dangjian.nt", (("Range", "bytes=0-99"),)))
    assert part.status_code == 206 and len(part.content) == 100
    gone = send(server, Ask("/id/organisation/suzhou-daily", (("Accept", "text/turtle"),)))
    assert gone.status_code == 410 and b"owl:deprecated true" in gone.content and "accept" in vary(gone)
    assert send(server, Ask("/id/place/no-such-place")).status_code == 404
    assert send(server, Ask("/download/dangjian.nt.gz")).headers["content-type"] == "application/gzip"
    assert send(server, Ask("/.well-known/void")).status_code == 200
    assert send(server, Ask("/ontology", (("Accept", "text/turtle"),))).headers["location"] == "/ontology.ttl"
    assert send(server, Ask("/doc/place/anhui.ttl")).headers["access-control-allow-origin"] == "*"
    sheet = send(server, Ask("/" + stylesheet().path))
    assert sheet.headers["content-type"] == "text/css; charset=utf-8" and "immutable" in sheet.headers["cache-control"]
    page = send(server, Ask("/doc/place/anhui.html")).text
    assert f'<link rel="stylesheet" href="../../{stylesheet().path}">' in page and "<style" not in page
    for path, said in (("/id/place/no-such-place", "no record has this URI"), ("/download/nothing.nt", "no such download"),
                       ("/404.html", "no page or record has this address")):
        missing = send(server, Ask(path, (("Accept", "text/turtle"),)))
        assert (missing.status_code, missing.text) == (404, f"404 Not Found: {said}\n"), path
        page = send(server, Ask(path, (("Accept", BROWSER),)))
        assert page.status_code == 404 and f"404 Not Found: {said}" in page.text and "accept" in vary(page), path


def test_every_folder_named_without_its_slash_is_a_301_to_it(project, hosts):
    """Every folder of the built site (walked on disk, so a folder the server does not know of
    is caught), named without its trailing slash: 301 to the name with it on every host; the
    folders only error documents read are a 404 like any path in them. No host answers 307."""
    site = project.dist / "site"
    folders = sorted("/" + p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_dir())
    assert {"/doc", "/doc/place", "/download", f"/releases/{VERSION}", "/static", "/gone", "/errors"} <= set(folders)
    for folder in folders:
        hidden = folder.split("/")[1] in ("gone", "errors")
        for name, base in hosts.items():
            answer = send(base, Ask(folder, (("Accept", "text/turtle"),)))
            if hidden:
                assert answer.status_code == 404, (folder, name, answer.status_code)
            else:
                assert (answer.status_code, urlsplit(answer.headers.get("location", "")).path) == (301, folder + "/"), (folder, name)
        assert send(hosts["server"], Ask(folder + "/nothing")).status_code == 404, folder


def test_a_range_past_the_end_is_416_everywhere(hosts):
    # Not in the matrix: nginx repeats its add_header lines on this error of its own (a
    # doubled Access-Control-Allow-Origin), and Apache sends no Content-Range.
    for name, base in hosts.items():
        assert send(base, Ask("/download/dangjian.nt", (("Range", "bytes=99999999-"),))).status_code == 416, name


def test_one_etag_on_every_host(hosts):
    """A client may move between the hosts: each gives a representation the same tag, and each
    answers 304 to the tag another gave."""
    for path in ("/doc/place/anhui.ttl", "/download/dangjian.nt.gz", "/ontology.html", "/"):
        tags = {name: send(base, Ask(path)).headers.get("etag") for name, base in hosts.items()}
        assert len(set(tags.values())) == 1, (path, tags)
        for name, base in hosts.items():
            assert send(base, Ask(path, (("If-None-Match", tags["server"]),))).status_code == 304, (path, name)
