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

from ..divisions.codelist import division_codes
from ..divisions.store import open_divisions
from ..model.namespaces import SCHEMA
from ..model.ontology import Ontology
from ..model.problems import Problem
from ..pipeline.mapper import Mapped
from ..records.companions import RecordFiles
from ..settings import Project
from .divisions import check_codes_in_list

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


def check_cycles(records, files: RecordFiles, ontology: Ontology) -> list[Problem]:
    """A problem at each record given that lies on a cycle of one of its hierarchy keys."""
    keys_of = hierarchy_keys(ontology)
    by_kind: dict[str, list] = {}
    for record in records:
        by_kind.setdefault(record.kind.name, []).append(record)
    ups = {}
    for kind, keys in keys_of.items():
        for key in keys:
            def up(record_id: str, kind=kind, key=key) -> list[str]:
                found = files.get(kind, record_id)
                return targets_of(found.data.get(key)) if found is not None else []

            known = {record.id: targets_of(record.data.get(key)) for record in by_kind.get(kind, ())}
            suspects = may_come_back(known, up)
            if suspects:
                ups[kind, key] = (up, suspects)
    problems = []
    if not ups:  # the usual case: nothing can come back, and no record needs a second look
        return problems
    for record in sorted(records, key=lambda r: r.shown_path):
        kind = record.kind.name
        for key in keys_of.get(kind, ()):
            up, suspects = ups.get((kind, key), (None, ()))
            if record.id not in suspects:
                continue
            cycle = find_cycle(record.id, up)
            if not cycle:
                continue
            chain = " → ".join(f"`{rid}`" for rid in cycle + [cycle[0]])
            path = next((p for p, target in ids_of(record.data.get(key)) if target == (cycle + [cycle[0]])[1]), ())
            mark = record.value_mark(key, *path)
            article = "an" if kind[0] in "aeiou" else "a"
            problems.append(Problem(record.shown_path, mark.line, mark.column, ".".join(map(str, (key, *path))),
                                    f"following `{key}` comes back here ({chain}); {article} {kind} cannot lie under itself",
                                    "hierarchy"))
    return problems


def targets_of(value) -> list[str]:
    """The ids a hierarchy key's value names (one, or a list of them)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def may_come_back(known: dict[str, list[str]], up) -> set[str]:
    """The ids, among ``known`` (id -> the ids it leads to) and those reachable from them, from
    which following the hierarchy can come back to where it was: every other is peeled off, as
    a leaf or as leading only to what was peeled (up() is asked only for ids outside ``known``).
    Normally none is left, and find_cycle() is never called: one call per record took most of a
    full validation's hierarchy check at 100,000 records."""
    targets = dict(known)
    waiting = [t for found in known.values() for t in found if t not in targets]
    while waiting:
        record_id = waiting.pop()
        if record_id in targets:
            continue
        targets[record_id] = found = up(record_id)
        waiting += [t for t in found if t not in targets]
    # Only ids that lead somewhere can come back; most records lead nowhere (a root, a leaf kind).
    left = {record_id: len(found) for record_id, found in targets.items() if found}
    pointing: dict[str, list[str]] = {}
    for record_id in left:
        for target in targets[record_id]:
            pointing.setdefault(target, []).append(record_id)
    leaves = [target for target in pointing if target not in left]
    while leaves:
        leaf = leaves.pop()
        for source in pointing.get(leaf, ()):
            left[source] -= 1
            if left[source] == 0:
                leaves.append(source)
    return {record_id for record_id, count in left.items() if count > 0}


def find_cycle(start: str, up) -> list[str] | None:
    """The cycle through start, in order from start, following up(id) -> ids; None if none.
    Chains are short (a village is five steps from its province), so this reads little."""
    path, on_path, seen = [start], {start}, {start}
    stack = [iter(up(start))]
    while stack:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
            on_path.discard(path.pop())
            continue
        if step == start:
            return path[:]
        if step in seen:
            continue  # a cycle start is not on is reported from its own members
        seen.add(step)
        on_path.add(step)
        path.append(step)
        stack.append(iter(up(step)))
    return None


def significant(code: str) -> str:
    """The digits of a code that name its own division: 34 of 340000, 3413 of 341300."""
    padded = code.ljust(12, "0")
    return next(padded[:end] for end in LEVEL_ENDS if not padded[end:].strip("0"))


def check_division_codes(records, files: RecordFiles, ontology: Ontology) -> list[Problem]:
    code_list = division_codes(ontology)
    if code_list is None:
        return []
    code_key = code_list.key
    within_key = ontology.key_for(SCHEMA + "containedInPlace")

    def code(record):
        value = record.data.get(code_key)
        return value if isinstance(value, str) and value.isdigit() and len(value) in (6, 9, 12) else None

    problems = []
    for record in sorted(records, key=lambda r: r.shown_path):
        own = code(record)
        if own is None:
            continue
        seen, current = {record.id}, record
        while True:  # up to the nearest place above that has a code
            parent_id = current.data.get(within_key)
            current = files.get(record.kind.name, parent_id) if isinstance(parent_id, str) else None
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


def check_hierarchy(mapped: Mapped, ontology: Ontology, project: Project | None = None) -> list[Problem]:
    """Hierarchy problems of the records in ``mapped``; records they lead to that are not there
    are read from the project's files (a quick rebuild has only the records it read again)."""
    live = [r for r in mapped.records.values() if not ontology.is_tombstone(r.data)]
    files = RecordFiles(project, ontology, live)
    problems = check_cycles(live, files, ontology) + check_division_codes(live, files, ontology)
    divisions = open_divisions(project, ontology) if project is not None else None
    if divisions is not None:  # installed (`make divisions`): each code is checked against the list itself
        try:
            problems += check_codes_in_list(live, files, ontology, divisions)
        finally:
            divisions.close()
    return problems
