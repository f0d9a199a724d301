"""The README and docs/: a manual of at most 600 lines whose links all lead somewhere, whose
examples are what the records and the commands give, and which tells no history."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
PAGES = sorted((REPO / "docs").glob("*.md"))
MAX_README_LINES = 600

FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)


def prose(text: str) -> str:
    """The text without fenced code blocks (their `# comment` lines are no headings)."""
    return FENCE.sub("", text)


def anchor(heading: str) -> str:
    """The id GitHub gives a heading: markup and punctuation dropped, lowercase, spaces as hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for heading in HEADING.findall(prose(path.read_text(encoding="utf-8"))):
        base = anchor(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def relative_links(path: Path) -> list[str]:
    text = INLINE_CODE.sub("", prose(path.read_text(encoding="utf-8")))
    return [t for t in LINK.findall(text) if not re.match(r"[a-z][a-z0-9+.-]*:", t)]


def section(text: str, heading: str) -> str:
    """From the heading line to the next heading of the same or a higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    start = text.index(heading + "\n")
    following = re.compile(rf"^#{{1,{level}}} ", re.M)
    after = [m.start() for m in following.finditer(prose_keeping_offsets(text)) if m.start() > start]
    return text[start:after[0]] if after else text[start:]


def prose_keeping_offsets(text: str) -> str:
    """The text with each fenced block blanked out character for character (offsets unchanged)."""
    return FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def fenced(text: str, language: str = "") -> list[str]:
    return [m.group(1) for m in re.finditer(rf"^```{language}\n(.*?)^```$", text, re.M | re.S)]


def test_the_readme_is_a_manual_of_at_most_600_lines():
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_README_LINES, f"README.md has {lines} lines; put longer topics in a page of docs/"


def test_there_is_a_page_for_each_topic_and_the_readme_links_them():
    names = {p.name for p in PAGES}
    topics = {"records-and-validation.md", "linked-data.md", "triple-stores.md", "search-and-drafting.md", "performance.md"}
    assert topics <= names
    linked = {Path(t.split("#")[0]).name for t in relative_links(README)}
    assert topics <= linked, f"README.md does not link {sorted(topics - linked)}"


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_leads_to_a_file_or_heading_that_exists(page):
    broken = []
    for target in relative_links(page):
        path, _, fragment = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(f"{target}: no file {file.relative_to(REPO) if file.is_relative_to(REPO) else file}")
        elif fragment and file.suffix == ".md" and fragment not in anchors(file):
            broken.append(f"{target}: no heading with the id `{fragment}` in {file.relative_to(REPO)}")
    assert not broken, "\n".join(broken)


def test_the_anchor_rule_is_githubs():
    assert anchor("Rebuilding while you edit: `dangjian build --watch`") == "rebuilding-while-you-edit-dangjian-build---watch"
    assert anchor("Dependencies, and why") == "dependencies-and-why"
    assert anchor("The two commands") == "the-two-commands"


def test_no_history_in_the_manual():
    """Run letters, commit hashes and what was tried belong in git log, not in the manual."""
    history = re.compile(r"\b[Rr]uns? [A-Z](?:\b|–)|\b(?i:commits?) [0-9a-f]{7,40}\b|(?i:tried and not kept)"
                         r"|\b(?i:this|last|earlier) (?i:sessions?)\b")
    for page in [README, *PAGES]:
        found = [m.group(0) for m in history.finditer(page.read_text(encoding="utf-8"))]
        assert not found, f"{page.relative_to(REPO)} tells history: {found}"


# --- the examples are real -----------------------------------------------------------------------


def test_the_worked_example_is_the_record_and_what_the_build_publishes(built_kb):
    example = section(README.read_text(encoding="utf-8"), "### Worked example")
    (path,) = set(re.findall(r"records/amounts/[a-z0-9-]+\.yaml", example))
    (yaml_block,) = fenced(example, "yaml")
    (turtle_block,) = fenced(example, "turtle")
    assert yaml_block == (REPO / path).read_text(encoding="utf-8"), f"README.md's worked example is not {path} as it is now"
    published = (built_kb.root / "dist" / "dangjian.ttl").read_text(encoding="utf-8")
    assert turtle_block in published, "README.md's worked example is not what dist/dangjian.ttl holds for it now"


def test_the_validation_example_is_what_validate_prints(sandbox):
    """The README's `dangjian validate` block, made again: the three mistakes it shows, in a copy."""
    example = section(README.read_text(encoding="utf-8"), "### Validation")
    (block,) = [b for b in fenced(example) if b.startswith("$ dangjian validate\n")]
    shown = block.splitlines()[1:]
    amount = "amounts/suzhou-2015-village-head-annual-pay.yaml"
    sandbox.write(amount, sandbox.read(amount).replace("value: 16300\n", "value: 1,234.5\n"))
    sandbox.write("places/anhui.yaml", sandbox.read("places/anhui.yaml") + "ratio: 4:6\n")
    sandbox.write("places/suzhou-anhui.yaml", sandbox.read("places/suzhou-anhui.yaml").replace("within: anhui\n", "within: anhiu\n"))
    result = sandbox.cli("validate")
    assert result.returncode == 1
    # (and, where the code list of division codes is not installed, a note saying so)
    assert [line for line in result.stderr.splitlines() if not line.startswith("division codes not checked")] == shown[:-1]
    # The count of records checked grows with the records; the problems counted must not.
    count = re.compile(r"^\d[\d,]* records checked: ")
    assert count.sub("", result.stdout.splitlines()[-1]) == count.sub("", shown[-1])


def test_the_bad_input_examples_are_messages_of_the_bad_records_corpus():
    page = (REPO / "docs" / "records-and-validation.md").read_text(encoding="utf-8")
    shown = [line for block in fenced(section(page, "## Bad input"))
             for line in block.splitlines() if re.match(r"records/\S+:\d+:\d+: ", line)]
    corpus = {line for expected in (REPO / "tests" / "bad").glob("*/expected.txt")
              for line in expected.read_text(encoding="utf-8").splitlines()}
    assert len(shown) >= 15
    missing = [line for line in shown if line not in corpus]
    assert not missing, "docs/records-and-validation.md shows messages tests/bad/ no longer expects:\n" + "\n".join(missing)
