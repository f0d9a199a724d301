"""The bad-records corpus: every kind of mistake gets its exact message, file and line.

Each folder under tests/bad/ holds files that overlay tests/fixtures/records (a small valid
set) and `expected.txt`, the exact lines `dangjian validate` must print (on stderr). What
files cannot carry in a checkout (a symbolic link that loops or leads out of the project, a
file name with a line break, a missing records/) a case says in `setup.json`:

- ``remove``: paths in the project to delete; ``mkdir``: folders to make;
- ``write``: {path: text} files to write (JSON escapes let a name hold anything);
- ``outside``: {name: text} files to write beside the project, outside it;
- ``symlink``: {path: target}, where ``{outside}`` in a target is the folder beside the project.

No case may end in a traceback, and validation never stops at the first problem. `dangjian
build` gives the same lines, exits 1, and leaves the previous output as it was.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dangjian.cli import main
from dangjian.records import limits

HERE = Path(__file__).parent
CASES = sorted(p for p in (HERE / "bad").iterdir() if p.is_dir())


def project_with(tmp_path: Path, repo, overlay: Path | None) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(repo.ontology, root / "ontology")
    shutil.copytree(HERE / "fixtures" / "records", root / "records")
    if overlay is not None and (overlay / "records").is_dir():
        shutil.copytree(overlay / "records", root / "records", dirs_exist_ok=True)
    if overlay is not None and (overlay / "setup.json").is_file():
        set_up(root, json.loads((overlay / "setup.json").read_text(encoding="utf-8")))
    return root


def set_up(root: Path, steps: dict) -> None:
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    for path in steps.get("remove", []):
        target = root / path
        shutil.rmtree(target) if target.is_dir() and not target.is_symlink() else target.unlink()
    for path in steps.get("mkdir", []):
        (root / path).mkdir(parents=True)
    for path, text in steps.get("write", {}).items():
        (root / path).write_text(text, encoding="utf-8")
    for name, text in steps.get("outside", {}).items():
        (outside / name).write_text(text, encoding="utf-8")
    for path, target in steps.get("symlink", {}).items():
        os.symlink(target.replace("{outside}", str(outside)), root / path)


def validate(root: Path):
    result = CliRunner().invoke(main, ["validate"], env={"DANGJIAN_ROOT": str(root)}, catch_exceptions=False)
    return result


def problems(stderr: str) -> str:
    """The problem lines of stderr, without the note that the code list of division codes is
    not installed here (a note, not a problem)."""
    return "".join(line for line in stderr.splitlines(keepends=True) if not line.startswith("division codes not checked"))


def build(root: Path):
    return CliRunner().invoke(main, ["build"], env={"DANGJIAN_ROOT": str(root)}, catch_exceptions=False)


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 50


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_case(case, tmp_path, repo):
    root = project_with(tmp_path, repo, case)
    result = validate(root)
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    assert "Traceback" not in result.output
    assert result.exit_code == 1
    assert problems(result.stderr) == expected
    assert re.fullmatch(r"[0-9]+ records checked: [0-9]+ problems?( in [0-9]+ files?)?\n", result.stdout)  # the count
    # The build says the same, and the previous output stays as it was.
    (root / "dist").mkdir()
    (root / "dist" / "manifest.json").write_text('{"a good build": true}', encoding="utf-8")
    built = build(root)
    assert "Traceback" not in built.output
    assert built.exit_code == 1
    assert problems(built.stderr).startswith(expected) and built.stderr.endswith("the previous output is untouched\n")
    assert sorted(p.name for p in (root / "dist").iterdir()) == ["manifest.json"]
    assert (root / "dist" / "manifest.json").read_text(encoding="utf-8") == '{"a good build": true}'


def test_every_case_at_once_reports_every_problem(tmp_path, repo):
    """All the cases in one tree (where they touch different files): one run reports them all."""
    root = project_with(tmp_path, repo, None)
    expected_lines = set()
    touched: set[str] = set()
    for case in CASES:
        if (case / "setup.json").exists():
            continue  # a case of its own tree
        files = {str(p.relative_to(case / "records")) for p in (case / "records").rglob("*") if p.is_file()}
        lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
        if files & touched or any(not line.startswith(tuple(f"records/{f}" for f in files)) for line in lines):
            continue  # shares a file with a case already in, or its problems show up elsewhere
        touched |= files
        shutil.copytree(case / "records", root / "records", dirs_exist_ok=True)
        expected_lines |= set(lines)
    result = validate(root)
    assert len(touched) >= 10
    assert set(problems(result.stderr).splitlines()) == expected_lines


def test_file_over_the_size_limit(tmp_path, repo):
    root = project_with(tmp_path, repo, None)
    (root / "records" / "places" / "huge.yaml").write_text("id: huge\nnote: " + "长" * limits.MAX_FILE_BYTES, encoding="utf-8")
    size = (root / "records" / "places" / "huge.yaml").stat().st_size
    assert problems(validate(root).stderr) == f"records/places/huge.yaml:1:1: file is {size:,} bytes, over the limit of {limits.MAX_FILE_BYTES:,} for one record\n"
