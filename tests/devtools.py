"""A real headless Chromium driven over the DevTools protocol, on a pipe (no port, no websocket).

Chromium started with ``--remote-debugging-pipe`` reads protocol messages on file descriptor 3
and writes its answers and events on 4, each a JSON text ended by a NUL byte. bash puts the two
pipes in place (``3<&r 4>&w``) and execs the browser, so no Python runs in the child.
"""

from __future__ import annotations

import base64
import json
import os
import selectors
import subprocess
import time
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--mute-audio"]

# Every element and every text that reaches past the viewport's edges, unless an ancestor clips
# it (a box with its own scrolling or hidden overflow); the page's own sideways scroll width.
OVERFLOW_JS = r"""
(() => {
  const width = document.documentElement.clientWidth;
  const clipped = (node) => {
    for (let a = node.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\s+/g, '.') : '');
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if ((r.right > width + 0.5 || r.left < -0.5) && !clipped(el)) {
      out.push(`${name(el)} [${Math.round(r.left)}, ${Math.round(r.right)}] ${(el.textContent || '').trim().slice(0, 40)}`);
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (!t.textContent.trim()) continue;
    range.selectNodeContents(t);
    for (const r of range.getClientRects()) {
      if ((r.right > width + 0.5 || r.left < -0.5) && !clipped(t)) {
        out.push(`text [${Math.round(r.left)}, ${Math.round(r.right)}] ${t.textContent.trim().slice(0, 40)}`);
        break;
      }
    }
  }
  return {width, scrollWidth: document.documentElement.scrollWidth, overflowing: out};
})()
"""


class DevToolsError(RuntimeError):
    pass


class Chromium:
    """One headless browser; ``open(url, width, height)`` loads a page in a tab of that size."""

    def __init__(self, binary: str, profile: Path):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # bash, not sh: dash refuses descriptors above 9 in a redirection.
        command = ["bash", "-c", f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}', binary, *FLAGS,
                   "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"]
        self.process = subprocess.Popen(command, pass_fds=(to_browser_r, from_browser_w),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._from_browser, selectors.EVENT_READ)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict] = []

    # --- the protocol ------------------------------------------------------------------------

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if not self._selector.select(timeout=max(0.0, deadline - time.monotonic())):
                raise DevToolsError("Chromium did not answer in time")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise DevToolsError("Chromium closed the pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 60) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise DevToolsError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            if "method" in answer:
                self._events.append(answer)

    def wait_for(self, method: str, session: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self._events):
                if event["method"] == method and event.get("sessionId") == session:
                    return self._events.pop(i)
            self._events.append(self._read_message(deadline))

    # --- pages -------------------------------------------------------------------------------

    def open(self, url: str, width: int, height: int = 844) -> "Tab":
        """A new tab of this size (a phone's below 600 px wide), showing ``url``."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        tab = Tab(self, target, session)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}, session)
        self.send("Page.enable", {}, session)
        return tab.go(url)

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except (DevToolsError, OSError):
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass


class Tab:
    def __init__(self, browser: Chromium, target: str, session: str):
        self.browser = browser
        self.target = target
        self.session = session

    def go(self, url: str) -> "Tab":
        """Load ``url`` in this tab, and wait for it and its fonts."""
        self.browser._events = [e for e in self.browser._events if e.get("sessionId") != self.session]
        navigated = self.browser.send("Page.navigate", {"url": url}, self.session)
        if navigated.get("errorText"):
            raise DevToolsError(f"{url}: {navigated['errorText']}")
        self.browser.wait_for("Page.loadEventFired", self.session)
        self.evaluate("document.fonts.ready.then(() => true)")
        return self

    def evaluate(self, expression: str):
        result = self.browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                        "awaitPromise": True}, self.session)
        if "exceptionDetails" in result:
            raise DevToolsError(f"{expression[:60]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def overflow(self) -> dict:
        """{width, scrollWidth, overflowing: [what reaches past the viewport]}."""
        return self.evaluate(OVERFLOW_JS)

    def screenshot(self, path: Path) -> bytes:
        """The whole page, as PNG."""
        data = self.browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
                                 self.session)["data"]
        png = base64.b64decode(data)
        path.write_bytes(png)
        return png

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})

    def __enter__(self) -> "Tab":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()
