#!/usr/bin/env python3
"""The in-loop real checks of a `worldstream bench learn` run, as JSONL: one line per checked
controller, with the minute of the loop its check was first reported, its real return on the
selection tracks, and the dream return the search gave it when it was published.

    in_loop_checks.py RUN.log > in-loop-checks.jsonl

RUN.log is bench learn's output: its status lines (`37.2 min: … real 474 ± 151 on 16 tracks
(controller v180) …`) and the loop's `Controller … vN (dream return X) is now the newest` lines.
"""
import json
import re
import sys

STATUS = re.compile(
    r"^\s*([0-9.]+) min: .*real (-?[0-9.]+) ± ([0-9.]+) on (\d+) tracks \(controller v(\d+)\)")
DREAM = re.compile(r"Controller \S+ v(\d+) \(dream return (-?[0-9.eE+-]+)\)")


def main(path):
    dreams = {}
    seen = set()
    for line in open(path, encoding="utf-8", errors="replace"):
        d = DREAM.search(line)
        if d:
            dreams[int(d.group(1))] = float(d.group(2))
            continue
        s = STATUS.match(line)
        if s and int(s.group(5)) not in seen:
            version = int(s.group(5))
            seen.add(version)
            row = {"minute": round(float(s.group(1))), "controllerVersion": version,
                   "realMean": float(s.group(2)), "realSd": float(s.group(3))}
            if version in dreams:
                row["dreamReturn"] = dreams[version]
            row["tracks"] = int(s.group(4))
            print(json.dumps(row))


if __name__ == "__main__":
    main(sys.argv[1])
