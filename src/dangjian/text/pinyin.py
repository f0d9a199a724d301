"""Chinese names in pinyin (pypinyin), with a table of readings it gets wrong (``readings.tsv``:
长丰 changfeng, not zhangfeng; 六安 lu'an), and place names in English (九龙岗镇 → Jiulonggang Town).
Plain text helpers: the id suggester, the drafting assistant and the synthetic records use them."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .normalise import simplified

READINGS_FILE = Path(__file__).parent / "readings.tsv"

# Level words, longest first, and the word the id ends with ("" drops it).
LEVEL_WORDS = [("自治区", ""), ("社区", "community"), ("街道", "subdistrict"), ("地区", "area"), ("省", ""),
               ("市", ""), ("区", "district"), ("县", "county"), ("镇", "town"), ("乡", "township"), ("村", "village")]
# The word after a place's name in its English label (安徽省 Anhui Province, 大通区 Datong District);
# a city goes by its name alone (合肥市 Hefei), as the curated records have it.
ENGLISH_LEVEL_WORDS = {"自治区": "Autonomous Region", "社区": "Community", "街道": "Subdistrict", "地区": "Area",
                       "省": "Province", "市": "", "区": "District", "县": "County", "镇": "Town", "乡": "Township",
                       "村": "Village"}


@lru_cache(maxsize=1)
def readings(path: Path = READINGS_FILE) -> dict[str, list[str]]:
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, syllables = line.split("\t", 1)
            table[name.strip()] = syllables.split()
    return table


def syllables(text: str) -> list[str]:
    """Pinyin with tone numbers (su4 zhou1), the reading table first, longest match."""
    from pypinyin import Style, lazy_pinyin

    table = readings()
    out: list[str] = []
    run = ""
    i = 0
    longest = max((len(k) for k in table), default=0)
    while i < len(text):
        for size in range(min(longest, len(text) - i), 0, -1):
            if text[i:i + size] in table:
                if run:
                    out += lazy_pinyin(run, style=Style.TONE3, neutral_tone_with_five=True, errors=_errors)
                    run = ""
                out += table[text[i:i + size]]
                i += size
                break
        else:
            run += text[i]
            i += 1
    if run:
        out += lazy_pinyin(run, style=Style.TONE3, neutral_tone_with_five=True, errors=_errors)
    return [s for s in out if s]


def _errors(chars: str) -> list[str]:
    """Letters and digits stay (lowercased); anything else is a break."""
    return [re.sub(r"[^a-z0-9]+", " ", chars.lower()).strip()]


def plain(syllable: str) -> str:
    return re.sub(r"\d", "", syllable).replace("ü", "v")


def english_place_name(name: str) -> str:
    """A place's name in English: pinyin as one word, then its level word (九龙岗镇 → Jiulonggang Town)."""
    stem = simplified(name.strip())
    level = ""
    for word, _english in LEVEL_WORDS:
        if stem.endswith(word) and len(stem) > len(word) + 1:
            stem, level = stem[: -len(word)], ENGLISH_LEVEL_WORDS[word]
            break
    return " ".join(part for part in (pinyin_word(stem), level) if part)


def pinyin_word(text: str) -> str:
    """Pinyin as one capitalised word, with an apostrophe before a syllable that starts with a, o
    or e (六安 → Lu'an, 方新荣 → Fangxinrong)."""
    plain_syllables = [re.sub(r"\d", "", s).replace("v", "ü") for s in syllables(text)]
    return "".join(("'" if i and s[:1] in "aoe" else "") + s for i, s in enumerate(plain_syllables)).capitalize()
