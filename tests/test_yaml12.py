"""The YAML reader: YAML 1.2 values, and a clear error for every trap, at its line."""

from decimal import Decimal

import pytest

from dangjian.records.yaml12 import Mark, YamlError, parse


def problems_of(text: bytes):
    try:
        _document, problems = parse(text)
    except YamlError as error:
        problems = error.problems
    return [(p.mark.line, p.mark.column, p.key, p.message) for p in problems]


def test_values_follow_yaml_1_2():
    document, problems = parse(b'a: 12.50\nb: 7\nc: "4:6"\nd: true\ne: ~\nf: [1, 2]\ng: {en: x}\nh: "2015-07-10"\n')
    assert problems == []
    assert document.data == {"a": Decimal("12.50"), "b": 7, "c": "4:6", "d": True, "e": None, "f": [1, 2], "g": {"en": "x"}, "h": "2015-07-10"}
    assert str(document.data["a"]) == "12.50"  # the form as written survives


def test_positions_of_keys_and_values():
    document, _ = parse(b"id: x\nlabel:\n  en: Suzhou\n  zh-Hans: \xe5\xae\xbf\xe5\xb7\x9e\n")
    assert document.key_marks[("label",)] == Mark(2, 1)
    assert document.key_marks[("label", "zh-Hans")] == Mark(4, 3)
    assert document.value_marks[("label", "en")] == Mark(3, 7)


@pytest.mark.parametrize(
    "text, expected",
    [
        (b"ratio: 4:6\n", (1, 8, "ratio", '`4:6` is a base-60 number (246) in YAML 1.1 tools; write "4:6" in quotes if you mean the text, such as a ratio')),
        (b"ok: no\n", (1, 5, "ok", '`no` is the boolean false in YAML 1.1 tools; write "no" in quotes if you mean the text, or true/false for a yes-or-no value')),
        (b"ok: on\n", (1, 5, "ok", '`on` is the boolean true in YAML 1.1 tools; write "on" in quotes if you mean the text, or true/false for a yes-or-no value')),
        (b"date: 2015-07-10\n", (1, 7, "date", '`2015-07-10` is an unquoted date, which YAML 1.1 tools turn into a date object; write "2015-07-10" in quotes')),
        (b"n: 0o17\n", (1, 4, "n", "`0o17` is the octal number 15 in YAML 1.2 and text in YAML 1.1 tools; write 15 in decimal, or quote it")),
        (b"n: 017\n", (1, 4, "n", '`017` is the octal number 15 in YAML 1.1 tools and 17 in YAML 1.2; write 17 without leading zeros, or "017" in quotes for a code')),
        (b"n: 1e3\n", (1, 4, "n", "`1e3` is a number in YAML 1.2 and text in YAML 1.1 tools; write it without an exponent (1000), or quote it")),
        (b"n: 1_000\n", (1, 4, "n", "`1_000` is the number 1000 in YAML 1.1 tools and text in YAML 1.2; write 1000 without underscores, or quote it")),
        (b"n: .inf\n", (1, 4, "n", "`.inf` is not a finite number; quote it if you mean the text")),
        (b"a: 1\nb: 2\na: 3\n", (3, 1, "a", "duplicate key; `a` is already set at line 1")),
        (b"a: &x 1\n", (1, 4, "a", "anchor &x is not allowed in records; write values out in full")),
        (b"a: !!int 3\n", (1, 4, "a", "tag tag:yaml.org,2002:int is not used in records; quote the value instead")),
        (b"a:\n\t- 1\n", (2, 1, "", "tab in indentation; YAML indents with spaces only")),
        (b"\xef\xbb\xbfa: 1\n", (1, 1, "", "file starts with a byte-order mark; save it as UTF-8 without one")),
        ("a: 宿州\n".encode("utf-16"), (1, 1, "", "file is UTF-16; save it as UTF-8 without a byte-order mark")),
        ("a: 宿州\n".encode("gbk"), (1, 4, "", "file is not valid UTF-8 (byte 0xcb); it looks like GBK/GB18030: save it as UTF-8")),
        (b"a: \xff\n", (1, 4, "", "file is not valid UTF-8 (byte 0xff)")),
        (b"", (1, 1, "", "file is empty; a record is a mapping of keys to values")),
        (b"# only a comment\n", (1, 1, "", "file is empty; a record is a mapping of keys to values")),
        (b"- a\n- b\n", (1, 1, "", "a record is a mapping of keys to values, but this file holds a list")),
        (b"just text\n", (1, 1, "", "a record is a mapping of keys to values, but this file holds a single value")),
        (b"a: 1\x07\n", (1, 5, "", "control character U+0007 in the text; remove it")),
        (b"a: [1, 2\n", (2, 1, "", "YAML syntax error: did not find expected ',' or ']': a [list] that is not closed; add the `]` on the line where it starts")),
        (b"a: 1\n---\nb: 2\n", (2, 1, "", "a record file holds one document; remove the second `---`")),
    ],
)
def test_each_trap_has_its_message(text, expected):
    assert problems_of(text) == [expected]


