// Browser tests of the web app against a real `evapo serve` + upstream simulator (see
// harness.mjs). Run by `npm run e2e`; screenshots land in web/test-results/.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { strFromU8, unzipSync } from "fflate";
import { createRequire } from "node:module";
import { artifactsDir, launchBrowser, openPage, startBackend } from "./harness.mjs";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

mkdirSync(artifactsDir, { recursive: true });
const kTimeout = 60_000;
let backend;
let browser;

before(async () => {
  backend = await startBackend();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await backend?.stop();
});

async function shot(page, name) {
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
  // The modal scrolls on its own: also capture its lower part when results are shown.
  if (await page.$("#result-modal[open] #results-table")) {
    await page.$eval("#result-modal[open] #results-table", (table) => table.scrollIntoView({ block: "end" }));
    await page.screenshot({ path: join(artifactsDir, `${name}-table.png`) });
    await page.$eval("#result-modal[open]", (dialog) => dialog.scrollTo(0, 0));
  }
}

/// Types a point into the map form and presses "Calculate ETo"; returns when the modal is open.
async function calculateAt(page, lat, lon) {
  await page.fill("#lat-input", String(lat));
  await page.fill("#lon-input", String(lon));
  await page.click("#calc-eto-today-btn");
  await page.waitForSelector("#result-modal[open]");
}

async function waitStatus(page, status, timeout = kTimeout) {
  await page.waitForSelector(`#status-badge[data-status="${status}"]`, { timeout });
}

/// The text of every cell of #results-table (header row first).
function tableCells(page) {
  return page.$$eval("#results-table tr", (rows) =>
    rows.map((row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent ?? "")),
  );
}

/// Seq numbers of one task's frames, in arrival order.
function seqsOf(frames, taskId) {
  return frames.filter((f) => f.task_id === taskId).map((f) => f.seq);
}

/// Runs axe-core on the page; fails on critical or serious violations.
async function assertAccessible(page, what) {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "critical" || v.impact === "serious")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  });
  assert.deepEqual(violations, [], `axe violations on ${what}`);
}

function assertNoConsoleErrors(session, allowed = []) {
  const unexpected = session.consoleErrors.filter((text) => !allowed.some((pattern) => pattern.test(text)));
  assert.deepEqual(unexpected, [], "browser console errors");
}

async function currentTaskId(page) {
  return page.$eval(".tray-card", (card) => card.getAttribute("data-task-id"));
}

