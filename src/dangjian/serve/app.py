"""The ASGI application: the route modules, put together."""

from __future__ import annotations

from starlette.applications import Starlette

from ..kb import KnowledgeBase

# Each module's routes(kb) contributes its endpoints; order matters only for overlapping paths.
ROUTE_MODULES: list[str] = ["records", "search"]


def create_app(kb: KnowledgeBase) -> Starlette:
    import importlib

    routes = []
    for name in ROUTE_MODULES:
        routes += importlib.import_module(f"{__package__}.{name}").routes(kb)
    app = Starlette(routes=routes)
    app.state.kb = kb
    return app
