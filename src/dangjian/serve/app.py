"""The ASGI application: the route modules, put together, behind the guards."""

from __future__ import annotations

import importlib
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware

from ..dataset.published import KnowledgeBase
from .guards import BodyLimit, PathGuard, ReadOnly, server_error
from .limits import Limits
from .notfound import unknown_path
from ..settings import configure_process

# Each module's routes(kb) contributes its endpoints; order matters only for overlapping paths.
# A module may also define ``async startup(app)`` and ``async shutdown(app)`` (run by the lifespan).
ROUTE_MODULES: list[str] = ["records", "sparql", "search"]


class OpenCORS(CORSMiddleware):
    """CORS for a public, read-only dataset: every answer, asked with an Origin or not, says any
    origin may read it, as the static site's rules say; so no answer varies by Origin."""

    async def send(self, message, send, request_headers) -> None:
        if message["type"] == "http.response.start":
            MutableHeaders(scope=message).update(self.simple_headers)
        await send(message)


# What browser code may read beyond the safelisted headers (the static site's rules expose the same).
CORS_EXPOSED = ["ETag", "Link", "Location", "Retry-After", "Vary"]


def create_app(kb: KnowledgeBase, limits: Limits | None = None) -> Starlette:
    configure_process()  # the server is an entry point of its own (uvicorn may make the app)
    modules = [importlib.import_module(f"{__package__}.{name}") for name in ROUTE_MODULES]
    routes = []
    for module in modules:
        routes += module.routes(kb)
    limits = limits or Limits()

    @asynccontextmanager
    async def lifespan(app: Starlette):
        for module in modules:
            if hasattr(module, "startup"):
                await module.startup(app)
        try:
            yield
        finally:
            for module in modules:
                if hasattr(module, "shutdown"):
                    await module.shutdown(app)

    middleware = [
        # CORS outermost, so that refusals (403, 413) reach browser clients readably too.
        Middleware(OpenCORS, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                   allow_headers=["*"], expose_headers=CORS_EXPOSED, max_age=86400),
        Middleware(BodyLimit, limit=limits.max_body),
        Middleware(PathGuard),
        Middleware(ReadOnly),
    ]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers={Exception: server_error, 404: unknown_path},
                    lifespan=lifespan)
    # No 307 between the forms with and without a trailing slash: a folder of the site named
    # without it is a 301 to it, an endpoint's slash form a redirect of its own (site.resolve,
    # guards.slash_alias), and any other path a 404, as nginx and Apache answer the static site.
    app.router.redirect_slashes = False
    app.state.kb = kb
    app.state.limits = limits
    return app
