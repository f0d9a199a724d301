"""What the pages say, checked against the records themselves and against the RDF documents:
no Python ``None`` in any cell, search and SPARQL linked from every page, links read backwards
under their inverse's name, the same inbound links on a page and in its record's data, the
quotes a source gives in their context, paging with true counts, and 404s a browser can read.
(How the pages look, at a phone's width and a desktop's, is tests/test_browser.py.)"""

from __future__ import annotations

import hashlib
import posixpath
import re
from html import unescape
from pathlib import Path
from urllib.parse import quote

import pyoxigraph
import pytest
import yaml

from linked import get

REPO = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/dangjian/"
HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture(scope="module")
def project(linked_site):
    return linked_site


@pytest.fixture(scope="module")
def server(linked_server):
    return linked_server


def pages(project) -> dict[str, str]:
    site = project.dist / "site"
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def records(folder: str) -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (REPO / "records" / folder).glob("*.yaml")}


def section(html: str, name: str) -> str:
    """The HTML of one <section class="name"> of a page ('' when the page has none)."""
    start = html.find(f'<section class="{name}">')
    return html[start:html.index("</section>", start)] if start >= 0 else ""


def linked_records(page: str, html: str) -> set[str]:
    """The records ({kind}/{id}) a piece of a page links to."""
    out = set()
    for href in HREF.findall(html):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
        match = re.fullmatch(r"doc/([a-z]+)/([a-z0-9-]+)\.html", target)
        if match and match[2] != "index":
            out.add(f"{match[1]}/{match[2]}")
    return out


# --- every page ------------------------------------------------------------------------------------


def test_no_page_prints_none(project):
    found = {path: html.count(">None<") for path, html in pages(project).items() if re.search(r">\s*None\s*<", html)}
    assert not found, found


def test_every_page_links_to_search_and_sparql(project):
    for path, html in pages(project).items():
        targets = {h.lstrip("/") if h.startswith("/") else posixpath.normpath(posixpath.join(posixpath.dirname(path), h))
                   for h in HREF.findall(html)}
        assert {"search", "sparql"} <= targets, path


def test_index_pages_mark_each_label_with_its_language(project):
    policies = records("policies")
    html = pages(project)["doc/policy/index.html"]
    marked = dict(re.findall(r'<a href="([a-z0-9-]+)\.html" lang="([A-Za-z-]+)">', html))
    assert set(marked) == set(policies)
    for record_id, data in policies.items():
        label = data["label"]
        written = next(iter(label)) if isinstance(label, dict) and "zh-Hans" not in label else "zh-Hans"
        assert marked[record_id] == written, record_id
    assert 'lang="zh-Hant"' in html and 'lang="zh-Hans"' in html


def shown_language(label) -> str:
    """The language of the label a page shows for a record, from its YAML: Simplified, else
    Traditional, else English."""
    if not isinstance(label, dict):
        return "zh-Hans"
    return next(tag for tag in ("zh-Hans", "zh-Hant", "en") if tag in label)


def test_the_citation_marks_the_title_with_its_language(project, ontology):
    """The citation (text, BibTeX, RIS) is English; the record's title in it is marked zh-Hans
    or zh-Hant as the record writes it."""
    site = pages(project)
    seen = set()
    for name, kind in ontology.kinds.items():
        for record_id, data in records(kind.folder).items():
            part = section(site[f"doc/{name}/{record_id}.html"], "cite")
            language = shown_language(data["label"])
            assert part.count('<p class="citation" lang="en">') == 1 and part.count('<pre lang="en">') == 2, record_id
            marked = re.findall(r'<span lang="([^"]+)">([^<]*)</span>', part)
            if language == "en":
                assert not marked, record_id
                continue
            title = unescape(data["label"][language] if isinstance(data["label"], dict) else data["label"])
            assert [(tag, unescape(text)) for tag, text in marked] == [(language, title)] * 3, record_id
            seen.add(language)
    assert seen == {"zh-Hans", "zh-Hant"}


# --- links read backwards, in the pages and in the data --------------------------------------------


def inverse_row(html: str, label_en: str) -> set[str]:
    rows = re.findall(r'<tr><th>[^<]*<span class="en" lang="en">([^<]+)</span>.*?</th><td>(.*?)</td></tr>',
                      section(html, "linked-from"), re.S)
    found = [cell for name, cell in rows if name == label_en]
    assert len(found) == 1, (label_en, [name for name, _c in rows])
    return {h.removesuffix(".html").rsplit("/", 1)[-1] for h in HREF.findall(found[0])}


def test_a_policy_lists_its_parts_under_has_part(project):
    policies = records("policies")
    parents = {data["part_of"] for data in policies.values() if isinstance(data.get("part_of"), str)}
    assert parents
    site = pages(project)
    for parent in parents:
        parts = {record_id for record_id, data in policies.items() if data.get("part_of") == parent}
        assert inverse_row(site[f"doc/policy/{parent}.html"], "has part") == parts, parent
        assert "part of" not in section(site[f"doc/policy/{parent}.html"], "linked-from")


