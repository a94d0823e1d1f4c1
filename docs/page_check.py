#!/usr/bin/env python3
"""Opens report pages in headless Chromium at given widths, fails if any page scrolls sideways, and saves pictures.

    python3 docs/page_check.py [--shots DIR] PAGE.html:NAME ... --widths 1300,390

For each page and width it sets the viewport (a width under 600 px is emulated as a phone, so the page's
viewport meta is honoured), loads the page as it is (with its Content-Security-Policy: the measurement is asked
through the DevTools protocol, which the policy does not govern, so the page's bytes are not touched), and
compares document.documentElement.scrollWidth with window.innerWidth. A page wider than its window is reported
with the elements that stick out (those not inside a scrolling box) and the run exits 1 after checking them all.
With --shots, each view is also saved as DIR/NAME-WIDTH.png (the top of the page, at most --height pixels).

It talks to Chromium over --remote-debugging-pipe (file descriptors 3 and 4, messages ended by NUL), so it needs
the Python standard library only and opens no port. PAGE_CHECK_DEBUG=1 lets Chromium's own messages through.
"""

import argparse
import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

# Elements that reach past the window's right edge and are not inside a box that scrolls on its own (a wide
# table in a scrolling box is fine: the page itself does not move).
MEASURE = r"""
((w) => {
  const inScroller = (e) => {
    for (let p = e.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
    }
    return false;
  };
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    // The box, or what it holds when that spills out of it (a line that cannot wrap); a box that scrolls keeps
    // what it holds.
    const spills = getComputedStyle(e).overflowX === 'visible';
    const right = spills ? Math.max(r.right, r.left + e.scrollWidth) : r.right;
    if (right > w + 0.5 && !inScroller(e)) {
      const id = e.id ? '#' + e.id : '';
      const cls = typeof e.className === 'string' && e.className ? '.' + e.className.trim().replace(/\s+/g, '.') : '';
      out.push(e.tagName.toLowerCase() + id + cls + ' to ' + Math.round(right) + ' px');
      if (out.length === 8) break;
    }
  }
  return JSON.stringify({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    height: document.documentElement.scrollHeight,
    culprits: out,
  });
})(%d)
"""


# Seconds to wait for any one answer of Chromium (loading a page of thousands of rows included).
TIMEOUT = 60.0


class Browser:
    """Headless Chromium driven over a pipe."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="page-check-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        # Chromium reads commands on fd 3 and writes answers on fd 4. The ends are first moved out of the way,
        # so that neither is overwritten when it already is 3 or 4.
        def child_fds():
            high_r, high_w = os.dup2(to_chrome_r, 20), os.dup2(from_chrome_w, 21)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.proc = subprocess.Popen(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--remote-debugging-pipe",
                "--user-data-dir=" + self.profile,
                "about:blank",
            ],
            preexec_fn=child_fds,
            pass_fds=(3, 4),
            stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("PAGE_CHECK_DEBUG") else subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.next_id = 0
        self.buffer = b""
        self.events = []

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.from_chrome], [], [], left)[0]:
                raise RuntimeError("Chromium did not answer in time")
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_event(self, method, session):
        deadline = time.monotonic() + TIMEOUT
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == method and e.get("sessionId") == session:
                    del self.events[i]
                    return e
            self.events.append(self._read_message(deadline))

    def close(self):
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def view(browser, url, width, height):
    """Opens `url` at `width` and returns (the measurement, the session)."""
    target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    browser.call("Page.enable", session=session)
    phone = width < 600
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": phone},
        session=session,
    )
    browser.call("Page.navigate", {"url": url}, session=session)
    browser.wait_event("Page.loadEventFired", session)
    result = browser.call("Runtime.evaluate", {"expression": MEASURE % width, "returnByValue": True}, session=session)
    return json.loads(result["result"]["value"]), session, target


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="+", help="PAGE.html:NAME")
    parser.add_argument("--widths", default="1300,390")
    parser.add_argument("--height", type=int, default=2400, help="most pixels of a picture's height")
    parser.add_argument("--shots", help="folder for the pictures")
    parser.add_argument("--chromium", default="chromium")
    args = parser.parse_args()
    widths = [int(w) for w in args.widths.split(",")]

    browser = Browser(args.chromium)
    failures = 0
    try:
        for spec in args.pages:
            path, _, name = spec.rpartition(":")
            url = "file://" + os.path.abspath(path)
            for width in widths:
                m, session, target = view(browser, url, width, 900)
                fits = m["scroll"] <= m["inner"] and m["inner"] == width
                verdict = "ok" if fits else "OVERFLOW"
                print(f"{verdict:8} {name} at {width} px: scrollWidth {m['scroll']}, innerWidth {m['inner']}")
                if not fits:
                    failures += 1
                    for c in m["culprits"]:
                        print(f"         sticks out: {c}")
                if args.shots:
                    shot_height = min(m["height"], args.height)
                    browser.call(
                        "Emulation.setDeviceMetricsOverride",
                        {"width": width, "height": shot_height, "deviceScaleFactor": 1, "mobile": width < 600},
                        session=session,
                    )
                    png = browser.call(
                        "Page.captureScreenshot",
                        {"format": "png", "clip": {"x": 0, "y": 0, "width": width, "height": shot_height, "scale": 1}},
                        session=session,
                    )["data"]
                    out = os.path.join(args.shots, f"{name}-{width}.png")
                    with open(out, "wb") as f:
                        f.write(base64.b64decode(png))
                browser.call("Target.closeTarget", {"targetId": target})
    finally:
        browser.close()
    if failures:
        print(f"{failures} view(s) scroll sideways", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
