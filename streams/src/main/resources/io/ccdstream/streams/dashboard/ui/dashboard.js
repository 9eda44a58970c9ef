// The ccd-stream dashboard: polls the JSON under /api/ every few seconds and redraws.
"use strict";

const POLL_MS = 2000;
const SVG = "http://www.w3.org/2000/svg";
const charts = {};
let classSet = null;
let galleryKey = "";
let updates = 0;

function el(tag, attrs = {}, ...children) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : String(c));
  return node;
}

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

const fmt = (v, digits = 0) => (v === null || v === undefined ? "–" : Number(v).toFixed(digits));
const time = (ms) => (ms ? new Date(ms).toLocaleTimeString() : "–");
const color = (i, n) => `hsl(${Math.round((360 * i) / Math.max(n, 1))} 70% 38%)`;
const setText = (id, text) => (document.getElementById(id).textContent = text);

// A uPlot chart in the element `id`, made again when its series change.
function chart(id, labels, data, xIsTime = true, legend = true) {
  const target = document.getElementById(id);
  const key = labels.join("|");
  let c = charts[id];
  if (!c || c.key !== key) {
    if (c) c.plot.destroy();
    const series = [{ label: xIsTime ? "time" : "version" }].concat(
      labels.map((label, i) => ({ label, stroke: color(i, labels.length), width: 2 })));
    const plot = new uPlot({
      width: Math.max(target.clientWidth, 300), height: 200, series, legend: { show: legend },
      scales: { x: { time: xIsTime } }, axes: [{}, { size: 50 }],
    }, data, target);
    c = charts[id] = { plot, key };
  } else {
    c.plot.setData(data);
  }
  target.dataset.points = data[0].length;
}

// Horizontal bars, one per class, in the element `id`.
function bars(id, names, values, digits) {
  const target = document.getElementById(id);
  const max = Math.max(...values.map(Math.abs), 1e-9);
  target.replaceChildren(...names.flatMap((name, i) => [
    el("span", {}, name),
    el("div", { class: "bar", style: `width:${(100 * Math.abs(values[i])) / max}%` }),
    el("span", { class: "num", "data-class": name }, fmt(values[i], digits)),
  ]));
}

function rows(tableId, cells) {
  document.querySelector(`#${tableId} tbody`).replaceChildren(
    ...cells.map(([attrs, ...values]) => el("tr", attrs, ...values.map((v) => el("td", {}, v)))));
}

function showSummary(s) {
  classSet = s.classSetId;
  setText("class-set", `class set ${s.classSetId}`);
  setText("images-seen", s.imagesSeen);
  setText("images-scored", s.imagesScored);
  setText("images-rescored", s.imagesRescored);
  setText("labels-initial", s.initialLabels);
  setText("labels-refined", s.refinedLabels);
  setText("labels-verified", s.verifiedLabels);
  setText("dead-letters-total", s.deadLetters);
  setText("bias-version", fmt(s.biasVersion));
  setText("checkpoint-version", fmt(s.checkpointVersion));
  bars("positive-bars", s.classNames, s.positivesPerClass, 0);
  const a = s.accuracy;
  document.getElementById("accuracy").hidden = !a;
  if (a) {
    setText("map-initial", fmt(a.initialMap, 1));
    setText("map-refined", fmt(a.refinedMap, 1));
    setText("map-images", `(${a.initialImages} / ${a.refinedImages} images with ground truth)`);
  }
}

function showSeries(points, names) {
  const t = points.map((p) => p.time / 1000);
  chart("chart-throughput", ["images scored", "labels"],
    [t, points.map((p) => p.scoredPerSecond), points.map((p) => p.labelsPerSecond)]);
  const services = [...new Set(points.flatMap((p) => Object.keys(p.lag)))].sort();
  chart("chart-lag", services, [t, ...services.map((s) => points.map((p) => p.lag[s] ?? null))]);
  chart("chart-positives", names, [t, ...names.map((_, c) => points.map((p) => p.positivesPerClass[c]))], true, false);
}

function showDeadLetters(d) {
  rows("dead-reasons", Object.entries(d.byReason).map(([reason, n]) => [{ "data-reason": reason }, reason, n]));
  rows("dead-latest", d.latest.map((l) => [{ title: l.message ?? "" }, l.imageId ?? "(unreadable key)", l.reason, l.source, l.processor ?? "deserializer"]));
}

function showBias(history, names) {
  const last = history[history.length - 1];
  setText("bias-caption", last ? `v${last.version}, ${last.samples} images, ${time(last.updatedAt)}` : "(none yet)");
  if (last) bars("bias-bars", names, last.bias, 3);
  chart("chart-bias", names, [history.map((b) => b.version), ...names.map((_, c) => history.map((b) => b.bias[c]))],
    false, false);
}

