"""`dangjian query` on a real build: the table (Chinese aligned, IRIs shortened, long cells cut),
the standard formats read back by a real parser, graphs as Turtle and JSON-LD, syntax errors at
their line and column, and clear errors for an unknown question or a missing build. Also the
module API the HTTP endpoint reuses (dangjian.query.run, dangjian.query.formats)."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph
import pytest
import wcwidth
from click.testing import CliRunner
from pyld import jsonld

from dangjian.cli import main
from dangjian.dataset.published import KnowledgeBase
from dangjian.query import formats
from dangjian.query.run import QuerySyntaxError, execute

PLACES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dj: <https://w3id.org/dangjian/ontology#>
SELECT ?label ?place WHERE { ?place dj:placeLevel ?level ; skos:prefLabel ?label . FILTER(langMatches(lang(?label), "zh")) }
ORDER BY ?place"""
PROVINCES = "SELECT ?place WHERE { ?place dj:placeLevel dj:level-province } ORDER BY ?place"
CONSTRUCT = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?amount skos:prefLabel ?label ; <http://schema.org/value> ?value }
WHERE { ?amount a <https://w3id.org/dangjian/ontology#Amount> ; skos:prefLabel ?label ; <http://schema.org/value> ?value }"""


def run(kb, *args: str):
    return CliRunner().invoke(main, ["query", *args], env={"DANGJIAN_ROOT": str(kb.root)}, catch_exceptions=False)


@pytest.fixture(scope="module")
def store(built_kb):
    return KnowledgeBase(built_kb.project).store


def solutions_of(store, query: str) -> list[tuple]:
    results = store.query(query)
    return [tuple(s[v] for v in results.variables) for s in results]


# --- the table --------------------------------------------------------------------------------

def test_table_aligns_chinese_labels_by_display_width(built_kb):
    result = run(built_kb, PLACES, "--width", "0")
    assert result.exit_code == 0, result.stderr
    header, rule, *rows, count = result.stdout.splitlines()
    assert count == f"({len(rows)} rows)" and len(rows) >= 20
    assert any(not label.isascii() for label in (r.split()[0] for r in rows))
    # The second column starts at the same screen column on every line, counted by wcwidth,
    # which measures as a terminal does (a Chinese character takes two columns).
    start = wcwidth.wcswidth(header[:header.index("place")])
    assert wcwidth.wcswidth(rule.split("  ")[0]) + 2 == start
    for row in rows:
        assert wcwidth.wcswidth(row[:row.index("place:")]) == start, row


def test_table_shortens_iris_with_the_ontology_prefixes(built_kb):
    result = run(built_kb, PROVINCES)
    assert result.stdout.splitlines()[2:] == ["place:anhui", "place:henan", "(2 rows)"]


def test_table_cuts_long_cells_to_the_width_and_says_so(built_kb):
    result = run(built_kb, "village-cadre-pay", "--width", "12")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    cells = [cell for line in lines[2:-1] for cell in line.split("  ") if cell.strip()]
    assert all(wcwidth.wcswidth(cell.strip()) <= 12 for cell in cells)
    assert any(cell.strip().endswith("…") for cell in cells)
    whole = run(built_kb, "village-cadre-pay", "--width", "0").stdout
    assert "从2015年1月起,村党组织书记工作报酬定为1100元/月" in whole and "…" not in whole


def test_numbers_are_right_aligned(built_kb):
    lines = run(built_kb, "village-cadre-pay", "--width", "0").stdout.splitlines()
    header, rows = lines[0], lines[2:-1]
    end = wcwidth.wcswidth(header[:header.index("value") + len("value")])
    ends = set()
    for row in rows:
        cells = row.split()
        number = next(c for c in cells if c.isdigit())  # the first number in the row is its value
        ends.add(wcwidth.wcswidth(row[:row.index(" " + number + " ") + 1 + len(number)]))
    assert ends == {end}


def test_ask_prints_yes_or_no(built_kb):
    assert run(built_kb, "ASK { ?a a dj:Amount }").stdout == "yes\n"
    assert run(built_kb, "ASK { ?a a dj:Nothing }").stdout == "no\n"


# --- the standard formats, read back -------------------------------------------------------------

@pytest.mark.parametrize("fmt, parser_format", [
    ("csv", None), ("tsv", pyoxigraph.QueryResultsFormat.TSV),
    ("json", pyoxigraph.QueryResultsFormat.JSON), ("xml", pyoxigraph.QueryResultsFormat.XML)])
def test_select_results_formats_parse_back_to_the_stores_answer(built_kb, store, fmt, parser_format):
    result = run(built_kb, PLACES, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    expected = solutions_of(store, PLACES)
    if fmt == "csv":  # CSV keeps values only, no language tags or datatypes: Python's csv reads it
        header, *got = list(csv.reader(io.StringIO(result.stdout, newline="")))
        assert header == ["label", "place"]
        assert [tuple(row) for row in got] == [tuple(t.value for t in row) for row in expected]
        return
    parsed = pyoxigraph.parse_query_results(result.stdout_bytes, format=parser_format)
    assert [v.value for v in parsed.variables] == ["label", "place"]
    got = [tuple(s[v] for v in parsed.variables) for s in parsed]
    assert got == expected and len(got) >= 20


@pytest.mark.parametrize("fmt, parser_format", [
    ("json", pyoxigraph.QueryResultsFormat.JSON), ("xml", pyoxigraph.QueryResultsFormat.XML),
    ("tsv", pyoxigraph.QueryResultsFormat.TSV), ("csv", None)])
def test_ask_in_the_standard_formats(built_kb, fmt, parser_format):
    for query, answer in (("ASK { ?a a dj:Amount }", True), ("ASK { ?a a dj:Nothing }", False)):
        result = run(built_kb, query, "--format", fmt)
        assert result.exit_code == 0, result.stderr
        if fmt == "csv":
            assert list(csv.reader(io.StringIO(result.stdout, newline=""))) == [["true" if answer else "false"]]
        else:
            assert bool(pyoxigraph.parse_query_results(result.stdout_bytes, format=parser_format)) is answer


def test_construct_prints_turtle_that_parses_to_the_stores_graph(built_kb, store):
    result = run(built_kb, CONSTRUCT)
    assert result.exit_code == 0, result.stderr
    assert "@prefix amount: <https://w3id.org/dangjian/id/amount/> ." in result.stdout
    assert "amount:suzhou-2015-cadre-pay-funding" in result.stdout
    parsed = set(pyoxigraph.parse(result.stdout_bytes, format=pyoxigraph.RdfFormat.TURTLE))
    expected = set(store.query(CONSTRUCT))
    assert {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in parsed} == expected and len(expected) > 150


def test_construct_keeps_the_written_form_of_numbers(built_kb):
    turtle = run(built_kb, CONSTRUCT).stdout
    # A whole-number decimal stays a decimal (a bare 11544800 would be read as an integer).
    assert 'schema:value "11544800"^^xsd:decimal' in turtle


@pytest.mark.parametrize("fmt", ["nt", "jsonld", "rdf"])
def test_construct_in_the_other_graph_formats(built_kb, store, fmt):
    result = run(built_kb, CONSTRUCT, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    expected = set(store.query(CONSTRUCT))
    if fmt == "jsonld":
        document = json.loads(result.stdout)
        assert document["@context"]["label"] == {"@id": "skos:prefLabel", "@container": "@language"}  # the project's context
        nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
        data, parser = nquads.encode(), pyoxigraph.RdfFormat.N_QUADS
    else:
        data = result.stdout_bytes
        parser = {"nt": pyoxigraph.RdfFormat.N_TRIPLES, "rdf": pyoxigraph.RdfFormat.RDF_XML}[fmt]
    parsed = {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in pyoxigraph.parse(data, format=parser)}
    assert parsed == expected


# --- errors --------------------------------------------------------------------------------------

def test_syntax_error_shows_the_line_and_column(built_kb):
    # skos: is declared for the user (the prologue added must not shift the line); foo: is unknown.
    query = "SELECT ?label WHERE {\n  ?place skos:prefLabel ?label .\n  ?place foo:bar ?other .\n}"
    result = run(built_kb, query)
    assert result.exit_code == 1
    assert result.stdout == ""
    message, line, caret = result.stderr.splitlines()[:3]
    assert message == "syntax error at line 3, column 17: the prefix `foo:` is not declared (PREFIX foo: <…>)"
    assert line == "   3 |   ?place foo:bar ?other ."
    assert caret == "     | " + " " * 16 + "^"  # where the parser stopped: just after foo:bar


def test_syntax_error_caret_counts_chinese_characters_as_two_columns(built_kb):
    result = run(built_kb, 'SELECT * WHERE { ?s ?p "宿州市" . ?s ?p ?o FILTER(?o = ) }')
    assert result.exit_code == 1
    message, line, caret = result.stderr.splitlines()[:3]
    column = int(message.split("column ")[1].split(":")[0])
    text = line[len("   1 | "):]
    assert wcwidth.wcswidth(caret[len("     | "):-1]) == wcwidth.wcswidth(text[:column - 1])


def test_syntax_error_in_a_file_names_the_file(built_kb, tmp_path):
    path = tmp_path / "broken.rq"
    path.write_text("PREFIX dj: <https://w3id.org/dangjian/ontology#>\nSELECT * WHERE { ?s dj:policy }\n", encoding="utf-8")
    result = run(built_kb, "-f", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}: syntax error at line 2, column ")


def test_unknown_catalogue_name_suggests_the_nearest(built_kb):
    result = run(built_kb, "village-cadre-pai")
    assert result.exit_code == 2
    assert "no question called `village-cadre-pai` in the catalogue" in result.stderr
    assert "did you mean `village-cadre-pay`?" in result.stderr
    assert result.stdout == ""


def test_not_built_is_a_clear_error(sandbox):
    result = sandbox.cli("query", "village-cadre-pay")
    assert result.returncode == 1
    assert "no build in dist/: run `dangjian build`" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("args, message", [
    ([], "give a query"),
    (["ASK {}", "-f", "-"], "not both"),
    (["ASK {}", "--format", "yaml"], "unknown format `yaml`"),
    ([CONSTRUCT, "--format", "csv"], "csv does not fit the answer to a CONSTRUCT"),
    ([PROVINCES, "--format", "ttl"], "ttl does not fit the answer to a SELECT"),
    ([CONSTRUCT, "--format", "table"], "not a table"),
])
def test_usage_errors_exit_2(built_kb, args, message):
    result = run(built_kb, *args)
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""


def test_the_real_command_runs_a_file_from_stdin_with_the_ontology_prefixes(built_kb):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "dangjian", "query", "-f", "-", "--format", "csv"], input=PROVINCES,
                            cwd=built_kb.root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["place", "https://w3id.org/dangjian/id/place/anhui", "https://w3id.org/dangjian/id/place/henan"]


def test_help(built_kb):
    result = run(built_kb, "--help")
    assert result.exit_code == 0 and "catalogue" in result.stdout and "Exit codes" in result.stdout


# --- the module API the endpoint shares ------------------------------------------------------------

def test_execute_and_serialize_by_media_type(store):
    results = execute(store, PROVINCES.replace("dj:", "<https://w3id.org/dangjian/ontology#").replace("province", "province>").replace("Level <", "Level> <"))
    assert results.kind == "solutions" and results.variables == ["place"]
    data = formats.serialize(results, "application/sparql-results+json")
    assert [b["place"]["value"] for b in json.loads(data)["results"]["bindings"]] == [
        "https://w3id.org/dangjian/id/place/anhui", "https://w3id.org/dangjian/id/place/henan"]
    assert formats.media_type("tsv").startswith("text/tab-separated-values")
    assert formats.media_types("graph")["text/turtle"] == "ttl"


def test_execute_refuses_updates_as_syntax_errors_and_changes_nothing(store):
    before = len(store)
    with pytest.raises(QuerySyntaxError) as caught:
        execute(store, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert caught.value.line == 1 and caught.value.column is not None
    assert len(store) == before


def test_query_syntax_error_carries_line_and_column(store):
    with pytest.raises(QuerySyntaxError) as caught:
        execute(store, "SELECT *\nWHERE {\n  ?s foo:bar ?o }")
    error = caught.value
    assert (error.line, error.column) == (3, 13)
    assert error.excerpt() == "   3 |   ?s foo:bar ?o }\n     |             ^"
    assert str(error) == "syntax error at line 3, column 13: the prefix `foo:` is not declared (PREFIX foo: <…>)"
    assert error.prefix == "foo"


def test_a_misspelt_prefix_gets_a_did_you_mean(built_kb):
    result = run(built_kb, "SELECT ?place WHERE {\n  ?place dj:placeLevel dj:level-city ;\n         shema:containedInPlace place:anhui .\n}")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "syntax error at line 3, column 32: the prefix `shema:` is not declared (PREFIX shema: <…>); did you mean `schema:`?",
        "   3 |          shema:containedInPlace place:anhui .",
        "     |                                ^",
    ]


def test_describe_prints_the_records_statements(built_kb):
    result = run(built_kb, "DESCRIBE place:henan")
    assert result.exit_code == 0, result.stderr
    assert 'place:henan\n    a schema:AdministrativeArea ;' in result.stdout
    assert 'skos:prefLabel "Henan Province"@en ,\n        "河南省"@zh-hans ;\n    wdt:P442 "410000" .' in result.stdout


def test_a_query_that_fails_while_evaluated_exits_1(built_kb):
    # The command may federate (it is the user's own machine); this service cannot be reached.
    result = run(built_kb, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert result.exit_code == 1
    assert result.stderr.startswith("the query failed: ") and result.stdout == ""


def test_the_api_refuses_federated_queries_unless_allowed(store):
    from dangjian.query.querytext import uses_service
    from dangjian.query.run import QueryRefused

    with pytest.raises(QueryRefused):
        execute(store, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    # the word in a comment, a string or an IRI is not a SERVICE clause
    assert not uses_service('# SERVICE\nSELECT * WHERE { ?s ?p "SERVICE" . ?s <urn:SERVICE> ?o }')
    assert uses_service("select * where { service silent <urn:x> { ?s ?p ?o } }")


def test_a_query_may_declare_a_prefix_the_ontology_also_has(built_kb):
    result = run(built_kb, "PREFIX place: <urn:elsewhere:> SELECT ?p WHERE { ?p <https://w3id.org/dangjian/ontology#placeLevel> ?l FILTER(STRSTARTS(STR(?p), STR(place:))) }")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "(0 rows)"
