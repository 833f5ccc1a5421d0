"""The threaded WSGI server the local Cognito serves on (werkzeug's, as moto's own).

Built by ``_moto_internals.make_threaded_server`` with moto's app; it knows nothing of moto.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server

__all__ = ["LocalServer"]


class LocalServer:
    """moto's WSGI app on a threaded werkzeug server, wrapped *before* it serves a request.

    ``moto.server.ThreadedMotoServer`` builds its app in its serving thread and serves at
    once: a middleware put in afterwards leaves an instant in which a request meets stock
    moto. Here the socket is bound (the port is known), the app wrapped, and only then does
    the serving thread start; earlier connections wait in the backlog for the wrapped app.

    :param host: address to bind.
    :param port: port to bind (0: any free one).
    :param app: moto's WSGI app.
    :param wrap: ``wrap(app, bound_port)`` returns the app actually served.
    :param handler: the request handler class (werkzeug's by default).
    """

    def __init__(
        self,
        host: str,
        port: int,
        app: Any,
        wrap: Callable[[Any, int], Any],
        handler: type[WSGIRequestHandler] | None = None,
    ) -> None:
        base = handler or WSGIRequestHandler

        class _QuietHandler(base):  # type: ignore[misc, valid-type]
            # werkzeug's per-request access log would interleave with the user's own output.
            def log_request(self, *args: Any, **kwargs: Any) -> None:
                return None

        self._server = make_server(host, port, app, threaded=True, request_handler=_QuietHandler)
        self._thread: threading.Thread | None = None
        try:
            self._server.app = wrap(app, self.port)
        except BaseException:
            self._server.server_close()
            raise

    @property
    def host(self) -> str:
        """The bound address."""
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        """The bound port."""
        return int(self._server.server_address[1])

    def start(self) -> None:
        """Serve in a daemon thread."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"local-cognito:{self.port}", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        """Stop serving, join the thread and close the listening socket (idempotent)."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()
