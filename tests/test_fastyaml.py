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
    assert fast == reference(text)  # same values, same types, and no problem the fast way missed


@settings(max_examples=1000, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(messy_documents)
def test_fast_reader_refuses_or_agrees_on_messy_text(text):
    fast = read_simple(text)
    if fast is not None:
        assert fast == reference(text)


def test_fast_reader_takes_the_real_records():
    files = sorted((REPO / "records").rglob("*.yaml")) + sorted((REPO / "tests" / "fixtures").rglob("*.yaml"))
    taken = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = read_simple(text)
        if fast is not None:
            taken += 1
            assert fast == reference(text), path
    assert taken >= 0.95 * len(files)  # the common shape really is common
