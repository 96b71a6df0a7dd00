#!/usr/bin/env python3
"""Draws the MDN-RNN's held-out learning curves as an SVG chart (no plotting library needed).

Input: the JSON lines LearnerQualityExperiment writes (target/learner-quality/curves.jsonl):
{"series", "gradientSteps", "nll", "rewardMse", "doneBce", "trainSeconds"}. Series whose name ends
in " final" end the curve of that name (the model after its last step); "untrained" and
"persistence" are drawn as flat lines.
Output: an SVG on stdout; convert it with `rsvg-convert -o chart.png chart.svg`.

    plot_learning_curves.py --metric nll --series 'online L32 S16' --series offline curves.jsonl
"""
import argparse
import json
import math

W, H = 1060, 560
LEFT, RIGHT, TOP, BOTTOM = 80, 300, 50, 60
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
NAMES = {"nll": "held-out NLL per latent dimension (nats)",
         "rewardMse": "held-out reward MSE", "doneBce": "held-out done BCE"}


def nice_step(raw):
    exponent = math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * 10 ** exponent:
            return m * 10 ** exponent
    return 10 ** (exponent + 1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--metric", default="nll", choices=sorted(NAMES))
    p.add_argument("--series", action="append", required=True, help="a series to draw, in order")
    p.add_argument("--title", default="MDN-RNN on brownian CarRacing latents: held-out loss")
    p.add_argument("file")
    a = p.parse_args()
    rows = [json.loads(line) for line in open(a.file) if line.startswith("{")]
    flat = {r["series"]: r[a.metric] for r in rows
            if r["series"] in ("untrained", "persistence") and r[a.metric] is not None}
    curves = [(name, sorted({r["gradientSteps"]: r[a.metric] for r in rows
                             if r["series"] in (name, name + " final")
                             and r[a.metric] is not None}.items()))
              for name in a.series]

    values = [v for _, pts in curves for _, v in pts] + list(flat.values())
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.08 or 1
    lo, hi = lo - pad, hi + pad
    xmax = max(s for _, pts in curves for s, _ in pts)

    def x(s):
        return LEFT + (W - LEFT - RIGHT) * s / xmax

    def y(v):
        return TOP + (H - TOP - BOTTOM) * (1 - (v - lo) / (hi - lo))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'font-family="sans-serif" font-size="13">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W / 2}" y="28" text-anchor="middle" font-size="16">{a.title}</text>']
    step = nice_step((hi - lo) / 6)
    t = step * math.floor(lo / step + 1)
    while t < hi:
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
                   f'stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y(t) + 4:.1f}" text-anchor="end">{t:.4g}</text>')
        t += step
    xstep = nice_step(xmax / 8)
    s = 0
    while s <= xmax:
        out.append(f'<text x="{x(s):.1f}" y="{H - BOTTOM + 20}" text-anchor="middle">{s:g}</text>')
        s += xstep
    out.append(f'<text x="{(LEFT + W - RIGHT) / 2}" y="{H - 18}" text-anchor="middle">'
               f'gradient steps (minibatches of 16 sequences)</text>')
    out.append(f'<text x="18" y="{(TOP + H - BOTTOM) / 2}" text-anchor="middle" '
               f'transform="rotate(-90 18 {(TOP + H - BOTTOM) / 2})">{NAMES[a.metric]}</text>')
    legend = []
    # For rewards, the "persistence" row holds the MSE of always predicting the training mean.
    shown = {"persistence": "training mean"} if a.metric == "rewardMse" else {}
    for k, (name, value) in enumerate(sorted(flat.items())):
        name = shown.get(name, name)
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                   f'stroke="#555" stroke-dasharray="{4 + 4 * k},4"/>')
        legend.append((f"{name} ({value:.3f})", "#555", f"{4 + 4 * k},4"))
    for i, (name, pts) in enumerate(curves):
        colour = COLOURS[i % len(COLOURS)]
        line = " ".join(f"{x(s):.1f},{y(v):.1f}" for s, v in pts)
        out.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for s, v in pts:
            out.append(f'<circle cx="{x(s):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>')
        legend.append((f"{name} ({pts[-1][1]:.3f} at {pts[-1][0]})", colour, None))
    for k, (text, colour, dash) in enumerate(legend):
        ly = TOP + 10 + 22 * k
        lx = W - RIGHT + 14
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{lx}" x2="{lx + 24}" y1="{ly}" y2="{ly}" stroke="{colour}" '
                   f'stroke-width="2"{dashed}/>')
        out.append(f'<text x="{lx + 30}" y="{ly + 4}" font-size="11">{text}</text>')
    out.append("</svg>")
    print("\n".join(out))


if __name__ == "__main__":
    main()
