#!/usr/bin/env python3
"""Summarises learning-curve.jsonl files written by `worldstream bench learn`: per run, the real
return at every mark, the return at the end, and the curve's largest fall after 30 minutes (how far
a mark fell below the best mark before it). Prints one Markdown table.

    summarise_learning_curve.py baseline/learning-curve.jsonl mean-dropout/learning-curve.jsonl
"""
import json
import sys


def load(path):
    rows = [json.loads(line) for line in open(path) if line.startswith("{")]
    marks = [r for r in rows if r["series"] == "controller"]
    # A regular mark that falls within half a minute of the end is the end, measured twice: keep
    # the end (driven on the most tracks).
    marks = [m for i, m in enumerate(marks)
             if i + 1 == len(marks) or marks[i + 1]["minutes"] - m["minutes"] > 0.5]
    baselines = {r["series"]: r["realMean"] for r in rows if r["series"] != "controller"}
    return marks, baselines


def main():
    header = None
    lines = []
    for path in sys.argv[1:]:
        marks, baselines = load(path)
        if header is None:
            header = [f"{m['minutes']:.0f} min" for m in marks]
        best = float("-inf")
        worst_fall = 0.0
        for m in marks:
            real = m["realMean"]
            if real is None:
                continue
            if m["minutes"] > 30 and best > float("-inf"):
                worst_fall = max(worst_fall, best - real)
            best = max(best, real)
        cells = ["–" if m["realMean"] is None else f"{m['realMean']:.0f}" for m in marks]
        gaps = [m["dreamReturn"] - m["realMean"] for m in marks
                if m["realMean"] is not None and m["dreamReturn"] is not None]
        lines.append(
            f"| {path.split('/')[-2]} | " + " | ".join(cells)
            + f" | {worst_fall:.0f} | {sum(gaps) / len(gaps):+.0f} |"
            + f" {baselines.get('random', float('nan')):.0f} / {baselines.get('brownian', float('nan')):.0f} |")
    print("| run | " + " | ".join(header) + " | largest fall after 30 min | mean dream − real |"
          " random / brownian |")
    print("|---" * (len(header) + 4) + "|")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
