"""HTTP to a remote store: authentication, and retries with backoff on transient failures.

Transient means the store may well answer next time: the connection failed or broke off, the
request timed out, or the store answered 429 or 5xx. Anything else (400, 401, 404 …) is
reported at once, since asking again would get the same answer. So is a 500 from Virtuoso
whose SQL state names a permanent error (it answers 500 to syntax errors and refused
permissions alike).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Callable

import httpx

RETRY_STATUSES = frozenset({429}) | frozenset(range(500, 600))
MAX_RETRY_AFTER = 30.0
# SQL state classes that asking again cannot fix: 21/22/23 bad data, 37 syntax, 42 permission.
_VIRTUOSO_PERMANENT = re.compile(r"Virtuoso (?:21|22|23|37|42)[0-9A-Z]{3} Error")


class RemoteError(Exception):
    """A request that failed for good; the message says which, and what the store said.

    ``transient``: the last failure was one that asking again might cure. ``pending``: the
    request reached the store but no answer came back (a timeout, a dropped connection, a
    gateway's 502 or 504), so the store may still be carrying it out.
    """

    def __init__(self, message: str, transient: bool = False, pending: bool = False):
        super().__init__(message)
        self.transient = transient
        self.pending = pending


# Failures before the request reached the store: nothing can be under way there.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError, httpx.UnsupportedProtocol)
_GATEWAY = frozenset({502, 504})


class ChallengeAuth(httpx.Auth):
    """Basic or digest authentication, whichever the store's first 401 challenge asks for.

    Nothing is sent until the store asks, so the password never goes to a server that does
    not want it; after the first challenge every request authenticates at once.
    """

    def __init__(self, user: str, password: str, scheme: str = "auto"):
        self.schemes = {"basic": httpx.BasicAuth(user, password), "digest": httpx.DigestAuth(user, password)}
        self.scheme = None if scheme == "auto" else scheme

    def auth_flow(self, request):
        if self.scheme:
            yield from self.schemes[self.scheme].auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        asked = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        if asked not in self.schemes:
            return  # a scheme we do not speak: the 401 is the answer
        self.scheme = asked
        yield from self.schemes[asked].auth_flow(request)


@dataclass
class Retry:
    attempts: int = 5  # in all, the first one included
    first_delay: float = 0.5  # doubled after each failure
    max_delay: float = 8.0

    def delay(self, failure: int, response: httpx.Response | None) -> float:
        wait = min(self.first_delay * 2 ** (failure - 1), self.max_delay)
        if response is not None:
            try:  # Retry-After in seconds (429, 503); an HTTP date is treated as "the usual wait"
                wait = max(wait, min(float(response.headers.get("retry-after", "")), MAX_RETRY_AFTER))
            except ValueError:
                pass
        return wait


def describe(response: httpx.Response) -> str:
    """The status and the start of what the store said, on one line."""
    said = " ".join(response.text.split())[:300]
    hint = " (the store wants credentials, or refused them)" if response.status_code == 401 else ""
    return f"{response.status_code} {response.reason_phrase}{hint}" + (f": {said}" if said else "")


def transient(response: httpx.Response) -> bool:
    if response.status_code not in RETRY_STATUSES:
        return False
    return not (response.status_code == 500 and _VIRTUOSO_PERMANENT.search(response.text[:2000]))


class Http:
    def __init__(self, auth: httpx.Auth | None = None, timeout: float = 60.0, retry: Retry | None = None,
                 on_retry: Callable[[str], None] | None = None, sleep: Callable[[float], None] = time.sleep):
        self.client = httpx.Client(auth=auth, timeout=timeout, follow_redirects=True)
        self.retry = retry or Retry()
        self.on_retry = on_retry or (lambda message: None)
        self.sleep = sleep

    def close(self) -> None:
        self.client.close()

    def request(self, method: str, url: str, *, retry: bool = True, **kwargs) -> httpx.Response:
        """Send a request and return the 2xx response; RemoteError for anything else.

        With retry, transient failures are tried again (``Retry.attempts`` in all); the body
        must then be bytes or a string, so it can be sent again.
        """
        attempts = self.retry.attempts if retry else 1
        for attempt in range(1, attempts + 1):
            response = None
            try:
                response = self.client.request(method, url, **kwargs)
            except httpx.TransportError as error:
                problem = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
                pending = not isinstance(error, _NOT_SENT)
            except httpx.HTTPError as error:  # too many redirects, an undecodable answer: not transient
                raise RemoteError(f"{method} {url} failed: {type(error).__name__}: {error}") from None
            else:
                if response.is_success:
                    return response
                problem = describe(response)
                pending = response.status_code in _GATEWAY
                if not transient(response):
                    raise RemoteError(f"{method} {url} failed: {problem}")
            if attempt == attempts:
                tries = f" (tried {attempts} times)" if attempts > 1 else ""
                raise RemoteError(f"{method} {url} failed{tries}: {problem}", transient=True, pending=pending)
            wait = self.retry.delay(attempt, response)
            self.on_retry(f"{method} {url}: {problem}; trying again in {wait:.1f} s")
            self.sleep(wait)
        raise AssertionError("unreachable")
