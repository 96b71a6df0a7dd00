// Worldstream's dashboard: charts from the server's snapshots (server-sent events on /api/events)
// and the latest dream, fetched from /api/dreams when the checkpoint or its controller changes.
"use strict";

const WIDTH = 540, HEIGHT = 260;
const charts = {};

function chart(id, series, xLabel) {
  const opts = {
    width: WIDTH, height: HEIGHT,
    scales: { x: { time: false } },
    axes: [{ label: xLabel }, {}],
    series: [{ label: xLabel }].concat(series),
  };
  charts[id] = new uPlot(opts, [[]].concat(series.map(() => [])), document.getElementById(id));
}

chart("losses", [
  { label: "train loss", stroke: "#1f77b4" },
  { label: "held-out loss", stroke: "#d62728" },
], "version");
chart("search", [
  { label: "dream, best", stroke: "#2ca02c" },
  { label: "dream, mean", stroke: "#98df8a" },
  { label: "real", stroke: "#000", width: 0, points: { show: true, size: 8, fill: "#ff7f0e" } },
], "generation");
chart("rates", [
  { label: "env steps/s", stroke: "#9467bd" },
  { label: "latents/s", stroke: "#8c564b" },
], "seconds ago");

let panelsShown = null;
let snapshots = 0;

function text(id, value) { document.getElementById(id).textContent = value; }
function fmt(x, digits) { return x === null || x === undefined ? "–" : Number(x).toFixed(digits); }

function draw(s) {
  snapshots++;
  document.body.dataset.snapshots = snapshots;
  const last = s.rates.length ? s.rates[s.rates.length - 1] : null;
  text("steps", last ? fmt(last.stepsPerSecond, 0) : "–");
  text("latents", last ? fmt(last.latentsPerSecond, 0) : "–");
  const now = last ? last.t : 0;
  charts.rates.setData([
    s.rates.map(p => p.t - now),
    s.rates.map(p => p.stepsPerSecond),
    s.rates.map(p => p.latentsPerSecond),
  ]);
  if (!s.lineage) {
    text("status", "waiting for the first checkpoint on wm.checkpoints");
    return;
  }
  text("status", s.lineage + " v" + s.latestVersion + " · updated " + s.time.substring(11, 19) + " UTC");
  text("version", "v" + s.latestVersion);
  text("age", fmt(s.checkpointAgeSeconds, 0) + " s");
  text("staleness", s.evaluatorStaleness == null ? "–"
    : s.evaluatorStaleness + (s.evaluatorStaleness === 1 ? " version" : " versions"));
  charts.losses.setData([
    s.checkpoints.map(c => c.version),
    s.checkpoints.map(c => c.trainLoss),
    s.checkpoints.map(c => c.heldOutLoss),
  ]);
  const ev = s.evaluations;
  charts.search.setData([
    ev.map(e => e.index),
    ev.map(e => e.bestReturn),
    ev.map(e => e.meanReturn),
    ev.map(e => e.realReturn),
  ]);
  const lastReal = ev.filter(e => e.realReturn !== null).pop();
  const lastEval = ev.length ? ev[ev.length - 1] : null;
  text("returns", (lastEval ? fmt(lastEval.controllerDreamReturn, 1) : "–") + " / " +
    (lastReal ? fmt(lastReal.realReturn, 1) + " ± " + fmt(lastReal.realReturnSd, 1) + " (v" + lastReal.controllerVersion + ", " + lastReal.realEpisodes + " tracks)" : "–") +
    (s.best ? "; best v" + s.best.controllerVersion + ": " + fmt(s.best.realReturn, 1) : ""));
  if (s.panels && s.panels !== panelsShown) {
    panelsShown = s.panels;
    pictures();
  }
}

// The server pictures the loop once per change for every open page; fetch what it drew.
function pictures() {
  fetch("/api/dashboard/dream")
    .then(r => r.json())
    .then(body => {
      if (body.error) { text("dream-note", body.error); return; }
      document.getElementById("dream").src = body.frames.gif;
      text("dream-note", "v" + body.version + ", " + body.controller +
        (body.controllerVersion ? " controller v" + body.controllerVersion : "") +
        ": predicted return " + fmt(body.meanReturn, 1) + " ± " + fmt(body.stdReturn, 1) +
        " over " + body.rollouts + " rollouts of " + body.horizon + " steps");
    })
    .catch(e => text("dream-note", "dream failed: " + e));
  fetch("/api/dashboard/episode")
    .then(r => r.json())
    .then(body => {
      if (body.error) { text("episode-note", body.error); return; }
      document.getElementById("episode").src = body.gif;
      document.getElementById("episode-track").src = body.track;
      text("episode-note", "real CarRacing, track seed " + body.seed + ": reward " +
        fmt(body.totalReward, 1) + " in " + body.steps + " steps, " + body.tilesVisited + " of " +
        body.tiles + " tiles" + (body.terminated ? " (ended)" : ""));
    })
    .catch(e => text("episode-note", "episode failed: " + e));
}

const events = new EventSource("/api/events");
events.addEventListener("snapshot", e => { if (e.data && e.data !== "{}") draw(JSON.parse(e.data)); });
events.onerror = () => text("status", "reconnecting…");
