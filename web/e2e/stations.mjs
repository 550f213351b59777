// Browser scenario of issue 14 against a real `evapo serve` + upstream simulator (harness.mjs):
// the Fallon AgriMet 2015 record (../shared/datasets/agrimet_faln_2015, converted by
// examples/convert_agrimet.sh) uploaded through /datasets with the progress shown, the dataset
// and its ETo (equal to `evapo eto`'s), the comparison with the public sources, a broken file's
// errors with their lines, a site created from the map's result and listed on /sites, keyboard
// and phone use, both languages. Screenshots of every stage go to web/test-results/stations-*.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { artifactsDir, assertAccessible, csvTable, launchBrowser, openPage, startBackend, startSlowUplink } from "./harness.mjs";

const webDir = resolve(new URL("..", import.meta.url).pathname);
const repoDir = resolve(webDir, "..");
const kTimeout = 90_000;
// Answers fast enough for a whole year of comparison, slow enough to see a calculation run.
process.env.EVAPO_SIM_ARGS ??= "--latency-ms 100";

mkdirSync(artifactsDir, { recursive: true });
let backend;
let browser;
let files;

before(async () => {
  // The shared raw AgriMet files, converted by the project's own script (in a scratch copy, so
  // that the examples are not rewritten).
  files = mkdtempSync(join(tmpdir(), "evapo-stations-"));
  copyFileSync(join(repoDir, "examples/convert_agrimet.sh"), join(files, "convert_agrimet.sh"));
  execFileSync("bash", [join(files, "convert_agrimet.sh"), resolve(repoDir, "../shared/datasets/agrimet_faln_2015")]);
  writeFileSync(
    join(files, "broken.csv"),
    "date,tmax_c,tmin_c,latitude_deg,elevation_m\n2015-07-01,30,12,39.46,1208\n2015-07-02,10,20,39.46,1208\n2015-07-03,31,13,39.46,1208\n2015-07-04,abc,13,39.46,1208\n",
  );
  backend = await startBackend();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await backend?.stop();
  rmSync(files, { recursive: true, force: true });
});

async function shot(page, name) {
  await page.screenshot({ path: join(artifactsDir, `stations-${name}.png`), fullPage: true });
}

/// `evapo eto --format json` of a file: the CLI the dataset's ETo must equal.
function cliEto(file, args = []) {
  const evapo = resolve(webDir, process.env.EVAPO_BIN ?? "../build/ci/apps/evapo/evapo");
  return JSON.parse(execFileSync(evapo, ["eto", "--format", "json", ...args, file], { maxBuffer: 64 << 20 }).toString());
}

