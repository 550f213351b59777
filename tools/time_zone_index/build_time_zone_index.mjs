// Builds share/evapo/time_zones.bin, evapo's offline time-zone boundary index, from the
// timezone-boundary-builder "alike since 1970" product that the npm package geo-tz ships.
//
//   cd tools/time_zone_index && npm ci && node build_time_zone_index.mjs [--depth 14] [--check 200000]
//
// The index is a quadtree over lon [-180, 180] x lat [-90, 90] (a cell at depth d spans
// 360/2^d by 180/2^d degrees), each leaf one zone, found by sampling the boundary polygons at
// the centres of the cells of the deepest level. Leaves with no polygon are "nautical": the
// reader names the 15-degree band zone Etc/GMT+-N, as timezone-boundary-builder's ocean zones
// do. Two rules keep it small, both stated in the README:
//   - a cell no larger than the coastal depth holding one land zone and sea becomes that zone
//     (territorial waters already belong to the land zone; the sea beyond them near the coast
//     gets it too, up to one such cell away);
//   - where two zones overlap (Xinjiang: Asia/Shanghai and Asia/Urumqi; Abkhazia and South
//     Ossetia: Europe/Moscow and Asia/Tbilisi), the zone of the larger total area wins.
//
// File layout (little-endian): "EVTZIDX1", u32 depth, u32 zone count, zone count x (u8 length,
// name) with zone 0 = nautical (empty name), u32 length + provenance text, u32 length + the tree
// in pre-order: 0xFF = a node whose four children follow (south-west, south-east, north-west,
// north-east), 0x00-0xFD = a leaf of that zone, 0xFE n = a leaf of zone 254 + n.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const geobuf = require('geobuf');
const Pbf = require('pbf');
const { find } = require('geo-tz'); // the same "alike since 1970" product

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const MAX_DEPTH = option('--depth', 14);
const COAST_DEPTH = option('--coast-depth', 12);
const CHECK_POINTS = option('--check', 200000);
const OUTPUT = path.resolve(here, '../../share/evapo/time_zones.bin');

const PRODUCT = 'timezones-1970.geojson';
const geoTzDir = path.resolve(path.dirname(require.resolve('geo-tz')), '..');
const geoTzVersion = JSON.parse(fs.readFileSync(path.join(geoTzDir, 'package.json'))).version;
const dataDir = path.join(geoTzDir, 'data');
const source = JSON.parse(fs.readFileSync(path.join(dataDir, `${PRODUCT}.index.json`)));
const featureFile = fs.openSync(path.join(dataDir, `${PRODUCT}.geo.dat`), 'r');

// Internal zone ids: 0 = nautical, 1 + the position in geo-tz's list.
const NAUTICAL = 0;
const names = ['', ...source.timezones];
const idOf = new Map(names.map((name, id) => [name, id]));

// Larger total area wins an overlap; measured on geo-tz's uniform quadrants.
const area = new Float64Array(names.length);
(function measure(node, south, west, size) {
  if (node === undefined) return;
  if (Array.isArray(node)) {
    const lat = south + size / 4;
    const cellArea = size * (size / 2) * Math.cos((lat * Math.PI) / 180);
    for (const i of node) area[i + 1] += cellArea;
    return;
  }
  if (node.pos !== undefined) return;
  const half = size / 2;
  measure(node.a, south + half / 2, west + half, half);
  measure(node.b, south + half / 2, west, half);
  measure(node.c, south, west, half);
  measure(node.d, south, west + half, half);
})(source.lookup, -90, -180, 360);
const better = (a, b) => (a === NAUTICAL ? b : b === NAUTICAL ? a : area[b] > area[a] ? b : a);
const overlaps = new Map();
const choose = (ids) => {
  const chosen = ids.reduce(better, NAUTICAL);
  if (ids.length > 1) {
    const key = ids.map((i) => names[i]).sort().join(' + ') + ' -> ' + names[chosen];
    overlaps.set(key, (overlaps.get(key) ?? 0) + 1);
  }
  return chosen;
};

