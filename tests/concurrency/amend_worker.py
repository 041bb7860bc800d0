"""Clients that place, amend and cancel orders on scarce SKUs at once; also runs as a separate client process.

    python -m tests.concurrency.amend_worker --base-url URL --token T --threads 4 --attempts 12 \
        --seed 1 --start-at EPOCH --shared SO00000001,SO00000002

prints one JSON list of attempt results on standard output. Each thread amends and cancels the orders
it placed and the `shared` ones every client knows, so several clients race for the same orders too.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from typing import Any

import httpx

from tests.concurrency.order_worker import SCARCE_SKUS, random_order, run_in_threads


def random_lines(rng: random.Random) -> list[dict[str, Any]]:
    skus = rng.sample(SCARCE_SKUS, rng.randint(1, 3))
    return [{"sku": sku, "quantity": rng.randint(1, 6), "warehouse": "SH"} for sku in skus]


def attempt(
    http: httpx.Client, token: str, kind: str, order_number: str | None, body: dict[str, Any]
) -> dict[str, Any]:
    path = {
        "place": "/api/v1/orders",
        "amend": f"/api/v1/orders/{order_number}/amendments",
        "cancel": f"/api/v1/orders/{order_number}/cancel",
    }[kind]
    result: dict[str, Any] = {"kind": kind, "order_number": order_number, "body": body}
    try:
        response = http.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError as exc:
        return {**result, "status": 0, "error": {"message": repr(exc)}}
    result["status"] = response.status_code
    answer = response.json()
    if response.status_code < 300:
        result["order_number"] = answer["order_number"]
        result["version"] = answer["version"]
        result["order_status"] = answer["status"]
        result["lines"] = sorted((line["sku"], line["warehouse"], line["quantity"]) for line in answer["lines"])
    else:
        result["error"] = answer
    return result


def run_clients(
    base_url: str,
    tokens: list[str],
    threads: int,
    attempts: int,
    seed: int,
    start_at: float | None = None,
    shared: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Each thread makes `attempts` attempts: place (40 %), amend (45 %) or cancel (15 %) a known order."""
    results: list[dict[str, Any]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def work(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        token = tokens[index % len(tokens)]
        known = list(shared or [])
        mine = []
        with httpx.Client(base_url=base_url, timeout=60) as http:
            http.get("/api/v1/health")
            barrier.wait()
            if start_at is not None:
                time.sleep(max(0.0, start_at - time.time()))
            for _ in range(attempts):
                roll = rng.random()
                if roll < 0.4 or not known:
                    done = attempt(http, token, "place", None, random_order(rng))
                    if done["status"] == 201:
                        known.append(done["order_number"])
                elif roll < 0.85:
                    body = {"lines": random_lines(rng), "reason": "customer called"}
                    done = attempt(http, token, "amend", rng.choice(known), body)
                else:
                    done = attempt(http, token, "cancel", rng.choice(known), {"reason": "changed plans"})
                mine.append(done)
        with lock:
            results.extend(mine)

    run_in_threads(work, threads)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True, action="append")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--attempts", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start-at", type=float)
    parser.add_argument("--shared", default="")
    args = parser.parse_args()
    shared = [n for n in args.shared.split(",") if n]
    results = run_clients(args.base_url, args.token, args.threads, args.attempts, args.seed, args.start_at, shared)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
