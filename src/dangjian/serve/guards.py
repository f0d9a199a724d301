"""What stands between every request and the routes: request bodies over the limit are refused
(413) before they are read, paths that try to climb out are not found (404), writing methods
are refused (403: the server is read-only), and an
error anywhere becomes a plain 500 message: no response ever carries a traceback."""

from __future__ import annotations

import sys

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

WRITING_METHODS = {"PUT", "DELETE", "PATCH"}


def plain(status: int, text: str, **headers: str) -> Response:
    """A plain-text answer of one message, ending in one newline: every refusal and error of the server."""
    return Response(text.rstrip("\n") + "\n", status_code=status, media_type="text/plain; charset=utf-8", headers=headers)


def slash_alias(path: str, methods: list[str] | None = None) -> Route:
    """``{path}/`` of an endpoint (not a file of the site, which has no such alias): 307 to ``path``,
    query kept, so that a client that added the slash still arrives, a POSTed query with its body."""

    async def redirect(request: Request) -> Response:
        query = "?" + request.url.query if request.url.query else ""
        return RedirectResponse(request.scope.get("root_path", "") + path + query, status_code=307)

    return Route(path + "/", redirect, methods=methods)


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """413 for a body over ``limit`` bytes: at once when Content-Length says so, else as soon as
    the bytes received pass the limit (chunked bodies); the rest is never read."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    def too_large(self) -> Response:
        response = plain(413, f"413 Content Too Large: request bodies may take at most {self.limit:,} bytes")
        response.headers["Connection"] = "close"
        return response

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    await plain(400, "400 Bad Request: Content-Length is not a number")(scope, receive, send)
                    return
                if length > self.limit:
                    await self.too_large()(scope, receive, send)
                    return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge()
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge:
            if not started:
                await self.too_large()(scope, receive, send)


class PathGuard:
    """404 at once for a path no published file can have: a ``.`` or ``..`` segment, a backslash
    or a control character (after percent-decoding), whichever route it would otherwise reach."""

    def __init__(self, app: ASGIApp):
        self.app = app

    @staticmethod
    def suspicious(path: str) -> bool:
        return (any(segment in (".", "..") for segment in path.split("/"))
                or "\\" in path or any(ord(c) < 0x20 or ord(c) == 0x7F for c in path))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.suspicious(scope.get("path", "")):
            await plain(404, "404 Not Found: no such path")(scope, receive, send)
            return
        await self.app(scope, receive, send)


class ReadOnly:
    """PUT, DELETE and PATCH anywhere: 403 (records change only through the records folder)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in WRITING_METHODS:
            response = plain(403, f"403 Forbidden: this server is read-only: {scope['method']} is refused. The knowledge "
                                  "base changes only through its records (see the README).")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def server_error(request: Request, error: Exception) -> Response:
    """The catch-all: a plain message; the traceback goes to the server's log only."""
    print(f"dangjian serve: {request.method} {request.url.path}: {type(error).__name__}: {error}", file=sys.stderr)
    return plain(500, "500 Internal Server Error: the server failed to answer this request; it has been logged")
