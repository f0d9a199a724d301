"""Replace one named graph in a remote store with the build, without a half-done state.

The build goes into a fresh temporary graph first (by Graph Store Protocol PUT and POSTs, or by
SPARQL Update INSERT DATA, in batches), is counted there, and only then takes the target's
place in one SPARQL Update ``MOVE``. Until that moment the target graph is untouched; if
anything fails before it, the temporary graph is dropped and the store is as it was. The
target is counted again afterwards: it must hold exactly the build's statements.
"""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Callable

from .batches import Batch, Statements, batches
from .http import RemoteError
from .sparql import Store, iri

PROTOCOLS = ("gsp", "update")


class PushFailed(Exception):
    """The push did not complete; the message says what failed and what the store holds now."""


@dataclass
class PushReport:
    graph: str
    triples: int
    previous: int  # triples the graph held before
    batches: int


def temporary_graph() -> str:
    return f"urn:dangjian:push:{uuid.uuid4().hex}"


def insert(graph: str, batch: Batch) -> str:
    """INSERT DATA; or, where the batch has blank nodes, INSERT … WHERE {} with the same effect,
    since Virtuoso refuses blank nodes in INSERT DATA (SP031)."""
    body = "\n".join(batch.lines)
    if batch.has_blank_nodes:
        return f"INSERT {{ GRAPH {iri(graph)} {{\n{body}\n}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH {iri(graph)} {{\n{body}\n}} }}"


def _no_progress(total: int) -> AbstractContextManager:
    return nullcontext(lambda n: None)


def push(store: Store, statements: Statements, graph: str, protocol: str, batch_size: int,
         progress: Callable[[int], AbstractContextManager] = _no_progress,
         say: Callable[[str], None] = lambda m: None, temporary: str | None = None) -> PushReport:
    """Replace ``graph`` with the statements; PushFailed says what failed and what the store holds.

    ``progress(total)`` gives a context manager whose value is called with each batch's size.
    """
    expected = len(statements.lines)
    if expected == 0:
        raise PushFailed("the build holds no statements: nothing to push (the store was not touched)")
    try:
        previous = store.count(graph)  # also proves the query endpoint and the credentials work
    except RemoteError as error:
        raise PushFailed(f"{error}\nnothing was changed in the store") from None
    temporary = temporary or temporary_graph()
    parts = batches(statements, batch_size)
    say(f"{iri(graph)} holds {previous:,} triples; loading {expected:,} into {iri(temporary)} "
        f"({len(parts)} {'batch' if len(parts) == 1 else 'batches'}, {protocol})")
    try:
        with progress(expected) as advance:
            _load(store, temporary, parts, protocol, advance)
        loaded = store.count(temporary)
        if loaded != expected:
            raise RemoteError(f"the temporary graph holds {loaded:,} triples, the build {expected:,}")
    except RemoteError as error:
        raise PushFailed(f"{error}\n{_untouched(store, graph, previous, temporary)}") from None
    _swap(store, temporary, graph, expected, previous, say)
    return PushReport(graph, expected, previous, len(parts))


def _load(store: Store, graph: str, parts: list[Batch], protocol: str, progress) -> None:
    if protocol == "gsp":
        for index, batch in enumerate(parts):
            body = ("\n".join(batch.lines) + "\n").encode("utf-8")
            # PUT first, so that nothing left under this name from elsewhere survives; then add.
            (store.put_graph if index == 0 else store.add_to_graph)(graph, body)
            progress(len(batch.lines))
    elif protocol == "update":
        store.update(f"DROP SILENT GRAPH {iri(graph)}")
        for batch in parts:
            store.update(insert(graph, batch))
            progress(len(batch.lines))
    else:
        raise ValueError(f"unknown protocol {protocol!r}; expected one of {', '.join(PROTOCOLS)}")


def _untouched(store: Store, graph: str, previous: int, temporary: str, now: int | None = None) -> str:
    """What the store holds after a failure before the swap, after dropping the temporary graph."""
    try:
        store.update(f"DROP SILENT GRAPH {iri(temporary)}")
        dropped = "the temporary graph was dropped"
    except RemoteError:
        dropped = (f"the temporary graph {iri(temporary)} may hold part of the build and could not be dropped: "
                   f"run DROP SILENT GRAPH {iri(temporary)}")
    if now is None or now == previous:
        return f"{iri(graph)} was not touched (it held {previous:,} triples before the push); {dropped}"
    return f"{iri(graph)} holds {now:,} triples (it held {previous:,} before the push); {dropped}"


def _swap(store: Store, temporary: str, graph: str, expected: int, previous: int, say) -> None:
    """MOVE the temporary graph onto the target, then check the target.

    The MOVE is not blindly repeated: if its answer is lost, the store may have done it. So on
    failure the two graphs are counted, and the MOVE is sent again only while the temporary
    graph still holds the whole build.
    """
    move = f"MOVE {iri(temporary)} TO {iri(graph)}"
    attempts = store.http.retry.attempts
    for attempt in range(1, attempts + 1):
        try:
            store.update(move, retry=False)
            break
        except RemoteError as error:
            failure = error
        try:
            target, held = store.count(graph), store.count(temporary)
        except RemoteError as error:
            raise PushFailed(
                f"{failure}\nthe store stopped answering during the final MOVE ({error}): {iri(graph)} holds either "
                f"its previous {previous:,} triples or the build's {expected:,}, and {iri(temporary)} may still hold a "
                f"copy; check, then run `{move}` or DROP SILENT GRAPH {iri(temporary)}") from None
        if target == expected and held == 0:
            break  # the MOVE went through; only its answer was lost
        if held != expected:
            raise PushFailed(
                f"{failure}\nthe final MOVE did not complete: {iri(graph)} holds {target:,} triples "
                f"(it held {previous:,}; the build has {expected:,}) and {iri(temporary)} holds {held:,}")
        if not failure.transient or attempt == attempts:
            raise PushFailed(f"{failure}\nthe final MOVE did not complete: "
                             f"{_untouched(store, graph, previous, temporary, target)}")
        say(f"{failure}; trying the MOVE again")
        store.http.sleep(store.http.retry.delay(attempt, None))
    try:
        target, held = store.count(graph), store.count(temporary)
    except RemoteError as error:
        raise PushFailed(f"{error}\nthe MOVE was answered, but the store could not be asked to confirm it") from None
    if target != expected or held != 0:
        raise PushFailed(
            f"after the push {iri(graph)} holds {target:,} triples but the build has {expected:,}"
            + (f", and {iri(temporary)} still holds {held:,}" if held else ""))
