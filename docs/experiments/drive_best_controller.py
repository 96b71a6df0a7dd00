#!/usr/bin/env python3
"""Drives a lineage's best checked controller on the given tracks through a running server.

    ./worldstream broker --data-dir DATA_DIR --port 29092 --no-topics &
    ./worldstream serve -b 127.0.0.1:29092 --no-evaluator --http-port 28080 &
    python3 docs/experiments/drive_best_controller.py http://127.0.0.1:28080 OUT_DIR SEED[,SEED...]

For each track: one line (return, steps, tiles touched of all), and OUT_DIR/track-SEED.png (the
track from above with the car's path, as POST /api/episodes draws it) and OUT_DIR/episode-SEED.gif
(every 10th observation). Evaluation tracks are seeds 2000000000 and up; the i-th return of a
`bench learn` mark is seed 2000000000 + i.
"""
import base64
import json
import sys
import urllib.error
import urllib.request


def call(base, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        base + path, data=data, headers={"Content-Type": "application/json"})
    try:
        return json.load(urllib.request.urlopen(request, timeout=600))
    except urllib.error.HTTPError as e:
        return {"error": e.read().decode()}


def save(data_url, path):
    with open(path, "wb") as f:
        f.write(base64.b64decode(data_url.split(",", 1)[1]))


def main(base, out, seeds):
    lineage = call(base, "/api/lineages")["lineages"][0]["lineage"]
    best = call(base, f"/api/lineages/{lineage}/controllers/best")
    print(f"{lineage}: best checked controller v{best['version']} of checkpoint "
          f"v{best['checkpointVersion']}, checked {best['realReturn']:.1f}")
    for seed in seeds:
        episode = call(base, "/api/episodes", {
            "lineage": lineage, "version": best["checkpointVersion"],
            "controller": "parameters", "parameters": best["parameters"],
            "seed": seed, "steps": 1000, "every": 10})
        if "error" in episode:
            print(f"track {seed}: {episode['error']}")
            continue
        print(f"track {seed}: return {episode['totalReward']:.1f} in {episode['steps']} steps, "
              f"{episode['tilesVisited']} of {episode['tiles']} tiles")
        save(episode["track"], f"{out}/track-{seed}.png")
        save(episode["gif"], f"{out}/episode-{seed}.gif")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3].split(",")])
