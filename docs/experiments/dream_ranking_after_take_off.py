#!/usr/bin/env python3
"""How well the dream told driving controllers apart, per run: from the in-loop checks of `worldstream
bench learn` runs (`in_loop_checks.py`), the minute of take-off (the first check at 150 or more),
and over the checks from five minutes after it, their mean real return, the dream's mean over-rating
(dream − real) and the correlation between the dream's return and the real one. Prints a Markdown
table.

    dream_ranking_after_take_off.py learn-*/*/in-loop-checks.jsonl
"""
import json
import os
import statistics
import sys

TAKE_OFF = 150
SETTLE_MINUTES = 5


def main(paths):
    print("| run | take-off (minute) | checks after | real, mean | dream − real | r(dream, real) |")
    print("|---|---|---|---|---|---|")
    for path in paths:
        rows = [json.loads(line) for line in open(path) if line.startswith("{")]
        run = os.path.relpath(os.path.dirname(path), os.path.dirname(os.path.dirname(path)) + "/..")
        take_off = next((r["minute"] for r in rows if r["realMean"] >= TAKE_OFF), None)
        if take_off is None:
            print(f"| {run} | none | | | | |")
            continue
        after = [r for r in rows if r["minute"] >= take_off + SETTLE_MINUTES]
        if len(after) < 3:
            print(f"| {run} | {take_off} | {len(after)} | | | |")
            continue
        real = [r["realMean"] for r in after]
        dream = [r["dreamReturn"] for r in after]
        gap = statistics.mean(d - r for d, r in zip(dream, real))
        print(f"| {run} | {take_off} | {len(after)} | {statistics.mean(real):.0f} | {gap:+.0f} "
              f"| {statistics.correlation(dream, real):.2f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
