"""A TCP proxy the test controls, put in front of PostgreSQL to make the database go away and come back."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass


@dataclass
class ProxyStats:
    """What the proxy saw: connections piped, refused while cut, and cut off."""

    accepted: int = 0
    refused: int = 0
    cut_off: int = 0


class TcpProxy:
    """Accepts on a free loopback port and pipes each connection to `upstream`; `cut()` closes every connection
    and refuses new ones (accepted and reset at once), `restore()` pipes again."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        """Proxy to `upstream_host:upstream_port`; `start` opens the listening port."""
        self.upstream = (upstream_host, upstream_port)
        self.stats = ProxyStats()
        self.open = True
        self._server: asyncio.Server | None = None
        self._pairs: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def port(self) -> int:
        """The port clients connect to."""
        assert self._server is not None
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def start(self) -> TcpProxy:
        """Start listening."""
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.open:
            self.stats.refused += 1
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.transport.abort()
            return
        if not self.open:  # cut while connecting upstream
            up_writer.transport.abort()
            writer.transport.abort()
            return
        self.stats.accepted += 1
        pair = (writer, up_writer)
        self._pairs.add(pair)
        try:
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        finally:
            self._pairs.discard(pair)
            for side in pair:
                side.transport.abort()

    @staticmethod
    async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while chunk := await source.read(65536):
                sink.write(chunk)
                await sink.drain()
        sink.transport.abort()  # one side closed: close the other, as a dying server or network would

    def cut(self) -> int:
        """Close every piped connection and refuse new ones; return how many were cut off."""
        self.open = False
        cut = len(self._pairs)
        for client, upstream in list(self._pairs):
            client.transport.abort()
            upstream.transport.abort()
        self.stats.cut_off += cut
        return cut

    def restore(self) -> None:
        """Pipe new connections again."""
        self.open = True

    async def close(self) -> None:
        """Stop listening and close everything."""
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
