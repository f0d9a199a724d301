"""Property-based: whatever a record file holds, reading and mapping it ends in problems or
statements, never in an exception; and what the mapper makes, the writers write back unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.ontology import Ontology
from dangjian.problems import Problem
from dangjian.process import Processor
from dangjian.publish.jsonld import JsonLdWriter, jsonld_document
from dangjian.publish.turtle import TurtleWriter

REPO = Path(__file__).resolve().parent.parent
ONTOLOGY = Ontology(REPO / "ontology")
KEYS = sorted(ONTOLOGY.terms) + ["id", "vale", "identifier", "zh-Hans"]

scalar = st.one_of(
    st.text(max_size=12), st.integers(-10**6, 10**6), st.booleans(), st.none(),
    st.sampled_from(["安徽省", "4:6", "no", "2015-07-10", "12.50", "1e3", "suzhou-anhui", "exact", "square-metre", "zh-Hans", "CNY", "-", "#", "&a", "*a", "!!int 3", "'", '"', "\\\\", "\t"]),
)
value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["zh-Hans", "en", "zh_CN", "x"]), inner, max_size=3)), max_leaves=6)


def yaml_text(entries: list[tuple[str, object]]) -> str:
    """Write entries as YAML-ish text, quoting or not at random, so that odd text reaches the reader."""
    import json

    lines = []
    for key, item in entries:
        rendered = json.dumps(item, ensure_ascii=False) if not isinstance(item, str) else item
        lines.append(f"{key}: {rendered}")
    return "\n".join(lines) + "\n"


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(sorted(ONTOLOGY.kinds)), entries=st.lists(st.tuples(st.sampled_from(KEYS), value), max_size=8), raw=st.booleans(), noise=st.binary(max_size=20))
def test_any_file_gives_problems_or_statements(tmp_path_factory, kind, entries, raw, noise):
    folder = tmp_path_factory.mktemp("kb") / "records" / ONTOLOGY.kinds[kind].folder
    folder.mkdir(parents=True)
    path = folder / "x.yaml"
    content = yaml_text([("id", "x")] + entries).encode("utf-8")
    path.write_bytes(content + noise if raw else content)
    done = Processor(ONTOLOGY, ONTOLOGY.output_prefixes)((path, ONTOLOGY.kinds[kind], "records/x.yaml"))
    assert all(isinstance(p, Problem) for p in done.problems)
    if done.record is not None and not done.problems:
        # A record without problems maps to well-formed RDF that the writers keep as it is.
        parsed = {str(q) for q in pyoxigraph.parse(done.ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)}
        turtle = TurtleWriter(ONTOLOGY.output_prefixes).head() + done.turtle.decode("utf-8")
        again = {str(q) for q in pyoxigraph.parse(turtle.encode(), format=pyoxigraph.RdfFormat.TURTLE)}
        assert again == parsed
        writer = JsonLdWriter(ONTOLOGY)
        document = "".join(jsonld_document(writer.head(), [done.jsonld.decode("utf-8")]))
        assert {str(q) for q in pyoxigraph.parse(document.encode(), format=pyoxigraph.RdfFormat.JSON_LD)} == parsed
    shutil.rmtree(folder.parent.parent)
