// Starts what the browser tests need: the upstream simulator, a real `evapo serve` pointed at it
// (free ports, a temp data dir), and Debian's Chromium through playwright-core.
//   EVAPO_BIN      evapo binary (default ../build/ci/apps/evapo/evapo)
//   EVAPO_SIM_BIN  simulator binary (default ../build/ci/tools/upstream_simulator/evapo-upstream-sim)
//   EVAPO_SIM_ARGS simulator arguments, split on spaces (default "--latency-ms 3000": every upstream
//                  answer is slow enough that a calculation is still running while a test acts on it)
//   EVAPO_E2E_BACKEND=mock  use e2e/mock_server.mjs instead (UI development only)
import { spawn } from "node:child_process";
import { crc32, deflateSync } from "node:zlib";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const webDir = resolve(new URL("..", import.meta.url).pathname);
export const artifactsDir = join(webDir, "test-results");

/// A TCP port free right now on 127.0.0.1.
export function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

async function waitForHttp(url, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode}\n${child.logs?.join("")}`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms\n${child?.logs?.join("") ?? ""}`);
}

function launch(command, args, env) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  child.logs = [];
  const keep = (chunk) => {
    child.logs.push(chunk.toString());
    if (child.logs.length > 400) child.logs.shift();
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  return child;
}

/// Kills `child` with `signal` and waits until it is gone.
export function kill(child, signal = "SIGKILL") {
  return new Promise((ok) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return ok();
    child.once("exit", () => ok());
    child.kill(signal);
  });
}

