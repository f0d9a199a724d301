"""Process-wide tuning for the length of a build: the collector paused, and the interpreter handed
between threads more often while the SHACL engine's feeder runs beside the checks."""

from __future__ import annotations

import gc
import sys
from contextlib import contextmanager

# The interpreter changes threads every 0.5 ms (the default is 5 ms) while the SHACL engine is fed
# beside the checks: its feeder needs the interpreter for a moment before each write to the
# engine's pipe, and would otherwise wait for the checks to let go of it, with the engine idle.
QUICK_HANDOVER = 0.0005  # seconds


@contextmanager
def collection_paused():
    """No cyclic garbage collection while a build or a validation runs: it holds millions of
    small acyclic objects (records, statements, blocks), which every full collection would walk
    again for nothing. It resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def quick_handover():
    """The interpreter handed between threads every QUICK_HANDOVER seconds (or more often, when it
    is already), for as long as the block runs."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, QUICK_HANDOVER))
    try:
        yield
    finally:
        sys.setswitchinterval(before)
