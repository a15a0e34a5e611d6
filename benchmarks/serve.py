"""Benchmark: ``zhiping serve`` under N concurrent clients, beside ``Store.evaluate`` in-process.

A synthetic district (``zhiping synth``) is recorded into fresh stores:

- in this process, one session after another with :meth:`zhiping.store.Store.evaluate`
  (the rate a frontend reaches calling the library in one thread), before and after the
  server's runs (the ratio is to the faster of the two);
- through a real ``zhiping serve --store`` on a localhost port, by N client threads
  POSTing ``/sessions`` with a bearer token, each on its own connection.

It prints sessions per second on both sides, their ratio (target: the server keeps
≥ 80% of the in-process rate under 8 clients), and the latency p50/p95/p99 of the
requests. Bounded and local: localhost only, a fixed number of sessions.

Run: ``python benchmarks/serve.py [--villages 588] [--clients 8] [--workers 1 2]`` with the
``serve`` extra installed (each number of workers is measured in turn). Figures only:
nothing asserts.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from zhiping.store import Store

TOKEN = "benchmark-token-of-the-district-0001"


def free_port() -> int:
    """Return a port nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def district(villages: int) -> list[str]:
    """Return the JSON lines of a synthetic district, one year."""
    drawn = subprocess.run(
        [sys.executable, "-m", "zhiping", "synth", "--villages", str(villages)],
        capture_output=True,
        text=True,
        check=True,
    )
    return drawn.stdout.splitlines()


def in_process(lines: list[str], database: Path) -> float:
    """Record every line with ``Store.evaluate``; return sessions per second."""
    start = time.perf_counter()
    with Store(database) as store:
        for line in lines:
            store.evaluate(line)
    return len(lines) / (time.perf_counter() - start)


def serving(database: Path, directory: Path, workers: int) -> Iterator[str]:
    """Start ``zhiping serve`` on a free port; yield its base URL; stop it."""
    tokens = directory / "tokens.toml"
    digest = hashlib.sha256(TOKEN.encode()).hexdigest()
    tokens.write_text(
        f'[[token]]\nname = "benchmark"\nsha256 = "{digest}"\nprefixes = ["420117"]\n',
        encoding="utf-8",
    )
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "zhiping", "serve", "--store", str(database), "--tokens",
         str(tokens), "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(f"{base}/packs", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            raise SystemExit(f"zhiping serve did not start (exit status {process.poll()})")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def over_http(
    lines: list[str], base: str, clients: int, query: str
) -> tuple[float, list[float], int]:
    """POST every line from ``clients`` threads; return sessions/s, latencies, failures."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    shares = [lines[index::clients] for index in range(clients)]

    def client(share: list[str]) -> None:
        nonlocal failures
        headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
        host, port = base.removeprefix("http://").split(":")
        # The standard library's client on a kept-alive connection: the clients share the
        # server's two cores here, so the lighter they are the less they take from it.
        connection = http.client.HTTPConnection(host, int(port), timeout=120)
        try:
            for line in share:
                start = time.perf_counter()
                connection.request(
                    "POST", f"/sessions{query}", body=line.encode("utf-8"), headers=headers
                )
                answer = connection.getresponse()
                answer.read()
                took = time.perf_counter() - start
                with lock:
                    latencies.append(took)
                    failures += answer.status not in (200, 201)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(lines) / (time.perf_counter() - start), latencies, failures


def main() -> None:
    """Measure both sides and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=588)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, 2], help="zhiping serve --workers N, each"
    )
    options = parser.parse_args()
    lines = district(options.villages)
    figures: dict[str, float] = {}
    print(f"sessions: {len(lines)} ({os.cpu_count()} cores), {options.clients} clients")
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        # In-process before and after the server's runs; the ratio is to the faster of
        # the two, so that a machine busier during one of them flatters nothing.
        before = in_process(lines, directory / "library-before.db")
        print(f"Store.evaluate in-process, before: {before:8.1f} sessions/s")
        served: dict[str, tuple[float, list[float], int]] = {}
        # The answer with the whole outcome (format 1), then with the compact one and no
        # trace; the store keeps the whole outcome either way.
        for workers in options.workers:
            for answer, query in (
                ("outcome/1", ""),
                ("outcome/2, no trace", "?outcome_version=2&trace=none"),
            ):
                server = serving(directory / f"served{len(served)}.db", directory, workers)
                base = next(server)
                try:
                    served[f"--workers {workers}, answering {answer}"] = over_http(
                        lines, base, options.clients, query
                    )
                finally:
                    server.close()
        after = in_process(lines, directory / "library-after.db")
        print(f"Store.evaluate in-process, after:  {after:8.1f} sessions/s")
        library = max(before, after)
        figures["in_process"] = library
        for answer, (rate, latencies, failures) in served.items():
            cuts = statistics.quantiles(latencies, n=100)
            ratio = rate / library
            verdict = "met" if ratio >= 0.8 else "NOT MET"
            print(
                f"zhiping serve {answer}: "
                f"{rate:7.1f} requests/s ({failures} failed), {ratio:.0%} of in-process "
                f"(target ≥ 80%: {verdict}); latency p50/p95/p99 "
                f"{cuts[49] * 1000:.0f}/{cuts[94] * 1000:.0f}/{cuts[98] * 1000:.0f} ms"
            )
            figures[answer] = rate
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
