"""Batches for `dangjian push`: statements that share a blank node, directly or along an RDF
list, always travel in one request (a blank node means nothing outside its document)."""

from __future__ import annotations

from dangjian.remote.batches import Statements, batches, read_ntriples

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def test_a_list_stays_in_one_batch_and_the_rest_fill_up(tmp_path):
    path = tmp_path / "x.nt"
    path.write_text(
        "<urn:a> <urn:p> \"1\" .\n"
        f"<urn:r> <urn:parts> _:l0 .\n_:l0 <{RDF}first> \"1\" .\n_:l0 <{RDF}rest> _:l1 .\n"
        f"_:l1 <{RDF}first> \"2\" .\n_:l1 <{RDF}rest> <{RDF}nil> .\n"
        "<urn:b> <urn:p> \"2\" .\n<urn:c> <urn:p> \"3\" .\n_:x <urn:p> \"alone\" .\n",
        encoding="utf-8")
    statements = read_ntriples(path)
    assert len(statements.lines) == 9
    parts = batches(statements, 2)
    assert [len(b.lines) for b in parts] == [1, 5, 2, 1]
    assert [b.has_blank_nodes for b in parts] == [False, True, False, True]
    assert sorted(line for b in parts for line in b.lines) == sorted(statements.lines)
    assert [len(b.lines) for b in batches(statements, 100)] == [9]


def test_unrelated_blank_nodes_may_part():
    statements = Statements(["_:a <urn:p> 1 .", "_:b <urn:p> 2 .", "_:a <urn:q> 3 ."], [("a",), ("b",), ("a",)])
    parts = batches(statements, 1)
    assert [b.lines for b in parts] == [["_:a <urn:p> 1 .", "_:a <urn:q> 3 ."], ["_:b <urn:p> 2 ."]]
