"""Property-based: whatever a record file holds, reading and mapping it ends in problems or
statements, never in an exception; and what the mapper makes, the writers write back unchanged."""

from __future__ import annotations

import dataclasses
import datetime
import shutil
from pathlib import Path

import pyoxigraph
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dangjian.model.ontology import Ontology
from dangjian.model.problems import Problem
from dangjian.build.workers import pack, unpack
from dangjian.checks.run import record_check
from dangjian.pipeline.process import Processor
from dangjian.formats.jsonld import JsonLdWriter, jsonld_document
from dangjian.formats.turtle import TurtleWriter

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
# Found by this test: a withdrawn record's JSON-LD still gave it its class, which its other dumps
# (rightly: a tombstone no longer says what the thing is) do not.
@example(kind="amount", entries=[("withdrawn", ";")], raw=False, noise=b"")
# ... and its JSON-LD named the record that replaces it under kind "None" (the term has no kind
# of its own: it names one of the record's own kind, as the mapper reads it).
@example(kind="amount", entries=[("replaced_by", "a")], raw=False, noise=b"")
def test_any_file_gives_problems_or_statements(tmp_path_factory, kind, entries, raw, noise):
    folder = tmp_path_factory.mktemp("kb") / "records" / ONTOLOGY.kinds[kind].folder
    folder.mkdir(parents=True)
    path = folder / "x.yaml"
    content = yaml_text([("id", "x")] + entries).encode("utf-8")
    path.write_bytes(content + noise if raw else content)
    item = (path, ONTOLOGY.kinds[kind], "records/x.yaml")
    done = Processor(ONTOLOGY, ONTOLOGY.output_prefixes, record_check=record_check(ONTOLOGY))(item)
    assert all(isinstance(p, Problem) for p in done.problems)
    assert as_sent(unpack(pack([done]), [item])[0]) == as_sent(done)  # as a worker sends it back
    if done.record is not None and not done.problems:
        # A record without problems maps to well-formed RDF that the writers keep as it is.
        parsed = canonical(done.ntriples, pyoxigraph.RdfFormat.N_TRIPLES)
        turtle = TurtleWriter(ONTOLOGY.output_prefixes).head() + done.turtle.decode("utf-8")
        assert canonical(turtle.encode(), pyoxigraph.RdfFormat.TURTLE) == parsed
        writer = JsonLdWriter(ONTOLOGY)
        document = "".join(jsonld_document(writer.head(), [done.jsonld.decode("utf-8")]))
        assert canonical(document.encode(), pyoxigraph.RdfFormat.JSON_LD) == parsed
    shutil.rmtree(folder.parent.parent)


def as_sent(done) -> dict:
    """What a worker's result tells the build: all of it but the file's bytes and positions,
    which are read again from the file when needed."""
    sent = dataclasses.asdict(done)
    if sent["record"] is not None:
        del sent["record"]["raw"], sent["record"]["_document"]
    return sent


def test_a_result_holding_what_marshal_cannot_write_is_sent_whole(tmp_path):
    folder = tmp_path / "records" / ONTOLOGY.kinds["place"].folder
    folder.mkdir(parents=True)
    item = (folder / "x.yaml", ONTOLOGY.kinds["place"], "records/places/x.yaml")
    item[0].write_text("id: x\nlabel: 某地\n", encoding="utf-8")
    done = Processor(ONTOLOGY, ONTOLOGY.output_prefixes, record_check=record_check(ONTOLOGY))(item)
    done.record.data["when"] = datetime.date(2016, 8, 25)  # no YAML reader here makes one; a later one might
    marshalled, _data = packed = pack([done])
    assert not marshalled
    assert as_sent(unpack(packed, [item])[0]) == as_sent(done)



def test_keys_that_are_equal_but_not_alike_are_sent_as_they_are(tmp_path):
    """A worker sends one shared tuple for each sequence of keys it meets; 1 and True (and 1.0)
    are equal keys, so a record's True must not come back as another record's 1."""
    folder = tmp_path / "records" / ONTOLOGY.kinds["place"].folder
    folder.mkdir(parents=True)
    items, done = [], []
    for number, odd in enumerate([1, True, 1.0, "1", 1, True]):
        item = (folder / f"x{number}.yaml", ONTOLOGY.kinds["place"], f"records/places/x{number}.yaml")
        item[0].write_text(f"id: x{number}\nlabel: 某地\n", encoding="utf-8")
        result = Processor(ONTOLOGY, ONTOLOGY.output_prefixes, record_check=record_check(ONTOLOGY))(item)
        result.record.data = {"id": f"x{number}", odd: "a", "label": {odd: "b", "en": "c"}}
        items.append(item)
        done.append(result)
    marshalled, _data = packed = pack(done)
    assert marshalled
    back = unpack(packed, items)
    assert [as_sent(result) for result in back] == [as_sent(result) for result in done]
    assert [[type(key) for key in result.record.data] for result in back] == [[type(key) for key in result.record.data] for result in done]
    assert [[type(key) for key in result.record.data["label"]] for result in back] == [[type(key) for key in result.record.data["label"]] for result in done]

def canonical(data: bytes, format) -> set[str]:
    """The statements, their blank nodes named by the graph's shape rather than by the writer (a
    JSON-LD @list gets fresh blank nodes from the reader, Turtle's ( ) may too)."""
    dataset = pyoxigraph.Dataset(pyoxigraph.parse(data, format=format))
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.UNSTABLE)
    return {str(quad) for quad in dataset}


def test_the_writers_keep_a_list_of_parts():
    """The case hypothesis found: a list's blank nodes differ by name only, from writer to writer."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.yaml"
        path.write_bytes(b'id: x\nparts: [1, 0.8, "0.7"]\n')
        done = Processor(ONTOLOGY, ONTOLOGY.output_prefixes)((path, ONTOLOGY.kinds["amount"], "records/x.yaml"))
    assert done.problems == []
    parsed = canonical(done.ntriples, pyoxigraph.RdfFormat.N_TRIPLES)
    assert sum("rdf-syntax-ns#first" in line for line in parsed) == 3
    writer = JsonLdWriter(ONTOLOGY)
    document = "".join(jsonld_document(writer.head(), [done.jsonld.decode("utf-8")]))
    assert canonical(document.encode(), pyoxigraph.RdfFormat.JSON_LD) == parsed
    turtle = TurtleWriter(ONTOLOGY.output_prefixes).head() + done.turtle.decode("utf-8")
    assert canonical(turtle.encode(), pyoxigraph.RdfFormat.TURTLE) == parsed


def test_a_part_that_is_not_a_number_is_a_problem(tmp_path):
    for text in ('""', '"abc"', "true", "[1]", "~"):
        path = tmp_path / "x.yaml"
        path.write_text(f"id: x\nparts: [1, {text}]\n", encoding="utf-8")
        done = Processor(ONTOLOGY, ONTOLOGY.output_prefixes)((path, ONTOLOGY.kinds["amount"], "records/x.yaml"))
        assert [(p.line, p.column, p.key) for p in done.problems] == [(2, 12, "parts.1")], text
        assert "expected a number" in done.problems[0].message, text