def test_alias_bomb_is_refused_without_expanding():
    bomb = b'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n'
    found = problems_of(bomb)
    assert found[0] == (1, 4, "a", "anchor &a is not allowed in records; write values out in full")
    assert len(found) == 3 + 9 * 3  # three anchors, twenty-seven aliases: each reported, none expanded


def test_several_problems_in_one_file_come_together():
    found = problems_of(b"ratio: 4:6\nok: no\nratio: 1\n")
    assert [f[:3] for f in found] == [(1, 8, "ratio"), (2, 5, "ok"), (3, 1, "ratio")]


def test_file_over_the_size_limit():
    from dangjian.records import yaml12

    assert problems_of(b"a: " + b"x" * yaml12.MAX_FILE_BYTES) == [
        (1, 1, "", f"file is {yaml12.MAX_FILE_BYTES + 3:,} bytes, over the limit of {yaml12.MAX_FILE_BYTES:,} for one record")
    ]


# --- bounds: nothing is converted or quoted beyond them ---------------------------------------

HUGE = ["1" * 5000, "-" + "9" * 5000, "0x" + "f" * 5000, "0o" + "7" * 5000, "0" + "7" * 5000, "1_" * 2500, "1:" * 2500 + "5",
        "1e99999999999", "1.5e+99999999", "1." + "5" * 5000, "+0x" + "f" * 5000, "0b" + "1" * 5000, "9" * 21, "0." + "0" * 18 + "1"]


@pytest.mark.parametrize("number", HUGE, ids=lambda n: f"{n[:12]}…{len(n)}")
def test_a_number_too_long_is_refused_before_it_is_converted_in_one_short_line(number):
    (problem,) = problems_of(f"value: {number}\n".encode())
    assert problem[:3] == (1, 8, "value")
    assert len(problem[3]) < 300 and "\n" not in problem[3]


@pytest.mark.parametrize("number", ["9" * 20, "-" + "9" * 20, "0." + "9" * 18, "12.50", "0x" + "f" * 15])
def test_a_number_within_the_bounds_is_read(number):
    document, problems = parse(f"value: {number}\n".encode())
    assert problems == [] and not isinstance(document.data["value"], str)


def test_nesting_past_the_limit_is_refused_without_recursion():
    deep = "note: " + "[" * 990 + "x" + "]" * 990 + "\nlevel: city\n"  # (Python's stack holds about 1,000 calls)
    document, problems = parse(deep.encode())
    assert [(p.key, p.message) for p in problems] == [("note.0.0.0.0.0.0.0.…", "lists and mappings nested more than 8 deep; records need three levels at most")]
    assert document.data["level"] == "city"  # the rest of the file is read
    deeper = "note: " + "[" * 100_000 + "x" + "]" * 100_000 + "\n"  # libyaml stops at 1,000 levels
    assert problems_of(deeper.encode()) == [(1, 1006, "", "YAML syntax error: exceeded maximum nesting depth: records nest 8 levels at most")]


@pytest.mark.parametrize("text, message", [
    (b'"a\\nb": 1\n', "keys are one line of plain text; this one holds U+000A"),
    (b"? |\n  a\n  b\n: 1\n", "keys are one line of plain text; this one holds U+000A"),
    (b'a: "x\\0"\n', "control character U+0000 written as an escape; remove it"),
    (b'a: "\\e[31m"\n', "control character U+001B written as an escape; remove it"),
    (b'a: "\\N"\n', "control character U+0085 written as an escape; remove it"),
    (b'a: "\\u2066x"\n', "bidirectional control character U+2066 written as an escape; remove it (it changes the order in which text is shown)"),
    ("a: x\u200fy\n".encode(), "bidirectional control character U+200F in the text; remove it (it changes the order in which text is shown)"),
    (b'a: "\\ud800"\n', "`\\ud800` is half of a UTF-16 surrogate pair, not a character; remove it"),
])
def test_what_is_not_one_line_of_visible_text_is_refused(text, message):
    assert [p[3] for p in problems_of(text)] == [message]
