#!/usr/bin/env python3
"""Writes a reproducible conversions CSV for the ingest benchmark: N rows, custom data points."""
import random
import sys
from datetime import datetime, timedelta, timezone

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
path = sys.argv[2] if len(sys.argv) > 2 else "conversions.csv"
rng = random.Random(42)
start = datetime(2024, 1, 1, tzinfo=timezone.utc)
events = ["base", "deposit", "trade", "deposit", "deposit"]
with open(path, "w") as out:
    out.write("conversion_id,user_id,occurred_at,event,offer_id,partner_id,click_id,revenue,payout,geo,deposit\n")
    for i in range(rows):
        at = start + timedelta(seconds=rng.randrange(0, 365 * 86400))
        event = events[i % 5]
        revenue = f"{rng.paretovariate(1.5) * 20:.2f}" if event != "base" else "0"
        deposit = revenue if event == "deposit" else ""
        out.write(
            f"cv{i},cust_{rng.randrange(0, rows // 10)},{at.strftime('%Y-%m-%dT%H:%M:%SZ')},{event},"
            f"offer_{i % 40},p{i % 200},k{i},{revenue},{'10' if event == 'base' else '0'},EU{i % 3},{deposit}\n"
        )