describe("station data and monitored sites", { timeout: 10 * kTimeout }, () => {
  test("upload the Fallon record, see the progress, the dataset and its ETo", async () => {
    // The hourly file over a 150 KB/s uplink: the bar moves while the server already checks rows.
    const uplink = await startSlowUplink(backend.port, 150 * 1024);
    const session = await openPage(browser, uplink.url);
    const { page, context } = session;
    await page.goto(`${uplink.url}/datasets`);
    await page.waitForSelector("#upload-form");
    await shot(page, "01-datasets-empty");
    await page.setInputFiles("#file-input", join(files, "fallon_hourly_2015.csv"));
    assert.match(await page.textContent("#chosen-file"), /fallon_hourly_2015\.csv/);
    await page.click("#upload-btn");
    // The bytes the browser sent, then (the rest is in the kernel's buffers on the way) the
    // server's own count of what arrived and the rows it checked.
    await page.waitForFunction(() => /[1-9][\d,]* rows checked/.test(document.querySelector("#upload-status")?.textContent ?? ""), null, { timeout: kTimeout });
    const sending = await page.textContent("#upload-status");
    assert.match(sending, /^(Sending: \d+ % \(.* MB\) · |Checking rows on the server: )[\d,]+ rows checked$/);
    const midway = Number(await page.getAttribute("#upload-bar", "value"));
    assert.ok(midway > 0 && midway < 100, `bar at ${midway} %`);
    await shot(page, "02-upload-progress");
    await page.waitForURL(/\/datasets\/[0-9a-f]{32}$/, { timeout: kTimeout });
    await page.waitForSelector('#dataset-facts [data-fact="rows"]');
    assert.equal(await page.textContent('#dataset-facts [data-fact="timestep"]'), "Hourly");
    // The server's own progress events reached the page, in order.
    const progress = session.frames.filter((f) => f.type === "upload_progress").map((f) => f.data.rows_parsed);
    assert.ok(progress.length >= 2, `${progress.length} upload_progress events`);
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b));

    // The daily file: its ETo equals `evapo eto`'s on the same file.
    await page.goto(`${uplink.url}/datasets`);
    await page.setInputFiles("#file-input", join(files, "fallon_daily_2015.csv"));
    await page.fill("#ds-name", "Fallon AgriMet 2015");
    await page.click("#upload-btn");
    await page.waitForURL(/\/datasets\/[0-9a-f]{32}$/, { timeout: kTimeout });
    await page.waitForSelector('#dataset-facts [data-fact="rows"]');
    assert.equal(await page.textContent("#dataset-title"), "Fallon AgriMet 2015");
    assert.equal(await page.textContent('#dataset-facts [data-fact="period"]'), "2015-01-01 — 2015-12-31");
    assert.equal(await page.textContent('#dataset-facts [data-fact="rows"]'), "365");
    await page.waitForSelector("#dataset-chart canvas");
    await shot(page, "03-dataset");
    await assertAccessible(page, "dataset page");
    await page.click("#compute-eto-btn");
    await page.waitForSelector("#dataset-results-table tbody tr", { timeout: kTimeout });
    const cli = cliEto(join(files, "fallon_daily_2015.csv"));
    const firstRows = await page.$$eval("#dataset-results-table tbody tr", (rows) => rows.slice(0, 5).map((r) => [...r.children].map((c) => c.textContent)));
    for (let i = 0; i < firstRows.length; ++i) {
      assert.equal(firstRows[i][0], cli.rows[i].date);
      assert.equal(firstRows[i][1], cli.rows[i].eto_mm.toFixed(2));
    }
    assert.equal(await page.textContent("#results-page"), "Page 1 of 4");
    assert.ok(await page.$("#dataset-eto-chart canvas"), "ETo chart drawn");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-csv")]);
    const csv = readFileSync(await download.path(), "utf8");
    assert.equal(csvTable(csv, ",").table.length - 1, 365, "CSV rows");
    await shot(page, "04-dataset-eto");
    // The comparison with the public sources (the simulator stands for them).
    await page.check("#calc-compare");
    await page.click("#compute-eto-btn");
    await page.waitForSelector("#dataset-comparison", { timeout: kTimeout });
    const pairs = Number((await page.textContent('#dataset-comparison [data-stat="pairs"] dd')).replace(/,/g, ""));
    assert.ok(pairs > 300, `${pairs} days compared`);
    await page.$eval("#dataset-comparison", (section) => section.scrollIntoView());
    await shot(page, "05-comparison");
    assert.deepEqual(session.consoleErrors, []);
    await context.close();
    uplink.close();
  });

  test("a broken file is refused with its lines, and nothing is stored", async () => {
    const { page, context, consoleErrors } = await openPage(browser, backend.baseUrl);
    await page.goto(`${backend.baseUrl}/datasets`);
    // Keyboard: the file picker opens from the keyboard.
    await page.focus("#pick-file");
    // Listening for the chooser turns its interception on; a round trip makes sure the browser
    // has that before the key opens it (else a real, headless dialog opens and nothing is seen).
    const chooserOpened = page.waitForEvent("filechooser");
    await page.evaluate(() => document.activeElement?.id);
    await page.keyboard.press("Enter");
    const chooser = await chooserOpened;
    await chooser.setFiles(join(files, "broken.csv"));
    await page.keyboard.press("Tab");
    await page.click("#upload-btn");
    await page.waitForSelector("#upload-error-list tbody tr");
    const problems = await page.$$eval("#upload-error-list tbody tr", (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    assert.deepEqual(problems, [
      ["3", "tmin_c", "Tmin 20 is above Tmax 10"],
      ["5", "tmax_c", "'abc' is not a number"],
    ]);
    assert.match(await page.textContent("#upload-errors .error-title"), /2 row\(s\) of 4 are invalid; nothing was stored/);
    assert.equal(await page.$$eval("#dataset-list li", (items) => items.length), 0);
    await shot(page, "06-upload-errors");
    await assertAccessible(page, "upload errors");
    assert.deepEqual(consoleErrors.filter((e) => !/status of 422/.test(e)), []);
    await context.close();
  });

  test("a site from the map's result, listed with its next run; phone and pt-BR", async () => {
    const { page, context, consoleErrors } = await openPage(browser, backend.baseUrl);
    await page.goto(backend.baseUrl);
    await page.fill("#lat-input", "39.46");
    await page.fill("#lon-input", "-118.78");
    await page.click("#calc-eto-today-btn");
    await page.waitForSelector('#status-badge[data-status="success"]', { timeout: kTimeout });
    await page.click("#monitor-point-btn");
    await page.waitForURL(/\/sites\?latitude=39\.46&longitude=-118\.78$/);
    assert.equal(await page.inputValue("#site-lat"), "39.46");
    assert.equal(await page.inputValue("#site-lon"), "-118.78");
    await page.fill("#site-name", "Fallon field");
    await page.fill("#site-time", "07:30");
    await page.check("#site-mode-forecast");
    await shot(page, "07-site-form-from-map");
    await page.click("#site-save");
    await page.waitForSelector(".site-item");
    assert.equal(await page.textContent(".site-item .site-name"), "Fallon field");
    assert.match(await page.textContent(".site-item .site-next"), /^Next run: .* \(Recent days \(observed\) \+ Forecast \(next 5 days\)\)$/);
    assert.ok(await page.$(".site-item svg.sparkline"));
    await shot(page, "08-sites");
    await assertAccessible(page, "sites page");
    // Edit then keep; the key is shown for another device.
    await page.click(".site-item .site-edit");
    await page.fill("#site-name", "Fallon north field");
    await page.click("#site-save");
    await page.waitForFunction(() => document.querySelector(".site-item .site-name")?.textContent === "Fallon north field");
    await page.click("#sites-workspace summary");
    assert.match(await page.inputValue("#sites-workspace-key"), /^evapo_ws_[0-9a-f]{64}$/);
    await shot(page, "09-sites-workspace-key");
    // Phone-sized, in Portuguese.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.selectOption("#language-switcher", "pt-BR");
    assert.equal(await page.textContent("#sites-heading"), "Locais monitorados");
    assert.match(await page.textContent(".site-item .site-next"), /^Próxima execução: /);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page ${overflow} px wider than the phone`);
    await shot(page, "10-sites-phone-pt-BR");
    await page.goto(`${backend.baseUrl}/datasets`);
    await page.waitForSelector("#dataset-list-empty"); // this browser's workspace has sites, no data
    assert.equal(await page.textContent("#datasets-heading"), "Seus dados de estação");
    await shot(page, "11-datasets-phone-pt-BR");
    // Delete the site.
    await page.goto(`${backend.baseUrl}/sites`);
    await page.waitForSelector(".site-item");
    page.once("dialog", (dialog) => dialog.accept());
    await page.click(".site-item .site-delete");
    await page.waitForSelector("#site-list-empty:not([hidden])");
    assert.deepEqual(consoleErrors, []);
    await context.close();
  });
});
