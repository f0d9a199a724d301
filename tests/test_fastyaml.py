"""The fast way through agrees with the reference (event-based) reader on every file it takes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.records.fastyaml import read_simple
from dangjian.records.yaml12 import YamlError, parse

REPO = Path(__file__).resolve().parent.parent

PLAIN = ["no", "yes", "on", "off", "y", "N", "4:6", "1:0.8:0.7", "1∶0.8∶0.7", "2015-07-10", "2015", "12.50", "1e3",
         "0o17", "017", "0x1F", "1_000", "~", "null", "true", "False", "-3", "+5", ".5", "7.", "-", "宿州市", "a b",
         "x # y", "a:b", "1154.48万元", "16300元", ".inf", "<<", "-x", "?x", ":x", "a,b", "a]b"]
QUOTED = ['"4:6"', "'no'", '"a \\"b\\""', "'it''s'", '"tab\\there"', '"\\u5bbf"', '"x" # c', "''", '""', '"a\\qb"', "'unclosed"]
KEYS = ["id", "label", "value", "en", "zh-Hans", "note", "source", "a", "b"]


def scalars():
    return st.one_of(st.sampled_from(PLAIN), st.sampled_from(QUOTED), st.text(alphabet="ab 宿州:#-'\"[]{},&*!|>%@`?", min_size=1, max_size=8))


def values():
    flow_list = st.lists(scalars(), max_size=3).map(lambda items: "[" + ", ".join(items) + "]")
    flow_map = st.lists(st.tuples(st.sampled_from(KEYS), scalars()), max_size=3).map(lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}")
    inline = st.one_of(scalars(), flow_list, flow_map).map(lambda v: " " + v)
    indent = st.sampled_from(["", "  ", "    "])
    block_list = st.tuples(indent, st.lists(scalars(), min_size=1, max_size=3)).map(lambda t: "\n" + "\n".join(f"{t[0]}- {v}" for v in t[1]))
    block_map = st.tuples(st.sampled_from(["  ", "    "]), st.lists(st.tuples(st.sampled_from(KEYS), st.one_of(scalars(), flow_list)), min_size=1, max_size=3)).map(
        lambda t: "\n" + "\n".join(f"{t[0]}{k}: {v}" for k, v in t[1]))
    return st.one_of(inline, block_list, block_map, st.just(""), st.just("  # comment"))


documents = st.lists(st.tuples(st.sampled_from(KEYS), values()), min_size=1, max_size=6).map(
    lambda entries: "".join(f"{k}:{v}\n" for k, v in entries))


# Lines of every shape at any indentation: mostly broken documents, which the fast way must
# either refuse or read exactly as the reference does.
line_shapes = st.tuples(
    st.sampled_from(["", " ", "  ", "   ", "    "]),
    st.one_of(
        st.tuples(st.sampled_from(KEYS), scalars()).map(lambda kv: f"{kv[0]}: {kv[1]}"),
        st.sampled_from(KEYS).map(lambda k: f"{k}:"),
        scalars().map(lambda v: f"- {v}"),
        scalars(),
        st.just("# note"),
        st.just(""),
    ),
).map(lambda t: t[0] + t[1])
messy_documents = st.lists(line_shapes, min_size=1, max_size=8).map(lambda lines: "\n".join(lines) + "\n")


def same(fast, slow) -> bool:
    """Equal values of equal types, all the way down (``1 == True == Decimal(1)`` in Python, but
    not here), keys in the same order."""
    if type(fast) is not type(slow):
        return False
    if isinstance(fast, dict):
        return list(fast) == list(slow) and all(same(fast[k], slow[k]) for k in fast)
    if isinstance(fast, list):
        return len(fast) == len(slow) and all(same(a, b) for a, b in zip(fast, slow))
    return fast == slow


def reference(text: str):
    """What the reference reader makes of a file that has no problems; None when it has some."""
    try:
        document, problems = parse(text.encode("utf-8"))
    except YamlError:
        return None
    return None if problems else document.data


@settings(max_examples=1000, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents)
def test_fast_reader_agrees_with_reference(text):
    fast = read_simple(text)
    if fast is None:
        return
    assert same(fast, reference(text))  # same values, same types, and no problem the fast way missed


@settings(max_examples=1000, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(messy_documents)
def test_fast_reader_refuses_or_agrees_on_messy_text(text):
    fast = read_simple(text)
    if fast is not None:
        assert same(fast, reference(text))


def test_fast_reader_takes_the_real_records():
    files = sorted((REPO / "records").rglob("*.yaml")) + sorted((REPO / "tests" / "fixtures").rglob("*.yaml"))
    taken = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = read_simple(text)
        if fast is not None:
            taken += 1
            assert same(fast, reference(text)), path
    assert taken >= 0.95 * len(files)  # the common shape really is common


# --- every spelling the readers might resolve differently --------------------------------------
#
# Plain scalars built from the pieces numbers, dates, times, booleans and nulls are written
# with, in every reader's dialect (signs, underscores, radix prefixes in either case, exponents,
# dots, special floats, dates, times, base 60, YAML 1.1 booleans), followed or not by something
# that makes them text; and double-quoted scalars with every kind of escape, surrogates included.
# Each is put in a key or a value, in block or flow context. The fast reader must give exactly
# what the reference gives (values and types), or hand the file over.

SIGNS = ["", "", "+", "-", "_"]
PREFIXES = ["", "", "", "0x", "0X", "0o", "0O", "0b", "0B", "0", "_", ".", "00"]
DIGITS = st.text(alphabet="0123456789_aAbBfFeE", min_size=0, max_size=5)
FRACTIONS = st.sampled_from(["", "", ".", ".5", ".50", "._5", ".0", "..5", ":30", ":5:00", ":60", ".5:30"])
EXPONENTS = st.sampled_from(["", "", "e5", "E5", "e+5", "E-2", "e_5", "e", "e99999999", "e-400"])
SUFFIXES = st.sampled_from(["", "", "", "元", " apples", "#x", ",000", "\u00a0", "\u3000", "(x)", "/月", "-07-10", ":00", " 21:59:43"])
SPECIAL = ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "true", "True",
           "TRUE", "tRUE", "false", "False", "FALSE", "null", "Null", "NULL", "nULL", "~", "<<", "=", ".inf", ".Inf", ".INF",
           "+.inf", "-.inf", ".nan", ".NaN", ".NAN", "inf", "Inf", "nan", "NaN", "Infinity", "-inf", "+nan",
           "2015-07-10", "2015-7-1", "2015-07-10T10:00:00Z", "2015-07-10t10:00:00.5+08:00", "2001-12-14 21:59:43.10 -5",
           "12:30", "12:30:00", "1:20:30.5", "-1:30", "190:20:30", "0:0", "1_000", "16_300", "_16300", "+0x7DF", "_2015",
           "_1.5", "-0x10", "0X1F", "+0o17", "0B101", "0b101", "0o17", "0x1F", "017", "08", "-0", "+0", "0", "1e3",
           "1.63e4", "12.50", ".5", "7.", "1.", "-", "+", ".", "_", "1" * 16, "9" * 25, "1" * 30 + ".5", "0." + "0" * 19 + "1",
           "1e99999999999", "x1", "v2.0", "a", "zh-Hans", "CNY", "e5", "E5", "x_1"]
ESCAPES = ["\\0", "\\e", "\\a", "\\x41", "\\x1b", "\\x85", "\\u00e9", "\\u200b", "\\u202e", "\\ud83d\\ude00", "\\ud800",
           "\\U0001F600", "\\N", "\\_", "\\L", "\\P", "\\t", "\\n", "\\\\", '\\"', "\\/", "\\ ", "\\q"]


# Strategies made once (made in each draw, hypothesis would check each anew: most of the time).
_BUILT = st.builds(lambda sign, prefix, digits, fraction, exponent, suffix: sign + prefix + digits + fraction + exponent + suffix,
                   st.sampled_from(SIGNS), st.sampled_from(PREFIXES), DIGITS, FRACTIONS, EXPONENTS, SUFFIXES)
_SPECIAL = st.tuples(st.sampled_from(SPECIAL), SUFFIXES).map("".join)
_LOOSE = st.text(alphabet="0123456789+-._~:<=eExXoObB aZ元\u00a0", min_size=1, max_size=8)
RISKY_PLAIN = st.one_of(_BUILT, _SPECIAL, _LOOSE).map(str.strip).filter(bool)
RISKY_QUOTED = st.lists(st.one_of(st.sampled_from(ESCAPES), st.sampled_from(["a", "5", "宿", " "])), min_size=1, max_size=4).map(
    lambda parts: '"' + "".join(parts) + '"')
RISKY = st.one_of(*[RISKY_PLAIN] * 6, RISKY_QUOTED)

NAMES = ["id", "label", "value", "en", "zh-Hans", "note", "source", "year", "parts", "a", "b", "c", "d", "e", "f", "g", "h",
         "i", "j", "k", "l", "m", "o", "p", "q", "r", "s", "t", "u", "v"]
SAFE_SCALARS = st.sampled_from(["宿州市", "'no'", '"2015-07-10"', "Anhui Province", "16300", "exact", "1154.48万元", "-3"])
SHAPES = st.sampled_from(["value", "list", "flow-list", "flow-map", "sub-map"])
INDENTS = st.sampled_from(["", "  "])
ENDINGS = st.sampled_from(["\n"] * 4 + ["\r\n"])
ONE_OR_TWO, NONE_TO_TWO, ONE_TO_THREE, ONE_IN_FOUR = st.integers(1, 2), st.integers(0, 2), st.integers(1, 3), st.integers(0, 3)


@st.composite
def risky_documents(draw):
    """A record-like file with one or two risky scalars among safe ones, as keys, block values,
    list items, flow items: one risky spelling at a time, so that the fast way often takes the
    file and its reading is compared."""
    places = draw(ONE_OR_TWO)
    slots = iter(draw(st.lists(RISKY, min_size=places, max_size=places)))
    names = iter(NAMES)

    def scalar():
        return next(slots, None) or draw(SAFE_SCALARS) if draw(st.booleans()) else draw(SAFE_SCALARS)

    def key():  # a risky key now and then; otherwise each key a new name, so that few files repeat one
        return (next(slots, None) or next(names)) if draw(ONE_IN_FOUR) == 0 else next(names)

    lines = []
    for _ in range(draw(ONE_TO_THREE)):
        shape = draw(SHAPES)
        name = key()
        if shape == "value":
            lines.append(f"{name}: {scalar()}")
        elif shape == "list":
            lines.append(f"{name}:")
            indent = draw(INDENTS)
            lines += [f"{indent}- {scalar()}" for _ in range(draw(ONE_OR_TWO))]
        elif shape == "flow-list":
            lines.append(f"{name}: [{', '.join(scalar() for _ in range(draw(NONE_TO_TWO)))}]")
        elif shape == "flow-map":
            lines.append(f"{name}: {{{', '.join(f'{key()}: {scalar()}' for _ in range(draw(NONE_TO_TWO)))}}}")
        else:
            lines.append(f"{name}:")
            lines += [f"  {key()}: {scalar()}" for _ in range(draw(ONE_OR_TWO))]
    for leftover in slots:  # every risky scalar drawn goes in somewhere
        lines.append(f"{key()}: {leftover}")
    ending = draw(ENDINGS)
    return ending.join(lines) + ending


RISKY_EXAMPLES = 2000  # the figure docs/reading-records.md states


@settings(max_examples=RISKY_EXAMPLES, suppress_health_check=[HealthCheck.too_slow], deadline=None, derandomize=True)
@given(risky_documents())
def test_fast_reader_gives_the_reference_values_or_hands_over(text):
    fast = read_simple(text)
    if fast is not None:
        assert same(fast, reference(text)), text


def test_the_issue_spellings_go_to_the_reference():
    """The spellings `yaml_rs` reads as numbers and YAML 1.2 as text: the fast way hands them over,
    and the reference reads text (a key `_1` stays a text key)."""
    for spelling in ["_16300", "+0x7DF", "_2015", "_1.5", "-0x10", "0X1F", "+0o17", "0B101"]:
        for text in (f"value: {spelling}\n", f"parts: [{spelling}]\n", f"{spelling}: x\n", f"label:\n  - {spelling}\n"):
            assert read_simple(text) is None, text
            document, _problems = parse(text.encode())
            assert all(isinstance(v, str) or isinstance(v, list) and isinstance(v[0], str) for v in [*document.data.values()]), text
            assert all(isinstance(k, str) for k in document.data), text
