"""Record ids from Chinese names: pinyin (pypinyin), with a table of readings it gets wrong, and a
rule that keeps apart names whose pinyin collide.

- A place name's level word becomes an English word after the name (九龙岗镇 → jiulonggang-town,
  大通区 → datong-district), as the curated ids have it; 省 and 市 are dropped (宿州市 → suzhou).
- Other names are written word by word (jieba, without the domain dictionary): 组织部 → zuzhibu.
- ``readings.tsv`` gives the readings of names pypinyin reads wrongly (长丰 changfeng, not
  zhangfeng; 六安 lu'an, written luan).
- Two different names must not share an id. When the suggested id is taken, or another record's
  name (of any kind, in either script) reads the same (宿州 and 苏州 are both "suzhou"), the
  suggestion is distinguished: with the parent place when one is given (suzhou-jiangsu), else with
  tone numbers (su1zhou1, against 宿州's su4zhou1); and the reason is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..search.segment import CACHE_NAME, quiet_jieba, writable_folder
from ..settings import Project
from ..text.normalise import simplified
from ..text.pinyin import LEVEL_WORDS, plain, syllables

@dataclass
class Suggestion:
    name: str
    slug: str
    plain: str  # the slug before any distinguishing
    tones: str  # the tone-number form of the name part
    existing: str | None = None  # kind/id of a record with this very name
    collisions: list[tuple[str, str, str]] = field(default_factory=list)  # (kind/id, label, why)
    notes: list[str] = field(default_factory=list)


def split_level(name: str) -> tuple[str, str]:
    for word, english in LEVEL_WORDS:
        if name.endswith(word) and len(name) > len(word) + 1:
            return name[: -len(word)], english
    return name, ""


def words(text: str) -> list[str]:
    """jieba's words without the domain dictionary (a long name would be one word there)."""
    quiet_jieba()
    return [w for w in _plain_tokenizer().cut(text) if w.strip()]


@lru_cache(maxsize=1)
def _plain_tokenizer():
    import jieba  # here, not above: loading it takes a while, and only word splits need it

    tokenizer = jieba.Tokenizer()
    try:
        folder = Project.find().cache / "jieba"
    except LookupError:
        folder = Path(".cache/jieba")
    tokenizer.tmp_dir, tokenizer.cache_file = str(writable_folder(folder)), CACHE_NAME
    return tokenizer


def base_slug(name: str, place: bool | None = None) -> tuple[str, str]:
    """(slug, tone form of the name part) of a name in Simplified script."""
    stem, level = split_level(name)
    if place is False:
        stem, level = name, ""
    if level or place:
        parts = ["".join(plain(s) for s in syllables(stem))]
        tones = "".join(syllables(stem))
    else:
        parts = ["".join(plain(s) for s in syllables(w)) for w in words(stem)]
        tones = "".join(syllables(stem))
    slug = "-".join(p for p in parts + [level] if p)
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")
    return slug, re.sub(r"[^a-z0-9]+", "", tones)


def suggest(name: str, existing: dict[str, str] | None = None, within: str | None = None,
            kind: str | None = None) -> Suggestion:
    """An id for ``name``. ``existing`` maps kind/id of the records to their label (Simplified)."""

    name = simplified(name.strip())
    place = True if kind == "place" else (False if kind not in (None, "place") else None)
    slug, tones = base_slug(name, place)
    suggestion = Suggestion(name, slug, slug, tones)
    existing = existing or {}
    for key, label in existing.items():
        if simplified(label) == name and (kind is None or key.split("/")[0] == kind):
            suggestion.existing = key
    if suggestion.existing:
        suggestion.slug = suggestion.existing.split("/", 1)[1]
        suggestion.notes.append(f"{name} is already the record {suggestion.existing}")
        return suggestion
    taken = {key.split("/", 1)[1] for key in existing}
    for key, label in sorted(existing.items()):
        other = simplified(label)
        if other == name:
            continue
        record_id = key.split("/", 1)[1]
        other_slug, other_tones = base_slug(other, place)
        if record_id == slug:
            suggestion.collisions.append((key, label, f"the id `{slug}` is taken by {label} ({key})"))
        elif other_slug == slug:
            suggestion.collisions.append((key, label, f"{label} ({key}) reads `{other_slug}` too"))
    if suggestion.collisions:
        if within:
            candidate = f"{slug}-{within}"
            how = f"with the parent place `{within}`"
        else:
            candidate = slug.replace(slug.split("-")[0], tones, 1) if slug.split("-")[0] == re.sub(r"\d", "", tones) else f"{slug}-{tones}"
            how = f"with tone numbers ({tones}); give --within PLACE to use the parent place instead"
        n = 2
        while candidate in taken:
            candidate, n = f"{candidate.rstrip('0123456789-')}-{n}", n + 1
        suggestion.slug = candidate
        suggestion.notes.append(f"`{slug}` would not keep {name} apart: "
                                + "; ".join(why for _k, _l, why in suggestion.collisions)
                                + f". Suggested {how}.")
    elif within and slug in taken:
        suggestion.slug = f"{slug}-{within}"
    return suggestion
