// The review page: shows the queue's most useful image, a person toggles its classes with the keyboard and
// accepts (POST /api/reviews) or skips (POST /api/review/skip); the queue's figures poll every few seconds.
"use strict";

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "q", "w", "e", "r", "t", "y", "u", "i", "o", "p"];
const SVG = "http://www.w3.org/2000/svg";
let current = null;
let selected = new Set();
let busy = false;

function el(tag, attrs = {}, ...children) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : String(c));
  return node;
}
const setText = (id, text) => (document.getElementById(id).textContent = text);
const fmt = (v, digits) => (v === null || v === undefined ? "–" : Number(v).toFixed(digits));

async function stats() {
  try {
    const response = await fetch("/api/review/stats", { cache: "no-store" });
    if (!response.ok) return;
    const s = await response.json();
    setText("strategy", `(${s.strategy})`);
    setText("queued", s.queued);
    setText("answered", s.answered);
    setText("rate", fmt(s.answersPerMinute, 1));
    setText("skipped", s.skipped);
  } catch (e) {
    // the next poll tries again
  }
}

async function next() {
  const response = await fetch("/api/review/next", { cache: "no-store" });
  if (response.status === 404) {
    current = null;
    render();
    return;
  }
  if (!response.ok) throw new Error(`/api/review/next: ${response.status}`);
  const image = await response.json();
  if (!current || current.imageId !== image.imageId) {
    current = image;
    selected = new Set(image.suggested);
    render();
  }
}

function render() {
  const frame = document.getElementById("frame");
  const classes = document.getElementById("classes");
  frame.replaceChildren();
  classes.replaceChildren();
  document.body.dataset.imageId = current ? current.imageId : "";
  if (!current) {
    setText("image-id", "");
    setText("meta", "No image waits for a review; new labels fill the queue.");
    return;
  }
  setText("image-id", current.imageId);
  setText("meta", `${current.stage} label · usefulness ${fmt(current.usefulness, 3)}`);
  frame.append(el("img", { src: `/api/review/${encodeURIComponent(current.imageId)}/image`, alt: `image ${current.imageId}` }));
  if (current.width && current.height) {
    const svg = el("svg:svg", { viewBox: `0 0 ${current.width} ${current.height}`, preserveAspectRatio: "none", "aria-hidden": "true" });
    for (const b of current.boxes) {
      svg.append(el("svg:rect", { class: "cam-box", x: b.x0, y: b.y0, width: b.x1 - b.x0, height: b.y1 - b.y0 }));
      if (b.className) svg.append(el("svg:text", { class: "cam-label", x: b.x0 + 2, y: b.y0 + 12 }, b.className));
    }
    frame.append(svg);
  }
  current.classes.forEach((c, i) => {
    const on = selected.has(c.className);
    const button = el("button", { type: "button", class: on ? "choice on" : "choice", "aria-pressed": String(on),
      "data-class": c.className }, el("kbd", {}, KEYS[i] ?? " "), ` ${c.className} `, el("span", { class: "muted" }, fmt(c.score, 2)));
    button.addEventListener("click", () => toggle(c.className));
    classes.append(button);
  });
}

function toggle(name) {
  if (selected.has(name)) selected.delete(name);
  else selected.add(name);
  render();
}

async function post(path, body) {
  const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error ?? `${path}: ${response.status}`);
  return answer;
}

async function answer(accept) {
  if (!current || busy) return;
  busy = true;
  const imageId = current.imageId;
  try {
    if (accept) {
      const verdicts = {};
      for (const c of current.classes) verdicts[c.className] = selected.has(c.className) ? "PRESENT" : "ABSENT";
      const reviewer = document.getElementById("reviewer").value.trim();
      localStorage.setItem("ccd.reviewer", reviewer);
      await post("/api/reviews", { imageId, reviewer, verdicts });
      setText("status", `Reviewed ${imageId}: ${[...selected].join(", ") || "no class"}`);
    } else {
      await post("/api/review/skip", { imageId });
      setText("status", `Skipped ${imageId}`);
    }
    current = null;
    await next();
    await stats();
  } catch (e) {
    setText("status", `Not saved: ${e.message}`);
  } finally {
    busy = false;
  }
}

document.addEventListener("keydown", (event) => {
  if (event.target instanceof HTMLInputElement || event.ctrlKey || event.metaKey || event.altKey) return;
  const key = event.key.toLowerCase();
  const index = KEYS.indexOf(key);
  if (current && index >= 0 && index < current.classes.length) {
    toggle(current.classes[index].className);
    event.preventDefault();
  } else if (event.key === "Enter") {
    answer(true);
    event.preventDefault();
  } else if (key === "s") {
    answer(false);
    event.preventDefault();
  }
});
document.getElementById("accept").addEventListener("click", () => answer(true));
document.getElementById("skip").addEventListener("click", () => answer(false));
document.getElementById("reviewer").value = localStorage.getItem("ccd.reviewer") ?? "";

async function poll() {
  try {
    if (!current) await next();
  } catch (e) {
    setText("status", e.message);
  }
  await stats();
}
poll();
setInterval(poll, 2000);
