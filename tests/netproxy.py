"""A TCP forwarder on the loopback interface that a test can take down and bring back.

Tests use it to put a real network outage between the test process and a server (the
Celery broker): while it is stopped nothing listens on its port, so a new connection is
refused and the connections it carried are closed, exactly what a client sees when the
server goes away. Frozen, it still takes connections but forwards nothing either way,
what a client sees of a server that hangs (stopped, swapping, or behind a firewall that
drops its packets). Nothing in the product is patched; the client code meets a real socket.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading

LOOPBACK = "127.0.0.1"


class TcpProxy:
    """Forward ``127.0.0.1:port`` to ``target`` in one thread; ``stop()`` and ``start()``
    again on the same port. Use as a context manager to be sure it is stopped."""

    def __init__(self, target: tuple[str, int], *, port: int = 0) -> None:
        self.target = target
        self.port = port
        self.accepted = 0  # connections forwarded since the proxy was created
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._frozen = threading.Event()

    # --- control -------------------------------------------------------------------------

    def start(self) -> TcpProxy:
        """Listen again (on the same port after the first start) and forward."""
        if self._thread is not None:
            raise RuntimeError("the proxy is already running")
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # The port must be the same after a restart although the connections the proxy
        # closed may still be in TIME_WAIT.
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind((LOOPBACK, self.port))
        except OSError:
            listener.close()
            raise
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._stopping.clear()
        self._frozen.clear()
        self._thread = threading.Thread(
            target=self._run, args=(listener,), name=f"tcp-proxy-{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and close every forwarded connection; returns once the port
        refuses connections."""
        if self._thread is None:
            return
        self._stopping.set()
        self._thread.join(timeout=10)
        if self._thread.is_alive():
            raise RuntimeError("the proxy thread did not stop")
        self._thread = None

    def freeze(self) -> None:
        """Keep the port open and accept connections, but forward nothing, on new
        connections or on those already open: the server hangs."""
        self._frozen.set()

    @property
    def running(self) -> bool:
        return self._thread is not None

    def url(self, scheme: str = "redis", path: str = "") -> str:
        return f"{scheme}://{LOOPBACK}:{self.port}{path}"

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- the forwarding thread -------------------------------------------------------------

    def _run(self, listener: socket.socket) -> None:
        selector = selectors.DefaultSelector()  # the listener and every forwarded socket
        selector.register(listener, selectors.EVENT_READ, None)
        frozen = selectors.DefaultSelector()  # the listener only: nothing is read
        frozen.register(listener, selectors.EVENT_READ, None)
        peers: dict[socket.socket, socket.socket] = {}
        held: list[socket.socket] = []  # taken while frozen, never answered
        try:
            while not self._stopping.is_set():
                if self._frozen.is_set():
                    if frozen.select(timeout=0.05):
                        held.append(listener.accept()[0])
                    continue
                for key, _events in selector.select(timeout=0.05):
                    sock = key.fileobj
                    if sock is listener:
                        self._accept(listener, selector, peers)
                    else:
                        self._pump(sock, selector, peers)
        finally:
            for sock in list(peers):
                self._close(sock, selector, peers)
            for sock in held:
                sock.close()
            selector.unregister(listener)
            listener.close()
            selector.close()
            frozen.close()

    def _accept(self, listener, selector, peers) -> None:
        client, _address = listener.accept()
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()  # the server behind us is down too: the client sees a close
            return
        upstream.settimeout(None)
        for sock in (client, upstream):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        peers[client], peers[upstream] = upstream, client
        selector.register(client, selectors.EVENT_READ, None)
        selector.register(upstream, selectors.EVENT_READ, None)
        self.accepted += 1

    def _pump(self, sock, selector, peers) -> None:
        peer = peers.get(sock)
        if peer is None:
            return  # closed earlier in this round
        try:
            data = sock.recv(65536)
            if data:
                peer.sendall(data)
                return
        except OSError:
            pass
        self._close(sock, selector, peers)

    @staticmethod
    def _close(sock, selector, peers) -> None:
        peer = peers.pop(sock, None)
        for each in (sock, peer):
            if each is None:
                continue
            peers.pop(each, None)
            with contextlib.suppress(KeyError, ValueError):
                selector.unregister(each)
            with contextlib.suppress(OSError):
                each.shutdown(socket.SHUT_RDWR)
            each.close()
