"""Check the hierarchies records form: no chain of references comes back to where it started,
and a place's division code lies under the code of the place it lies within.

- **Cycles.** A key whose references name records of the record's own kind makes a hierarchy:
  `parent` (organisations), `within` (places), `part_of` (policies), `broader` (measures),
  `previous` (amounts). Which keys these are is read from the ontology's context. Following one
  of them must end: an organisation cannot be its own ancestor.
- **Division codes.** GB/T 2260 codes nest: the province 340000, its city 341300, a county
  341302, a township 341302001, a village 341302001001. A place's code must begin with the
  significant digits of the code of the nearest place above it that has one (34 of 340000, 3413
  of 341300) and differ from it.
"""

from __future__ import annotations

from ..map import Mapped
from ..ontology import Ontology
from ..problems import Problem

SCHEMA = "http://schema.org/"
LEVEL_ENDS = (2, 4, 6, 9, 12)  # where the province, city, county, township and village digits end


def hierarchy_keys(ontology: Ontology) -> dict[str, list[str]]:
    """Kind -> the keys whose references name records of that same kind."""
    kinds: dict[str, list[str]] = {}
    for term in ontology.terms.values():
        if term.shape == "reference" and term.target_kind in ontology.kinds:
            kinds.setdefault(term.target_kind, []).append(term.key)
    return kinds


def ids_of(value) -> list[tuple[tuple, str]]:
    if isinstance(value, str):
        return [((), value)]
    if isinstance(value, list):
        return [((i,), v) for i, v in enumerate(value) if isinstance(v, str)]
    return []


def check_cycles(mapped: Mapped, ontology: Ontology) -> list[Problem]:
    problems = []
    by_kind: dict[str, dict] = {}
    for record in mapped.records.values():
        by_kind.setdefault(record.kind.name, {})[record.id] = record
    for kind, keys in sorted(hierarchy_keys(ontology).items()):
        records = by_kind.get(kind, {})
        for key in keys:
            up = {rid: [target for _p, target in ids_of(r.data.get(key))] for rid, r in records.items()}
            reported: set[str] = set()
            for start in sorted(records):
                cycle = find_cycle(start, up)
                if not cycle or start in reported:
                    continue
                reported.update(cycle)
                chain = " → ".join(f"`{rid}`" for rid in cycle + [cycle[0]])
                for rid in cycle:
                    record = records[rid]
                    path = next((p for p, target in ids_of(record.data.get(key)) if target in cycle), ())
                    mark = record.value_mark(key, *path)
                    problems.append(Problem(record.shown_path, mark.line, mark.column, ".".join(map(str, (key, *path))),
                                            f"following `{key}` comes back here ({chain}); {'an' if kind[0] in 'aeiou' else 'a'} {kind} cannot lie under itself",
                                            "hierarchy"))
    return problems


def find_cycle(start: str, up: dict[str, list[str]]) -> list[str] | None:
    """The cycle reached from start that start is part of, in order; None if there is none."""
    path, on_path = [start], {start: 0}
    stack = [iter(up.get(start, ()))]
    while stack:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
            del on_path[path.pop()]
            continue
        if step == start:
            return path[:]
        if step in on_path or step not in up:
            continue  # a cycle start is not part of is reported from its own members
        on_path[step] = len(path)
        path.append(step)
        stack.append(iter(up.get(step, ())))
    return None


def significant(code: str) -> str:
    """The digits of a code that name its own division: 34 of 340000, 3413 of 341300."""
    padded = code.ljust(12, "0")
    return next(padded[:end] for end in LEVEL_ENDS if not padded[end:].strip("0"))


def check_division_codes(mapped: Mapped, ontology: Ontology) -> list[Problem]:
    code_key = ontology.key_for(ontology.vocabulary_iri + "divisionCode")
    within_key = ontology.key_for(SCHEMA + "containedInPlace")
    places = {r.id: r for r in mapped.records.values() if code_key in r.data or within_key in r.data}

    def code(record):
        value = record.data.get(code_key)
        return value if isinstance(value, str) and value.isdigit() and len(value) in (6, 9, 12) else None

    problems = []
    for record in places.values():
        own = code(record)
        if own is None:
            continue
        seen, current = {record.id}, record
        while True:  # up to the nearest place above that has a code
            parent_id = current.data.get(within_key)
            current = places.get(parent_id) if isinstance(parent_id, str) else None
            if current is None or current.id in seen:
                break
            seen.add(current.id)
            if code(current) is not None:
                break
        if current is None or code(current) is None or current.id == record.id:
            continue
        above = code(current)
        prefix = significant(above)
        if own.ljust(12, "0") == above.ljust(12, "0") or not own.startswith(prefix):
            mark = record.value_mark(code_key)
            problems.append(Problem(record.shown_path, mark.line, mark.column, code_key,
                                    f"{own} does not lie under {above}, the code of `{current.id}` above it: a code "
                                    f"begins with the digits of the division it lies in ({prefix}…) and differs from it",
                                    "hierarchy"))
    return problems


def check_hierarchy(mapped: Mapped, ontology: Ontology) -> list[Problem]:
    live = Mapped(ontology)
    live.records = {s: r for s, r in mapped.records.items() if not ontology.is_tombstone(r.data)}
    return check_cycles(live, ontology) + check_division_codes(live, ontology)
