"""Places orders against a running server from many threads; also runs as a separate client process.

    python -m tests.concurrency.order_worker --base-url URL --token T --threads 4 --attempts 10 \
        --seed 1 --start-at EPOCH [--same-ref edi/PO-1]

prints one JSON list of attempt results on standard output.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

SCARCE_SKUS = ("BOLT-M8", "LAMP-LED-9W", "CABLE-CAT6")
CUSTOMERS = ("C-ACME", "C-NORTH", "C-HUAXIN")


def random_order(rng: random.Random) -> dict[str, Any]:
    skus = rng.sample(SCARCE_SKUS, rng.randint(1, 3))
    lines = [{"sku": sku, "quantity": rng.randint(1, 4), "warehouse": "SH"} for sku in skus]
    if rng.random() < 0.2:  # now and then the same SKU twice in one order
        lines.append({**lines[0], "quantity": rng.randint(1, 2)})
    return {"customer_code": rng.choice(CUSTOMERS), "lines": lines}


def send(http: httpx.Client, token: str, body: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        response = http.post("/api/v1/orders", json=body, headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError as exc:
        return {"status": 0, "error": repr(exc), "body": body}
    result: dict[str, Any] = {
        "status": response.status_code,
        "seconds": time.perf_counter() - started,
        "body": body,
    }
    try:
        answer = response.json()
    except ValueError:
        answer = {"text": response.text}
    if response.status_code == 201:
        result["order_number"] = answer["order_number"]
        result["lines"] = [(line["sku"], line["warehouse"], line["quantity"]) for line in answer["lines"]]
    else:
        result["error"] = answer
    return result


def run_threads(
    base_url: str,
    token: str | list[str],
    threads: int,
    attempts: int,
    seed: int,
    start_at: float | None = None,
    same: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Each thread sends `attempts` orders (random ones, or `same` every time) once the start time comes.

    With a list of tokens, thread i signs its requests with token i modulo the list's length.
    """
    tokens = [token] if isinstance(token, str) else token
    results: list[dict[str, Any]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def work(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        mine = []
        with httpx.Client(base_url=base_url, timeout=60) as http:
            http.get("/api/v1/health")  # open the connection before the start
            barrier.wait()
            if start_at is not None:
                time.sleep(max(0.0, start_at - time.time()))
            for _ in range(attempts):
                mine.append(send(http, tokens[index % len(tokens)], same if same is not None else random_order(rng)))
        with lock:
            results.extend(mine)

    run_in_threads(work, threads)
    return results


def run_in_threads(work: Callable[[int], None], threads: int) -> None:
    """work(0) … work(threads - 1), each in its own thread; returns when all are done."""
    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--attempts", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start-at", type=float)
    parser.add_argument("--same-ref", help="channel/external_ref: send this one order every time")
    args = parser.parse_args()
    same = None
    if args.same_ref:
        channel, external_ref = args.same_ref.split("/", 1)
        same = {
            "customer_code": "C-NORTH",
            "channel": channel,
            "external_ref": external_ref,
            "lines": [{"sku": "LAMP-LED-9W", "quantity": 2, "warehouse": "SH"}],
        }
    results = run_threads(args.base_url, args.token, args.threads, args.attempts, args.seed, args.start_at, same)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
