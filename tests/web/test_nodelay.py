"""``jjj serve`` turns Nagle's algorithm off on every connection.

With several workers Uvicorn binds the listening socket itself with ``proto`` 0, and asyncio
then leaves ``TCP_NODELAY`` off on the accepted sockets: each keep-alive request waited ~40 ms
for the client's delayed ACK. The test builds that listener the same way, serves it with the
protocol ``jjj serve`` uses, and reads the option off the accepted socket.
"""

from __future__ import annotations

import asyncio
import socket
import threading

import uvicorn
from uvicorn.server import ServerState

from jingjinji.web.serving import NoDelayHTTPProtocol


async def _app(scope: dict, receive: object, send: object) -> None:  # pragma: no cover
    raise AssertionError("no request is sent")


def _accepted_nodelay() -> int:
    async def main() -> int:
        config = uvicorn.Config(_app, http=NoDelayHTTPProtocol, log_level="warning")
        config.load()
        state = ServerState()
        made: list[NoDelayHTTPProtocol] = []

        def factory() -> NoDelayHTTPProtocol:
            protocol = NoDelayHTTPProtocol(config=config, server_state=state, app_state={})
            made.append(protocol)
            return protocol

        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # proto 0, as Uvicorn
        listener.bind(("127.0.0.1", 0))
        server = await asyncio.get_running_loop().create_server(factory, sock=listener)
        port = listener.getsockname()[1]
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(200):
            if made and made[0].transport is not None:
                break
            await asyncio.sleep(0.01)
        accepted = made[0].transport.get_extra_info("socket")
        value = accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        writer.close()
        server.close()
        await server.wait_closed()
        return int(value)

    # In a thread of its own: the test process may already run an event loop (Playwright).
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(asyncio.run(main())))
    thread.start()
    thread.join(60)
    return result[0]


def test_connections_of_a_prebound_listener_get_tcp_nodelay() -> None:
    assert _accepted_nodelay() != 0


def test_serve_uses_the_nodelay_protocol() -> None:
    import inspect

    from jingjinji.cli import serve

    assert "http=NoDelayHTTPProtocol" in inspect.getsource(serve.serve)