describe("evapo web app", { timeout: 10 * kTimeout }, () => {
  test("happy path: map point → live progress → results", async () => {
    const session = await openPage(browser, backend.baseUrl);
    const { page } = session;
    const started = Date.now();
    await page.goto(backend.baseUrl);
    await page.waitForSelector("#lat-input");
    await page.waitForFunction(() => document.querySelectorAll(".leaflet-overlay-pane path").length > 100);
    const loadMs = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      return nav.loadEventEnd - nav.startTime;
    });
    console.log(`first load: ${loadMs.toFixed(0)} ms (load event), ${Date.now() - started} ms wall`);
    assert.ok(loadMs < 1000, `first load ${loadMs} ms`);
    // A click on the map fills the coordinates.
    const map = await page.$("#map");
    const box = await map.boundingBox();
    await page.mouse.click(box.x + box.width * 0.35, box.y + box.height * 0.6);
    assert.notEqual(await page.inputValue("#lat-input"), "");
    await calculateAt(page, -22.7, -47.6);
    await page.waitForFunction(() => Number(document.querySelector("#status-badge")?.closest(".task-panel")?.querySelector('[role="progressbar"]')?.getAttribute("aria-valuenow")) > 0, null, { timeout: kTimeout });
    const stepText = await page.textContent("#progress-step");
    assert.match(stepText, /^Step \d\/7: /);
    await shot(page, "01-happy-progress");
    await waitStatus(page, "success");
    const cells = await tableCells(page);
    assert.equal(cells[0][0], "Date");
    assert.equal(cells.length - 1, 7, "7 days in the table");
    assert.equal(new Set(cells.slice(1).map((r) => r[0])).size, 7, "no duplicate day");
    assert.equal(await page.getAttribute('#result-modal [role="progressbar"]', "aria-valuenow"), "100");
    assert.ok(await page.$("#results .chart canvas"), "chart drawn");
    const taskId = await currentTaskId(page);
    const seqs = seqsOf(session.frames, taskId);
    assert.deepEqual(seqs, seqs.map((_s, i) => i + 1), "every event once, in order");
    assert.equal(session.frames.at(-1).type, "SUCCESS");
    await shot(page, "02-happy-results");
    await assertAccessible(page, "results modal");
    assertNoConsoleErrors(session);
    await session.context.close();
  });

  test("invalid coordinates are explained as you type and never sent", async () => {
    const session = await openPage(browser, backend.baseUrl);
    const { page } = session;
    const posts = [];
    page.on("request", (request) => request.method() === "POST" && posts.push(request.url()));
    await page.goto(backend.baseUrl);
    await page.fill("#lat-input", "95");
    await page.fill("#lon-input", "abc");
    assert.equal(await page.textContent("#lat-input-reason"), "Latitude must be between -90 and 90.");
    assert.equal(await page.textContent("#lon-input-reason"), "Not a number.");
    assert.equal(await page.getAttribute("#lat-input", "aria-invalid"), "true");
    await page.click("#calc-eto-today-btn");
    assert.equal(await page.textContent("#map-form-error"), "Fix the highlighted fields first.");
    assert.equal(await page.$("#result-modal[open]"), null);
    await page.fill("#lon-input", "181");
    assert.equal(await page.textContent("#lon-input-reason"), "Longitude must be between -180 and 180.");
    await shot(page, "03-invalid-coordinates");
    await assertAccessible(page, "map page with invalid fields");
    await page.fill("#lat-input", "-22,7");
    await page.fill("#lon-input", "-47.6");
    assert.equal(await page.getAttribute("#lat-input", "aria-invalid"), "false");
    assert.equal(await page.textContent("#lat-input-reason"), "");
    assert.deepEqual(posts, []);
    assertNoConsoleErrors(session);
    await session.context.close();
  });

  test("backend killed mid-calculation and restarted: reconnects, nothing lost", async () => {
    const session = await openPage(browser, backend.baseUrl);
    const { page } = session;
    await page.goto(backend.baseUrl);
    await calculateAt(page, 40.4, -3.7);
    await page.waitForSelector('#connection-state[data-state="live"]');
    await page.waitForFunction(() => Number(document.querySelector('#result-modal [role="progressbar"]')?.getAttribute("aria-valuenow")) > 0, null, { timeout: kTimeout });
    const taskId = await currentTaskId(page);
    await backend.killServer();
    await page.waitForSelector('#connection-state[data-state="reconnecting"]', { timeout: 10_000 });
    assert.equal(await page.textContent("#connection-state"), "Reconnecting…");
    await shot(page, "04-backend-down-reconnecting");
    await new Promise((r) => setTimeout(r, 1500));
    await backend.startServer();
    await waitStatus(page, "success");
    const seqs = seqsOf(session.frames, taskId);
    assert.ok(seqs.length > 0);
    assert.deepEqual(seqs, seqs.map((_s, i) => i + 1), `continuous event log across the restart: ${seqs}`);
    assert.ok(session.sockets.filter((s) => s.url.includes(taskId)).length >= 2, "a second socket was opened");
    assert.ok(session.sockets.some((s) => /since=\d+/.test(s.url)), "resumed with since");
    const cells = await tableCells(page);
    assert.equal(cells.length - 1, 7);
    await shot(page, "05-backend-back-results");
    // While the server is down the browser itself logs failed connection attempts.
    assertNoConsoleErrors(session, [/WebSocket connection to .* failed/, /ERR_CONNECTION_REFUSED/, /Failed to load resource/]);
    await session.context.close();
  });

  test("closing the modal mid-calculation keeps the task in the tray", async () => {
    const session = await openPage(browser, backend.baseUrl);
    const { page } = session;
    await page.goto(backend.baseUrl);
    await calculateAt(page, 51.5, -0.12);
    await page.waitForSelector('#connection-state[data-state="live"]');
    const taskId = await currentTaskId(page);
    await page.click("#close-modal");
    assert.equal(await page.$("#result-modal[open]"), null);
    await page.waitForFunction((id) => true, taskId);
    const card = `.tray-card[data-task-id="${taskId}"]`;
    await page.waitForSelector(card);
    await shot(page, "06-modal-closed-tray");
    await page.waitForSelector(`${card}[data-status="success"]`, { timeout: kTimeout });
    assert.ok(session.sockets.filter((s) => s.url.includes(taskId)).every((s) => s.closed), "socket closed with the modal");
    await page.click(`${card} .tray-open`);
    await waitStatus(page, "success");
    assert.equal((await tableCells(page)).length - 1, 7);
    assertNoConsoleErrors(session);
    await session.context.close();
  });

  test("three calculations in parallel, each with its own live card", async () => {
    const session = await openPage(browser, backend.baseUrl);
    const { page } = session;
    await page.goto(backend.baseUrl);
    const points = [[-15.8, -47.9], [35.7, 139.7], [-33.9, 18.4]];
    for (const [lat, lon] of points) {
      await calculateAt(page, lat, lon);
      await page.click("#close-modal");
    }
    assert.equal(await page.$$eval(".tray-card", (cards) => cards.length), 3);
    await shot(page, "07-three-parallel-running");
    await page.waitForFunction(() => [...document.querySelectorAll(".tray-card")].every((c) => c.getAttribute("data-status") === "success"), null, { timeout: kTimeout });
    const ids = await page.$$eval(".tray-card", (cards) => cards.map((c) => c.getAttribute("data-task-id")));
    assert.equal(new Set(ids).size, 3);
    for (const id of ids) {
      await page.click(`.tray-card[data-task-id="${id}"] .tray-open`);
      await waitStatus(page, "success");
      assert.equal((await tableCells(page)).length - 1, 7);
      await page.click("#close-modal");
    }
    await shot(page, "08-three-parallel-done");
    assertNoConsoleErrors(session);
    await session.context.close();
  });

  test("language switch mid-calculation: instant, remembered, <html lang> follows", async () => {
    const session = await openPage(browser, backend.baseUrl);
    const { page } = session;
    await page.goto(backend.baseUrl);
    await calculateAt(page, -8.05, -34.9);
    await page.waitForSelector('#connection-state[data-state="live"]');
    const socketsBefore = session.sockets.length;
    await page.selectOption("#language-switcher", "pt-BR");
    assert.equal(await page.getAttribute("html", "lang"), "pt-BR");
    assert.equal(await page.textContent("#result-modal-title"), "Cálculo da ETo");
    await page.waitForFunction(() => /^Etapa \d\/7: |^Aguardando/.test(document.querySelector("#progress-step")?.textContent ?? ""));
    await shot(page, "09-language-switch-mid-calculation");
    await waitStatus(page, "success");
    assert.equal(session.sockets.length, socketsBefore, "switching did not reconnect");
    const cells = await tableCells(page);
    assert.equal(cells[0][0], "Data");
    assert.match(cells[1][1], /^\d+,\d\d$/, "decimal comma");
    assert.match(cells[1][0], /^\d\d\/\d\d\/\d{4}$/);
    assert.equal(await page.textContent("#status-badge"), "Concluído");
    await shot(page, "10-results-pt-BR");
    await page.reload();
    await page.waitForSelector("#language-switcher");
    assert.equal(await page.inputValue("#language-switcher"), "pt-BR");
    assert.equal(await page.getAttribute("html", "lang"), "pt-BR");
    assert.equal(await page.textContent("#calc-eto-today-btn"), "Calcular a ETo de hoje e dos últimos dias");
    assertNoConsoleErrors(session);
    await session.context.close();
  });

  test("exports: CSV and XLSX hold exactly the table, with the locale's separators", async () => {
    const session = await openPage(browser, backend.baseUrl);
    const { page } = session;
    await page.goto(backend.baseUrl);
    await calculateAt(page, 39.5, -118.8);
    await waitStatus(page, "success");
    for (const lang of ["en", "pt-BR"]) {
      await page.selectOption("#language-switcher", lang);
      const cells = await tableCells(page);
      const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.click("#export-csv-btn")]);
      assert.match(csvDownload.suggestedFilename(), /^evapo_eto_.*\.csv$/);
      const csv = readFileSync(await csvDownload.path(), "utf8").replace(/^\uFEFF/, "");
      const separator = lang === "pt-BR" ? ";" : ",";
      const lines = csv.trimEnd().split("\r\n");
      assert.equal(lines.length, cells.length);
      const quote = (f) => (f.includes(separator) || f.includes('"') ? `"${f.replace(/"/g, '""')}"` : f);
      lines.forEach((line, i) => assert.equal(line, cells[i].map(quote).join(separator), `${lang} CSV line ${i}`));
      if (lang === "pt-BR") assert.match(lines[1].split(";")[1], /^\d+,\d\d$/);

      const [xlsxDownload] = await Promise.all([page.waitForEvent("download"), page.click("#export-xlsx-btn")]);
      assert.match(xlsxDownload.suggestedFilename(), /\.xlsx$/);
      const files = unzipSync(new Uint8Array(readFileSync(await xlsxDownload.path())));
      const sheet = strFromU8(files["xl/worksheets/sheet1.xml"]);
      const rows = [...sheet.matchAll(/<row [^>]*>(.*?)<\/row>/g)].map((m) =>
        [...m[1].matchAll(/<c [^>]*?(?:t="inlineStr"[^>]*>.*?<t[^>]*>(.*?)<\/t>.*?|>\s*<v>(.*?)<\/v>)<\/c>/g)].map((c) => c[1] ?? Number(c[2])),
      );
      assert.equal(rows.length, cells.length);
      assert.deepEqual(rows[0], cells[0].map((h) => h.replace(/&amp;/g, "&")));
      rows.slice(1).forEach((row, i) => {
        row.forEach((value, c) => {
          const shown = cells[i + 1][c];
          if (typeof value === "number") assert.equal(value, Number(shown.replace(",", ".")), `${lang} xlsx r${i + 2} c${c}`);
          else assert.equal(value, shown, `${lang} xlsx r${i + 2} c${c}`);
        });
      });
    }
    await shot(page, "11-exports");
    assertNoConsoleErrors(session);
    await session.context.close();
  });

  test("a failed calculation shows the reason and retries", async () => {
    const session = await openPage(browser, backend.baseUrl);
    const { page } = session;
    await page.goto(backend.baseUrl);
    await backend.failAllSources();
    try {
      await calculateAt(page, 10.5, 7.4);
      await waitStatus(page, "error");
    } finally {
      await backend.clearFaults();
    }
    const reason = await page.textContent("#task-error");
    assert.match(reason, /^Reason: .+/);
    assert.equal(await page.getAttribute("#task-error", "role"), "alert");
    await shot(page, "15-error");
    const failedId = await currentTaskId(page);
    await page.click("#retry-btn");
    await page.waitForFunction((id) => document.querySelector(".tray-card")?.getAttribute("data-task-id") !== id, failedId);
    await waitStatus(page, "success");
    assert.equal((await tableCells(page)).length - 1, 7);
    await shot(page, "16-retry-success");
    assertNoConsoleErrors(session);
    await session.context.close();
  });

  test("reload keeps the tray: a running task goes on live, finished ones open their results", async () => {
    const session = await openPage(browser, backend.baseUrl);
    const { page, context } = session;
    // A task this server never had (pruned, or another data dir) is slipped into the saved list
    // before each reload; it must leave the tray without any error shown.
    const strangerId = "0".repeat(32);
    await context.addInitScript((id) => {
      const key = "evapo.tasks.v1";
      const saved = JSON.parse(localStorage.getItem(key) ?? "null");
      if (!saved || !Array.isArray(saved.tasks) || saved.tasks.length === 0 || saved.tasks.some((t) => t.id === id)) return;
      const request = { latitude: 1, longitude: 1, start_date: "2024-01-01", end_date: "2024-01-07" };
      saved.tasks.push({ id, request, started_at_ms: Date.now() });
      localStorage.setItem(key, JSON.stringify(saved));
    }, strangerId);
    const strangerLookups = [];
    page.on("response", (response) => response.url().endsWith(`/api/v1/tasks/${strangerId}`) && strangerLookups.push(response.status()));
    const trayIds = () => page.$$eval(".tray-card", (cards) => cards.map((c) => c.getAttribute("data-task-id")));
    const panelShows = (id) => page.waitForSelector(`#result-modal[open] .task-panel[data-task-id="${id}"]`);

    await page.goto(backend.baseUrl);
    await calculateAt(page, 48.1, 11.6);
    const trayOnlyId = await currentTaskId(page);
    await page.click("#close-modal");
    await calculateAt(page, -3.1, -60.0);
    const shownId = await currentTaskId(page);
    await page.waitForSelector('#connection-state[data-state="live"]');
    await page.waitForFunction(() => Number(document.querySelector('#result-modal [role="progressbar"]')?.getAttribute("aria-valuenow")) > 0, null, { timeout: kTimeout });
    const seqsBefore = seqsOf(session.frames, shownId);
    assert.ok(!session.frames.some((f) => f.task_id === shownId && f.type !== "PROGRESS"), "reloaded mid-calculation");
    assert.deepEqual(seqsBefore, seqsBefore.map((_s, i) => i + 1));

    // Only sockets of the reloaded page report here.
    const framesAfter = [];
    page.on("websocket", (ws) => ws.on("framereceived", (frame) => framesAfter.push(JSON.parse(String(frame.payload)))));
    await page.reload();
    await panelShows(shownId);
    await page.waitForFunction((id) => !document.querySelector(`.tray-card[data-task-id="${id}"]`), strangerId);
    assert.deepEqual(await trayIds(), [shownId, trayOnlyId], "same tasks, most recent first");
    assert.deepEqual(strangerLookups, [404]);
    const shownCard = `.tray-card[data-task-id="${shownId}"]`;
    assert.equal(await page.textContent(`${shownCard} .tray-place`), "-3.1000°, -60.0000°");
    assert.match(await page.textContent(`${shownCard} .tray-period`), /^\d\d\/\d\d\/\d{4} – \d\d\/\d\d\/\d{4}$/);
    await shot(page, "17-reload-mid-calculation");
    await waitStatus(page, "success");
    await page.waitForSelector(`.tray-card[data-task-id="${trayOnlyId}"][data-status="success"]`, { timeout: kTimeout });
    const seqsAfter = seqsOf(framesAfter, shownId);
    assert.deepEqual(seqsAfter, seqsAfter.map((_s, i) => i + 1), `each event once, in order, after the reload: ${seqsAfter}`);
    assert.ok(seqsAfter.length > seqsBefore.length, "went on past the reload");
    assert.equal(framesAfter.filter((f) => f.task_id === shownId).at(-1).type, "SUCCESS");
    assert.equal((await tableCells(page)).length - 1, 7);
    assert.equal(await page.isHidden("#task-error"), true);

    await page.reload();
    await panelShows(shownId);
    await waitStatus(page, "success");
    assert.equal((await tableCells(page)).length - 1, 7);
    await page.click("#close-modal");
    await page.click(`.tray-card[data-task-id="${trayOnlyId}"] .tray-open`);
    await panelShows(trayOnlyId);
    await waitStatus(page, "success");
    assert.equal((await tableCells(page)).length - 1, 7);
    assert.deepEqual(await trayIds(), [shownId, trayOnlyId]);
    await shot(page, "18-reload-finished-results");
    // Closed before a reload, the modal stays closed after it.
    await page.click("#close-modal");
    await page.reload();
    await page.waitForSelector(`.tray-card[data-task-id="${trayOnlyId}"][data-status="success"]`);
    assert.equal(await page.$("#result-modal[open]"), null);
    assert.deepEqual(strangerLookups, [404, 404, 404]);
    assertNoConsoleErrors(session, [/Failed to load resource: the server responded with a status of 404/]);
    await session.context.close();
  });

  test("period page, keyboard only, at 360 px", async () => {
    const session = await openPage(browser, backend.baseUrl, { viewport: { width: 360, height: 740 } });
    const { page } = session;
    await page.goto(`${backend.baseUrl}/eto`);
    await page.waitForSelector("#start-date");
    await page.focus("#period-lat-input");
    await page.keyboard.type("-22.7");
    await page.keyboard.press("Tab");
    await page.keyboard.type("-47.6");
    await page.focus("#calc-eto-period-btn");
    await page.keyboard.press("Enter");
    await waitStatus(page, "success");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page wider than the screen by ${overflow}px`);
    assert.ok((await tableCells(page)).length > 1);
    await shot(page, "12-period-360px");
    await assertAccessible(page, "period page with results");
    await page.goto(backend.baseUrl);
    await page.waitForSelector("#lat-input");
    await shot(page, "13-map-360px");
    await page.goto(`${backend.baseUrl}/about`);
    const about = await page.textContent(".about-page");
    for (const needle of ["CC BY 4.0", "NLOD", "NASA Langley Research Center", "public domain", "Natural Earth"]) assert.ok(about.includes(needle), needle);
    await shot(page, "14-about");
    await assertAccessible(page, "about page");
    assertNoConsoleErrors(session);
    await session.context.close();
  });
});
