#!/usr/bin/env python3
"""Draws the controller evaluator's reports as an SVG chart (no plotting library needed).

Input: JSON lines of wm.evaluations as `worldstream topics watch wm.evaluations --from-beginning`
prints them (several files: one series per file, named by --label). Output: an SVG on stdout;
convert it with `rsvg-convert -o chart.png chart.svg`.

    plot_evaluations.py --title T --baseline random=-30.3 --baseline brownian=-56.1 \
        --checkpoint 36 --label 'tau 1.15' run-115.jsonl --label 'tau 1.0' run-100.jsonl > chart.svg
"""
import argparse
import json

W, H = 1060, 560
LEFT, RIGHT, TOP, BOTTOM = 70, 300, 50, 60
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]


def load(path, checkpoint=None):
    reports = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                report = json.loads(line)["value"]
                if checkpoint is None or report["checkpointVersion"] == checkpoint:
                    reports.append(report)
    return reports


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--title", default="Controller search: dream and real returns")
    p.add_argument("--baseline", action="append", default=[], help="NAME=VALUE, a real return")
    p.add_argument("--label", action="append", required=True)
    p.add_argument("--checkpoint", type=int, help="only the reports on this checkpoint version")
    p.add_argument("--xlabel", default="generation (all checkpoints, in order)")
    p.add_argument("files", nargs="+")
    a = p.parse_intermixed_args()
    series = [(label, load(path, a.checkpoint)) for label, path in zip(a.label, a.files)]
    baselines = [(b.split("=")[0], float(b.split("=")[1])) for b in a.baseline]

    values = [v for _, rs in series for r in rs
              for v in (r["bestReturn"], r["meanReturn"], r.get("realReturn"))
              if v is not None] + [v for _, v in baselines]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.08 or 1
    lo, hi = lo - pad, hi + pad
    n = max(len(rs) for _, rs in series)

    def x(i):
        return LEFT + (W - LEFT - RIGHT) * (i / max(1, n - 1))

    def y(v):
        return TOP + (H - TOP - BOTTOM) * (1 - (v - lo) / (hi - lo))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'font-family="sans-serif" font-size="13">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W / 2}" y="28" text-anchor="middle" font-size="16">{a.title}</text>']
    step = nice_step((hi - lo) / 6)
    t = step * (lo // step + 1)
    while t < hi:
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
                   f'stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y(t) + 4:.1f}" text-anchor="end">{t:g}</text>')
        t += step
    xstep = nice_step(n / 8)
    i = 0
    while i < n:
        out.append(f'<text x="{x(i):.1f}" y="{H - BOTTOM + 20}" text-anchor="middle">{i}</text>')
        i += xstep
    out.append(f'<text x="{(LEFT + W - RIGHT) / 2}" y="{H - 18}" text-anchor="middle">'
               f'{a.xlabel}</text>')
    out.append(f'<text x="18" y="{(TOP + H - BOTTOM) / 2}" text-anchor="middle" '
               f'transform="rotate(-90 18 {(TOP + H - BOTTOM) / 2})">return</text>')
    legend = []
    for k, (name, value) in enumerate(baselines):
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                   f'stroke="#555" stroke-dasharray="{4 + 4 * k},4"/>')
        legend.append((f"{name} policy, real", "#555", "dash"))
    for s, (label, rs) in enumerate(series):
        colour = COLOURS[s % len(COLOURS)]
        for key, width, opacity in (("bestReturn", 2, 1.0), ("meanReturn", 1.2, 0.55)):
            pts = " ".join(f"{x(i):.1f},{y(r[key]):.1f}" for i, r in enumerate(rs))
            out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" '
                       f'stroke-width="{width}" stroke-opacity="{opacity}"/>')
        for i, r in enumerate(rs):
            if r.get("realReturn") is not None:
                out.append(f'<circle cx="{x(i):.1f}" cy="{y(r["realReturn"]):.1f}" r="5" '
                           f'fill="{colour}" stroke="black"/>')
        legend += [(f"{label}: dream, best candidate", colour, "thick"),
                   (f"{label}: dream, population mean", colour, "thin"),
                   (f"{label}: best so far, real", colour, "dot")]
    for k, (text, colour, kind) in enumerate(legend):
        ly = TOP + 10 + 22 * k
        lx = W - RIGHT + 14
        if kind == "dot":
            out.append(f'<circle cx="{lx + 12}" cy="{ly}" r="5" fill="{colour}" stroke="black"/>')
        else:
            dash = ' stroke-dasharray="6,4"' if kind == "dash" else ""
            sw = 2 if kind == "thick" else 1.2
            op = 0.55 if kind == "thin" else 1
            out.append(f'<line x1="{lx}" x2="{lx + 24}" y1="{ly}" y2="{ly}" stroke="{colour}" '
                       f'stroke-width="{sw}" stroke-opacity="{op}"{dash}/>')
        out.append(f'<text x="{lx + 30}" y="{ly + 4}" font-size="11">{text}</text>')
    out.append("</svg>")
    print("\n".join(out))


def nice_step(raw):
    for m in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if raw <= m:
            return m
    return 1000


if __name__ == "__main__":
    main()
