// The operations page (/ops) against a real `evapo serve` + upstream simulator in Debian's
// Chromium: every catalog event this server publishes is made to happen for real (calculations,
// a source broken and healed through the simulator's fault injection, priors deployed and rolled
// back, stats and volume while subscribed) and its visible effect asserted in the DOM; then the
// server is killed mid-page and restarted: banner, backoff and a gap-free resume by since.
// Screenshots of each stage land in web/test-results/ops-*.png. Run by `npm run e2e`.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { artifactsDir, assertAccessible, launchBrowser, startBackend } from "./harness.mjs";

// Short upstream latency: many calculations run here, each must still take a moment.
process.env.EVAPO_SIM_ARGS ??= "--latency-ms 400";
const catalog = JSON.parse(readFileSync(new URL("../../docs/ops_event_catalog.json", import.meta.url), "utf8"));
// Published by the station datasets and monitored sites feature (issue 14), not by this server
// yet: their handlers are covered by the units (src/ops/ops_store.test.ts).
// The operator's token: changes and the task table need it (typed into the page below).
const kAdminToken = "an-e2e-admin-token-of-some-length";

mkdirSync(artifactsDir, { recursive: true });
const kTimeout = 90_000;
let backend;
let browser;

before(async () => {
  backend = await startBackend({ env: { EVAPO_ADMIN_TOKEN: kAdminToken } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await backend?.stop();
});

async function shot(page, name) {
  await page.screenshot({ path: join(artifactsDir, `ops-${name}.png`), fullPage: true });
}

/// A page on /ops recording every event of the operations channel (a message may carry several,
/// one per line) and the times its sockets open and close.
async function openOps(options = {}) {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 }, locale: options.locale ?? "en-US" });
  const page = await context.newPage();
  const session = { context, page, events: [], sockets: [], consoleErrors: [] };
  page.on("console", (message) => {
    if (message.type() === "error") session.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => session.consoleErrors.push(`pageerror: ${error.message}`));
  page.on("websocket", (ws) => {
    if (!ws.url().includes("/ws/events")) return;
    const record = { url: ws.url(), opened: Date.now(), closed: null, events: [] };
    session.sockets.push(record);
    ws.on("framereceived", (frame) => {
      for (const line of String(frame.payload).split("\n")) {
        try {
          const event = JSON.parse(line);
          record.events.push(event);
          session.events.push(event);
        } catch {
          // not an event
        }
      }
    });
    ws.on("close", () => (record.closed = Date.now()));
  });
  await page.goto(`${backend.baseUrl}/ops`);
  await page.waitForSelector('#ops-connection[data-state="live"]', { timeout: kTimeout });
  if (options.admin !== false) {
    await page.click(".ops-admin summary"); // the token form is folded away, as an operator finds it
    await page.fill("#ops-admin-token", kAdminToken);
    await page.click("#ops-admin-save");
  }
  return session;
}

/// A station file through the API as a script would send it (the datasets page has its own
/// browser scenario): the upload's events, and a dataset's.
async function uploadCsv(key, csv, query = "latitude_deg=39.46&elevation_m=1208") {
  const response = await fetch(`${backend.baseUrl}/api/v1/datasets?${query}`, { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "text/csv" }, body: csv });
  return { status: response.status, body: await response.json().catch(() => null) };
}

