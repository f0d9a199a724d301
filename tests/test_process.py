"""Records are processed a batch at a time, stage by stage (Processor.many): each record's
result must be exactly what processing it alone gives, however its neighbours in the batch
fare (unreadable, invalid, valid). And map_records, for records read already, goes the same way:
the statements it gives are those a build publishes."""

from __future__ import annotations

import dataclasses
import sys

from dangjian.records.companions import cleaned_texts
from dangjian.records.loader import record_files
from dangjian.build.workers import process_files
from dangjian.checks.run import record_check
from dangjian.pipeline.process import Processor, map_records
from dangjian.records.loader import load_records
from dangjian.settings import Project
from dangjian.records.synthetic import generate


def as_result(done) -> dict:
    result = dataclasses.asdict(done)
    if result["record"] is not None:
        del result["record"]["_document"]  # positions: read again when asked for
    return result


def test_a_batch_gives_each_record_what_it_gives_alone(tmp_path, repo, ontology, monkeypatch):
    generate(tmp_path, 400, seed=3, invalid_share=0.2, curated=repo.records)
    (tmp_path / "records" / "places" / "unreadable.yaml").write_bytes(b"id: unreadable\nlabel: [\n")
    project = Project(tmp_path)
    items, _ = record_files(project, ontology)
    check = record_check(ontology)
    processor = Processor(ontology, ontology.output_prefixes, texts=cleaned_texts(project, ontology), record_check=check)
    batch = processor.many(items)
    alone = [processor(item) for item in items]
    assert [as_result(done) for done in batch] == [as_result(done) for done in alone]
    # The batch held every sort of record: unreadable, with problems, and published.
    assert any(done.record is None for done in batch)
    assert any(done.record is not None and done.problems for done in batch)
    assert sum(1 for done in batch if done.turtle and done.jsonld) > 300
    assert any(done.checked is not None for done in batch)  # the amounts' own check was made where they were read
    # In worker processes, as large builds run them (several batches to a chunk), the same again.
    monkeypatch.setattr("dangjian.build.workers.PARALLEL_FROM", 0)
    monkeypatch.setattr("dangjian.build.workers.BATCH", 16)
    parallel = process_files(items, ontology, ontology.output_prefixes, workers=2, texts=cleaned_texts(project, ontology),
                             record_check=check)
    assert [as_result(done) for done in parallel] == [as_result(done) for done in alone]



def test_workers_send_the_text_records_repeat_as_one_string(tmp_path, repo, ontology, monkeypatch):
    """What makes a large build's memory: the text records repeat (their data's keys, a
    label's languages, the objects of their references: other records, vocabulary values) comes
    back from the workers as one string object, across chunks too; the record's own id and
    subject stay plain strings (the build index writes them). That the results are equal to
    each record's alone, the test above says."""
    generate(tmp_path, 300, seed=5, invalid_share=0, curated=repo.records)
    project = Project(tmp_path)
    items, _ = record_files(project, ontology)
    monkeypatch.setattr("dangjian.build.workers.PARALLEL_FROM", 0)
    parallel = process_files(items, ontology, ontology.output_prefixes, workers=2, texts=cleaned_texts(project, ontology))
    records = [done.record for done in parallel if done.record is not None]
    assert len(records) == len(items) == 300  # five chunks (64 records each at this size)
    keys = [key for record in records for key in record.data]
    keys += [key for record in records for value in record.data.values() if isinstance(value, dict) for key in value]
    assert len({id(key) for key in keys}) == len(set(keys)) < len(keys) / 10
    objects = [o for done in parallel for _s, _p, o in done.references]
    assert len({id(o) for o in objects}) == len(set(objects)) < len(objects) / 2
    for done in parallel[:50]:
        for own in (done.record.id, done.subject):
            assert sys.intern((own + ".")[:-1]) is not own  # not interned: an equal copy does not find it


def test_map_records_gives_the_statements_a_build_publishes(built_kb, ontology):
    """The curated records, read and mapped as tests and tools map them, give dist/dangjian.nt
    byte for byte: the quotes' oa:prefix and oa:suffix from the sources' texts included."""
    project = built_kb.project
    mapped, results = map_records(load_records(project, ontology).records, ontology, cleaned_texts(project, ontology))
    published = (project.dist / "dangjian.nt").read_bytes()
    assert b"".join(item.ntriples for item in sorted(results, key=lambda item: item.subject)) == published
    assert sorted(b"".join(mapped.ntriples).splitlines()) == sorted(published.splitlines())  # what the checks read
    assert b"http://www.w3.org/ns/oa#prefix" in published
