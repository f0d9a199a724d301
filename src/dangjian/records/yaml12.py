"""Read one record file as YAML 1.2, strictly, keeping the line and column of every key.

PyYAML's loaders follow YAML 1.1, which silently corrupts hand-written data: ``4:6`` loads as
the integer 246 (base 60), ``no`` as false, ``2015-07-10`` as a date, and a repeated key keeps
its last value without a word. This module uses PyYAML's parser (libyaml when available) only
for its *events*, and builds the values itself with the YAML 1.2 core schema. Plain scalars
that YAML 1.1 tools read differently are refused with a message saying how to write them, so a
record means the same thing to every tool that reads it.

Also refused, each with the file's line and column: duplicate keys, keys that are not one line
of text, anchors and aliases (no alias bombs), tags other than ``!!str``, tabs in indentation, a
byte-order mark, text that is not UTF-8, control and bidirectional control characters (written
or escaped), several documents in one file, and whatever is over a limit of :mod:`.limits`
(the file's size, nesting, a number's digits), each refused before it is turned into a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

import yaml

from .limits import MAX_FILE_BYTES, MAX_INTEGER_DIGITS, MAX_NESTING, digits_problem, shortened

try:  # libyaml's parser is several times faster; the pure-Python one gives the same events.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _PyParser):  # type: ignore[no-redef]
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _PyParser.__init__(self)


Path = tuple  # a key path inside a record: ("label", "en") or ("parts", 2)


class Mark(NamedTuple):
    """A 1-based line and column in a file (a tuple: cheap to make, millions are)."""

    line: int
    column: int


@dataclass(frozen=True)
class YamlProblem:
    """Something wrong with the text of a file, at a line and column, under a key."""

    mark: Mark
    key: str
    message: str


@dataclass
class Document:
    """A parsed record file: its top-level mapping, and where each key and value stands."""

    data: dict
    key_marks: dict[Path, Mark] = field(default_factory=dict)
    value_marks: dict[Path, Mark] = field(default_factory=dict)


class Refused:
    """Stands for a value the reader refused (an alias); it was reported, so it maps to nothing."""

    def __repr__(self) -> str:
        return "REFUSED"

    def __reduce__(self) -> str:
        return "REFUSED"  # one of it, in every process: pickled as a name, found again as the same object


REFUSED = Refused()

# libyaml's words for common mistakes, and what to do about them.
_SYNTAX_HINTS = {
    "mapping values are not allowed in this context": "a `key: value` where none can be; check this line's indentation, or put a value that contains `: ` in quotes",
    "did not find expected ',' or ']'": "a [list] that is not closed; add the `]` on the line where it starts",
    "did not find expected ',' or '}'": "a {map} that is not closed; add the `}` on the line where it starts",
    "could not find expected ':'": "a line that is not `key: value`; check the quotes and indentation above it",
    "did not find expected key": "a line that is not `key: value` at this indentation; check the indentation",
    "found unexpected end of stream": "the file ends inside a quoted value; close the quotes",
    "found unknown escape character": "an unknown backslash escape in double quotes; write \\\\ for a backslash, or use single quotes",
    "did not find expected '-' indicator": "a list item (`- `) at the wrong indentation",
    "exceeded maximum nesting depth": f"records nest {MAX_NESTING} levels at most",
}


def _syntax_message(reason: str) -> str:
    hint = _SYNTAX_HINTS.get(reason.split(" (")[0].strip())
    return f"YAML syntax error: {reason}" + (f": {hint}" if hint else "")


_SURROGATES = re.compile(r"\\u(d[89ab][0-9a-f]{2})(?:\\u(d[c-f][0-9a-f]{2}))?", re.IGNORECASE)


def _message_at(text: str, mark) -> tuple[int | None, str | None]:
    """A plainer message than libyaml's for what stands at ``mark``, where one is known, and
    the (1-based) column it starts at:

    - a \\u escape of a UTF-16 surrogate, which YAML does not take (yaml_rs joins a pair into
      one character, libyaml refuses it; records say one thing to every reader);
    - a flow mapping's `:` on the line after its key, valid YAML 1.2 that libyaml (YAML 1.1)
      cannot read: records keep a key and its colon on one line.
    """
    lines = text.split("\n")
    line = lines[mark.line] if mark.line < len(lines) else ""
    surrogate = _SURROGATES.match(line, max(mark.column - 2, 0))
    if surrogate:
        high, low = surrogate.groups()
        if low:
            character = chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + int(low, 16) - 0xDC00)
            return surrogate.start() + 1, (f"`{surrogate.group()}` is a UTF-16 surrogate pair, which YAML escapes do not take; "
                                           f"write the character itself ({character}), or \\U{ord(character):08x}")
        return surrogate.start() + 1, f"`{surrogate.group()}` is half of a UTF-16 surrogate pair, not a character; remove it"
    if line[mark.column:mark.column + 1] == ":" and not line[:mark.column].strip():
        return None, "a key's `:` is on the line after the key; records keep a key and its `:` on one line"
    return None, None


class YamlError(Exception):
    """The file cannot be read at all; ``problems`` says why."""

    def __init__(self, problems: list[YamlProblem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


# --- YAML 1.2 core schema, and the YAML 1.1 readings that differ from it -------------------

_NULL = re.compile(r"^(?:~|null|Null|NULL)?$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCTAL_12 = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT_12 = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF_NAN = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")

_BOOL_11 = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
_SEXAGESIMAL_11 = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_TIMESTAMP_11 = re.compile(
    r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$"
)
_UNDERSCORE_NUMBER_11 = re.compile(r"^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+][0-9]+)?)$")
_BINARY_11 = re.compile(r"^[-+]?0b[01]+$")
_LEADING_ZERO_11 = re.compile(r"^[-+]?0[0-9]+$")
_FLOAT_11 = re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9.]*(?:[eE][-+][0-9]+)?$")


_SIGNED_HEX_11 = re.compile(r"^[-+]0x[0-9a-fA-F]+$")


def _quote_hint(text: str) -> str:
    return f'write "{text}" in quotes if you mean the text'


def resolve_plain(text: str) -> tuple[object, str | None]:
    """Read a plain (unquoted) scalar as YAML 1.2 does; the second item is a trap message.

    A trap is a scalar that YAML 1.1 tools (PyYAML, Ruby, most editors' linters) read as
    something else than YAML 1.2 does; such a record would mean different things to
    different readers, so it is refused with a message saying how to write it unambiguously.
    A number longer than a record holds is refused too, before it is converted (see
    :mod:`.limits`); messages quote a long scalar shortened.
    """
    if _NULL.match(text):
        return None, None
    if text in _BOOL:
        return _BOOL[text], None
    if _BOOL_11.match(text):
        return text, f"`{text}` is the boolean {'true' if text.lower() in ('y', 'yes', 'on') else 'false'} in YAML 1.1 tools; {_quote_hint(text)}, or true/false for a yes-or-no value"
    long = len(text) > 2 * MAX_INTEGER_DIGITS
    shown = shortened(text)
    if _SEXAGESIMAL_11.match(text):
        value = "" if long else f" ({_sexagesimal(text)})"
        return text, f"`{shown}` is a base-60 number{value} in YAML 1.1 tools; {_quote_hint(shown)}, such as a ratio"
    if _TIMESTAMP_11.match(text):
        return text, f"`{text}` is an unquoted date, which YAML 1.1 tools turn into a date object; write \"{text}\" in quotes"
    if "_" in text and _UNDERSCORE_NUMBER_11.match(text):
        plain = shortened(text.replace("_", ""))
        return text, f"`{shown}` is the number {plain} in YAML 1.1 tools and text in YAML 1.2; write {plain} without underscores, or quote it"
    if _BINARY_11.match(text):
        return text, f"`{shown}` is a binary number in YAML 1.1 tools and text in YAML 1.2; write it in decimal, or quote it"
    if _SIGNED_HEX_11.match(text):
        value = "a number" if long else f"the number {int(text, 16)}"
        return text, f"`{shown}` is {value} in YAML 1.1 tools and text in YAML 1.2; write it in decimal, or quote it"
    if _LEADING_ZERO_11.match(text):
        if long:
            return text, f"`{shown}` is an octal number in YAML 1.1 tools and a decimal one in YAML 1.2; quote it if it is a code"
        return text, f"`{text}` is the octal number {int(text.lstrip('+-'), 8) if set(text.lstrip('+-')) <= set('01234567') else '(invalid)'} in YAML 1.1 tools and {int(text)} in YAML 1.2; write {int(text)} without leading zeros, or \"{text}\" in quotes for a code"
    if _OCTAL_12.match(text):
        if long:
            return text, f"`{shown}` is an octal number in YAML 1.2 and text in YAML 1.1 tools; write it in decimal, or quote it"
        return text, f"`{text}` is the octal number {int(text[2:], 8)} in YAML 1.2 and text in YAML 1.1 tools; write {int(text[2:], 8)} in decimal, or quote it"
    if _INF_NAN.match(text):
        return text, f"`{text}` is not a finite number; quote it if you mean the text"
    if _INT.match(text):
        too_long = digits_problem(text)
        return (text, too_long) if too_long else (int(text), None)
    if _HEX.match(text):
        if long or digits_problem(str(int(text, 16))):
            return text, f"`{shown}` is a hexadecimal number longer than a record holds; write it in decimal, or quote it"
        return int(text, 16), None
    if _FLOAT_12.match(text):
        if not _FLOAT_11.match(text):
            return text, _exponent_message(text)
        written = _written_out(text) if "e" in text.lower() else text  # (YAML 1.1 reads 1.5e+3 as a number too)
        too_long = digits_problem(written) if written else f"`{shown}` has more digits written out than a record holds; quote it if you mean the text"
        return (text, too_long) if too_long else (Decimal(text), None)
    if text == "<<":
        return text, "merge keys (`<<`) are YAML 1.1 only and are not used in records"
    return text, None


def _written_out(text: str) -> str | None:
    """A decimal number without its exponent; None when that would be too long to write."""
    _mantissa, _, exponent = text.lower().partition("e")
    if len(text) > 4 * MAX_INTEGER_DIGITS or len(exponent) > 4:
        return None  # |exponent| < 10,000 is written out in a moment, then measured
    return f"{Decimal(text):f}"


def _exponent_message(text: str) -> str:
    """A number written with an exponent: what to write instead, when that is not too long."""
    unsure = f"`{shortened(text)}` is a number in YAML 1.2 and text in YAML 1.1 tools"
    written = _written_out(text)
    if written and not digits_problem(written):
        return f"{unsure}; write it without an exponent ({written}), or quote it"
    return f"{unsure}, with more digits written out than a record holds; quote it if you mean the text"


def _sexagesimal(text: str) -> str:
    sign = -1 if text.startswith("-") else 1
    total = Decimal(0)
    for part in text.lstrip("+-").replace("_", "").split(":"):
        total = total * 60 + Decimal(part or "0")
    return f"{sign * total:f}"


# --- text checks before parsing --------------------------------------------------------------

# Control characters (a tab or a line break aside), and the bidirectional controls, which turn
# the text around them (a "Trojan Source" label reads one way and says another).
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(rf"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\u2028\u2029\ufeff\ufffe\uffff{_BIDI}]")
_IS_BIDI = re.compile(f"[{_BIDI}]")
_LINE_BREAK_OR_CONTROL = re.compile(rf"[\n\r\t]|{_CONTROL.pattern}")


def _control_message(character: str, how: str = "in the text") -> str:
    if _IS_BIDI.match(character):
        return f"bidirectional control character U+{ord(character):04X} {how}; remove it (it changes the order in which text is shown)"
    return f"control character U+{ord(character):04X} {how}; remove it"


def decode(raw: bytes) -> str:
    """Decode a record file as UTF-8, or say exactly what encoding problem it has."""
    if len(raw) > MAX_FILE_BYTES:
        raise YamlError([YamlProblem(Mark(1, 1), "", f"file is {len(raw):,} bytes, over the limit of {MAX_FILE_BYTES:,} for one record")])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlError([YamlProblem(Mark(1, 1), "", "file is UTF-16; save it as UTF-8 without a byte-order mark")])
    if raw.startswith(b"\xef\xbb\xbf"):
        raise YamlError([YamlProblem(Mark(1, 1), "", "file starts with a byte-order mark; save it as UTF-8 without one")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        hint = ""
        try:
            raw.decode("gb18030")
            hint = "; it looks like GBK/GB18030: save it as UTF-8"
        except UnicodeDecodeError:
            pass
        raise YamlError([YamlProblem(Mark(line, column), "", f"file is not valid UTF-8 (byte 0x{raw[error.start]:02x}){hint}")]) from None


def _text_problems(text: str) -> list[YamlProblem]:
    if "\t" not in text and not _CONTROL.search(text):
        return []  # the usual case, found without splitting lines
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            problems.append(YamlProblem(Mark(number, line.index("\t") + 1), "", "tab in indentation; YAML indents with spaces only"))
        for found in _CONTROL.finditer(line.rstrip("\r")):
            problems.append(YamlProblem(Mark(number, found.start() + 1), "", _control_message(found.group())))
    return problems


# --- building values from parser events ------------------------------------------------------


def _mark(yaml_mark) -> Mark:
    return Mark(yaml_mark.line + 1, yaml_mark.column + 1)


def _path_key(path: Path) -> str:
    return ".".join(str(part) for part in path)


class _Builder:
    """Consumes parser events and builds plain Python values, noting marks and problems."""

    def __init__(self, text: str):
        self.parser = _Parser(text)
        self.document = Document(data={})
        self.problems: list[YamlProblem] = []

    def next(self):
        return self.parser.get_event()

    def build(self) -> Document:
        self.next()  # StreamStart
        event = self.next()
        if isinstance(event, yaml.StreamEndEvent):
            raise YamlError([YamlProblem(Mark(1, 1), "", "file is empty; a record is a mapping of keys to values")])
        start = _mark(event.start_mark)
        top = self.node(self.next(), ())
        if not isinstance(top, dict):
            kind = "a list" if isinstance(top, list) else "a single value"
            raise YamlError([YamlProblem(start, "", f"a record is a mapping of keys to values, but this file holds {kind}")])
        self.next()  # DocumentEnd
        event = self.next()
        if not isinstance(event, yaml.StreamEndEvent):
            self.problems.append(YamlProblem(_mark(event.start_mark), "", "a record file holds one document; remove the second `---`"))
        self.document.data = top
        return self.document

    def node(self, event, path: Path):
        here = _mark(event.start_mark)
        key = _path_key(path)
        if len(path) > MAX_NESTING and isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            self.problems.append(YamlProblem(here, _path_key(path[:MAX_NESTING]) + ".…", f"lists and mappings nested more than {MAX_NESTING} deep; records need three levels at most"))
            self.skip_collection()
            return REFUSED
        if isinstance(event, yaml.AliasEvent):
            self.problems.append(YamlProblem(here, key, f"alias *{event.anchor} is not allowed in records; write the value out"))
            return REFUSED
        if getattr(event, "anchor", None):
            self.problems.append(YamlProblem(here, key, f"anchor &{event.anchor} is not allowed in records; write values out in full"))
        tag = getattr(event, "tag", None)
        if tag not in (None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            self.problems.append(YamlProblem(here, key, f"tag {tag} is not used in records; quote the value instead"))
        if path:
            self.document.value_marks[path] = here
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event, here, key)
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            event = self.next()
            while not isinstance(event, yaml.SequenceEndEvent):
                items.append(self.node(event, path + (len(items),)))
                event = self.next()
            return items
        return self.mapping(path)

    def scalar(self, event, here: Mark, key: str):
        plain = event.style in (None, "") and event.tag is None
        if not plain:
            if event.style == '"':  # escapes can write what the text may not hold: "\0", "\e", "\u202e"
                found = _CONTROL.search(event.value)
                if found:
                    self.problems.append(YamlProblem(here, key, _control_message(found.group(), "written as an escape")))
                    return REFUSED
            return event.value
        value, trap = resolve_plain(event.value)
        if trap:
            self.problems.append(YamlProblem(here, key, trap))
        return value

    def skip_collection(self) -> None:
        """Read past the rest of a collection whose start was just read, without building it
        (and without recursion, however deep it goes)."""
        depth = 1
        while depth:
            event = self.next()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1

    def mapping(self, path: Path) -> dict:
        result: dict = {}
        first_seen: dict[str, Mark] = {}
        event = self.next()
        while not isinstance(event, yaml.MappingEndEvent):
            key_mark = _mark(event.start_mark)
            if isinstance(event, yaml.ScalarEvent):
                name = event.value if not (event.style in (None, "") and event.tag is None) else resolve_plain(event.value)[0]
            else:
                name = None
                self.node(event, path + ("?",))  # consume it, reporting what is inside
            value_event = self.next()
            if not isinstance(name, str):
                self.problems.append(YamlProblem(key_mark, _path_key(path), f"keys must be text, got {name!r}"))
                self.node(value_event, path + ("?",))
            elif _LINE_BREAK_OR_CONTROL.search(name):
                found = _LINE_BREAK_OR_CONTROL.search(name).group()
                self.problems.append(YamlProblem(key_mark, _path_key(path), f"keys are one line of plain text; this one holds U+{ord(found):04X}"))
                self.node(value_event, path + ("?",))
            elif name in first_seen:
                earlier = first_seen[name]
                self.problems.append(YamlProblem(key_mark, _path_key(path + (name,)), f"duplicate key; `{name}` is already set at line {earlier.line}"))
                # Read the repeated value for its own problems, but keep the first one's positions.
                saved = (dict(self.document.key_marks), dict(self.document.value_marks))
                self.node(value_event, path + (name,))
                self.document.key_marks, self.document.value_marks = saved
            else:
                first_seen[name] = key_mark
                self.document.key_marks[path + (name,)] = key_mark
                result[name] = self.node(value_event, path + (name,))
            event = self.next()
        return result


def check_text(raw: bytes) -> str:
    """The file's text, once its encoding, size and characters pass; YamlError otherwise."""
    text = decode(raw)
    text_problems = _text_problems(text)
    if text_problems:
        raise YamlError(text_problems)
    return text


def parse(raw: bytes) -> tuple[Document, list[YamlProblem]]:
    """Parse a record file's bytes; raise YamlError when nothing usable can be read.

    Problems that leave the rest of the file readable (a trap, a duplicate key) come back
    with the document, so that one run reports all of them.
    """
    return parse_text(check_text(raw))


def parse_text(text: str) -> tuple[Document, list[YamlProblem]]:
    builder = _Builder(text)
    try:
        document = builder.build()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = _mark(mark) if mark else Mark(1, 1)
        reason = getattr(error, "problem", None) or str(error)
        column, message = _message_at(text, mark) if mark else (None, None)
        where = Mark(where.line, column) if column else where
        raise YamlError([*builder.problems, YamlProblem(where, "", message or _syntax_message(str(reason)))]) from None
    return document, builder.problems
