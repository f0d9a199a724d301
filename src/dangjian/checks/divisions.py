"""Check places' division codes against the installed code list (`make divisions`); without it,
nothing is checked here (the shapes still check the codes' form, and
:mod:`.hierarchy` that they nest).

For a place with a code:

- the code is in the list;
- the list's name for it is the place's label, allowing for committee words (大坪村 is
  大坪村民委员会 there, 居南社区 居南社区居委会): :func:`dangjian.divisions.names.names_match`;
- it lies under the code of the nearest place above it that has one (the ``within`` chain), as
  the list's own parent codes say: directly, or through levels the article does not name;
- no other division of that name lies there: the place is identified, not guessed.

A place with ``no_division_code`` is checked too, where its reason says what the list holds:
``ambiguous`` needs two divisions or more of its name under the place above it, and
``not-in-code-list`` or ``renamed-or-merged`` none.
"""

from __future__ import annotations

from ..divisions.codelist import division_codes
from ..divisions.names import names_match
from ..divisions.store import Divisions
from ..model.namespaces import SCHEMA
from ..model.ontology import Ontology
from ..model.problems import Problem
from ..text.normalise import chinese_texts
from ..text.normalise import simplified

CLAIMS_ABSENCE = ("not-in-code-list", "renamed-or-merged")
CLAIMS_AMBIGUITY = ("ambiguous",)


def check_codes_in_list(records, files, ontology: Ontology, divisions: Divisions) -> list[Problem]:
    code_list = division_codes(ontology)
    if code_list is None:
        return []
    code_key = code_list.key
    within_key = ontology.key_for(SCHEMA + "containedInPlace")
    reason_key = ontology.key_for(ontology.vocabulary_iri + "noDivisionCode")
    list_name = f"the code list of {code_list.valid}"

    def code(record):
        value = record.data.get(code_key)
        return value if isinstance(value, str) else None

    def labels(record) -> list[str]:
        return [simplified(label) for label in chinese_texts(record.data.get("label"), ontology.default_language)]

    def above(record):
        """The nearest place above ``record`` that has a code (None at the top)."""
        seen, current = {record.id}, record
        while True:
            parent_id = current.data.get(within_key)
            current = files.get(record.kind.name, parent_id) if isinstance(parent_id, str) else None
            if current is None or current.id in seen:
                return None
            seen.add(current.id)
            if code(current) is not None:
                return current

    def misnamed(record) -> bool:
        """Whether a place's code is not in the list, or names another place there."""
        division = divisions.get(code(record))
        names = labels(record)
        return division is None or bool(names) and not any(names_match(name, division.name) for name in names)

    problems = []
    for record in sorted(records, key=lambda r: r.shown_path):
        if record.kind.class_iri != SCHEMA + "AdministrativeArea":
            continue
        names = labels(record)
        parent = above(record)
        under = code(parent) if parent is not None else None
        where = f"under {under} (`{parent.id}`)" if parent is not None else "in the whole list"

        def problem(key: str, message: str) -> None:
            mark = record.value_mark(key)
            problems.append(Problem(record.shown_path, mark.line, mark.column, key, message, "division-code"))

        own = code(record)
        if own is not None:
            division = divisions.get(own)
            if division is None:
                problem(code_key, f"{own} is not a code in {list_name}")
                continue
            if names and not any(names_match(name, division.name) for name in names):
                problem(code_key, f"{own} is {division.name} in {list_name}, not {'/'.join(names)}")
                continue
            if under is not None and misnamed(parent):
                continue  # one mistake, one message: the code above is wrong, and is reported there
            if under is not None and not divisions.lies_under(own, under):
                chain = " < ".join(str(d) for d in divisions.chain(own)[1:])
                problem(code_key, f"{own} {division.name} lies under {chain} in {list_name}, not under {under} "
                                  f"(`{parent.id}`, the place it is within)")
                continue
            namesakes = [d for name in names for d in divisions.named(name, under) if d.code != own]
            if namesakes:
                problem(code_key, f"{own} is not the only {names[0]} {where}: "
                                  + ", ".join(str(d) for d in sorted(set(namesakes), key=lambda d: d.code))
                                  + f"; name the place above it that tells them apart, or say `{reason_key}: ambiguous`")
            continue
        reason = record.data.get(reason_key)
        if not isinstance(reason, str) or not names:
            continue
        found = sorted({d for name in names for d in divisions.named(name, under)}, key=lambda d: d.code)
        if reason in CLAIMS_ABSENCE and found:
            problem(reason_key, f"{list_name} has {', '.join(str(d) for d in found)} {where}: give its "
                                f"{code_key}, or say in the note why the article's place is not this one and "
                                f"use another reason")
        elif reason in CLAIMS_AMBIGUITY and len(found) < 2:
            problem(reason_key, f"{list_name} has {len(found) or 'no'} division{'s' if len(found) != 1 else ''} "
                                f"named {names[0]} {where}, so the place is not ambiguous there"
                                + (f": give its {code_key}, {found[0].code}" if found else ""))
    return problems
