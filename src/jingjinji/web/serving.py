"""The HTTP protocol ``jjj serve`` runs Uvicorn with: Uvicorn's own, with ``TCP_NODELAY`` set
on every connection.

With more than one worker Uvicorn binds the listening socket itself with ``proto`` 0, so the
accepted sockets report ``proto`` 0 and asyncio leaves Nagle's algorithm on (it sets
``TCP_NODELAY`` only for ``IPPROTO_TCP``). Every keep-alive request after the first then
waits on the client's delayed ACK: about 40 ms on Linux, which capped the server near 110
requests/s (Uvicorn issue 3149). Setting the option per connection fixes it for every way
the socket is made.
"""

from __future__ import annotations

import asyncio
import socket

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Base
except ImportError:  # pragma: no cover - httptools is a dependency; h11 is Uvicorn's fallback
    from uvicorn.protocols.http.h11_impl import H11Protocol as _Base  # type: ignore[assignment]

__all__ = ["NoDelayHTTPProtocol", "set_nodelay"]


def set_nodelay(transport: asyncio.BaseTransport) -> bool:
    """Turn Nagle's algorithm off on ``transport``'s TCP socket; whether it was one."""
    sock = transport.get_extra_info("socket")
    if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return False
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:  # the peer already went away
        return False
    return True


class NoDelayHTTPProtocol(_Base):
    """Uvicorn's HTTP/1.1 protocol (httptools) with ``TCP_NODELAY`` on each connection."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        set_nodelay(transport)
        super().connection_made(transport)
