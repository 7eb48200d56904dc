"""A small keep-alive HTTP/1.1 client on an asyncio protocol: cheap per request.

The load generator shares the machine with the server it measures, so every
microsecond it spends per request is taken from the server: no stream readers,
no header dictionaries — one write per request, and a parser that finds the
status, the body length (or chunks) and the body in the received bytes.
"""

from __future__ import annotations

import asyncio

__all__ = ["HttpConnection", "HttpError", "parse_response"]


class HttpError(Exception):
    """The server answered something that is not an HTTP/1.1 response."""


def parse_response(buffer: bytes | bytearray) -> tuple[int, bytes, int] | None:
    """(status, body, bytes consumed) of the first complete response, or None if incomplete."""
    head_end = buffer.find(b"\r\n\r\n")
    if head_end < 0:
        return None
    head = bytes(buffer[:head_end]).decode("latin-1").split("\r\n")
    try:
        status = int(head[0].split(" ", 2)[1])
    except (IndexError, ValueError):
        raise HttpError(f"not an HTTP status line: {head[0][:60]!r}") from None
    length, chunked = 0, False
    for line in head[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    start = head_end + 4
    if not chunked:
        if len(buffer) < start + length:
            return None
        return status, bytes(buffer[start : start + length]), start + length
    body = bytearray()
    position = start
    while True:
        line_end = buffer.find(b"\r\n", position)
        if line_end < 0:
            return None
        size = int(bytes(buffer[position:line_end]).split(b";")[0] or b"0", 16)
        chunk_start = line_end + 2
        if len(buffer) < chunk_start + size + 2:
            return None
        if size == 0:
            return status, bytes(body), chunk_start + 2
        body += buffer[chunk_start : chunk_start + size]
        position = chunk_start + size + 2


def _expire(waiter: asyncio.Future[tuple[int, bytes]]) -> None:
    # cheaper than asyncio.wait_for, which wraps every request in a task
    if not waiter.done():
        waiter.set_exception(TimeoutError("no response in time"))


class _Protocol(asyncio.Protocol):
    def __init__(self) -> None:
        self.buffer = bytearray()
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.transport: asyncio.Transport | None = None
        self.lost: Exception | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.waiter is None or self.waiter.done():
            return
        try:
            parsed = parse_response(self.buffer)
        except (HttpError, ValueError) as exc:
            self.waiter.set_exception(HttpError(str(exc)))
            return
        if parsed is not None:
            status, body, used = parsed
            del self.buffer[:used]
            self.waiter.set_result((status, body))

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = exc or ConnectionResetError("the server closed the connection")
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(self.lost)


class HttpConnection:
    """One keep-alive connection posting to one path; reopened after any failure."""

    def __init__(self, host: str, port: int, path: str, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        lines = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self._head = ("\r\n".join(lines) + "\r\nContent-Length: ").encode("latin-1")
        self._protocol: _Protocol | None = None

    async def post(self, body: bytes, timeout: float) -> tuple[int, bytes]:
        """Send one request and wait for its response (status, body)."""
        protocol = self._protocol
        if protocol is None or protocol.lost is not None:
            loop = asyncio.get_running_loop()
            _, protocol = await loop.create_connection(_Protocol, self.host, self.port)
            self._protocol = protocol
        assert protocol.transport is not None
        loop = asyncio.get_running_loop()
        waiter = loop.create_future()
        protocol.waiter = waiter
        protocol.transport.write(self._head + str(len(body)).encode() + b"\r\n\r\n" + body)
        expiry = loop.call_later(timeout, _expire, waiter)
        try:
            return await waiter
        finally:
            expiry.cancel()
            protocol.waiter = None

    def close(self) -> None:
        """Close the socket (the next post opens a new one)."""
        if self._protocol is not None and self._protocol.transport is not None:
            self._protocol.transport.close()
        self._protocol = None
