"""The HTTP server: one module per family of routes, put together in app.py.

Each route module exposes ``routes(kb: KnowledgeBase) -> list[starlette.routing.BaseRoute]``.
"""
