"""Quick rebuilds: after any mix of edits, additions and removals, a rebuild that splices the
previous dumps gives exactly the bytes a full build gives, and the same problems."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from dangjian.build import BuildFailed, build
from dangjian.build.index import Memory
from dangjian.model.ontology import Ontology
from dangjian.settings import Project
from dangjian.records.synthetic import generate
from dangjian.build.bulk import BULK_DUMPS
from dangjian.build import validate_project
from test_dumps import gzip_members


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def full_build(project: Project, tmp: Path) -> dict[str, bytes]:
    """What a build from nothing gives for the records as they are now."""
    copy = tmp / "full"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(project.root / "ontology", copy / "ontology")
    shutil.copytree(project.root / "records", copy / "records")
    build(Project(copy))
    return files_of(copy / "dist")


# Each keeps the record valid: an amount's value, unit, bound and period must agree with its quote.
EDITS = [
    ("bound: exact\n", "bound: exact\nnote: {en: edited}\n"),
    ("note: {en: edited}\n", ""),
    ("value: 1100\n", "value: 1100.00\n"),
    ("year: 2013", "year: 2014"),
    ("  zh-Hans: ", "  zh-Hans: 改"),
]


@pytest.fixture
def project(tmp_path, repo):
    root = tmp_path / "kb"
    shutil.copytree(repo.ontology, root / "ontology")
    generate(root, 300, seed=11, invalid_share=0)
    return Project(root)


@pytest.fixture(params=["as built", "short runs, changes written whole", "index read back each time"])
def member_size(request, monkeypatch):
    """The gzip dumps' runs of records as they are, and very short ones, so that edits, additions
    and removals fall at the ends of runs as well as inside them; and the index's changed rows
    kept apart until there are many, or written with all the rows after every few. The index a
    build writes is kept in memory for the next rebuild in the same process (as in `dangjian
    build --watch`, in the Memory it holds), or read back from its files each time (as by each
    `dangjian build`)."""
    if request.param not in ("as built", "index read back each time"):
        monkeypatch.setattr("dangjian.build.bulk.RECORDS_PER_MEMBER", 4)
        monkeypatch.setattr("dangjian.build.index.CHANGES_KEPT_APART", 3)
    return request.param


def test_rebuilds_equal_full_builds(project, tmp_path, member_size):
    rng = random.Random(5)
    memory = None if member_size == "index read back each time" else Memory()
    first = build(project, memory=memory)
    assert first.changed is None  # the first build is a full one
    again = build(project, memory=memory)
    assert again.changed == 0  # nothing changed: dist/ is current
    records = project.root / "records"
    rows_file = project.cache / "build-index.rows"
    all_rows = rows_file.read_bytes()
    rows_written = 0
    spliced = 0
    for step in range(14):
        files = sorted(records.rglob("*.yaml"))
        action = rng.choice(["edit", "edit", "edit", "add", "remove-unreferenced", "two"]) if step else "add-two"
        if action in ("edit", "two"):
            for path in rng.sample(files, 2 if action == "two" else 1):
                text = path.read_text(encoding="utf-8")
                old, new = next(((o, n) for o, n in rng.sample(EDITS, len(EDITS)) if o in text), ("  zh-Hans: ", "  zh-Hans: 新"))
                path.write_text(text.replace(old, new, 1), encoding="utf-8")
        elif action == "add":
            source = rng.choice([f for f in files if f.parent.name == "amounts"])
            new = source.with_name(f"added-{step}.yaml")
            new.write_text(source.read_text(encoding="utf-8").replace(f"id: {source.stem}", f"id: added-{step}"), encoding="utf-8")
        elif action == "add-two":  # ids one the other's prefix: the file names sort the other way
            source = next(f for f in files if f.parent.name == "amounts")
            for added in (f"added-{step}", f"added-{step}1"):
                text = source.read_text(encoding="utf-8").replace(f"id: {source.stem}", f"id: {added}")
                source.with_name(f"{added}.yaml").write_text(text, encoding="utf-8")
        else:
            referenced = " ".join(f.read_text(encoding="utf-8") for f in files)
            loose = [f for f in files if f.parent.name == "amounts" and f"previous: {f.stem}" not in referenced]
            rng.choice(loose).unlink()
        members_before = {name: set(gzip_members((project.dist / name).read_bytes())) for name in BULK_DUMPS}
        report = build(project, memory=memory)
        assert report.changed, f"step {step} ({action}) was not a quick rebuild"
        if action == "edit":  # one record's run compressed again, every other member copied
            for name in BULK_DUMPS:
                assert len(set(gzip_members((project.dist / name).read_bytes())) - members_before[name]) <= 1, name
        spliced += 1
        rows_written += rows_file.read_bytes() != all_rows
        all_rows = rows_file.read_bytes()
        assert files_of(project.dist) == full_build(project, tmp_path), f"step {step}: {action}"
    assert spliced == 14
    # A rebuild keeps its changed rows apart from the others, until there are many of them.
    assert (0 < rows_written < 14) if member_size == "short runs, changes written whole" else (rows_written == 0)


def test_a_rebuild_reports_what_a_full_validation_reports(project, tmp_path):
    build(project)
    records = project.root / "records"
    place = next((records / "places").glob("*.yaml"))
    place_id = place.stem
    before = files_of(project.dist)
    # Remove a place that others name, and break an amount: both show in the quick rebuild.
    place.unlink()
    amount = next((records / "amounts").glob("*.yaml"))
    amount.write_text(amount.read_text(encoding="utf-8").replace("bound: exact", "bound: exactly").replace("bound: at-least", "bound: exactly"), encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(project)
    quick = [str(p) for p in failed.value.verdict.problems]
    full = [str(p) for p in validate_project(project, Ontology(project.ontology)).problems]
    assert quick == full
    assert any(f"`{place_id}`" in line for line in quick)
    assert files_of(project.dist) == before  # nothing published


def test_a_changed_ontology_means_a_full_build(project):
    build(project)
    shapes = project.root / "ontology" / "shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert build(project).changed is None


def test_an_index_that_does_not_describe_the_gzip_members_means_a_full_build(project):
    import json
    import sqlite3

    build(project)
    index = project.cache / "build-index.sqlite"
    with sqlite3.connect(index) as connection:
        members = json.loads(connection.execute("select value from meta where key = 'members'").fetchone()[0])
        members["dangjian.nt.gz"] = members["dangjian.nt.gz"][:-1]  # one member fewer than the runs
        connection.execute("update meta set value = ? where key = 'members'", (json.dumps(members),))
    amount = next((project.root / "records" / "amounts").glob("*.yaml"))
    amount.write_text(amount.read_text(encoding="utf-8").replace("  zh-Hans: ", "  zh-Hans: 改", 1), encoding="utf-8")
    assert build(project).changed is None


def test_rows_out_of_subject_order_mean_a_full_build(project, tmp_path):
    """An index whose rows are not in subject order cannot be spliced from: the next build is a
    full one, and right (the rows' order is checked, not trusted)."""
    from dangjian.build.index import BuildIndex, Columns

    build(project)
    index = BuildIndex(project)
    meta = index.meta()
    columns = index.ordered_columns(meta)
    moved = Columns(**{name: column[1:] + column[:1] for name, column in columns.as_dict().items()})
    index.write(meta, False, moved)  # the first row moved last
    edited = sorted((project.root / "records" / "amounts").glob("*.yaml"))[0]
    edited.write_text(edited.read_text(encoding="utf-8").replace("  zh-Hans: ", "  zh-Hans: 改", 1), encoding="utf-8")
    assert build(project).changed is None
    assert files_of(project.root / "dist") == full_build(project, tmp_path)
