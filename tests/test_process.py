"""Records are processed a batch at a time, stage by stage (Processor.many): each record's
result must be exactly what processing it alone gives, however its neighbours in the batch
fare (unreadable, invalid, valid)."""

from __future__ import annotations

import dataclasses

from dangjian.records.companions import cleaned_texts
from dangjian.records.loader import record_files
from dangjian.pipeline.process import Processor, process_files
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
    processor = Processor(ontology, ontology.output_prefixes, texts=cleaned_texts(project, ontology))
    batch = processor.many(items)
    alone = [processor(item) for item in items]
    assert [as_result(done) for done in batch] == [as_result(done) for done in alone]
    # The batch held every sort of record: unreadable, with problems, and published.
    assert any(done.record is None for done in batch)
    assert any(done.record is not None and done.problems for done in batch)
    assert sum(1 for done in batch if done.turtle and done.jsonld) > 300
    # In worker processes, as large builds run them (several batches to a chunk), the same again.
    monkeypatch.setattr("dangjian.pipeline.process.PARALLEL_FROM", 0)
    monkeypatch.setattr("dangjian.pipeline.process.BATCH", 16)
    parallel = process_files(items, ontology, ontology.output_prefixes, workers=2, texts=cleaned_texts(project, ontology))
    assert [as_result(done) for done in parallel] == [as_result(done) for done in alone]
