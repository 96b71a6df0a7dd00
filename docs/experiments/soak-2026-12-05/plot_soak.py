"""Draws soak.csv (from SoakCheck) as soak.svg: data directory and live heap against minutes.
Plain SVG, no plotting library: python3 plot_soak.py; soak.png is that SVG as headless Chromium
screenshots it (chromium --headless --screenshot=soak.png --window-size=760,420 soak.svg)."""
import csv

rows = [r for r in csv.DictReader(open("soak.csv"))]
t = [float(r["minutes"]) for r in rows]
series = [("data directory", [int(r["data_bytes"]) / 1e6 for r in rows], "#1f77b4"),
          ("live heap after a full GC", [int(r["live_heap_bytes"]) / 1e6 for r in rows], "#d62728")]
W, H, L, R, T, B = 760, 420, 70, 20, 50, 50
tmax = max(t) * 1.05
ymax = 2000


def x(v):
    return L + (W - L - R) * v / tmax


def y(v):
    return H - B - (H - T - B) * v / ymax


out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<text x="{L}" y="22" font-size="15" font-weight="bold">up under small topic bounds: disk and heap level off</text>']
for v in range(0, ymax + 1, 500):
    out.append(f'<line x1="{L}" x2="{W - R}" y1="{y(v)}" y2="{y(v)}" stroke="#ddd"/>')
    out.append(f'<text x="{L - 8}" y="{y(v) + 4}" text-anchor="end">{v}</text>')
for m in range(0, int(tmax) + 1, 5):
    out.append(f'<text x="{x(m)}" y="{H - B + 18}" text-anchor="middle">{m}</text>')
out.append(f'<text x="{(L + W - R) / 2}" y="{H - 12}" text-anchor="middle">minutes of up</text>')
out.append(f'<text x="18" y="{(T + H - B) / 2}" transform="rotate(-90 18 {(T + H - B) / 2})" text-anchor="middle">MB</text>')
out.append(f'<rect x="{L}" y="{T}" width="{W - L - R}" height="{H - T - B}" fill="none" stroke="#444"/>')
for i, (name, ys, colour) in enumerate(series):
    points = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in zip(t, ys))
    out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
    out.append(f'<line x1="{L + 10 + 220 * i}" x2="{L + 30 + 220 * i}" y1="{T - 10}" y2="{T - 10}" stroke="{colour}" stroke-width="3"/>')
    out.append(f'<text x="{L + 35 + 220 * i}" y="{T - 6}">{name}</text>')
out.append("</svg>")
open("soak.svg", "w").write("\n".join(out))
