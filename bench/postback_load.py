#!/usr/bin/env python3
"""Load on the postback receiver: sends postbacks from concurrent keep-alive loopback clients to
`clv serve` and checks the answers against raw.conversions.

The postbacks (seeded) are unique conversions, `--duplicates` of them repeats of an earlier one and
`--malformed` of them a revenue that is not a number. With `--sigterm-pid`, the server gets SIGTERM
once `--sigterm-after` answers have arrived, and the clients keep sending until it is gone.

Checks: every conversion answered 200 is in raw.conversions exactly once; every malformed postback
answered at all got 400 with the parameter and a reason; no conversion is stored without its
answer (a drain finishes what is in flight); without SIGTERM, every conversion was
answered 200 and the table holds exactly the distinct valid conversions sent. Prints a JSON summary
(throughput, p50/p99 latency, counts, violations); exits 1 on any violation.
Usage: postback_load.py --port P --database-url URL [--total 100000] [--clients 50] [--prefix pb]
"""
import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time


def plan(args):
    """The postbacks to send, in order: (conversion id or None when malformed, query string)."""
    rng = random.Random(args.seed)
    sent = []
    for index in range(args.total):
        roll = rng.random()
        if roll < args.malformed:
            sent.append((None, f"conversion_id={args.prefix}-bad-{index}&revenue=abc{index}"))
        elif roll < args.malformed + args.duplicates and sent:
            sent.append(rng.choice(sent))
        else:
            key = f"{args.prefix}-{index}"
            sent.append((key, f"conversion_id={key}&user_id=cust_{rng.randrange(5000)}"
                              f"&revenue={rng.randrange(1, 50000) / 100}&geo=EU{rng.randrange(3)}"))
    return sent


async def client(port, queue, results, answered, stop):
    """Sends postbacks over one keep-alive connection (reconnecting when the server closes it)."""
    reader = writer = None
    while True:
        try:
            key, query = queue.get_nowait()
        except asyncio.QueueEmpty:
            break
        started = time.perf_counter()
        status, body = None, ""
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"GET /postback?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            await writer.drain()
            head = (await reader.readuntil(b"\r\n\r\n")).decode()
            status = int(head.split(" ", 2)[1])
            length = next(int(line.split(":", 1)[1]) for line in head.split("\r\n")
                          if line.lower().startswith("content-length:"))
            body = (await reader.readexactly(length)).decode()
            if "connection: close" in head.lower():
                writer.close()
                writer = None
        except (OSError, asyncio.IncompleteReadError, ValueError, StopIteration):
            if writer is not None:
                writer.close()
            writer = None
        results.append((key, query, status, body, time.perf_counter() - started))
        if status is not None:
            answered[0] += 1
            if answered[0] == stop[0]:
                stop[1]()
        elif stop[2]():
            # The server is gone: what is left is not sent.
            break
    if writer is not None:
        writer.close()


def psql(url, query):
    out = subprocess.run(["psql", url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", query],
                         capture_output=True, text=True, check=True)
    return out.stdout.split()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duplicates", type=float, default=0.2)
    parser.add_argument("--malformed", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prefix", default="pb")
    parser.add_argument("--sigterm-pid", type=int)
    parser.add_argument("--sigterm-after", type=int, default=0)
    args = parser.parse_args()

    postbacks = plan(args)
    queue = asyncio.Queue()
    for item in postbacks:
        queue.put_nowait(item)
    results = []
    answered = [0]
    signalled = [False]

    def terminate():
        if args.sigterm_pid:
            signalled[0] = True
            os.kill(args.sigterm_pid, signal.SIGTERM)

    def server_gone():
        if not signalled[0]:
            return False
        try:
            os.kill(args.sigterm_pid, 0)
            return False
        except ProcessLookupError:
            return True

    stop = [args.sigterm_after if args.sigterm_pid else -1, terminate, server_gone]
    started = time.perf_counter()
    await asyncio.gather(*(client(args.port, queue, results, answered, stop) for _ in range(args.clients)))
    seconds = time.perf_counter() - started

    violations = []
    recorded = {key for key, _, status, _, _ in results if key and status == 200}
    in_table = set(psql(args.database_url,
                        f"select conversion_id from raw.conversions where conversion_id like '{args.prefix}-%'"))
    lost = recorded - in_table
    if lost:
        violations.append(f"{len(lost)} conversion(s) answered 200 but not in raw.conversions, e.g. {sorted(lost)[:3]}")
    # A request the server processed must have been answered: a drain finishes what is in flight.
    unanswered = {key for key, _, status, _, _ in results if key and status is None} - recorded
    cut_off = unanswered & in_table
    if cut_off:
        violations.append(f"{len(cut_off)} conversion(s) stored but never answered (cut off in flight)")
    for key, query, status, body, _ in results:
        if key is None and status is not None:
            answer = json.loads(body) if body else {}
            if status != 400 or answer.get("parameter") != "revenue" or "number" not in answer.get("error", ""):
                violations.append(f"malformed {query} answered {status} {body}")
                break
        elif key is not None and status not in (200, None):
            violations.append(f"{key} answered {status} {body}")
            break
    valid = {key for key, _ in postbacks if key}
    if not args.sigterm_pid:
        if recorded != valid:
            violations.append(f"{len(valid - recorded)} valid conversion(s) not answered 200")
        if in_table != valid:
            violations.append(f"raw.conversions holds {len(in_table)} of the {len(valid)} distinct conversions sent")
    latencies = sorted(latency for _, _, status, _, latency in results if status is not None)

    def percentile(share):
        return round(1000 * latencies[min(len(latencies) - 1, int(share * len(latencies)))], 2) if latencies else None

    statuses = {}
    for _, _, status, _, _ in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    print(json.dumps({
        "postbacks": len(results), "clients": args.clients, "seconds": round(seconds, 2),
        "answered_per_second": round(len(latencies) / seconds), "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99), "statuses": statuses, "distinct_valid_sent": len(valid),
        "recorded_200": len(recorded), "in_table": len(in_table), "unanswered": len(unanswered),
        "sigterm": bool(args.sigterm_pid),
        "violations": violations,
    }, indent=2))
    sys.exit(1 if violations else 0)


if __name__ == "__main__":
    asyncio.run(main())
