"""Replace one named graph in a remote store with the build, without a half-done state.

The build goes into a fresh temporary graph first (by Graph Store Protocol PUT and POSTs, or by
SPARQL Update INSERT DATA, in batches), is counted there, and only then takes the target's
place in one SPARQL Update ``MOVE``. Until that moment the target graph is untouched; if
anything fails before it, the temporary graph is dropped and the store is as it was. The
target is counted again afterwards: it must hold exactly the build's statements.
"""

from __future__ import annotations

import time
import uuid
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Callable

from .batches import Batch, Statements, batches
from .http import RemoteError
from .sparql import Store, iri

PROTOCOLS = ("gsp", "update")
MOVE_TIMEOUT = 600.0  # seconds


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
         say: Callable[[str], None] = lambda m: None, temporary: str | None = None,
         move_timeout: float = MOVE_TIMEOUT) -> PushReport:
    """Replace ``graph`` with the statements; PushFailed says what failed and what the store holds.

    ``progress(total)`` gives a context manager whose value is called with each batch's size.
    ``move_timeout``: how long the final MOVE may take (Oxigraph moves about 1,000 statements
    a second, each way).
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
    started = time.perf_counter()
    try:
        with progress(expected) as advance:
            _load(store, temporary, parts, protocol, advance)
        loaded = store.count(temporary)
        if loaded != expected:
            raise RemoteError(f"the temporary graph holds {loaded:,} triples, the build {expected:,}")
    except RemoteError as error:
        raise PushFailed(f"{error}\n{_untouched(store, graph, previous, temporary)}") from None
    say(f"loaded and counted in {time.perf_counter() - started:.1f} s; moving it onto {iri(graph)}")
    started = time.perf_counter()
    _swap(store, temporary, graph, expected, previous, say, move_timeout)
    say(f"moved and counted in {time.perf_counter() - started:.1f} s")
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


def _swap(store: Store, temporary: str, graph: str, expected: int, previous: int, say, patience: float) -> None:
    """MOVE the temporary graph onto the target, then check the target.

    The MOVE is never sent again while the store may still be carrying it out. Without an
    answer (a timeout, a dropped connection), push waits, counting both graphs, until the
    temporary graph is empty (done) or ``patience`` runs out. With an error answer, the counts
    tell whether anything moved; the MOVE is sent again only if nothing did.
    """
    move = f"MOVE {iri(temporary)} TO {iri(graph)}"
    attempts = store.http.retry.attempts
    for attempt in range(1, attempts + 1):
        try:
            store.update(move, retry=False, timeout=patience)
            break
        except RemoteError as error:
            failure = error
        try:
            if failure.pending:
                target, held = _await_move(store, graph, temporary, patience, say)
            else:
                target, held = _counts(store, graph, temporary)
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
        if failure.pending:
            raise PushFailed(
                f"{failure}\nno answer to the final MOVE, and the store had not carried it out after {patience:.0f} s: "
                f"{iri(graph)} holds {target:,} triples (it held {previous:,}) and {iri(temporary)} the whole build; "
                f"once the store is idle, run `{move}` (or DROP SILENT GRAPH {iri(temporary)}), or push again")
        if not failure.transient or attempt == attempts:
            raise PushFailed(f"{failure}\nthe final MOVE did not complete: "
                             f"{_untouched(store, graph, previous, temporary, target)}")
        say(f"{failure}; nothing moved: trying the MOVE again")
        store.http.sleep(store.http.retry.delay(attempt, None))
    try:
        target, held = _counts(store, graph, temporary)
    except RemoteError as error:
        raise PushFailed(f"{error}\nthe MOVE was answered, but the store could not be asked to confirm it") from None
    if target != expected or held != 0:
        raise PushFailed(
            f"after the push {iri(graph)} holds {target:,} triples but the build has {expected:,}"
            + (f", and {iri(temporary)} still holds {held:,}" if held else ""))


def _counts(store: Store, graph: str, temporary: str) -> tuple[int, int]:
    """The target's and the temporary graph's counts. The temporary graph is counted first: a
    MOVE still under way may finish between the two queries, and once the temporary graph is
    seen empty the target counted after it is the moved one (counted the other way round, the
    target's old count would be paired with the emptied temporary graph)."""
    held = store.count(temporary)
    return store.count(graph), held


def _await_move(store: Store, graph: str, temporary: str, patience: float, say) -> tuple[int, int]:
    """The counts of the target and the temporary graph once the latter is empty, or when
    ``patience`` runs out: a store that lost its answer may still be moving."""
    say("no answer to the MOVE; waiting for the store to finish it")
    deadline = time.monotonic() + patience
    wait = 0.5
    while True:
        target, held = _counts(store, graph, temporary)
        left = deadline - time.monotonic()
        if held == 0 or left <= 0:
            return target, held
        store.http.sleep(min(wait, left))
        wait = min(wait * 2, 10.0)
