"""Chinese numerals, read and written exactly (int and Decimal, never float).

What it reads (Simplified, Traditional and financial forms alike):

- positional numerals: 十 = 10, 十五, 二十, 一百二十, 一千零五, 两万, 三亿五千万, 一万亿;
- abbreviated tails, as Chinese speakers write them: 一万五 = 15000, 一百二 = 120, 三亿五 = 350000000
  (a lone digit after 百/千/万/亿 counts in the next lower place; after 零 it does not: 一万零五 = 10005);
- decimals with 点: 三点五 = 3.5, 一点二万 = 12000;
- juxtaposed neighbour digits, the Chinese way of giving a loose range (概数): 七八 = 7–8, 七八万 = 70000–80000,
  十五六 = 15–16, 二三十 = 20–30, 一两 = 1–2, and the customary 三五 = 3–5;
- digit strings, read digit by digit: 二〇一二 (used for calendar years, never for amounts).

What it writes: ``to_chinese(2015) == "二千零一十五"``, a form that ``read_chinese`` reads back as a positional
numeral (never as a digit string), so a written number of years is not mistaken for a calendar year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

ZEROS = frozenset("零〇")
DIGITS: dict[str, int] = {
    "零": 0, "〇": 0,
    "一": 1, "壹": 1,
    "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
    "三": 3, "叁": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}

# Every character that can be part of a Chinese numeral (点 only between digits; the caller decides that).
NUMERAL_CHARS = frozenset(DIGITS) | frozenset(SMALL_UNITS) | frozenset(BIG_UNITS)

# No written numeral is longer; the bound keeps reading cheap and its recursion shallow on runs such as 亿亿亿….
_MAX_LENGTH = 64

# Pairs of neighbour digits that Chinese uses for a loose range; 三五 ("three to five") is customary too.
_LOOSE_PAIRS = {(a, a + 1) for a in range(1, 9)} | {(3, 5)}


@dataclass(frozen=True)
class ChineseNumber:
    """A Chinese numeral read: a point (low == high), a loose range, or a digit string."""

    low: Decimal
    high: Decimal
    kind: str  # "number", "range" (七八) or "digits" (二〇一二)


def _section(s: str) -> int | None:
    """Read a numeral below 10000 (digits, 零, 十百千); None if it is not well formed."""
    total = 0
    digit: int | None = None
    last_unit: int | None = None
    zero_since_unit = False
    for ch in s:
        if ch in ZEROS:
            if digit is not None:
                return None  # 五零: a digit string, not a positional numeral
            zero_since_unit = True
        elif ch in DIGITS:
            if digit is not None:
                return None  # two digits in a row: a range or a digit string
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            if last_unit is not None and unit >= last_unit:
                return None  # places must fall: 一百一千 is not a numeral
            if digit is None:
                if unit != 10 or total:
                    return None  # only 十 may stand without its digit, and only first (十五)
                digit = 1
            total += digit * unit
            last_unit, digit, zero_since_unit = unit, None, False
        else:
            return None
    if digit is not None:
        # 一百二 = 120: a lone trailing digit counts in the next lower place, unless 零 came between.
        if last_unit is not None and last_unit >= 100 and not zero_since_unit:
            total += digit * (last_unit // 10)
        else:
            total += digit
    return total


def _integer(s: str) -> int | None:
    """Read a positional numeral of any size (万 and 亿 sections); None if not well formed."""
    if not s:
        return None
    for big_char, big in (("亿", 10**8), ("億", 10**8), ("万", 10**4), ("萬", 10**4)):
        i = s.rfind(big_char)  # 一亿亿, 一万亿: the last 亿 splits
        if i < 0:
            continue
        head = _integer(s[:i]) if i else None
        if head is None or head == 0:
            return None  # 万 needs its multiplier: bare 万/千/百 are not numerals here
        return _plus_tail(head * big, s[i + 1:], big)
    return _section(s)


def _plus_tail(head: int, tail: str, big: int) -> int | None:
    """Add what follows 万/亿: nothing, an abbreviated digit (一万五), 零 + a small part, or a full part."""
    if not tail:
        return head
    if len(tail) == 1 and tail in DIGITS and tail not in ZEROS:
        return head + DIGITS[tail] * (big // 10)
    if tail[0] in ZEROS:
        rest = _integer(tail.lstrip("零〇"))
        return None if rest is None or rest >= big // 10 else head + rest
    rest = _integer(tail)
    return None if rest is None or rest >= big else head + rest


def _positional(s: str) -> Decimal | None:
    """Read a positional numeral, with an optional 点 decimal part and a 万/亿 scale after it."""
    m = re.fullmatch(r"(?P<int>.+?)点(?P<frac>[零〇一二三四五六七八九两]+)(?P<scale>万亿|亿|万|萬億|億|萬)?", s)
    if m is None:
        value = _integer(s)
        return None if value is None else Decimal(value)
    whole = _integer(m["int"])
    if whole is None:
        return None
    frac = "".join(str(DIGITS[c]) for c in m["frac"])
    scale = {"万亿": 10**12, "萬億": 10**12, "亿": 10**8, "億": 10**8, "万": 10**4, "萬": 10**4, None: 1}[m["scale"]]
    return Decimal(f"{whole}.{frac}") * scale


def _loose_range(s: str) -> tuple[Decimal, Decimal] | None:
    """七八万 → (70000, 80000): the first pair of neighbour digits, each read in the pair's place."""
    for i in range(len(s) - 1):
        a, b = s[i], s[i + 1]
        if a in DIGITS and b in DIGITS and a not in ZEROS and b not in ZEROS:
            if (DIGITS[a], DIGITS[b]) not in _LOOSE_PAIRS:
                return None
            low, high = _positional(s[:i] + a + s[i + 2:]), _positional(s[:i] + b + s[i + 2:])
            if low is None or high is None:
                return None
            return low, high
    return None


def read_chinese(s: str) -> ChineseNumber | None:
    """Read a whole string of Chinese numeral characters; None if it is not a numeral."""
    if not s or len(s) > _MAX_LENGTH:
        return None
    value = _positional(s)
    if value is not None:
        return ChineseNumber(value, value, "number")
    if all(c in DIGITS for c in s):
        pair = _loose_range(s) if len(s) == 2 else None
        if pair is not None:
            return ChineseNumber(pair[0], pair[1], "range")
        digits = Decimal("".join(str(DIGITS[c]) for c in s))
        return ChineseNumber(digits, digits, "digits")
    pair = _loose_range(s)
    if pair is not None:
        return ChineseNumber(pair[0], pair[1], "range")
    return None


_WRITE_DIGITS = "零一二三四五六七八九"


def _write_section(n: int, leading: bool) -> str:
    """Write 0 < n < 10000; 十五 at the start of a numeral, 一十五 after a higher place."""
    out = []
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, unit)
        if d == 0:
            zero = zero or bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        if not (unit == 10 and d == 1 and leading and not out):
            out.append(_WRITE_DIGITS[d])
        out.append(name)
    return "".join(out)


def to_chinese(n: int, _leading: bool = True) -> str:
    """Write a non-negative integer as a standard positional Chinese numeral (2015 → 二千零一十五)."""
    if n < 0:
        raise ValueError("negative numbers are not written")
    if n == 0:
        return "零"
    for big, name in ((10**8, "亿"), (10**4, "万")):
        if n >= big:
            head, rest = divmod(n, big)
            text = to_chinese(head, _leading) + name
            if rest == 0:
                return text
            if rest < big // 10:
                return text + "零" + to_chinese(rest, False)
            return text + to_chinese(rest, False)
    return _write_section(n, _leading)