// A node is a zone id (leaf) or an array of four children [sw, se, nw, ne].
function collapse(children, depth) {
  if (children.some((c) => typeof c !== 'number')) return children;
  if (children.every((c) => c === children[0])) return children[0];
  if (depth >= COAST_DEPTH) {
    const land = new Set(children.filter((c) => c !== NAUTICAL));
    if (land.size === 1) return [...land][0];
  }
  return children;
}

// Zone at the centre of every deepest-level cell of one quadrant whose exact polygons geo-tz
// keeps: each polygon filled row by row (even-odd rule on the crossings of its edges).
function rasterize(leaf, depth, x0, y0) {
  const n = 1 << (MAX_DEPTH - depth);
  const cellW = 360 / 2 ** MAX_DEPTH;
  const cellH = 180 / 2 ** MAX_DEPTH;
  const lon0 = -180 + x0 * cellW;
  const lat0 = -90 + y0 * cellH;
  const grid = new Int32Array(n * n).fill(-1);
  const buffer = Buffer.alloc(leaf.len);
  fs.readSync(featureFile, buffer, 0, leaf.len, leaf.pos);
  const collection = geobuf.decode(new Pbf(buffer));
  for (const feature of collection.features) {
    const zone = idOf.get(feature.properties.tzid);
    if (zone === undefined) throw new Error(`unknown zone ${feature.properties.tzid}`);
    const geometry = feature.geometry;
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    const rows = new Map();
    for (const polygon of polygons) {
      for (const ring of polygon) {
        for (let k = 0; k + 1 < ring.length; ++k) {
          const [x1, y1] = ring[k];
          const [x2, y2] = ring[k + 1];
          if (y1 === y2) continue;
          const lo = Math.min(y1, y2);
          const hi = Math.max(y1, y2);
          const first = Math.max(0, Math.ceil((lo - lat0) / cellH - 0.5));
          const last = Math.min(n - 1, Math.ceil((hi - lat0) / cellH - 0.5) - 1);
          for (let j = first; j <= last; ++j) {
            const y = lat0 + (j + 0.5) * cellH;
            const x = x1 + ((y - y1) * (x2 - x1)) / (y2 - y1);
            if (!rows.has(j)) rows.set(j, []);
            rows.get(j).push(x);
          }
        }
      }
    }
    for (const [j, crossings] of rows) {
      crossings.sort((a, b) => a - b);
      for (let k = 0; k + 1 < crossings.length; k += 2) {
        const from = Math.max(0, Math.ceil((crossings[k] - lon0) / cellW - 0.5));
        const to = Math.min(n - 1, Math.ceil((crossings[k + 1] - lon0) / cellW - 0.5) - 1);
        for (let i = from; i <= to; ++i) {
          const cell = grid[j * n + i];
          grid[j * n + i] = cell < 0 ? zone : cell === zone ? zone : choose([cell, zone]);
        }
      }
    }
  }
  const build = (gx, gy, size, d) => {
    if (size === 1) return Math.max(NAUTICAL, grid[gy * n + gx]);
    const h = size / 2;
    return collapse(
      [build(gx, gy, h, d + 1), build(gx + h, gy, h, d + 1), build(gx, gy + h, h, d + 1),
       build(gx + h, gy + h, h, d + 1)],
      d);
  };
  return build(0, 0, n, depth);
}

// geo-tz's quadrants: a = north-east, b = north-west, c = south-west, d = south-east.
function build(node, depth, x0, y0) {
  if (node === undefined) return NAUTICAL;
  if (Array.isArray(node)) return node.length === 0 ? NAUTICAL : choose(node.map((i) => i + 1));
  if (node.pos !== undefined) return rasterize(node, depth, x0, y0);
  if (depth >= MAX_DEPTH) throw new Error('geo-tz index deeper than --depth');
  const half = 1 << (MAX_DEPTH - depth - 1);
  return collapse(
    [build(node.c, depth + 1, x0, y0), build(node.d, depth + 1, x0 + half, y0),
     build(node.b, depth + 1, x0, y0 + half), build(node.a, depth + 1, x0 + half, y0 + half)],
    depth);
}