def test_a_measure_lists_its_narrower_measures_under_narrower(project):
    measures = records("measures")
    broader = {data["broader"] for data in measures.values() if isinstance(data.get("broader"), str)}
    assert broader
    for measure in broader:
        narrower = {record_id for record_id, data in measures.items() if data.get("broader") == measure}
        html = pages(project)[f"doc/measure/{measure}.html"]
        assert inverse_row(html, "narrower measure") == narrower, measure
        assert "broader" not in section(html, "linked-from")


def test_an_organisation_lists_its_posts_under_has_post(project):
    posts = records("posts")
    site = pages(project)
    for organisation in {data["post_in"] for data in posts.values()}:
        held = {record_id for record_id, data in posts.items() if data["post_in"] == organisation}
        html = site[f"doc/organisation/{organisation}.html"]
        assert inverse_row(html, "has post") == held, organisation
        assert "post in" not in section(html, "linked-from")


def test_every_link_between_records_has_an_inverse_with_both_labels(project, ontology):
    graph = pyoxigraph.parse((project.dist / "dangjian.nt").read_bytes(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    linking = {t.predicate.value for t in graph if isinstance(t.object, pyoxigraph.NamedNode)
               and "#" not in t.object.value and ontology.split_record_iri(t.object.value) and isinstance(t.subject, pyoxigraph.NamedNode)
               and "#" not in t.subject.value and ontology.split_record_iri(t.subject.value)}
    assert {"http://purl.org/dc/terms/isPartOf", "http://www.w3.org/2004/02/skos/core#broader"} <= linking
    for predicate in linking - {"http://purl.org/dc/terms/isReplacedBy", "http://www.w3.org/2002/07/owl#sameAs"}:
        inverse = ontology.inverses.get(predicate)
        assert inverse, f"{predicate}: no owl:inverseOf in the vocabulary"
        assert {"zh-Hans", "en"} <= set(ontology.labels.get(inverse, {})), inverse


def test_pages_and_rdf_documents_name_the_same_inbound_links(project, ontology):
    """For every record: the records its page lists as linking to it (under 'Records that link
    here' and in its table of amounts) are the subjects of the statements pointing to it that
    its N-Triples document carries."""
    site = project.dist / "site"
    checked = 0
    for page in sorted((site / "doc").glob("*/*.html")):
        kind, record_id = page.parent.name, page.stem
        if record_id == "index":
            continue
        iri = ontology.record_iri(kind, record_id)
        document = pyoxigraph.parse((site / "doc" / kind / f"{record_id}.nt").read_bytes(), format=pyoxigraph.RdfFormat.N_TRIPLES)
        in_data = set()
        for t in document:
            if t.object == pyoxigraph.NamedNode(iri) and isinstance(t.subject, pyoxigraph.NamedNode) and "#" not in t.subject.value:
                split = ontology.split_record_iri(t.subject.value)
                if split and t.predicate.value not in ("http://purl.org/dc/terms/isReplacedBy", "http://www.w3.org/2002/07/owl#sameAs"):
                    in_data.add("/".join(split))
        html = page.read_text(encoding="utf-8")
        path = f"doc/{kind}/{record_id}.html"
        on_page = set()
        for name in ("linked-from", "amounts"):
            part = section(html, name)
            if name == "amounts":  # the table's rows: each amount's own link (its first cell)
                part = "".join(re.findall(r'<tr role="row">\s*<td role="cell">(.*?)</td>', part, re.S))
            on_page |= linked_records(path, part)
        assert on_page == in_data, (kind, record_id, on_page ^ in_data)
        checked += 1
    assert checked > 300


# --- sources ------------------------------------------------------------------------------------


def test_source_pages_give_every_quote_in_its_context_and_the_capture_hash(project):
    amounts = records("amounts")
    site = pages(project)
    for source in records("sources"):
        text = (REPO / "records" / "sources" / f"{source}.txt").read_text(encoding="utf-8")
        capture = (REPO / "records" / "sources" / f"{source}.capture.txt").read_bytes()
        quoted = {record_id for record_id, data in amounts.items() if data.get("source") == source and data.get("quote")}
        html = site[f"doc/source/{source}.html"]
        part = section(html, "quotes")
        assert hashlib.sha256(capture).hexdigest() in part
        items = re.findall(r"<li><p[^>]*>(.*?)</p>\s*<p>→ (.*?)</p></li>", part, re.S)
        assert {h.removesuffix(".html").rsplit("/", 1)[-1] for _q, link in items for h in HREF.findall(link)} == quoted
        assert len(items) == len(quoted)
        for quote_html, _link in items:
            prefix = re.search(r'<span class="context">…(.*?)</span><mark>', quote_html)
            exact = re.search(r"<mark>(.*?)</mark>", quote_html)[1]
            suffix = re.search(r'</mark><span class="context">(.*?)…</span>', quote_html)
            around = (prefix[1] if prefix else "") + exact + (suffix[1] if suffix else "")
            import html as entities

            assert entities.unescape(around) in text, (source, around)
            assert prefix or suffix, (source, exact)


# --- search --------------------------------------------------------------------------------------


def test_search_counts_every_match_and_pages_through_them(server):
    q = quote("党组织")
    first = get(server.port, f"/search?q={q}&format=json&limit=20")
    import json

    data = json.loads(first.body)
    assert data["total"] > 20 and data["count"] == 20 and data["pages"] == -(-data["total"] // 20)
    seen = []
    for page in range(1, data["pages"] + 1):
        answer = json.loads(get(server.port, f"/search?q={q}&format=json&limit=20&page={page}").body)
        assert answer["total"] == data["total"]
        seen += [r["uri"] for r in answer["results"]]
        assert ("next" in answer) == (page < data["pages"])
    assert len(seen) == len(set(seen)) == data["total"]  # every match once, on some page
    html = get(server.port, f"/search?q={q}", "text/html").body.decode()
    assert f"{data['total']} 条结果" in html and "第 1–20 条" in html and 'rel="next"' in html
    last = get(server.port, f"/search?q={q}&page={data['pages']}", "text/html").body.decode()
    assert f'<ol class="results" start="{(data["pages"] - 1) * 20 + 1}">' in last and 'rel="prev"' in last
    assert get(server.port, f"/search?q={q}&page=0").status == 400


def test_search_results_mark_each_label_and_snippet_with_its_language(server, ontology):
    """A result's label is marked with the language of the label shown, as the record writes it;
    a snippet of an English field is marked English. Found in both scripts by one query."""
    written = {(name, record_id): shown_language(data["label"]) for name, kind in ontology.kinds.items()
               for record_id, data in records(kind.folder).items()}
    html = get(server.port, "/search?q=" + quote("基层组织") + "&limit=100", "text/html").body.decode()
    hits = re.findall(r'<li><a href="/?doc/([a-z]+)/([a-z0-9-]+)\.html"(?: lang="([^"]+)")?>([^<]*)</a>.*?'
                      r'<span class="meta" lang="en">[a-z]+:</span> <span class="snippet"(?: lang="([^"]+)")?>(.*?)</span><br>',
                      html, re.S)
    assert len(hits) > 20
    for kind, record_id, label_language, label, snippet_language, snippet in hits:
        assert label_language == written[(kind, record_id)], (kind, record_id)
        assert snippet_language in ("zh-Hans", "zh-Hant", "en"), (kind, record_id)
        if unescape(re.sub(r"</?mark>", "", snippet)) == unescape(label):
            assert snippet_language == label_language, (kind, record_id)
    assert {h[2] for h in hits} >= {"zh-Hans", "zh-Hant"}


def test_sparql_answers_mark_literals_with_bcp47_case(server):
    """The store gives lower-case tags (zh-hans); the page's lang attributes are zh-Hans, zh-Hant."""
    query = ("SELECT ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l "
             "FILTER(langMatches(lang(?l), 'zh-hant') || ?s = <https://w3id.org/dangjian/id/place/anhui>) }")
    html = get(server.port, "/sparql?format=html&query=" + quote(query), "text/html").body.decode()
    marked = re.findall(r'<td data-label="\?l"><span lang="([^"]+)">', html)
    assert set(marked) == {"zh-Hans", "zh-Hant", "en"}, set(marked)


# --- 404 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/no/such/page", "/doc/place/no-such-place.html", "/id/place/no-such-place",
                                  "/compare/nothing.html"])
def test_404_is_a_page_for_browsers_and_a_line_for_programs(server, path):
    browser = get(server.port, path, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert browser.status == 404 and browser.header("content-type").startswith("text/html")
    page = browser.body.decode()
    assert 'href="/search"' in page and 'href="/sparql"' in page and 'href="/index.html"' in page
    for accept in ("*/*", "text/turtle", None):
        program = get(server.port, path, accept)
        assert program.status == 404 and program.header("content-type").startswith("text/plain")
        assert program.body.decode().startswith("404 Not Found: ")


def test_the_static_site_has_the_404_pages(project):
    """A page and a line for each folder the server's 404 names, and for the rest; none at the
    site's root, where a client could ask for it by name."""
    errors = project.dist / "site" / "errors"
    for name in ("404", "404-id", "404-doc", "404-download", "404-releases"):
        page = (errors / f"{name}.html").read_text(encoding="utf-8")
        line = (errors / f"{name}.txt").read_text(encoding="utf-8")
        assert 'href="/search"' in page and line.startswith("404 Not Found: ") and line.strip() in unescape(page), name
    assert not (project.dist / "site" / "404.html").exists()
