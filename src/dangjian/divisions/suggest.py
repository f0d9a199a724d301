"""Place records suggested from the code list, for the curator's tools (`dangjian draft`, `dangjian
slug CODE`): each division a text names, or a code given, as a place with its label, level, code
and the chain above it. Suggestions only: the tools mark them so, and a curator checks them.

**Places in a text.** Every form of a division's name (:mod:`.names`) standing in the text is a
candidate; hundreds of villages are called 大坪村, so a candidate counts only where the text also
names a division above it, close enough to tell: a village needs its county or township named, a
township its prefecture or county; a province, prefecture or county may stand alone when its name
is unique. Divisions found this way support those below them, round after round (南阳市, then
卧龙区, then 王村乡, then 郑岗村). Where two candidates of one name are equally supported, the name
is listed as ambiguous, never guessed.

Short and common words make false friends, so: a township's or village's name counts only in a
form that ends in its level word and has three characters or more (建设 and 一村 are names of
village committees, and words); a short form of a county or anything below it (夏农 for 夏农村)
only right after its parent (九龙岗镇夏农) or after a sibling and 、 (夏农、夏菜); a short form of a
province or prefecture (合肥 for 合肥市; 山东 in 洞山东路) only where the text names in full a
prefecture or county under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .names import PLACEHOLDERS, SHORTEST, ends_with_level_word, full_forms
from .store import Division, Divisions

# The deepest division above that a candidate at each depth needs named in the text (0: none).
SUPPORT_NEEDED = {1: 0, 2: 0, 3: 0, 4: 2, 5: 3}
LISTING = "、和与及"  # what stands between two names of one list: 夏农、夏菜
LEVELS_BY_ENDING = [("自治区", "province"), ("省", "province"), ("社区", "community"), ("街道", "subdistrict"),
                    ("镇", "town"), ("乡", "township"), ("苏木", "township"), ("村", "village"), ("县", "county"),
                    ("旗", "county"), ("区", "district")]
LEVELS_BY_DEPTH = {1: "province", 2: "city", 3: "county", 4: "town", 5: "village"}


def place_label(division: Division) -> str:
    """The place's name as a record labels it: the list's name without its committee word."""
    forms = sorted(full_forms(division.name) - {division.name}, key=len)
    return forms[0] if forms else division.name


def place_level(division: Division) -> str:
    label = place_label(division)
    if label.endswith("市"):
        return "city" if division.depth <= 2 else "county-level-city"
    return next((level for ending, level in LEVELS_BY_ENDING if label.endswith(ending)), LEVELS_BY_DEPTH[division.depth])


@dataclass
class FoundPlace:
    written: str  # as the text writes it
    start: int
    division: Division
    chain: list[Division]  # the division and those above it, nearest first

    @property
    def code(self) -> str:
        return self.division.code


@dataclass
class FoundPlaces:
    places: list[FoundPlace] = field(default_factory=list)  # in the order the text names them
    ambiguous: list[tuple[str, list[Division]]] = field(default_factory=list)  # (as written, the candidates)


def places_in(text: str, divisions: Divisions) -> FoundPlaces:
    """The divisions a text names (``text`` in Simplified script)."""
    spans: dict[tuple[int, int], list[tuple[str, bool]]] = {}
    chains: dict[str, list[Division]] = {}
    for start, end, code, short in divisions.forms_in(text):
        chain = chains.setdefault(code, divisions.chain(code))
        form = text[start:end]
        if chain[0].name in PLACEHOLDERS:
            continue
        if not short and chain[0].depth >= 4 and not (ends_with_level_word(form) and len(form) > SHORTEST):
            continue
        spans.setdefault((start, end), []).append((code, short))
    # What a prefecture or county named in full lies in (the false friends of a short name are far below).
    named_in_full = {d.code for found in spans.values() for code, short in found
                     if not short and chains[code][0].depth <= 3 for d in chains[code][1:]}
    resolved: dict[str, tuple[int, int]] = {}  # code -> the first span naming it
    ends: dict[int, set[str]] = {}  # where a found name ends -> the codes it names

    def short_form_fits(span: tuple[int, int], chain: list[Division]) -> bool:
        if chain[0].depth <= 2:
            return chain[0].code in named_in_full
        start = span[0]
        parent = chain[1].code if len(chain) > 1 else None
        if parent in ends.get(start, ()):
            return True  # 九龙岗镇夏农
        if start > 0 and text[start - 1] in LISTING:
            return any(len(divisions.chain(c)) > 1 and divisions.chain(c)[1].code == parent for c in ends.get(start - 1, ()))
        return False
    decided: set[tuple[int, int]] = set()
    ambiguous: dict[tuple[int, int], list[str]] = {}
    changed = True
    while changed:
        changed = False
        for span in sorted(spans, key=lambda s: (s[0], -s[1])):
            if span in decided:
                continue
            best, strongest = [], -1
            for code, short in spans[span]:
                chain = chains[code]
                depth = chain[0].depth
                support = max((d.depth for d in chain[1:] if d.code in resolved), default=0)
                if short and not short_form_fits(span, chain):
                    continue
                if not short and support < SUPPORT_NEEDED[depth]:
                    continue
                if support > strongest:
                    best, strongest = [code], support
                elif support == strongest and code not in best:
                    best.append(code)
            if len(best) == 1:
                decided.add(span)
                ambiguous.pop(span, None)
                resolved.setdefault(best[0], span)
                ends.setdefault(span[1], set()).add(best[0])
                changed = True
            elif len(best) > 1:
                ambiguous[span] = best
    # A name inside a longer one that was found (王村 in 王村乡) is part of it, not a place of its own.
    kept = {code: span for code, span in resolved.items()
            if not any(o != span and o[0] <= span[0] and span[1] <= o[1] for o in resolved.values())}
    found = FoundPlaces()
    for code, (start, end) in sorted(kept.items(), key=lambda item: item[1]):
        found.places.append(FoundPlace(text[start:end], start, chains[code][0], chains[code]))
    for (start, end), codes in sorted(ambiguous.items()):
        if not any(o[0] <= start and end <= o[1] for o in kept.values()):
            found.ambiguous.append((text[start:end], [chains[c][0] for c in codes]))
    return found