const started = Date.now();
const tree = build(source.lookup, 0, 0, 0);

// Frequent zones get the one-byte codes.
const leafCount = new Map();
(function count(node) {
  if (typeof node === 'number') leafCount.set(node, (leafCount.get(node) ?? 0) + 1);
  else node.forEach(count);
})(tree);
const used = [...leafCount.keys()].filter((id) => id !== NAUTICAL);
used.sort((a, b) => leafCount.get(b) - leafCount.get(a) || names[a].localeCompare(names[b]));
const fileId = new Map([[NAUTICAL, 0], ...used.map((id, i) => [id, i + 1])]);
const fileNames = ['', ...used.map((id) => names[id])];
if (fileNames.length > 254 + 256) throw new Error('too many zones for the leaf code');

const treeBytes = [];
let internalNodes = 0;
let leaves = 0;
(function emit(node) {
  if (typeof node === 'number') {
    ++leaves;
    const id = fileId.get(node);
    if (id < 0xfe) treeBytes.push(id);
    else treeBytes.push(0xfe, id - 0xfe);
    return;
  }
  ++internalNodes;
  treeBytes.push(0xff);
  node.forEach(emit);
})(tree);

const provenance =
  `timezone-boundary-builder "${PRODUCT.replace('.geojson', '')}" product as shipped by ` +
  `npm geo-tz ${geoTzVersion}; depth ${MAX_DEPTH}, coastal depth ${COAST_DEPTH}; ` +
  'ODbL 1.0, (c) OpenStreetMap contributors and timezone-boundary-builder';
const u32 = (value) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return b;
};
const parts = [Buffer.from('EVTZIDX1'), u32(MAX_DEPTH), u32(fileNames.length)];
for (const name of fileNames) parts.push(Buffer.from([name.length]), Buffer.from(name, 'ascii'));
parts.push(u32(Buffer.byteLength(provenance)), Buffer.from(provenance));
parts.push(u32(treeBytes.length), Buffer.from(treeBytes));
const file = Buffer.concat(parts);
fs.writeFileSync(OUTPUT, file);
console.log(`${OUTPUT}: ${file.length} bytes, ${fileNames.length - 1} zones, ` +
            `${internalNodes} nodes, ${leaves} leaves, built in ${(Date.now() - started) / 1000} s`);
for (const [pair, cells] of overlaps) console.log(`overlap: ${pair} (${cells} cells)`);

// Check: the index against geo-tz's exact answer at random points (seeded, reproducible).
function lookup(lat, lon) {
  const scale = 2 ** MAX_DEPTH;
  const x = Math.min(scale - 1, Math.max(0, Math.floor(((lon + 180) / 360) * scale)));
  const y = Math.min(scale - 1, Math.max(0, Math.floor(((lat + 90) / 180) * scale)));
  let node = tree;
  for (let level = MAX_DEPTH - 1; typeof node !== 'number'; --level) {
    node = node[(((y >> level) & 1) << 1) | ((x >> level) & 1)];
  }
  return names[node];
}
let seed = 20240611;
const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
let land = 0;
let landAgree = 0;
let sea = 0;
let seaAgree = 0;
for (let i = 0; i < CHECK_POINTS; ++i) {
  const lat = (Math.asin(2 * random() - 1) * 180) / Math.PI;
  const lon = 360 * random() - 180;
  const exact = find(lat, lon);
  const ours = lookup(lat, lon);
  if (exact[0].startsWith('Etc/')) {
    ++sea;
    if (ours === '') ++seaAgree;
  } else {
    ++land;
    if (exact.includes(ours)) ++landAgree;
  }
}
if (CHECK_POINTS > 0) {
  console.log(`check at ${CHECK_POINTS} random points: zone agrees at ${landAgree} of ${land} ` +
              `in a zone's boundary (${((100 * landAgree) / land).toFixed(3)} %), nautical at ` +
              `${seaAgree} of ${sea} at sea (${((100 * seaAgree) / sea).toFixed(3)} %)`);
}