/// The station's next day in the file's own columns (an append has the dataset's columns): its
/// last row again, dated the day after.
function nextDay(csv) {
  const lines = csv.trim().split("\n");
  const last = lines[lines.length - 1].split(",");
  const next = new Date(`${last[0]}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  last[0] = next.toISOString().slice(0, 10);
  return `${lines[0]}\n${last.join(",")}\n`;
}

async function workspaceCall(key, method, path, body) {
  const response = await fetch(`${backend.baseUrl}${path}`, { method, headers: { Authorization: `Bearer ${key}`, ...(body ? { "Content-Type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
  return { status: response.status, body: await response.json().catch(() => null) };
}

async function post(path, body) {
  const response = await fetch(`${backend.baseUrl}${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json().catch(() => null) };
}

let pointIndex = 0;
/// Submits a 7-day historical calculation at a point never used before (no cache hit).
async function submitCalculation() {
  pointIndex += 1;
  const result = await post("/api/v1/eto/calculations", { latitude: 35 + 0.37 * pointIndex, longitude: -100 + 0.21 * pointIndex, start_date: "2015-06-01", end_date: "2015-06-07" });
  assert.equal(result.status, 202, JSON.stringify(result.body));
  return result.body.task_id;
}

async function waitTaskState(id, states) {
  const deadline = Date.now() + kTimeout;
  while (Date.now() < deadline) {
    const response = await fetch(`${backend.baseUrl}/api/v1/tasks/${id}`);
    const task = await response.json();
    if (states.includes(task.status)) return task;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`task ${id} never reached ${states}`);
}

async function fault(body) {
  const response = await fetch(`${backend.simUrl}/__sim/faults`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  assert.equal(response.status, 201);
}

async function counter(page, name) {
  return Number(await page.getAttribute(`[data-counter="${name}"]`, "data-count"));
}

async function waitCounter(page, name, atLeast = 1) {
  await page.waitForFunction(([n, v]) => Number(document.querySelector(`[data-counter="${n}"]`)?.getAttribute("data-count")) >= v, [name, atLeast], { timeout: kTimeout });
}

function healthChangesOf(session, name) {
  return session.events.filter((e) => e.type === "health_change" && e.data.name === name).map((e) => `${e.data.previous}->${e.data.state}`);
}

/// Every seq the page received, in order of arrival, is the previous one plus one.
function assertGapFree(events, what) {
  const seqs = events.map((e) => e.seq);
  for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, `${what}: seq ${seqs[i - 1]} then ${seqs[i]}`);
}

describe("operations page", { timeout: 20 * kTimeout }, () => {
  test("every event this server publishes has its visible effect", async () => {
    const session = await openOps();
    const { page } = session;
    await shot(page, "01-live");

    // system_stats: a node card with figures, then a history of several points.
    await waitCounter(page, "system_stats", 2);
    const node = await page.$eval(".node-card", (card) => ({
      cpu: card.querySelector('[data-stat="cpu"] dd')?.textContent ?? "",
      memory: card.querySelector('[data-stat="memory"] dd')?.textContent ?? "",
      disk: card.querySelector('[data-stat="disk"] dd')?.textContent ?? "",
      points: Number(card.querySelector(".sparkline")?.getAttribute("data-points")),
    }));
    assert.match(node.cpu, /process [\d.]+ % · machine [\d.]+ %/);
    assert.match(node.memory, /MB|GB/);
    assert.match(node.disk, /GB|TB|MB/);
    assert.ok(node.points >= 2, `sparkline points ${node.points}`);

    // calculation_progress / calculation_complete: a row walks the steps and ends done; a feed
    // item and a toast say so.
    const done = await submitCalculation();
    await page.waitForSelector(`#ops-tasks-table tr[data-task-ref="${done.slice(0, 12)}"][data-status="processing"]`, { timeout: kTimeout });
    await shot(page, "02-calculation-running");
    await page.waitForSelector(`#ops-tasks-table tr[data-task-ref="${done.slice(0, 12)}"][data-status="success"]`, { timeout: kTimeout });
    assert.ok((await counter(page, "calculation_progress")) >= 7);
    assert.ok((await counter(page, "calculation_complete")) >= 1);
    await page.waitForSelector('#ops-activity-feed li[data-kind="calculation"][data-action="succeeded"]');
    await page.waitForSelector('.toast[data-event="calculation_complete"]');
    const stepsSeen = session.events.filter((e) => e.type === "calculation_progress" && e.data.task_ref === done.slice(0, 12)).map((e) => e.data.step);
    assert.deepEqual(stepsSeen, ["validating", "elevation", "downloading", "preprocessing", "fusing", "computing_eto", "finalizing"]);

    // calculation_volume and source_status (every 10 s while subscribed).
    await waitCounter(page, "calculation_volume", 2);
    await page.waitForFunction(() => Number(document.querySelector('#ops-volume-tables tr[data-window="minute"] [data-count="succeeded"]')?.textContent) >= 1, null, { timeout: kTimeout });
    await waitCounter(page, "source_status", 1);
    await page.waitForFunction(() => /\d+ ms \/ \d+ ms/.test(document.querySelector('#ops-sources-table tr[data-source="nasa_power"] [data-latency]')?.textContent ?? ""), null, { timeout: kTimeout });
    await shot(page, "03-stats-volume-sources");

    // health_change: NASA POWER fails every attempt (5 judge it: down), then answers again
    // (5 in a row: healthy). Exactly two changes of it, each a badge, a toast and a feed item.
    assert.equal(await counter(page, "health_change"), 0);
    await fault({ source: "nasa_power", fault: "status_500", count: 1000 });
    const failing = [];
    for (let i = 0; i < 5; i++) failing.push(await submitCalculation());
    await page.waitForSelector('#ops-health-board li[data-component="source:nasa_power"][data-state="down"]', { timeout: kTimeout });
    await page.waitForSelector('.toast[data-event="health_change"][data-tone="error"]');
    await shot(page, "04-source-down");
    for (const id of failing) await waitTaskState(id, ["success", "error"]);
    await fetch(`${backend.simUrl}/__sim/faults?source=nasa_power`, { method: "DELETE" });
    const healing = [];
    for (let i = 0; i < 5; i++) healing.push(await submitCalculation());
    await page.waitForSelector('#ops-health-board li[data-component="source:nasa_power"][data-state="healthy"]', { timeout: kTimeout });
    for (const id of healing) await waitTaskState(id, ["success", "error"]);
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(healthChangesOf(session, "nasa_power"), ["healthy->down", "down->healthy"]);
    assert.equal(await counter(page, "health_change"), 2);
    await page.waitForSelector('#ops-activity-feed li[data-kind="health"][data-action="down"]');
    await page.waitForSelector('#ops-activity-feed li[data-kind="health"][data-action="healthy"]');
    await shot(page, "05-source-healthy-again");

    // calculation_error: every source fails; the row ends in error, with a toast.
    await fault({ source: "*", fault: "status_500", count: 1000 });
    const failed = await submitCalculation();
    await page.waitForSelector(`#ops-tasks-table tr[data-task-ref="${failed.slice(0, 12)}"][data-status="error"]`, { timeout: kTimeout });
    await page.waitForSelector('.toast[data-event="calculation_error"]');
    await fetch(`${backend.simUrl}/__sim/faults`, { method: "DELETE" });
    // Re-run it from the table (with the admin token typed in above).
    const before = await page.$$eval("#ops-tasks-table tr[data-task-ref]", (rows) => rows.length);
    await page.click(`#ops-tasks-table tr[data-task-ref="${failed.slice(0, 12)}"] button[data-action="rerun"]`);
    await page.waitForFunction((n) => document.querySelectorAll("#ops-tasks-table tr[data-task-ref]").length > n, before, { timeout: kTimeout });
    await page.waitForSelector('#ops-activity-feed li[data-kind="task"][data-action="rerun"]', { timeout: kTimeout });
    // Cancel a running one from the table.
    await fault({ source: "*", fault: "delay", delay_ms: 20000, count: 4 });
    const slow = await submitCalculation();
    await page.waitForSelector(`#ops-tasks-table tr[data-task-ref="${slow.slice(0, 12)}"] button[data-action="cancel"]`, { timeout: kTimeout });
    await page.click(`#ops-tasks-table tr[data-task-ref="${slow.slice(0, 12)}"] button[data-action="cancel"]`);
    await page.waitForSelector(`#ops-tasks-table tr[data-task-ref="${slow.slice(0, 12)}"][data-status="cancelled"]`, { timeout: kTimeout });
    await fetch(`${backend.simUrl}/__sim/faults`, { method: "DELETE" });
    await shot(page, "06-error-rerun-cancel");

    // priors_deployed: a good file becomes version 1; a bad one is refused with its line and
    // changes nothing; a rollback returns to the built-in priors.
    await page.setInputFiles("#priors-file", { name: "priors.csv", mimeType: "text/csv", buffer: Buffer.from("context,source,variable,sd\nreanalysis,nasa_power,tmax_c,2.5\n*,open_meteo_archive,*,0.8\n") });
    await page.fill("#priors-note", "e2e");
    await page.click("#priors-deploy");
    await page.waitForSelector('#priors-active[data-version="1"]', { timeout: kTimeout });
    await page.waitForSelector('.toast[data-event="priors_deployed"]');
    await page.waitForSelector('#priors-versions li[data-version="1"][data-active="true"]');
    await page.setInputFiles("#priors-file", { name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from("context,source,variable,sd\nreanalysis,nasa_power,tmax_c,-3\n") });
    await page.click("#priors-deploy");
    await page.waitForFunction(() => /line 2/.test(document.querySelector("#priors-message")?.textContent ?? ""));
    assert.equal(await page.getAttribute("#priors-active", "data-version"), "1");
    await shot(page, "07-priors-refused");
    await page.click("#priors-rollback");
    await page.waitForSelector('#priors-active[data-version="0"]', { timeout: kTimeout });
    assert.ok((await counter(page, "priors_deployed")) >= 2);
    await page.waitForSelector('#ops-activity-feed li[data-kind="priors"][data-action="rolled_back"]');

    // activity, with the feed filter.
    await page.selectOption("#ops-activity-filter", "priors");
    const kinds = await page.$$eval("#ops-activity-feed li", (items) => [...new Set(items.map((li) => li.getAttribute("data-kind")))]);
    assert.deepEqual(kinds, ["priors"]);
    await page.selectOption("#ops-activity-filter", "");

    // The station data and sites events (issue 14): an upload with its progress, completion and
    // the dataset; a refused one; an append; a site created, changed and deleted.
    const key = (await post("/api/v1/workspaces", {})).body.key;
    const daily = readFileSync(new URL("../../examples/fallon_daily_2015.csv", import.meta.url), "utf8");
    const uploaded = await uploadCsv(key, daily);
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    await page.waitForSelector(`#ops-uploads [data-upload="${uploaded.body.upload.upload_id}"][data-state="done"]`, { timeout: kTimeout });
    await page.waitForSelector(`#ops-datasets [data-dataset="${uploaded.body.id}"]`, { timeout: kTimeout });
    const refusedUpload = await uploadCsv(key, "date,tmax_c,tmin_c\n2015-01-01,abc,1\n");
    assert.equal(refusedUpload.status, 422);
    await page.waitForSelector('#ops-uploads [data-state="error"]', { timeout: kTimeout });
    const appended = await fetch(`${backend.baseUrl}/api/v1/datasets/${uploaded.body.id}/rows`, { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "text/csv" }, body: nextDay(daily) });
    assert.equal(appended.status, 200, await appended.text());
    await page.waitForSelector(`#ops-datasets [data-dataset="${uploaded.body.id}"] .badge`, { timeout: kTimeout });
    const site = await workspaceCall(key, "POST", "/api/v1/sites", { name: "e2e field", latitude: -22.7, longitude: -47.6 });
    assert.equal(site.status, 201, JSON.stringify(site.body));
    assert.equal((await workspaceCall(key, "PATCH", `/api/v1/sites/${site.body.id}`, { name: "e2e field 2" })).status, 200);
    assert.equal((await workspaceCall(key, "DELETE", `/api/v1/sites/${site.body.id}`)).status, 204);
    await page.waitForSelector(`#ops-sites [data-site="${site.body.id}"] .badge`, { timeout: kTimeout });
    await shot(page, "08-uploads-datasets-sites");

    // Every event of the catalog happened, was received and counted.
    for (const { name } of catalog.events) {
      assert.ok((await counter(page, name)) >= 1, `${name} counted`);
      assert.ok(session.events.some((e) => e.type === name), `${name} received`);
    }
    assertGapFree(session.events, "one socket, all topics");
    await shot(page, "09-all-events");

    // Accessibility and language.
    await assertAccessible(page, "/ops");
    await page.selectOption("#language-switcher", "pt-BR");
    assert.equal(await page.textContent("#ops-page h1"), "Operação");
    assert.equal(await page.textContent("#ops-connection"), "Ao vivo");
    assert.match(await page.textContent('#ops-health-board li[data-component="store:tasks"] .health-state'), /saudável/);
    await shot(page, "10-pt-BR");
    await page.selectOption("#language-switcher", "en");
    // The browser logs the refused priors file's 422 itself, and the task table's 403 from before
    // the admin token was typed (the table lists everyone's points: it needs the token).
    assert.deepEqual(session.consoleErrors.filter((text) => !/status of (422|403)/.test(text)), []);
    await session.context.close();
  });

  test("server killed and restarted mid-page: banner, backoff, gap-free resume", async () => {
    const session = await openOps();
    const { page } = session;
    await waitCounter(page, "system_stats", 2);
    const killedAt = Date.now();
    await backend.killServer();
    await page.waitForSelector('#ops-connection[data-state="reconnecting"]', { timeout: 10_000 });
    assert.match(await page.textContent("#ops-connection"), /^Reconnecting \(attempt \d+, next try in \d+ s\)$/);
    await page.waitForFunction(() => Number(document.querySelector("#ops-connection")?.getAttribute("data-attempt")) >= 4, null, { timeout: 30_000 });
    await shot(page, "11-server-down-reconnecting");
    const lastBefore = session.events.at(-1).seq;
    await backend.startServer();
    await page.waitForSelector('#ops-connection[data-state="live"]', { timeout: 30_000 });
    // Something happens after the restart: a calculation, and stats.
    const id = await submitCalculation();
    await page.waitForSelector(`#ops-tasks-table tr[data-task-ref="${id.slice(0, 12)}"][data-status="success"]`, { timeout: kTimeout });
    await page.waitForFunction((n) => Number(document.querySelector('[data-counter="system_stats"]')?.getAttribute("data-count")) > n, await counter(page, "system_stats"), { timeout: kTimeout });
    await shot(page, "12-server-back");

    // The first retry came in under a second, the waits grew and never passed 5 s (+ slack for
    // a loaded machine), and every reconnect asked for what followed the last seq seen.
    const retries = session.sockets.slice(1);
    assert.ok(retries.length >= 4, `${retries.length} reconnect attempts`);
    const opens = [killedAt, ...retries.map((s) => s.opened)];
    const gaps = opens.slice(1).map((t, i) => t - opens[i]);
    assert.ok(gaps[0] < 1000, `first retry after ${gaps[0]} ms`);
    assert.ok(Math.max(...gaps) < 5000 + 1500, `longest wait ${Math.max(...gaps)} ms`);
    assert.ok(gaps.at(-2) > gaps[0], `waits grow: ${gaps}`);
    const resumed = session.sockets.at(-1);
    assert.equal(resumed.url.match(/since=(\d+)/)?.[1], String(lastBefore), resumed.url);
    assert.ok(resumed.events.length > 0);
    assert.equal(resumed.events[0].seq, lastBefore + 1, "resumes with the next seq");
    assertGapFree(session.events, "across the restart");
    assert.ok(session.events.some((e) => e.type === "activity" && e.data.kind === "node" && e.data.action === "started" && e.seq > lastBefore), "the restarted node announced itself");
    const refused = session.consoleErrors.filter((text) => !/WebSocket connection to .* failed|ERR_CONNECTION_REFUSED|Failed to load resource/.test(text));
    assert.deepEqual(refused, []);
    await session.context.close();
  });

  test("usable on a phone", async () => {
    const session = await openOps({ viewport: { width: 390, height: 844 } });
    const { page } = session;
    await waitCounter(page, "system_stats", 1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page wider than the screen by ${overflow} px`);
    const cardWidth = await page.$eval("#ops-health", (el) => el.getBoundingClientRect().width);
    assert.ok(cardWidth <= 390, `card ${cardWidth} px`);
    await shot(page, "13-phone");
    await session.context.close();
  });
});
