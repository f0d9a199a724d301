"""The server's limits: how long a query may run, how big its answer and a request body may be,
and how many query workers run at once. `dangjian serve` takes each as an option; the defaults
are here, and each can also be set in the environment (``DANGJIAN_SERVE_TIMEOUT=5``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

ENV_PREFIX = "DANGJIAN_SERVE_"


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0
    """Seconds a query may run in its worker before the worker is killed (answer: 503)."""

    max_rows: int = 10_000
    """Solutions (SELECT) or triples (CONSTRUCT, DESCRIBE) one answer may carry (more: 413)."""

    max_bytes: int = 16 * 2**20
    """Bytes one serialised answer may take (more: 413)."""

    max_body: int = 64 * 2**10
    """Bytes a request body may take; larger bodies are refused (413) before they are read."""

    workers: int = 2
    """Query worker processes, each holding the published graph; as many queries run at once."""

    memory: int = 2048
    """MiB of address space each worker may use; a query needing more ends its worker (503)."""

    queue_wait: float = 10.0
    """Seconds a query may wait for a free worker before the answer is 503 (busy)."""

    @classmethod
    def from_environment(cls, **overrides) -> "Limits":
        """The defaults, then ``DANGJIAN_SERVE_{NAME}`` from the environment, then ``overrides``
        (the command's options; None means not given)."""
        values = {}
        for f in fields(cls):
            raw = os.environ.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw.strip():
                kind = float if isinstance(f.default, float) else int
                try:
                    values[f.name] = kind(raw)
                except ValueError:
                    raise ValueError(f"{ENV_PREFIX}{f.name.upper()}={raw!r} is not a number") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        limits = cls(**values)
        limits.check()
        return limits

    def check(self) -> None:
        for f in fields(self):
            if getattr(self, f.name) <= 0:
                raise ValueError(f"the {f.name.replace('_', ' ')} limit must be above 0")
