"""Check that every reference names an existing record of the right kind, and every
controlled value is in the vocabulary; suggest the nearest id or value when not.

SHACL's sh:class reports these too, but cannot say "did you mean"; the statements flagged here
are passed on so that the SHACL report does not repeat them.

A reference to a tombstone is a problem too: the reference should name the replacement (so that
no redirect ever chains), or go, when the record was withdrawn.
"""

from __future__ import annotations

import difflib

from ..pipeline.mapper import Mapped
from ..model.ontology import Ontology
from ..model.problems import Problem
from ..text.suggest import Suggester


class Directory:
    """The records that exist: ids by kind, the kind of each id, and the tombstones (each with
    the id that replaced it, or None when withdrawn)."""

    def __init__(self, entries):
        self.ids_by_kind: dict[str, set[str]] = {}
        self.kind_of_id: dict[str, str] = {}
        self.tombstones: dict[str, str | None] = {}
        self._suggesters: dict[str, Suggester] = {}
        for kind, record_id, tombstone, replacement in entries:
            self.ids_by_kind.setdefault(kind, set()).add(record_id)
            self.kind_of_id[record_id] = kind
            if tombstone:
                self.tombstones[record_id] = replacement

    @classmethod
    def of_kinds(cls, kind_of_id: dict[str, str], tombstones: dict[str, str | None],
                 ids_by_kind: dict[str, set[str]] | None = None) -> "Directory":
        """From each id's kind (ids unique across kinds) and the tombstones, and the ids by kind
        when known already: a hundred thousand entries in a fraction of the time one loop over
        them takes."""
        directory = cls(())
        directory.kind_of_id, directory.tombstones = kind_of_id, tombstones
        if ids_by_kind is None:
            ids_by_kind = {kind: {i for i, k in kind_of_id.items() if k == kind} for kind in set(kind_of_id.values())}
        directory.ids_by_kind = ids_by_kind
        return directory

    def add(self, other: "Directory") -> "Directory":
        """This directory, with the records of ``other`` added to it."""
        for kind, ids in other.ids_by_kind.items():
            self.ids_by_kind.setdefault(kind, set()).update(ids)
            self.kind_of_id.update((record_id, kind) for record_id in ids)
        self.tombstones.update(other.tombstones)
        self._suggesters.clear()
        return self

    @classmethod
    def of(cls, mapped: Mapped, ontology: Ontology) -> "Directory":
        tombstones = tombstones_of(mapped, ontology)
        return cls((r.kind.name, r.id, r.id in tombstones, tombstones.get(r.id)) for r in mapped.records.values())

    def nearest(self, kind: str, record_id: str) -> str | None:
        if kind not in self._suggesters:
            self._suggesters[kind] = Suggester(self.ids_by_kind.get(kind, ()))
        return self._suggesters[kind].nearest(record_id)


def check_references(mapped: Mapped, ontology: Ontology, unreadable: set[tuple[str, str]] = frozenset(),
                     directory: Directory | None = None) -> tuple[list[Problem], set[tuple[str, str, str]]]:
    """Problems for references that name no record; and every statement whose sh:class result
    is already explained (by a problem here, or by the unreadable file it points to).
    ``directory`` says which records exist, when ``mapped`` holds only some of them."""
    directory = directory or Directory.of(mapped, ontology)
    ids_by_kind, kind_of_id, tombstones = directory.ids_by_kind, directory.kind_of_id, directory.tombstones
    vocabulary = {f"<{s}>" for s in ontology.vocabulary_graph.subjects()}
    terms = {f"<{term.predicate}>": term for term in ontology.terms.values() if term.shape in ("reference", "vocab")}
    id_prefix = len(ontology.base + "id/") + 1  # '<' and the base

    problems, flagged = [], set()
    for triple in mapped.references:
        term = terms.get(triple[1])
        if term is None or triple[2][0] != "<":
            continue
        target = triple[2]
        if term.shape == "reference":
            kind, target_id = target[id_prefix:-1].split("/", 1)
            if target_id in ids_by_kind.get(kind, ()):
                if target_id not in tombstones:
                    continue
                replacement = tombstones[target_id]
                if replacement is None:
                    message = f"`{target_id}` was withdrawn (see its tombstone); remove this reference"
                else:
                    message = f"`{target_id}` is a tombstone replaced by `{replacement}`; name `{replacement}` instead"
                origin = mapped.origin(*triple)
                problems.append(Problem(origin.path, origin.mark.line, origin.mark.column, origin.key, message, "reference"))
                flagged.add(triple)
                continue
            if (kind, target_id) in unreadable:
                flagged.add(triple)
                continue  # the record exists but cannot be read; its file's problems say why
            actual = kind_of_id.get(target_id)
            if actual:
                message = f"`{target_id}` is {_a(actual)} record; expected the id of {_a(kind)} record"
            else:
                close = directory.nearest(kind, target_id)
                hint = f"; did you mean `{close}`?" if close else ""
                message = f"no {kind} record has the id `{target_id}`{hint}"
        else:
            if target in vocabulary:
                continue
            value = target[len(term.vocab_prefix) + 1:-1]
            allowed = ontology.vocabulary_values(term)
            close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
            hint = f"did you mean `{close[0]}`? " if close else ""
            message = f"`{value}` is not in the vocabulary; {hint}expected one of: {', '.join(allowed)}"
        origin = mapped.origin(*triple)
        problems.append(Problem(origin.path, origin.mark.line, origin.mark.column, origin.key, message, "reference"))
        flagged.add(triple)
    return problems, flagged


def tombstones_of(mapped: Mapped, ontology: Ontology) -> dict[str, str | None]:
    """Tombstone ids, each with the id that replaced it (None when withdrawn)."""
    return {record.id: ontology.replacement_of(record.data) for record in mapped.records.values() if ontology.is_tombstone(record.data)}


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"
