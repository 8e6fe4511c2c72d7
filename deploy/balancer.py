"""A small TCP load balancer for Prefect's API processes, for trying the scale-out topology
on one machine (``deploy/local-cluster.sh``) and for its tests.

    python deploy/balancer.py --listen 127.0.0.1:4200 \\
        --backend 127.0.0.1:4201 --backend 127.0.0.1:4202

Each new client connection goes to the next backend in turn; a backend that refuses the
connection (its process is gone) is skipped and the next one tried, so clients keep
working while one API process is down. A connection already open to a backend that dies
is closed; Prefect's client retries such a request on a new connection. It passes bytes
through untouched (HTTP, keep-alive and WebSockets alike). In production, put nginx,
HAProxy or the cloud's load balancer in front of the API processes instead, with
``/api/health`` as the health check.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import signal
import sys
import time

CONNECT_TIMEOUT = 3.0
DOWN_FOR = 2.0  # seconds a refusing backend is tried last


def _address(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not HOST:PORT")
    return host or "127.0.0.1", int(port)


class Balancer:
    def __init__(self, backends: list[tuple[str, int]]) -> None:
        self.backends = backends
        self.turn = itertools.cycle(range(len(backends)))
        self.down_until = [0.0] * len(backends)

    def order(self) -> list[int]:
        first = next(self.turn)
        order = [(first + i) % len(self.backends) for i in range(len(self.backends))]
        now = time.monotonic()
        return sorted(order, key=lambda i: self.down_until[i] > now)  # stable: up ones first

    async def connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        for index in self.order():
            host, port = self.backends[index]
            try:
                opened = await asyncio.wait_for(
                    asyncio.open_connection(host, port), CONNECT_TIMEOUT
                )
            except (OSError, TimeoutError):
                self.down_until[index] = time.monotonic() + DOWN_FOR
                continue
            self.down_until[index] = 0.0
            return opened
        return None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        opened = await self.connect()
        if opened is None:  # every backend is down: the client sees the connection close
            writer.close()
            return
        upstream_reader, upstream_writer = opened
        await asyncio.gather(
            _pipe(reader, upstream_writer), _pipe(upstream_reader, writer), return_exceptions=True
        )
        for stream in (writer, upstream_writer):
            stream.close()


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    try:
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
        if sink.can_write_eof():
            sink.write_eof()
    except (OSError, RuntimeError):
        sink.close()  # one side broke: so does the other, as if there were no balancer
        with contextlib.suppress(Exception):
            source.feed_eof()


async def serve(listen: tuple[str, int], backends: list[tuple[str, int]]) -> None:
    balancer = Balancer(backends)
    server = await asyncio.start_server(balancer.handle, *listen, reuse_address=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with server:
        await stop.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", type=_address, required=True, metavar="HOST:PORT")
    parser.add_argument(
        "--backend", type=_address, action="append", required=True, metavar="HOST:PORT"
    )
    args = parser.parse_args(argv)
    try:
        asyncio.run(serve(args.listen, args.backend))
    except OSError as exc:
        host, port = args.listen
        print(f"balancer: cannot listen on {host}:{port}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
