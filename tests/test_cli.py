"""The command line, run for real: help everywhere, exit codes, errors on stderr, JSON output."""

from __future__ import annotations

import json
import os
import shutil

import pytest


@pytest.mark.parametrize("args", [["--help"], ["validate", "--help"], ["build", "--help"]])
def test_help_everywhere(sandbox, args):
    result = sandbox.cli(*args)
    assert result.returncode == 0
    assert "Usage: dangjian" in result.stdout


def test_validate_valid_records(sandbox):
    result = sandbox.cli("validate")
    assert result.returncode == 0
    assert not [line for line in result.stderr.splitlines() if not line.startswith("division codes not checked")]
    assert "all valid" in result.stdout


def test_validate_reports_every_problem_and_exits_1(sandbox):
    sandbox.write("places/anhui.yaml", sandbox.read("places/anhui.yaml").replace("level: province", "level: provinse\nratio: 4:6"))
    sandbox.write("places/suzhou-anhui.yaml", sandbox.read("places/suzhou-anhui.yaml").replace("within: anhui", "within: anhiu"))
    result = sandbox.cli("validate")
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if not line.startswith("division codes not checked")] == [
        "records/places/anhui.yaml:5:8: level: `provinse` is not in the vocabulary; did you mean `province`? expected one of: area, city, community, county, county-level-city, district, functional-zone, natural-village, province, subdistrict, town, township, village",
        'records/places/anhui.yaml:6:1: ratio: unknown key; see the record format in README.md',
        'records/places/anhui.yaml:6:8: ratio: `4:6` is a base-60 number (246) in YAML 1.1 tools; write "4:6" in quotes if you mean the text, such as a ratio',
        "records/places/suzhou-anhui.yaml:6:9: within: no place record has the id `anhiu`; did you mean `anhui`?",
    ]
    assert result.stdout.endswith(" records checked: 4 problems in 2 files\n")


def test_validate_json(sandbox):
    sandbox.write("places/anhui.yaml", sandbox.read("places/anhui.yaml").replace("level: province", "level: [province, city]"))
    result = sandbox.cli("validate", "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["problems"] == [
        {"path": "records/places/anhui.yaml", "line": 5, "column": 9, "key": "level.0", "message": "every place needs one administrative level", "rule": "shacl:MaxCount"}
    ]


def test_validate_only_given_files(sandbox):
    sandbox.write("places/anhui.yaml", sandbox.read("places/anhui.yaml").replace("level: province", "level: provinse"))
    clean = sandbox.cli("validate", "records/places/suzhou-anhui.yaml")
    assert clean.returncode == 0
    dirty = sandbox.cli("validate", "records/places")
    assert dirty.returncode == 1
    assert dirty.stderr.startswith("records/places/anhui.yaml:5:8: level:")


def test_usage_errors_exit_2_on_stderr(sandbox):
    missing = sandbox.cli("validate", "records/nowhere.yaml")
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr and missing.stdout == ""
    unknown = sandbox.cli("frobnicate")
    assert unknown.returncode == 2 and "No such command" in unknown.stderr


def test_a_path_given_as_a_broken_link_says_how_it_is_broken(sandbox):
    records = sandbox.root / "records"
    (records / "loop-a.yaml").symlink_to("loop-b.yaml")
    (records / "loop-b.yaml").symlink_to("loop-a.yaml")
    (records / "dangling.yaml").symlink_to("gone.yaml")
    looping = sandbox.cli("validate", "records/loop-a.yaml")
    assert looping.returncode == 2 and looping.stdout == ""
    assert "'records/loop-a.yaml' is a symbolic link that loops back on itself." in looping.stderr
    dangling = sandbox.cli("draft", "records/dangling.yaml")
    assert dangling.returncode == 2
    assert "'records/dangling.yaml' is a symbolic link to 'gone.yaml', which does not exist." in dangling.stderr


def test_build_prints_a_summary(sandbox):
    result = sandbox.cli("build")
    assert result.returncode == 0, result.stderr
    assert "records valid" in result.stdout
    assert "dist/dangjian.ttl" in result.stdout
    assert (sandbox.root / "dist" / "dangjian.ttl").is_file()


