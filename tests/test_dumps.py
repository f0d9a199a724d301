"""The bulk dumps: gzip that gives the same bytes for the same records, N-Triples identical to
dangjian.nt, and N-Quads holding the same statements in the release's named graph."""

from __future__ import annotations

import gzip
import json
import re
import zlib

import pyoxigraph

from dangjian.build import build


def test_nt_gz_is_the_n_triples_file(repo, tmp_path):
    report = build(repo, out=tmp_path / "dist")
    out = report.out
    assert gzip.decompress((out / "dangjian.nt.gz").read_bytes()) == (out / "dangjian.nt").read_bytes()


def gzip_members(data: bytes) -> list[bytes]:
    """The members of a gzip file, each as it is in the file."""
    members = []
    while data:
        reader = zlib.decompressobj(16 + zlib.MAX_WBITS)
        reader.decompress(data)
        assert reader.eof, "a member cut short"
        members.append(data[: len(data) - len(reader.unused_data)])
        data = reader.unused_data
    return members


def test_gzip_headers_carry_no_time_and_no_name(repo, tmp_path):
    report = build(repo, out=tmp_path / "dist")
    for name in ("dangjian.nt.gz", "dangjian.nq.gz"):
        for header in [member[:10] for member in gzip_members((report.out / name).read_bytes())]:
            assert header[:3] == b"\x1f\x8b\x08", name  # gzip, deflate
            assert header[3] == 0, name  # no FNAME, FCOMMENT, FEXTRA flags
            assert header[4:8] == b"\0\0\0\0", name  # MTIME 0


def test_bulk_dumps_come_in_members_that_end_where_the_rule_says(repo, tmp_path):
    """Several members (so the stores' tests load multi-member files), each a run of whole records
    that ends after a record whose subject ends a member."""
    from dangjian.build.bulk import ends_member

    report = build(repo, out=tmp_path / "dist")
    members = gzip_members((report.out / "dangjian.nt.gz").read_bytes())
    assert len(members) > 1
    assert len(gzip_members((report.out / "dangjian.nq.gz").read_bytes())) == len(members)
    for member in members[:-1]:
        last_subject = gzip.decompress(member).decode().splitlines()[-1].split(" ", 1)[0]
        assert ends_member(last_subject)
    firsts = [gzip.decompress(m).decode().split(" ", 1)[0] for m in members]
    assert len(set(firsts)) == len(firsts)  # no record is cut in two


def test_nq_gz_holds_the_same_statements_in_the_release_graph(repo, tmp_path):
    report = build(repo, out=tmp_path / "dist")
    out = report.out
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["graph"] == f"{manifest['base']}graph/{manifest['version']}"
    quads = list(pyoxigraph.parse(gzip.decompress((out / "dangjian.nq.gz").read_bytes()), format=pyoxigraph.RdfFormat.N_QUADS))
    assert {q.graph_name for q in quads} == {pyoxigraph.NamedNode(manifest["graph"])}
    triples = {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads}
    nt = {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in pyoxigraph.parse(path=str(out / "dangjian.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)}
    assert len(quads) == len(triples) == report.triples
    assert triples == nt
    for name in ("dangjian.nt.gz", "dangjian.nq.gz"):
        assert manifest["files"][name]["bytes"] == (out / name).stat().st_size


def test_nq_lines_are_the_nt_lines_with_the_graph(repo, tmp_path):
    report = build(repo, out=tmp_path / "dist")
    graph = json.loads((report.out / "manifest.json").read_text())["graph"]
    nt_lines = (report.out / "dangjian.nt").read_text().splitlines()
    nq_lines = gzip.decompress((report.out / "dangjian.nq.gz").read_bytes()).decode().splitlines()
    assert nq_lines == [line[: -len(" .")] + f" <{graph}> ." for line in nt_lines]


# Strings, IRIs and comments, left to right, so that a quote inside an IRI or a '#' inside a
# string is not taken for something else ('#' after a backslash is part of a name, not a
# comment). What is left are prefixed names and punctuation.
_TURTLE_NOT_NAMES = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"|<[^>\n]*>|(?<!\\)#[^\n]*')


def escaped_prefixed_names(turtle: str) -> list[str]:
    """Prefixed names written with a backslash escape (amount:x\\#quote)."""
    names = _TURTLE_NOT_NAMES.sub(" ", turtle)
    return re.findall(r"\S*\\\S*", names)


def test_the_escape_detector_sees_an_escaped_name():
    turtle = '@prefix amount: <https://w3id.org/dangjian/id/amount/> .\n# a "comment\\"\namount:x\\#quote <urn:p\\u0041> "a \\" # \\\\ b" .\n'
    assert escaped_prefixed_names(turtle) == ["amount:x\\#quote"]


def test_turtle_has_no_prefixed_name_with_a_backslash_escape(repo, tmp_path):
    """Virtuoso keeps such a backslash in the IRI, so the writer must write those names in full."""
    report = build(repo, out=tmp_path / "dist")
    turtle = (report.out / "dangjian.ttl").read_text(encoding="utf-8")
    assert "#quote>" in turtle  # the names that would need one are there, written in full
    assert escaped_prefixed_names(turtle) == []
