"""How big a record's parts may be: each bound stated once, with why.

A record is a few hundred bytes of hand-written YAML. Anything far bigger is a mistake or an
attack, and some sizes break a tool before they can be reported: a 5,000-digit integer cannot
be turned into text by Python (4,300 digits at most), ``1e99999999999`` written out fills the
memory, a list nested a thousand deep exhausts the interpreter's stack. The reader refuses
each with a message that is itself short.
"""

from __future__ import annotations

import re

MAX_FILE_BYTES = 1_000_000
"""A record is a few hundred bytes; anything this big is a mistake, or an attack."""

MAX_NESTING = 8
"""Lists and mappings inside one another: records use three levels (label → en → a list)."""

MAX_INTEGER_DIGITS = 20
MAX_FRACTION_DIGITS = 18
"""Digits a number may have before and after its point. The fast SHACL engine holds a decimal
as a 128-bit integer of 10⁻¹⁸ units: it refuses a 19th digit after the point and a 22nd before
it, where pySHACL accepts both. So that both engines give one verdict, numbers are held to what
both compare exactly, here, before either sees them."""

SHOWN_CHARACTERS = 24
"""How much of a long value a message quotes."""

_DECIMAL = re.compile(r"[+-]?(?P<whole>[0-9]*)(?:\.(?P<fraction>[0-9]*))?")


def shortened(text: str) -> str:
    """``text`` as a message quotes it: whole when short, its ends and its length when not."""
    if len(text) <= SHOWN_CHARACTERS:
        return text
    return f"{text[:12]}…{text[-8:]} ({len(text):,} characters)"


def digits_problem(lexical: str) -> str | None:
    """What is wrong with a decimal number's written form being this long, or None."""
    found = _DECIMAL.fullmatch(lexical)
    if not found:
        return None  # not a decimal at all: the datatype check says so
    whole = len(found.group("whole").lstrip("0"))
    fraction = len((found.group("fraction") or "").rstrip("0"))
    if whole <= MAX_INTEGER_DIGITS and fraction <= MAX_FRACTION_DIGITS:
        return None
    where = f"{whole:,} digits before the point" if whole > MAX_INTEGER_DIGITS else f"{fraction:,} digits after the point"
    return (f"`{shortened(lexical)}` has {where}; numbers in records have at most {MAX_INTEGER_DIGITS} before it "
            f"and {MAX_FRACTION_DIGITS} after it, what every SHACL engine compares exactly")
