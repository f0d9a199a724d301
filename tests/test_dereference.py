"""Record URIs over real HTTP: the server (create_app under uvicorn) and the static site under
a real nginx with the generated rules, asked the same questions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pyoxigraph
import pytest

from linked import free_port, get, install

BASE = "https://w3id.org/dangjian/"
FORMATS = {"text/html": "html", "text/turtle": "ttl", "application/ld+json": "jsonld",
           "application/n-triples": "nt", "application/rdf+xml": "rdf"}
PARSERS = {"ttl": pyoxigraph.RdfFormat.TURTLE, "jsonld": pyoxigraph.RdfFormat.JSON_LD,
           "nt": pyoxigraph.RdfFormat.N_TRIPLES, "rdf": pyoxigraph.RdfFormat.RDF_XML}


@pytest.fixture(scope="module")
def project(linked_site):
    return linked_site


@pytest.fixture(scope="module")
def server(linked_server):
    return linked_server


@pytest.fixture(scope="module")
def nginx(project, tmp_path_factory):
    """The static site behind a real nginx with the generated rules; skipped without nginx."""
    binary = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
    if binary is None:
        reason = install("nginx-light")
        binary = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
        if binary is None:
            print(f"static-site checks skipped: {reason}")
            pytest.skip(reason or "nginx not found after installing it")
    site = project.dist / "site"
    rules = (site / "nginx.conf").read_text()
    port = free_port()
    rules = rules.replace("listen 8080;", f"listen 127.0.0.1:{port};").replace("root /srv/dangjian/site;", f"root {site};")
    folder = tmp_path_factory.mktemp("nginx")
    (folder / "site.conf").write_text(rules)
    (folder / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")  # workers must read the pytest folder (mode 0700)
        + f"daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{ access_log off; client_body_temp_path {folder}; proxy_temp_path {folder}; fastcgi_temp_path {folder};"
        f" uwsgi_temp_path {folder}; scgi_temp_path {folder}; include {folder}/site.conf; }}\n")
    process = subprocess.Popen([binary, "-c", str(folder / "nginx.conf"), "-p", str(folder)], stderr=subprocess.PIPE)
    for _ in range(200):
        try:
            get(port, "/index.html")
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail("nginx did not start: " + process.stderr.read().decode())
            import time
            time.sleep(0.05)
    yield port
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module", params=["server", "static site"])
def host(request):
    """The port of each way of hosting: both must answer alike."""
    return request.getfixturevalue("server").port if request.param == "server" else request.getfixturevalue("nginx")


@pytest.mark.parametrize("accept, extension", list(FORMATS.items()))
def test_record_uri_answers_303_to_the_format_asked_for(host, accept, extension):
    response = get(host, "/id/place/suzhou-anhui", accept)
    assert response.status == 303
    assert response.header("location").endswith(f"/doc/place/suzhou-anhui.{extension}")
    assert "Accept" in response.header("vary")
    document = get(host, f"/doc/place/suzhou-anhui.{extension}")
    assert document.status == 200
    assert document.header("content-type").startswith(accept)


@pytest.mark.parametrize("accept, extension", [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),  # a browser
    ("text/turtle;q=1.0, application/rdf+xml;q=0.5", "ttl"),
    ("", "html"),
])
def test_clients_as_they_really_ask(host, accept, extension):
    response = get(host, "/id/amount/suzhou-2015-village-head-annual-pay", accept)
    assert response.status == 303
    assert response.header("location").endswith(f".{extension}")


def test_weighs_q_values_on_the_server(server):
    # Only the server weighs q-values; the rewrite rules take the first type named.
    response = get(server.port, "/id/place/anhui", "text/html;q=0.2, application/ld+json")
    assert response.header("location") == "/doc/place/anhui.jsonld"


def test_unknown_format_is_406_with_the_list(host):
    response = get(host, "/id/place/anhui", "application/pdf")
    assert response.status == 406
    for media_type in FORMATS:
        assert media_type.encode() in response.body


@pytest.mark.parametrize("extension", FORMATS.values())
def test_documents_name_the_other_formats(host, extension):
    response = get(host, f"/doc/place/anhui.{extension}")
    links = response.header("link")
    for media_type, other in FORMATS.items():
        if other != extension:
            assert f'</doc/place/anhui.{other}>; rel="alternate"; type="{media_type}"' in links
    assert f"anhui.{extension}>" not in links


@pytest.mark.parametrize("extension", PARSERS)
def test_rdf_documents_hold_the_record_its_quote_nodes_and_labels(host, extension):
    body = get(host, f"/doc/amount/suzhou-2015-cadre-pay-funding.{extension}").body
    triples = {(str(q.subject), str(q.predicate), str(q.object)) for q in pyoxigraph.parse(body, format=PARSERS[extension])}
    amount = f"<{BASE}id/amount/suzhou-2015-cadre-pay-funding>"
    subjects = {s for s, _p, _o in triples}
    assert {amount, amount[:-1] + "#quote>", amount[:-1] + "#quote-selector>"} <= subjects
    assert (amount, "<http://schema.org/value>", '"11544800"^^<http://www.w3.org/2001/XMLSchema#decimal>') in triples
    # the label of the place it links to, so that a client can show the link
    assert (f"<{BASE}id/place/suzhou-anhui>", "<http://www.w3.org/2004/02/skos/core#prefLabel>", '"宿州市"@zh-hans') in {
        (s, p, o.replace("@zh-Hans", "@zh-hans")) for s, p, o in triples}
    assert not any(s.startswith(f"<{BASE}id/amount/suzhou-2015-village-head") for s in subjects)


def test_renamed_record_answers_301_to_its_new_uri(host):
    response = get(host, "/id/place/suzhou", "text/turtle")
    assert response.status == 301
    assert response.header("location").endswith("/id/place/suzhou-anhui")
    assert get(host, "/doc/place/suzhou.ttl").header("location").endswith("/doc/place/suzhou-anhui.ttl")


def test_withdrawn_record_is_410_gone_with_a_short_page(host):
    page = get(host, "/id/organisation/suzhou-daily", "text/html")
    assert page.status == 410
    assert "误建,原文未提及该报" in page.body.decode()
    data = get(host, "/doc/organisation/suzhou-daily.ttl")
    assert data.status == 410
    assert b"owl:deprecated true" in data.body


def test_the_new_record_names_its_former_id(host):
    body = get(host, "/doc/place/suzhou-anhui.nt").body.decode()
    assert f"<{BASE}id/place/suzhou> <http://purl.org/dc/terms/isReplacedBy> <{BASE}id/place/suzhou-anhui> ." in body
    assert f"<{BASE}id/place/suzhou> <http://www.w3.org/2002/07/owl#sameAs> <{BASE}id/place/suzhou-anhui> ." in body


@pytest.mark.parametrize("path", [
    "/id/place/../../../etc/passwd", "/id/place/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/doc/place/..%2f..%2fmanifest.json",
    "/doc/place/anhui.pdf", "/id/nokind/anhui", "/id/place/no-such-place", "/id/place/Anhui", "/doc/../manifest.json",
])
def test_nothing_outside_the_records_is_reachable(host, path):
    response = get(host, path, "text/turtle")
    assert response.status in (404, 400), (path, response.status)
    assert b"root:" not in response.body


def test_server_pages_are_the_static_pages_byte_for_byte(server, project):
    site = project.dist / "site"
    for path in ("index.html", "doc/place/suzhou-anhui.html", "doc/amount/index.html", "compare/village-cadre-pay.html",
                 "doc/amount/suzhou-2015-cadre-pay-funding.ttl", "doc/amount/suzhou-2015-cadre-pay-funding.jsonld"):
        assert get(server.port, "/" + path).body == (site / path).read_bytes(), path


def test_dataset_description_at_well_known_void(host, project):
    response = get(host, "/.well-known/void")
    assert response.status == 200
    assert response.header("content-type").startswith("text/turtle")
    assert response.body == (project.dist / "void.ttl").read_bytes()


def test_home_page_has_a_dataset_block_and_downloads_that_resolve(host, project):
    html = get(host, "/").body.decode()
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    dataset = json.loads(block)
    assert dataset["@type"] == "Dataset" and dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    for download in dataset["distribution"]:
        path = download["contentUrl"][len(BASE) - 1:]
        response = get(host, path)
        assert response.status == 200, path
        assert len(response.body) == int(download["contentSize"].split()[0])


@pytest.mark.parametrize("path", ["/no/such/page", "/doc/place/no-such-place.html", "/id/place/no-such-place"])
def test_404_is_a_page_for_browsers_and_a_line_for_programs(host, path):
    page = get(host, path, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert page.status == 404 and page.header("content-type").startswith("text/html")
    assert 'href="/search"' in page.body.decode() and 'href="/sparql"' in page.body.decode()
    line = get(host, path, "*/*")
    assert line.status == 404 and line.header("content-type").startswith("text/plain")
    assert line.body.decode().startswith("404 Not Found: ")