function showCheckpoints(list) {
  rows("checkpoints", list.slice().reverse().map((c) => [{ "data-version": c.version },
    c.version, c.phase ?? "–", fmt(c.trainLabelMap, 1), time(c.createdAt), c.installedAt ? time(c.installedAt) : "not here"]));
}

// A figure with the image, its CAM boxes, and its top classes: global beside refined scores.
function card(image) {
  const frame = el("div", { class: "frame" });
  if (image.hasImage) {
    frame.append(el("img", { src: `/api/images/${encodeURIComponent(image.imageId)}/image`, alt: `image ${image.imageId}` }));
  }
  if (image.width && image.height) {
    const svg = el("svg:svg", { viewBox: `0 0 ${image.width} ${image.height}`, preserveAspectRatio: "none", "aria-hidden": "true" });
    for (const b of image.boxes ?? []) {
      svg.append(el("svg:rect", { class: "cam-box", x: b.x0, y: b.y0, width: b.x1 - b.x0, height: b.y1 - b.y0 }));
      if (b.className) svg.append(el("svg:text", { class: "cam-label", x: b.x0 + 2, y: b.y0 + 12 }, b.className));
    }
    frame.append(svg);
  }
  const refined = image.stage === "REFINED";
  const table = el("table", {}, el("thead", {}, el("tr", {}, ...["Class", "Global", "Refined"].map((h) => el("th", { scope: "col" }, h)))));
  table.append(el("tbody", {}, ...image.top.slice(0, 3).map((c) =>
    el("tr", {}, el("td", {}, c.className), el("td", { class: "num" }, fmt(c.global, 2)),
      el("td", { class: "num" }, refined ? fmt(c.score, 2) : "–")))));
  const caption = el("figcaption", {}, el("strong", {}, image.imageId), " ",
    el("span", { class: `stage-${image.stage}` }, image.stage ?? "unlabelled"),
    image.boxes?.length ? ` · ${image.boxes.length} CAM box${image.boxes.length > 1 ? "es" : ""}` : "", table);
  if (image.groundTruth) {
    caption.append(el("div", { class: "muted" }, `ground truth: ${image.groundTruth.join(", ") || "none"}`));
  }
  return el("figure", { class: "card", "data-image-id": image.imageId, "data-stage": image.stage ?? "" }, frame, caption);
}

function showGallery(images) {
  const key = images.map((i) => `${i.imageId}:${i.stage}:${i.boxes.length}`).join(",");
  if (key === galleryKey) return;
  galleryKey = key;
  document.getElementById("gallery").replaceChildren(...images.map(card));
}

// A label from the REST query API (/labels/{classSet}/{imageId}) as a card without image or boxes.
function labelCard(label) {
  const top = label.scores.map((score, c) => ({ className: label.classNames[c], score, global: label.global[c] }))
    .sort((a, b) => b.score - a.score);
  return card({ imageId: label.imageId, stage: label.stage, top, boxes: [], hasImage: false });
}

async function search(event) {
  event.preventDefault();
  const id = document.getElementById("search-id").value.trim();
  const result = document.getElementById("search-result");
  result.replaceChildren();
  setText("search-status", "Searching…");
  try {
    const response = await fetch(`/api/images/${encodeURIComponent(id)}`);
    if (response.ok) {
      result.append(card(await response.json()));
    } else {
      result.append(labelCard(await getJson(`/labels/${encodeURIComponent(classSet)}/${encodeURIComponent(id)}`)));
    }
    setText("search-status", "");
  } catch (e) {
    setText("search-status", `No image ${id} here (${e.message})`);
  }
}

async function refresh() {
  try {
    const [summary, series, dead, bias, checkpoints, images] = await Promise.all([
      "/api/summary", "/api/series", "/api/dead-letters", "/api/bias", "/api/checkpoints", "/api/images?limit=12",
    ].map(getJson));
    showSummary(summary);
    showSeries(series, summary.classNames);
    showDeadLetters(dead);
    showBias(bias, summary.classNames);
    showCheckpoints(checkpoints);
    showGallery(images);
    document.body.dataset.updates = ++updates;
    setText("status", `Updated ${new Date().toLocaleTimeString()}`);
    document.getElementById("status").classList.remove("error");
  } catch (e) {
    setText("status", `Cannot reach the pipeline: ${e.message}`);
    document.getElementById("status").classList.add("error");
  }
  setTimeout(refresh, POLL_MS);
}

document.getElementById("search").addEventListener("submit", search);
refresh();
