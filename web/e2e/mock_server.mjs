// A stand-in for `evapo serve` used only to develop the UI before the real server exists:
// the issue-4 task API and WebSocket protocol over a scripted 7-step calculation, with the state
// persisted in --data-dir so a kill + restart resumes (like the real server). Never used by CI.
//   node e2e/mock_server.mjs --port 8123 --data-dir /tmp/x [--web-root dist] [--step-ms 400]
import { createServer } from "node:http";
import { existsSync, mkdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { join, normalize, extname } from "node:path";
import { randomBytes } from "node:crypto";
import { WebSocketServer } from "ws";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const port = Number(args.port ?? 8123);
const dataDir = args["data-dir"] ?? "/tmp/evapo-mock";
const webRoot = args["web-root"] ?? new URL("../dist", import.meta.url).pathname;
const stepMs = Number(args["step-ms"] ?? 400);
const stateFile = join(dataDir, "tasks.json");
mkdirSync(dataDir, { recursive: true });

const steps = ["validating", "elevation", "downloading", "preprocessing", "fusing", "computing_eto", "finalizing"];
const sources = ["nasa_power", "open_meteo_archive"];
/** @type {Record<string, {request: any, events: any[], status: string}>} */
const tasks = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, "utf8")) : {};
const subscribers = new Map();
let failing = false; // set through the simulator's fault API, so the same spec drives both
const save = () => writeFileSync(stateFile, JSON.stringify(tasks));

function publish(id, type, data) {
  const task = tasks[id];
  const event = { type, task_id: id, seq: task.events.length + 1, ts: new Date().toISOString(), data };
  task.events.push(event);
  if (type !== "PROGRESS") task.status = type.toLowerCase();
  else task.status = "processing";
  save();
  for (const ws of subscribers.get(id) ?? []) {
    ws.send(JSON.stringify(event));
    if (type !== "PROGRESS") ws.close(1000, "done");
  }
}

function days(request) {
  const out = [];
  for (let d = new Date(`${request.start_date}T00:00:00Z`); d <= new Date(`${request.end_date}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    const i = out.length;
    const eto = 3 + 1.5 * Math.sin(i / 2) + Math.abs(request.latitude) / 100;
    const precip = i % 3 === 0 ? 4 + i : 0;
    out.push({
      date: d.toISOString().slice(0, 10), eto_mm: eto, eto_sd_mm: 0.2 + 0.05 * i, quality: i % 4 === 3 ? "medium" : "high",
      quality_reasons: [], sources, flags: [], tmax_c: 30 - i * 0.3, tmin_c: 18 + i * 0.1, rh_mean_pct: 65 + i, u2_m_s: 1.8,
      rs_mj_m2: 20 - i * 0.2, precip_mm: precip, p_minus_eto_mm: precip - eto, upstream_eto_mm: eto * 1.02,
    });
  }
  return out;
}

function run(id) {
  const task = tasks[id];
  const done = task.events.filter((e) => e.type === "PROGRESS").length;
  if (task.status !== "queued" && task.status !== "processing") return;
  let index = done;
  const tick = () => {
    if (!tasks[id] || tasks[id].status === "cancelled") return;
    if (failing && index === 3) {
      publish(id, "ERROR", { error: "no weather source delivered data (nasa_power: HTTP 500)", error_code: "upstream", details: [] });
      return;
    }
    if (index < steps.length) {
      const state = index < 2 ? "pending" : index === 2 ? "downloading" : "done";
      publish(id, "PROGRESS", {
        step: steps[index], progress: Math.round(((index + 1) / (steps.length + 1)) * 100), current_step: index + 1, total_steps: steps.length,
        message: steps[index], sources: sources.map((source) => ({ source, state, message: "" })),
      });
      index += 1;
      setTimeout(tick, stepMs);
    } else {
      publish(id, "SUCCESS", { results: days(task.request), warnings: [{ code: "source_days_missing", params: { source: "nasa_power", days: 2 }, message: "nasa_power: 2 days without any data" }], location: { latitude: task.request.latitude, longitude: task.request.longitude, elevation_m: 546 } });
    }
  };
  setTimeout(tick, stepMs);
}

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml", ".txt": "text/plain" };
function sendJson(res, status, body) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  if (url.pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
  if (url.pathname === "/__sim/faults") {
    failing = req.method === "POST";
    return sendJson(res, 200, {});
  }
  if (url.pathname === "/api/v1/eto/calculations" && req.method === "POST") {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      let r;
      try { r = JSON.parse(body); } catch { return sendJson(res, 400, { error: { code: "BAD_JSON", message: "malformed JSON", details: [] } }); }
      const details = [];
      if (!(r.latitude >= -90 && r.latitude <= 90)) details.push({ field: "latitude", reason: "out of range" });
      if (!(r.longitude >= -180 && r.longitude <= 180)) details.push({ field: "longitude", reason: "out of range" });
      if (details.length) return sendJson(res, 422, { error: { code: "VALIDATION_ERROR", message: "invalid request", details } });
      const id = randomBytes(16).toString("hex");
      tasks[id] = { request: r, events: [], status: "queued" };
      save();
      run(id);
      sendJson(res, 202, { task_id: id, status: "queued", message: "accepted", links: { websocket: `/ws/task_status/${id}` } });
    });
    return;
  }
  const m = /^\/api\/v1\/tasks\/([0-9a-f]+)$/.exec(url.pathname);
  if (m) {
    const task = tasks[m[1]];
    if (!task) return sendJson(res, 404, { error: { code: "NOT_FOUND", message: "unknown task", details: [] } });
    if (req.method === "DELETE") {
      if (task.status === "queued" || task.status === "processing") publish(m[1], "CANCELLED", { error: "cancelled by user", error_code: "cancelled", details: [] });
      return sendJson(res, 202, { task_id: m[1], status: task.status });
    }
    const last = task.events.filter((e) => e.type === "PROGRESS").at(-1);
    const terminal = task.events.find((e) => e.type !== "PROGRESS");
    return sendJson(res, 200, {
      task_id: m[1], status: task.status, progress: terminal?.type === "SUCCESS" ? 100 : last?.data.progress ?? 0, step: last?.data.step ?? "",
      last_seq: task.events.length, ...(terminal?.type === "SUCCESS" ? { result: terminal.data } : terminal ? { error: terminal.data } : {}),
    });
  }
  // Static files with the SPA fallback.
  let path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, "");
  let file = join(webRoot, path);
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(webRoot, "index.html");
  res.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream" });
  res.end(readFileSync(file));
});

const wss = new WebSocketServer({ noServer: true });
server.on("upgrade", (req, socket, head) => {
  const url = new URL(req.url, "http://x");
  const m = /^\/ws\/task_status\/([0-9a-f]+)$/.exec(url.pathname);
  if (!m || !tasks[m[1]]) return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => {
    const id = m[1];
    const since = Number(url.searchParams.get("since") ?? 0);
    for (const event of tasks[id].events.filter((e) => e.seq > since)) ws.send(JSON.stringify(event));
    if (tasks[id].events.some((e) => e.type !== "PROGRESS")) return ws.close(1000, "done");
    if (!subscribers.has(id)) subscribers.set(id, new Set());
    subscribers.get(id).add(ws);
    ws.on("close", () => subscribers.get(id)?.delete(ws));
  });
});

for (const id of Object.keys(tasks)) run(id);
server.listen(port, "127.0.0.1", () => console.log(`mock evapo on ${port}`));
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));
