"""How a division's name in the code list is written elsewhere.

The list names village-level divisions by their committees: 大坪村民委员会, 夏农村委会 (夏农 and
村委会), 马庙村村委会, 居南社区居委会; a subdistrict sometimes by its office (漓东街道办事处). A
record's label is the place's name: 大坪村, 夏农村, 马庙村, 居南社区, 漓东街道.

- **Full forms** of a name: itself, and the name without its committee word, keeping the 村 of a
  村委会 (夏农村 of 夏农村委会). A record's label must be one of them.
- **Short forms**: a full form without its level word (大坪 of 大坪村, 九龙岗 of 九龙岗镇, 合肥 of
  合肥市), at least two characters long. Running text uses them (夏农、夏菜); the drafting
  assistant reads them only where the division's parent is named too.
"""

from __future__ import annotations

COMMITTEE_WORDS = ("村民委员会", "居民委员会", "村委会", "居委会", "办事处")
# Longest first: 社区 before 区.
LEVEL_WORDS = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "街道", "苏木", "社区",
               "省", "市", "盟", "州", "县", "区", "旗", "镇", "乡", "村")
SHORTEST = 2
# Names the list gives the groupings of a municipality's districts and counties: no place is so called.
PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


def full_forms(name: str) -> set[str]:
    forms = {name}
    for word in COMMITTEE_WORDS:
        if name.endswith(word) and len(name) > len(word):
            core = name[: -len(word)]
            # 夏农村委会 is 夏农 and 村委会: the place is 夏农村
            forms.add(core + "村" if word.startswith("村") and not core.endswith("村") else core)
            break
    return forms


def short_forms(name: str) -> set[str]:
    out = set()
    for form in full_forms(name):
        for word in LEVEL_WORDS:
            if form.endswith(word) and len(form) - len(word) >= SHORTEST:
                out.add(form[: -len(word)])
                break
    return out - full_forms(name)


def names_match(label: str, name: str) -> bool:
    """Whether a record labelled ``label`` may be the division the list calls ``name``."""
    return label in full_forms(name)


def ends_with_level_word(form: str) -> bool:
    return form.endswith(LEVEL_WORDS)
