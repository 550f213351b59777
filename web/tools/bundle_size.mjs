// Prints the gzipped size of the built JavaScript (dist/assets/*.js) and fails above the
// issue's budget of 250 KB.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const kBudgetBytes = 250 * 1024;
const assets = new URL("../dist/assets/", import.meta.url).pathname;
let raw = 0;
let gzipped = 0;
for (const name of readdirSync(assets).filter((n) => n.endsWith(".js"))) {
  const bytes = readFileSync(join(assets, name));
  raw += bytes.length;
  gzipped += gzipSync(bytes, { level: 9 }).length;
}
console.log(`JavaScript: ${(raw / 1024).toFixed(1)} KB raw, ${(gzipped / 1024).toFixed(1)} KB gzipped (budget 250 KB)`);
if (gzipped === 0 || gzipped > kBudgetBytes) process.exit(1);