/// The backend under test: { baseUrl, restart(), stop(), killServer(), startServer() };
/// `options.env` adds to evapo serve's environment (EVAPO_ADMIN_TOKEN, ...).
export async function startBackend(options = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "evapo-e2e-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const backend = { baseUrl, port, dataDir, sim: null, server: null };

  if (process.env.EVAPO_E2E_BACKEND === "mock") {
    backend.simUrl = baseUrl;
    backend.startServer = async () => {
      backend.server = launch(process.execPath, [join(webDir, "e2e/mock_server.mjs"), "--port", String(port), "--data-dir", dataDir, "--web-root", join(webDir, "dist"), "--step-ms", process.env.EVAPO_MOCK_STEP_MS ?? "500"], {});
      await waitForHttp(`${baseUrl}/healthz`, 10_000, backend.server);
    };
  } else {
    const evapo = resolve(webDir, process.env.EVAPO_BIN ?? "../build/ci/apps/evapo/evapo");
    const simBin = resolve(webDir, process.env.EVAPO_SIM_BIN ?? "../build/ci/tools/upstream_simulator/evapo-upstream-sim");
    for (const binary of [evapo, simBin]) if (!existsSync(binary)) throw new Error(`missing ${binary} (build it first)`);
    const simPort = await freePort();
    const simArgs = (process.env.EVAPO_SIM_ARGS ?? "--latency-ms 3000").split(" ").filter(Boolean);
    backend.sim = launch(simBin, ["--host", "127.0.0.1", "--port", String(simPort), ...simArgs], {});
    const simUrl = `http://127.0.0.1:${simPort}`;
    backend.simUrl = simUrl;
    await waitForHttp(`${simUrl}/__sim/health`, 10_000, backend.sim);
    const env = {
      EVAPO_NASA_POWER_URL: simUrl,
      EVAPO_OPEN_METEO_ARCHIVE_URL: simUrl,
      EVAPO_OPEN_METEO_FORECAST_URL: simUrl,
      EVAPO_MET_NORWAY_URL: simUrl,
      EVAPO_NWS_URL: simUrl,
      EVAPO_ELEVATION_URL: simUrl,
      EVAPO_GEOCODING_URL: simUrl,
      EVAPO_WEB_ROOT: join(webDir, "dist"),
      EVAPO_RATE_LIMIT_PER_S: "0",
      EVAPO_HTTP_MAX_ATTEMPTS: "1",
      ...(options.env ?? {}),
    };
    backend.startServer = async () => {
      backend.server = launch(evapo, ["serve", "--host", "127.0.0.1", "--port", String(port), "--data-dir", dataDir], env);
      await waitForHttp(`${baseUrl}/healthz`, 15_000, backend.server);
    };
  }
  /// Arms one simulator fault ({source, fault, count, ...}).
  backend.fault = async (spec) => {
    const response = await fetch(`${backend.simUrl}/__sim/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(spec),
    });
    if (!response.ok) throw new Error(`fault injection: HTTP ${response.status}`);
  };
  /// Requests the simulator received, per upstream.
  backend.simRequests = async () => (await (await fetch(`${backend.simUrl}/__sim/stats`)).json()).requests ?? {};
  /// Makes every weather source answer HTTP 500 (until clearFaults()).
  backend.failAllSources = async () => {
    for (const source of ["nasa_power", "open_meteo_archive", "open_meteo_forecast", "met_norway", "nws"]) {
      await backend.fault({ source, fault: "status_500", count: 1000 });
    }
  };
  backend.clearFaults = async () => {
    await fetch(`${backend.simUrl}/__sim/faults`, { method: "DELETE" });
  };
  backend.killServer = () => kill(backend.server, "SIGKILL");
  backend.stop = async () => {
    await kill(backend.server, "SIGTERM");
    await kill(backend.sim, "SIGTERM");
    // Kept next to the screenshots for diagnosing a failed run.
    mkdirSync(artifactsDir, { recursive: true });
    writeFileSync(join(artifactsDir, "evapo-serve.log"), backend.server?.logs?.join("") ?? "");
    writeFileSync(join(artifactsDir, "upstream-sim.log"), backend.sim?.logs?.join("") ?? "");
    rmSync(dataDir, { recursive: true, force: true });
  };
  await backend.startServer();
  return backend;
}

/// Debian's Chromium, headless. playwright-core refuses a --user-data-dir argument for launch()
/// and always gives the browser a fresh temporary profile of its own, removed on close.
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

function pngChunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/// A 256×256 map tile: a pale field with a darker grid line on its top and left edges, so that
/// tiles are visibly there in screenshots.
function standInTile() {
  const size = 256;
  const rows = [];
  for (let y = 0; y < size; y += 1) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x += 1) {
      const edge = x === 0 || y === 0;
      row.set(edge ? [196, 205, 188] : [236, 240, 226], 1 + x * 3);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(Buffer.concat(rows))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}
const kTile = standInTile();
const kTileHost = "https://tile.openstreetmap.org/";

/// A page that records console errors, page errors and every WebSocket frame it receives.
/// OpenStreetMap tiles cannot load here: `options.tiles` "standin" (default) answers them with a
/// local stand-in tile, "unreachable" fails them as a machine without internet would; every tile
/// request is recorded (url, referer) in `tileRequests`.
export async function openPage(browser, baseUrl, options = {}) {
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    locale: options.locale ?? "en-US",
  });
  const tileRequests = [];
  await context.route(`${kTileHost}**`, (route) => {
    const request = route.request();
    tileRequests.push({ url: request.url(), referer: request.headers().referer ?? "" });
    if ((options.tiles ?? "standin") === "unreachable") return route.abort("internetdisconnected");
    return route.fulfill({ status: 200, contentType: "image/png", body: kTile });
  });
  const page = await context.newPage();
  const consoleErrors = [];
  const frames = [];
  const sockets = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") consoleErrors.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`pageerror: ${error.message}`));
  page.on("websocket", (ws) => {
    const record = { url: ws.url(), closed: false };
    sockets.push(record);
    ws.on("framereceived", (frame) => {
      try {
        frames.push(JSON.parse(String(frame.payload)));
      } catch {
        // not JSON
      }
    });
    ws.on("close", () => (record.closed = true));
  });
  return { context, page, consoleErrors, frames, sockets, baseUrl, tileRequests };
}

let axeSource;
/// axe-core over the page, every violation listed. It is evaluated through the DevTools protocol:
/// the page's Content-Security-Policy refuses an injected script tag, as it should.
export async function assertAccessible(page, what) {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  });
  assert.deepEqual(violations, [], `axe violations on ${what}`);
}

/// A slow uplink in front of the server: what the browser sends is passed on at most
/// `bytesPerSecond`, what the server answers goes back at once. (Chromium's network emulation
/// does not slow a request's body down, so an upload's progress needs a real slow link.)
export async function startSlowUplink(targetPort, bytesPerSecond) {
  const server = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    upstream.on("data", (chunk) => client.write(chunk));
    client.on("data", (chunk) => {
      client.pause();
      upstream.write(chunk);
      setTimeout(() => client.resume(), (1000 * chunk.length) / bytesPerSecond);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/// An exported CSV: the metadata block, a blank line, then the table (header first).
export function csvTable(text, separator) {
  const lines = text.replace(/^\uFEFF/, "").trimEnd().split("\r\n");
  const blank = lines.indexOf("");
  return { meta: lines.slice(0, blank), table: lines.slice(blank + 1), separator };
}
