"""A request handler served on a free port of 127.0.0.1 in a background thread.

For what apifit itself serves locally: a built site to a browser, and the benchmarks' slow
imitation of an API. Nothing here listens beyond the loopback address.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Server(ThreadingHTTPServer):
    # The default listen backlog (5) drops simultaneous connects into a 1 s SYN retry.
    request_queue_size = 128
    daemon_threads = True


@contextmanager
def serve(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` until the block ends; yield the base URL (ending in /)."""
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class QuietHandlerMixin:
    """Keeps test and benchmark output readable: requests are the client's business."""

    def log_message(self, format: str, *args: Any) -> None:
        pass
