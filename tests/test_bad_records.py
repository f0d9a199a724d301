"""The bad-records corpus: every kind of mistake gets its exact message, file and line.

Each folder under tests/bad/ holds files that overlay tests/fixtures/records (a small valid
set) and `expected.txt`, the exact lines `dangjian validate` must print. No case may end in a
traceback, and validation never stops at the first problem.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dangjian.cli import main
from dangjian.records import yaml12

HERE = Path(__file__).parent
CASES = sorted(p for p in (HERE / "bad").iterdir() if p.is_dir())


def project_with(tmp_path: Path, repo, overlay: Path | None) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(repo.ontology, root / "ontology")
    shutil.copytree(HERE / "fixtures" / "records", root / "records")
    if overlay is not None:
        shutil.copytree(overlay / "records", root / "records", dirs_exist_ok=True)
    return root


def validate(root: Path):
    result = CliRunner().invoke(main, ["validate"], env={"DANGJIAN_ROOT": str(root)}, catch_exceptions=False)
    return result


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 50


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_case(case, tmp_path, repo):
    result = validate(project_with(tmp_path, repo, case))
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    assert "Traceback" not in result.output
    assert result.exit_code == 1
    assert result.stdout == expected


def test_every_case_at_once_reports_every_problem(tmp_path, repo):
    """All the cases in one tree (where they touch different files): one run reports them all."""
    root = project_with(tmp_path, repo, None)
    expected_lines = set()
    touched: set[str] = set()
    for case in CASES:
        files = {str(p.relative_to(case / "records")) for p in (case / "records").rglob("*") if p.is_file()}
        lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
        if files & touched or any(not line.startswith(tuple(f"records/{f}" for f in files)) for line in lines):
            continue  # shares a file with a case already in, or its problems show up elsewhere
        touched |= files
        shutil.copytree(case / "records", root / "records", dirs_exist_ok=True)
        expected_lines |= set(lines)
    result = validate(root)
    assert len(touched) >= 10
    assert set(result.stdout.splitlines()) == expected_lines


def test_file_over_the_size_limit(tmp_path, repo):
    root = project_with(tmp_path, repo, None)
    (root / "records" / "places" / "huge.yaml").write_text("id: huge\nnote: " + "长" * yaml12.MAX_FILE_BYTES, encoding="utf-8")
    size = (root / "records" / "places" / "huge.yaml").stat().st_size
    assert validate(root).stdout == f"records/places/huge.yaml:1:1: file is {size:,} bytes, over the limit of {yaml12.MAX_FILE_BYTES:,} for one record\n"