def test_failed_build_exits_1_and_says_so(sandbox):
    sandbox.write("places/anhui.yaml", "id: anhui\nlevel: no\n")
    result = sandbox.cli("build")
    assert result.returncode == 1
    assert "records/places/anhui.yaml:2:8: level:" in result.stderr
    assert "nothing was published" in result.stderr
    assert not (sandbox.root / "dist").exists()


def test_an_editors_leftovers_among_the_records_change_nothing(sandbox):
    """Emacs' auto-save and backup, and a swap file, appear beside a record while it is edited:
    no build reads them, reports them, or takes them for a change."""
    sandbox.cli("build", check=True)
    places = sandbox.root / "records" / "places"
    for name in ("#anhui.yaml#", "anhui.yaml~", ".anhui.yaml.swp"):
        (places / name).write_text("id: anhui\nlevel: no\n", encoding="utf-8")
    assert "nothing changed since the last build" in sandbox.cli("build", check=True).stdout
    checked = sandbox.cli("validate")
    assert checked.returncode == 0, checked.stderr
    (places / "anhui.yaml.orig").write_text("id: anhui\n", encoding="utf-8")  # no editor's: reported
    stray = sandbox.cli("build")
    assert stray.returncode == 1
    assert "records/places/anhui.yaml.orig:1:1: not a record" in stray.stderr


def test_each_build_command_leaves_its_index_for_the_next(sandbox):
    """The command ends its process as soon as it is done (see dangjian.cli.run): what it wrote
    for the next build is there all the same."""
    sandbox.cli("build", check=True)
    assert "nothing changed since the last build" in sandbox.cli("build", check=True).stdout
    place = sandbox.root / "records" / "places" / "anhui.yaml"
    place.write_text(place.read_text(encoding="utf-8") + "# checked again\n", encoding="utf-8")
    edited = sandbox.cli("build", check=True)
    assert "1 changed record read again" in edited.stdout
    assert "nothing changed since the last build" in sandbox.cli("build", check=True).stdout


def _dist_bytes(root) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "dist").rglob("*")) if p.is_file()}


def test_no_records_never_replaces_a_good_build(sandbox):
    """An emptied or missing records/ is an error, and dist/ stays the good build it was; an
    empty dataset is published only when asked for."""
    sandbox.cli("build", check=True)
    good = _dist_bytes(sandbox.root)
    records = sandbox.root / "records"
    shutil.move(records, sandbox.root / "records-elsewhere")
    for layout in ("missing", "empty"):
        if layout == "empty":
            (records / "places").mkdir(parents=True)
        result = sandbox.cli("build")
        assert result.returncode == 1, result.stdout
        assert "records/: " in result.stderr and "--allow-empty" in result.stderr and "Traceback" not in result.stderr
        assert _dist_bytes(sandbox.root) == good
        checked = sandbox.cli("validate")
        assert checked.returncode == 1 and checked.stdout == "0 records checked: 1 problem\n"
    empty = sandbox.cli("build", "--allow-empty")
    assert empty.returncode == 0, empty.stderr
    assert json.loads((sandbox.root / "dist" / "manifest.json").read_text(encoding="utf-8"))["triples"] == 0
    assert sandbox.cli("validate", "--allow-empty").returncode == 0


def test_a_link_out_of_the_project_is_refused_by_a_quick_rebuild_too(sandbox, tmp_path):
    """A rebuild that reads only changed files still sees a new symbolic link for what it is."""
    sandbox.cli("build", check=True)
    good = _dist_bytes(sandbox.root)
    outside = tmp_path / "wuhu.yaml"
    outside.write_text(sandbox.read("places/anhui.yaml").replace("id: anhui", "id: wuhu"), encoding="utf-8")
    os.symlink(outside, sandbox.root / "records" / "places" / "wuhu.yaml")
    result = sandbox.cli("build")
    assert result.returncode == 1
    assert "records/places/wuhu.yaml:1:1: a symbolic link that leads out of the project" in result.stderr
    assert _dist_bytes(sandbox.root) == good
