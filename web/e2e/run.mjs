// Browser tests of the web app against a real `evapo serve` + upstream simulator (see
// harness.mjs). Run by `npm run e2e`; screenshots land in web/test-results/.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { strFromU8, unzipSync } from "fflate";
import { artifactsDir, assertAccessible, csvTable, launchBrowser, openPage, startBackend } from "./harness.mjs";


mkdirSync(artifactsDir, { recursive: true });
const kTimeout = 60_000;
const shots = [];
let backend;
let browser;

before(async () => {
  backend = await startBackend();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await backend?.stop();
  console.log(`screenshots in ${artifactsDir}: ${shots.join(", ")}`);
});

async function shot(page, name) {
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
  shots.push(name);
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

/// Runs axe-core on the page; fails on any violation. The source is evaluated through the
/// DevTools protocol: the app's Content-Security-Policy (script-src 'self') refuses a script tag.
/// Screen centre of the chosen-point marker.
async function markerCentre(page) {
  const box = await (await page.$("path.chosen-point")).boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/// Table cells of the CSV part after the "#" metadata block and its empty line.
function assertNoConsoleErrors(session, allowed = []) {
  const unexpected = session.consoleErrors.filter((text) => !allowed.some((pattern) => pattern.test(text)));
  assert.deepEqual(unexpected, [], "browser console errors");
}

async function currentTaskId(page) {
  return page.$eval(".tray-card", (card) => card.getAttribute("data-task-id"));
}

describe("evapo web app", { timeout: 10 * kTimeout }, () => {
  test("map-first on a desktop: street tiles (stand-in), pick, zoom around the point, live progress, results", async () => {
    const session = await openPage(browser, backend.baseUrl);
    const { page } = session;
    await page.goto(backend.baseUrl);
    await page.waitForSelector('#map[data-basemap="tiles"]', { timeout: 15_000 });
    await page.waitForSelector(".leaflet-tile-loaded");
    // The app is usable once its own code ran; the load event also waits for the first tiles.
    const { readyMs, loadMs } = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      return { readyMs: performance.getEntriesByName("evapo:ready")[0].startTime - nav.startTime, loadMs: nav.loadEventEnd - nav.startTime };
    });
    console.log(`first load: app ready ${readyMs.toFixed(0)} ms, load event ${loadMs.toFixed(0)} ms`);
    // A figure, not a speed target (those live in benchmarks): this bound only catches a page that
    // waits on the network (tiles, search) before it can be used.
    assert.ok(readyMs < 5000, `app ready after ${readyMs} ms`);
    // The map fills the window under the top bar; the panel floats over it on the left.
    const map = await (await page.$("#map")).boundingBox();
    const panel = await (await page.$("#map-panel")).boundingBox();
    assert.ok(map.width >= 1270 && map.height >= 840, `map ${map.width}×${map.height}`);
    assert.ok(panel.x < 30 && panel.width < 450, `panel ${JSON.stringify(panel)}`);
    assert.equal(await page.$$eval("[data-page=map] .leaflet-overlay-pane path", (paths) => paths.length), 0, "no offline layer with tiles");
    // Tile usage policy: only what is on screen, with the page as Referer.
    assert.ok(session.tileRequests.length > 0 && session.tileRequests.length < 80, `${session.tileRequests.length} tiles`);
    assert.ok(session.tileRequests.every((r) => r.referer.startsWith(backend.baseUrl)), "tiles carry a Referer");
    assert.match(await page.textContent(".leaflet-control-attribution"), /OpenStreetMap/);
    // A click right of the panel chooses a point.
    await page.mouse.click(panel.x + panel.width + 300, map.y + map.height * 0.65);
    assert.notEqual(await page.inputValue("#lat-input"), "");
    assert.equal(await page.textContent("#selected-location"), "Chosen point");
    // Zooming in keeps the point where it is on screen.
    const before = await markerCentre(page);
    await page.click('.zoom-button[data-zoom="in"]');
    await page.waitForTimeout(600);
    const after = await markerCentre(page);
    assert.ok(Math.abs(after.x - before.x) < 3 && Math.abs(after.y - before.y) < 3, `${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    await shot(page, "01-map-desktop-tiles");

    await calculateAt(page, -22.7, -47.6);
    await page.waitForFunction(() => Number(document.querySelector('#result-modal [role="progressbar"]')?.getAttribute("aria-valuenow")) > 0, null, { timeout: kTimeout });
    assert.match(await page.textContent("#progress-step"), /^Step \d\/7: /);
    await shot(page, "02-desktop-progress");
    await waitStatus(page, "success");
    assert.match(await page.textContent("#progress-step"), /^Done in \d+ s$/, "no stale step text");
    assert.equal(await page.isHidden("#elapsed-clock"), true);
    const cells = await tableCells(page);
    assert.deepEqual(cells[0].slice(0, 5), ["Date", "ETo (mm)", "± sd (mm)", "Quality", "Rain (mm)"]);
    assert.equal(cells.length - 1, 7, "7 days in the table");
    assert.match(cells[1][0], /^\d{1,2} [A-Z][a-z]{2,3} \d{4}$/, "an unambiguous English date");
    assert.equal(new Set(cells.slice(1).map((r) => r[0])).size, 7, "no duplicate day");
    assert.ok(await page.$("#results .chart canvas"), "chart drawn");
    // The legend shows the latest day's values before anything is hovered.
    const legend = await page.textContent("#chart-legend");
    assert.ok(legend.includes(cells[7][0]), legend);
    assert.match(legend, /ETo \(mm\)\d+\.\d\d ± \d+\.\d\d/);
    const taskId = await currentTaskId(page);
    const seqs = seqsOf(session.frames, taskId);
    assert.deepEqual(seqs, seqs.map((_s, i) => i + 1), "every event once, in order");
    assert.equal(session.frames.at(-1).type, "SUCCESS");
    await shot(page, "03-desktop-results");
    await assertAccessible(page, "results modal");
    // Closing gives the focus back to what opened it.
    await page.click("#close-modal");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "calc-eto-today-btn");
    // The tray card says the mode and the total; the task has a marker on the map.
    const card = `.tray-card[data-task-id="${taskId}"]`;
    assert.equal(await page.textContent(`${card} .tray-mode`), "Recent · 7 days");
    assert.match(await page.textContent(`${card} .tray-note`), /^Total ETo \d+\.\d mm$/);
    assert.ok(await page.$("path.task-marker--success"), "task marker");
    await shot(page, "04-desktop-tray-marker");
    await assertAccessible(page, "map page");
    assertNoConsoleErrors(session);
    await session.context.close();
  });

  test("without internet the map falls back to the bundled Natural Earth layer", async () => {
    const session = await openPage(browser, backend.baseUrl, { tiles: "unreachable" });
    const { page } = session;
    await page.goto(backend.baseUrl);
    await page.waitForSelector('#map[data-basemap="offline"]', { timeout: 20_000 });
    await page.waitForFunction(() => document.querySelectorAll("[data-page=map] .leaflet-overlay-pane path").length > 100);
    assert.equal(await page.textContent(".offline-notice"), "Offline map: the street map cannot be reached");
    assert.match(await page.textContent(".leaflet-control-attribution"), /Natural Earth/);
    assert.ok(session.tileRequests.length >= 3, "tiles were tried first");
    await calculateAt(page, -15.8, -47.9);
    await waitStatus(page, "success");
    await page.click("#close-modal");
    await shot(page, "05-map-offline-fallback");
    assertNoConsoleErrors(session, [/Failed to load resource: net::ERR_INTERNET_DISCONNECTED/]);
    await session.context.close();
  });

  test("a phone (390×844): the map on top, a bottom sheet, results that fit", async () => {
    const session = await openPage(browser, backend.baseUrl, { viewport: { width: 390, height: 844 }, locale: "pt-BR" });
    const { page } = session;
    await page.goto(backend.baseUrl);
    await page.waitForSelector('#map[data-basemap="tiles"]', { timeout: 15_000 });
    const map = await (await page.$("#map")).boundingBox();
    const sheet = await (await page.$("#map-panel")).boundingBox();
    assert.ok(map.y < 80 && map.height > 700, `map ${JSON.stringify(map)}`);
    assert.ok(sheet.y > 844 * 0.45 && sheet.y + sheet.height <= 845, `sheet ${JSON.stringify(sheet)}`);
    assert.equal(await page.textContent("#map-heading"), "Onde fica a sua área?");
    await page.mouse.click(300, 200);
    await page.waitForSelector("path.chosen-point");
    const marker = await markerCentre(page);
    assert.ok(marker.y < sheet.y, "the chosen point is not under the sheet");
    await shot(page, "06-phone-map");
    await page.click(".sheet-toggle");
    assert.equal(await page.getAttribute(".sheet-toggle", "aria-expanded"), "true");
    await shot(page, "07-phone-sheet-expanded");
    await page.fill("#lat-input", "-22.7");
    await page.fill("#lon-input", "-47.6");
    await page.click("#calc-eto-today-btn");
    await waitStatus(page, "success");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page wider than the screen by ${overflow}px`);
    assert.equal(await page.isVisible("#scroll-cue"), true, "the table shows it scrolls sideways");
    await shot(page, "08-phone-results");
    await assertAccessible(page, "phone results");
    assertNoConsoleErrors(session);
    await session.context.close();
  });

  test("place search through evapo (Open-Meteo geocoding, served by the simulator) and coordinates in DMS", async () => {
    const session = await openPage(browser, backend.baseUrl, { locale: "pt-BR" });
    const { page } = session;
    await page.goto(backend.baseUrl);
    await page.waitForSelector("#place-search");
    await page.fill("#place-search", "piraci");
    await page.waitForSelector("#place-option-0");
    assert.equal(await page.textContent("#place-option-0 .place-main"), "Piracicaba");
    assert.equal(await page.textContent("#place-option-0 .place-detail"), "São Paulo, Brasil");
    assert.equal(await page.getAttribute("#place-search", "aria-expanded"), "true");
    await shot(page, "09-place-search");
    await page.press("#place-search", "Enter");
    await page.waitForFunction(() => document.querySelector("#selected-location")?.textContent === "Piracicaba, São Paulo, Brasil");
    assert.equal(Number(await page.inputValue("#lat-input")), -22.72528);
    assert.match(await page.textContent("#selected-elevation"), /547 m/);
    await shot(page, "10-place-chosen");
    const asked = (await backend.simRequests()).geocoding;
    // The same search again is answered from evapo's cache.
    await page.fill("#place-search", "");
    await page.fill("#place-search", "piraci");
    await page.waitForSelector("#place-option-0");
    assert.equal((await backend.simRequests()).geocoding, asked);
    await page.fill("#place-search", "22°43'31\"S 47°38'57\"W");
    await page.waitForFunction(() => /^Ir para -22,7253°, -47,6492°$/.test(document.querySelector("#place-option-0")?.textContent ?? ""));
    await page.press("#place-search", "Enter");
    await page.waitForFunction(() => document.querySelector("#lat-input")?.value === "-22.7253");
    await page.fill("#place-search", "Zzyzxq");
    await page.waitForFunction(() => document.querySelector("#place-status")?.textContent === "Nenhum lugar encontrado com esse nome.");
    // DMS typed in the coordinate fields.
    await page.fill("#lat-input", "15°47'S");
    await page.fill("#lon-input", "47 55 W");
    assert.equal(await page.getAttribute("#lat-input", "aria-invalid"), "false");
    assert.match(await page.textContent("#selected-coords"), /^-15,7833°, -47,9167°/);
    await assertAccessible(page, "place search");
    assertNoConsoleErrors(session);
    await session.context.close();
  });

  test("a point over the sea is refused before any download, and calculated when the user insists", async () => {
    const session = await openPage(browser, backend.baseUrl);
    const { page } = session;
    const posts = [];
    page.on("response", (r) => r.request().method() === "POST" && posts.push(r.status()));
    await page.goto(backend.baseUrl);
    const before = await backend.simRequests();
    await page.fill("#lat-input", "-26.16");
    await page.fill("#lon-input", "-44.60");
    await page.click("#calc-eto-today-btn");
    await page.waitForSelector("#sea-refusal:not([hidden])");
    assert.match(await page.textContent("#sea-refusal p"), /^This point is in the sea\./);
    assert.equal(await page.$("#result-modal[open]"), null);
    assert.deepEqual(posts, [422]);
    assert.deepEqual(await backend.simRequests(), before, "nothing downloaded");
    assert.equal(await page.$$eval(".tray-card", (c) => c.length), 0);
    await shot(page, "11-over-sea-refused");
    await page.click("#allow-sea-btn");
    await page.waitForSelector("#result-modal[open]");
    await waitStatus(page, "success");
    assert.match(await page.textContent("#major-warning"), /^This point is over the sea, \d+ km from the nearest land\./);
    const cells = await tableCells(page);
    assert.ok(cells.slice(1).every((row) => row[3] === "low"), "never graded better than low");
    await shot(page, "12-over-sea-anyway");
    assertNoConsoleErrors(session, [/status of 422/]);
    await session.context.close();
  });

  test("warnings in pt-BR by name, the same from the cache as fresh", async () => {
    const session = await openPage(browser, backend.baseUrl, { locale: "pt-BR" });
    const { page } = session;
    await page.goto(backend.baseUrl);
    const warnings = () => page.$$eval("#result-warnings li", (items) => items.map((li) => li.textContent));
    await calculateAt(page, -21.18, -47.81);
    await waitStatus(page, "success");
    const fresh = await warnings();
    assert.ok(fresh.length > 0, "a recent period has days the archives lack");
    for (const text of fresh) {
      assert.doesNotMatch(text, /nasa_power|open_meteo|ALLSKY|_/, text);
      assert.match(text, /NASA POWER|Open-Meteo/, text);
    }
    assert.ok(fresh.some((text) => /não tem dados para \d+ dias?/.test(text)), fresh.join(" | "));
    await shot(page, "13-warnings-pt-BR");
    await page.click("#close-modal");
    const requests = await backend.simRequests();
    await calculateAt(page, -21.18, -47.81);
    await waitStatus(page, "success");
    assert.deepEqual(await warnings(), fresh);
    assert.equal((await backend.simRequests()).nasa_power, requests.nasa_power, "served from the cache");
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
    await shot(page, "14-invalid-coordinates");
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
    await shot(page, "15-backend-down-reconnecting");
    await new Promise((r) => setTimeout(r, 1500));
    await backend.startServer();
    await waitStatus(page, "success");
    const seqs = seqsOf(session.frames, taskId);
    assert.ok(seqs.length > 0);
    assert.deepEqual(seqs, seqs.map((_s, i) => i + 1), `continuous event log across the restart: ${seqs}`);
    assert.ok(session.sockets.filter((s) => s.url.includes(taskId)).length >= 2, "a second socket was opened");
    assert.ok(session.sockets.some((s) => /since=\d+/.test(s.url)), "resumed with since");
    assert.equal((await tableCells(page)).length - 1, 7);
    // While the server is down the browser itself logs failed connection attempts.
    assertNoConsoleErrors(session, [/WebSocket connection to .* failed/, /ERR_CONNECTION_REFUSED/, /Failed to load resource/]);
    await session.context.close();
  });

  test("closing the modal mid-calculation keeps the task in the tray; Open gives the focus back to it", async () => {
    const session = await openPage(browser, backend.baseUrl);
    const { page } = session;
    await page.goto(backend.baseUrl);
    await calculateAt(page, 51.5, -0.12);
    await page.waitForSelector('#connection-state[data-state="live"]');
    const taskId = await currentTaskId(page);
    await page.click("#close-modal");
    assert.equal(await page.$("#result-modal[open]"), null);
    const card = `.tray-card[data-task-id="${taskId}"]`;
    await page.waitForSelector(card);
    await page.waitForFunction((c) => /running in the background|waiting to start/.test(document.querySelector(`${c} .tray-note`)?.textContent ?? ""), card);
    await shot(page, "16-modal-closed-tray");
    await page.waitForSelector(`${card}[data-status="success"]`, { timeout: kTimeout });
    assert.ok(session.sockets.filter((s) => s.url.includes(taskId)).every((s) => s.closed), "socket closed with the modal");
    await page.click(`${card} .tray-open`);
    await waitStatus(page, "success");
    assert.equal((await tableCells(page)).length - 1, 7);
    await page.keyboard.press("Escape");
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains("tray-open")), true, "focus back on Open");
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
    await shot(page, "17-three-parallel-running");
    await page.waitForFunction(() => [...document.querySelectorAll(".tray-card")].every((c) => c.getAttribute("data-status") === "success"), null, { timeout: kTimeout });
    const ids = await page.$$eval(".tray-card", (cards) => cards.map((c) => c.getAttribute("data-task-id")));
    assert.equal(new Set(ids).size, 3);
    for (const id of ids) {
      await page.click(`.tray-card[data-task-id="${id}"] .tray-open`);
      await waitStatus(page, "success");
      assert.equal((await tableCells(page)).length - 1, 7);
      await page.click("#close-modal");
    }
    assert.equal(await page.$$eval("path.task-marker--success", (m) => m.length), 3);
    await shot(page, "18-three-parallel-done");
    assertNoConsoleErrors(session);
    await session.context.close();
  });

  test("language switch mid-calculation, from inside the modal: instant, remembered, <html lang> follows", async () => {
    const session = await openPage(browser, backend.baseUrl);
    const { page } = session;
    await page.goto(backend.baseUrl);
    await calculateAt(page, -8.05, -34.9);
    await page.waitForSelector('#connection-state[data-state="live"]');
    const socketsBefore = session.sockets.length;
    await page.selectOption("#modal-language", "pt-BR");
    assert.equal(await page.getAttribute("html", "lang"), "pt-BR");
    assert.equal(await page.textContent("#result-modal-title"), "Cálculo da ETo");
    assert.equal(await page.inputValue("#language-switcher"), "pt-BR");
    await page.waitForFunction(() => /^Etapa \d\/7: |^Aguardando|^Na fila/.test(document.querySelector("#progress-step")?.textContent ?? ""));
    await shot(page, "19-language-switch-mid-calculation");
    await waitStatus(page, "success");
    assert.equal(session.sockets.length, socketsBefore, "switching did not reconnect");
    const cells = await tableCells(page);
    assert.equal(cells[0][0], "Data");
    assert.match(cells[1][1], /^\d+,\d\d$/, "decimal comma");
    assert.match(cells[1][0], /^\d\d\/\d\d\/\d{4}$/);
    assert.equal(await page.textContent("#status-badge"), "Concluído");
    assert.match(await page.textContent("#progress-step"), /^Concluído em \d+ s$/);
    await shot(page, "20-results-pt-BR");
    await page.reload();
    await page.waitForSelector("#language-switcher");
    assert.equal(await page.inputValue("#language-switcher"), "pt-BR");
    assert.equal(await page.getAttribute("html", "lang"), "pt-BR");
    assert.equal(await page.textContent("#calc-eto-today-btn"), "Calcular ETo");
    assertNoConsoleErrors(session);
    await session.context.close();
  });

  test("errors: one plain cause, details folded, true status line, Retry only when it can help", async () => {
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
    assert.match(await page.textContent("#task-error-cause"), /^The weather services could not be reached/);
    assert.equal(await page.getAttribute("#task-error", "role"), "alert");
    assert.equal(await page.getAttribute("#task-error-details", "open"), null, "details folded");
    assert.doesNotMatch(await page.textContent("#task-error-cause"), /nasa_power|open_meteo/);
    assert.match(await page.textContent("#progress-step"), /^Failed at step \d\/7: /);
    assert.equal(await page.getAttribute('#result-modal [role="progressbar"]', "aria-valuenow"), "100");
    await shot(page, "21-error");
    const failedId = await currentTaskId(page);
    await page.click("#retry-btn");
    await page.waitForFunction((id) => document.querySelector(".tray-card")?.getAttribute("data-task-id") !== id, failedId);
    await waitStatus(page, "success");
    assert.equal((await tableCells(page)).length - 1, 7);
    await page.click("#close-modal");
    // Cancelled: says at which step, and offers no Retry.
    await calculateAt(page, 12.0, 8.5);
    await page.waitForSelector("#cancel-task-btn");
    await page.waitForFunction(() => /^Step \d\/7/.test(document.querySelector("#progress-step")?.textContent ?? ""), null, { timeout: kTimeout });
    await page.click("#cancel-task-btn");
    await waitStatus(page, "cancelled");
    assert.match(await page.textContent("#progress-step"), /^Cancelled at step \d\/7: /);
    assert.equal(await page.$("#retry-btn"), null);
    await shot(page, "22-cancelled");
    assertNoConsoleErrors(session);
    await session.context.close();
  });

  test("impossible source choices are caught in the form", async () => {
    const session = await openPage(browser, backend.baseUrl);
    const { page } = session;
    const posts = [];
    page.on("request", (request) => request.method() === "POST" && posts.push(request.url()));
    await page.goto(`${backend.baseUrl}/eto`);
    await page.fill("#period-lat-input", "-22.7");
    await page.fill("#period-lon-input", "-47.6");
    await page.selectOption("#mode-select", "forecast");
    await page.check("#sources-explicit");
    assert.equal(await page.isDisabled("#source-nasa_power"), true);
    assert.equal(await page.textContent("#source-nasa_power-note"), "no forecast");
    assert.equal(await page.textContent("#source-nws-note"), "USA only");
    await page.click("#calc-eto-period-btn");
    assert.equal(await page.textContent("#sources-reason"), "Tick at least one source, or choose Automatic.");
    await page.selectOption("#mode-select", "recent");
    assert.equal(await page.isVisible("#period-recent-days"), true);
    assert.equal(await page.isVisible("#start-date"), false);
    await page.check("#source-met_norway", { force: true }).catch(() => {});
    assert.equal(await page.isDisabled("#source-met_norway"), true);
    await shot(page, "23-impossible-sources");
    assert.deepEqual(posts, []);
    assertNoConsoleErrors(session);
    await session.context.close();
  });

  test("an unknown path shows a not-found page", async () => {
    const session = await openPage(browser, backend.baseUrl);
    const { page } = session;
    await page.goto(`${backend.baseUrl}/nonexistent`);
    await page.waitForSelector(".not-found-page:not([hidden])");
    assert.equal(await page.textContent(".not-found-page h1"), "Page not found");
    assert.equal(await page.$$eval("nav a[aria-current]", (links) => links.length), 0);
    assert.equal(await page.isHidden("#map"), true);
    await shot(page, "24-not-found");
    await assertAccessible(page, "not-found page");
    await page.click("#not-found-home");
    await page.waitForSelector('nav a[data-route="map"][aria-current="page"]');
    assertNoConsoleErrors(session);
    await session.context.close();
  });

  test("the map point carries to /eto; a long period pages its table, keeps its header and exports that describe themselves", async () => {
    const session = await openPage(browser, backend.baseUrl);
    const { page } = session;
    await page.goto(backend.baseUrl);
    await page.waitForSelector('#map[data-basemap="tiles"]', { timeout: 15_000 });
    await page.fill("#lat-input", "39.5");
    await page.fill("#lon-input", "-118.8");
    await page.click("#period-link");
    await page.waitForSelector("#period-map path.chosen-point");
    assert.equal(await page.inputValue("#period-lat-input"), "39.5");
    assert.equal(await page.inputValue("#period-lon-input"), "-118.8");
    await page.selectOption("#mode-select", "historical");
    await page.fill("#start-date", "2025-03-01");
    await page.fill("#end-date", "2025-04-29");
    await shot(page, "25-period-page");
    await page.click("#calc-eto-period-btn");
    await waitStatus(page, "success");
    let cells = await tableCells(page);
    assert.equal(cells.length - 1, 31, "one page of 31 days");
    assert.equal(await page.textContent("#table-page"), "Days 1–31 of 60");
    await page.click("#table-next");
    cells = await tableCells(page);
    assert.equal(cells.length - 1, 29);
    assert.equal(cells[1][0], "1 Apr 2025");
    assert.equal(await page.textContent("#table-page"), "Days 32–60 of 60");
    // The header stays at the top of the table's box while its rows scroll.
    await page.$eval(".table-scroll", (box) => (box.scrollTop = 400));
    const offset = await page.$eval(".table-scroll", (box) => box.querySelector("thead th").getBoundingClientRect().top - box.getBoundingClientRect().top);
    assert.ok(Math.abs(offset) < 3, `header ${offset}px from the top`);
    await shot(page, "26-long-period-table");

    for (const lang of ["en", "pt-BR"]) {
      await page.selectOption("#language-switcher", lang);
      const shown = await tableCells(page);
      const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.click("#export-csv-btn")]);
      assert.match(csvDownload.suggestedFilename(), /^evapo_eto_39\.5000_-118\.8000_2025-03-01_2025-04-29\.csv$/);
      const separator = lang === "pt-BR" ? ";" : ",";
      const { meta, table } = csvTable(readFileSync(await csvDownload.path(), "utf8"), separator);
      const labels = meta.map((line) => line.split(separator)[0]);
      assert.deepEqual(
        labels,
        lang === "en"
          ? ["# File", "# Point", "# Elevation", "# Time zone", "# Method", "# Sources", "# Period", "# Warnings", "# evapo version", "# Exported"]
          : ["# Arquivo", "# Ponto", "# Altitude", "# Fuso horário", "# Método", "# Fontes", "# Período", "# Avisos", "# Versão do evapo", "# Exportado em"],
      );
      assert.match(meta.find((l) => l.includes("evapo ") && /versão|version/i.test(l)), /evapo \d+\.\d+\.\d+/);
      assert.equal(table.length, 61);
      const quote = (f) => (f.includes(separator) || f.includes('"') ? `"${f.replace(/"/g, '""')}"` : f);
      assert.equal(table[0], shown[0].map(quote).join(separator));
      // The rows on screen are the CSV's rows for those days.
      const first = table.findIndex((line) => line.startsWith(`${shown[1][0]}${separator}`));
      assert.ok(first > 0, `${lang}: ${shown[1][0]} in the CSV`);
      shown.slice(1).forEach((row, i) => assert.equal(table[first + i], row.map(quote).join(separator), `${lang} CSV row ${first + i}`));

      const [xlsxDownload] = await Promise.all([page.waitForEvent("download"), page.click("#export-xlsx-btn")]);
      const files = unzipSync(new Uint8Array(readFileSync(await xlsxDownload.path())));
      const sheet = strFromU8(files["xl/worksheets/sheet1.xml"]);
      assert.match(sheet, /<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"\/>/);
      assert.match(sheet, /<cols>(<col [^>]*customWidth="1"\/>){12}<\/cols>/);
      const dateCell = /<c r="A2" s="(\d+)"><v>(\d+)<\/v><\/c>/.exec(sheet);
      assert.ok(dateCell, "the first day is a number (a real date)");
      assert.equal(Number(dateCell[2]), 45717, "2025-03-01 as a spreadsheet serial");
      const styles = strFromU8(files["xl/styles.xml"]);
      const xf = [...styles.matchAll(/<xf [^>]*numFmtId="(\d+)"/g)].slice(1)[Number(dateCell[1])][1];
      assert.match(styles, new RegExp(`numFmtId="${xf}" formatCode="(d mmm yyyy|dd/mm/yyyy)"`));
      assert.equal([...sheet.matchAll(/<row /g)].length, 61);
      const metaSheet = strFromU8(files["xl/worksheets/sheet2.xml"]);
      assert.match(metaSheet, lang === "en" ? /evapo version/ : /Versão do evapo/);
      assert.match(strFromU8(files["xl/workbook.xml"]), lang === "en" ? /name="About this file"/ : /name="Sobre este arquivo"/);
    }
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
    assert.match(await page.textContent(`${shownCard} .tray-period`), /^\d{1,2} [A-Z][a-z]{2,3} \d{4} – \d{1,2} [A-Z][a-z]{2,3} \d{4} · Recent · 7 days$/);
    await shot(page, "27-reload-mid-calculation");
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
    assert.match(await page.textContent("#progress-step"), /^Done in \d+ s$/, "the time it took, from the server");
    assert.equal((await tableCells(page)).length - 1, 7);
    await page.click("#close-modal");
    await page.click(`.tray-card[data-task-id="${trayOnlyId}"] .tray-open`);
    await panelShows(trayOnlyId);
    await waitStatus(page, "success");
    assert.equal((await tableCells(page)).length - 1, 7);
    assert.deepEqual(await trayIds(), [shownId, trayOnlyId]);
    await shot(page, "28-reload-finished-results");
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
    await shot(page, "29-period-360px");
    await assertAccessible(page, "period page with results");
    await page.goto(`${backend.baseUrl}/about`);
    const about = await page.textContent(".about-page");
    for (const needle of ["CC BY 4.0", "NLOD", "NASA Langley Research Center", "public domain", "Natural Earth", "OpenStreetMap", "GeoNames"]) {
      assert.ok(about.includes(needle), needle);
    }
    await shot(page, "30-about");
    await assertAccessible(page, "about page");
    assertNoConsoleErrors(session);
    await session.context.close();
  });
});
