#!/usr/bin/env node
// Prepares the build copy of a Docusaurus tree for scripts/build-site.sh (never the tree
// itself: the script copies it first). Node's standard library only.
//
// usage: node build-site-prepare.js SITE_DIR VERSIONS ON_BROKEN_LINKS ON_BROKEN_MD_LINKS [STUB_LIST]
//   VERSIONS            comma-separated docs versions to build (`current,v1.6`), or `all`
//   ON_BROKEN_LINKS     throw | warn | log | ignore, or `site` to keep the site's setting
//   ON_BROKEN_MD_LINKS  the same for onBrokenMarkdownLinks
//   STUB_LIST           optional file: tree-relative page paths (one a line, `#` comments)
//                       to create as placeholder pages when the tree lacks them
//
// What it does, in the build copy only:
// 1. The site's configuration is loaded and edited, not its text: docusaurus.config.js is
//    renamed docusaurus.config.upstream.js and a new docusaurus.config.js requires it and
//    edits the object it exports (an object, or a function or promise giving one):
//    onBrokenLinks / onBrokenMarkdownLinks; for every docs plugin (the classic preset's
//    `docs` and any @docusaurus/plugin-content-docs), `onlyIncludeVersions` and `versions`
//    limited to VERSIONS (versions the tree does not have are left out of both, and so is a
//    `versions` entry for a version not built: Docusaurus refuses an entry naming a version
//    versions.json lacks); for docusaurus-plugin-openapi-docs, its per-version specs
//    limited to the same versions (`gen-api-docs:version api:all` then generates only those).
//    showLastUpdateTime/Author are turned off (the copy is no git work tree: Docusaurus would
//    run a failing `git log` per page). The same edit works on the upstream and the branded
//    configuration whatever their text.
// 2. Placeholder images and fonts: every image a page references (Markdown `![](...)`, HTML/JSX
//    `<img src="...">`, `require('...')`) that the tree lacks becomes a 1x1 image of the
//    format its extension names (png, jpg/jpeg, gif, svg, ico, webp). Relative paths are
//    resolved against the page, `/...` against static/, `@site/...` against the root.
//    Pages are .md/.mdx under docs/, versioned_docs/, i18n/ and src/ (and .js/.jsx/.tsx
//    under src/); the site's favicon and navbar logo are placeholders too when absent, and so
//    is every url(...) of a CSS file under src/ (fonts: an empty file; `/x` is resolved
//    against the site folder, as webpack's resolve.roots does, not against static/).
// 3. Placeholder pages for the paths STUB_LIST names (for a cut-down tree such as the
//    bundled example, whose pages link to pages it leaves out).
// It prints one line per edit class and exits 0, or 2 on a usage error.
'use strict';
const fs = require('fs');
const path = require('path');

const [siteDir, versionsArg, onBrokenLinks, onBrokenMdLinks, stubList] = process.argv.slice(2);
if (!siteDir || !versionsArg || !onBrokenLinks || !onBrokenMdLinks) {
  console.error('usage: build-site-prepare.js SITE_DIR VERSIONS ON_BROKEN_LINKS ON_BROKEN_MD_LINKS [STUB_LIST]');
  process.exit(2);
}

// 1. The configuration wrapper.
const configPath = path.join(siteDir, 'docusaurus.config.js');
const upstreamConfig = path.join(siteDir, 'docusaurus.config.upstream.js');
if (!fs.existsSync(configPath)) {
  console.error(`error: no docusaurus.config.js in ${siteDir}`);
  process.exit(2);
}
fs.renameSync(configPath, upstreamConfig);
const settings = {
  versions: versionsArg === 'all' ? null : versionsArg.split(',').map((v) => v.trim()).filter(Boolean),
  onBrokenLinks: onBrokenLinks === 'site' ? null : onBrokenLinks,
  onBrokenMarkdownLinks: onBrokenMdLinks === 'site' ? null : onBrokenMdLinks,
};
const wrapper = `// Written by rebrand's scripts/build-site-prepare.js in the build copy: the site's own
// configuration is docusaurus.config.upstream.js; this file edits what it exports.
const fs = require('fs');
const path = require('path');
const settings = ${JSON.stringify(settings)};
const upstream = require('./docusaurus.config.upstream.js');

function existingVersions() {
  const file = path.join(__dirname, 'versions.json');
  const released = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : [];
  return ['current', ...released];
}

function limitDocs(docs) {
  if (!docs || !settings.versions) return;
  const have = existingVersions();
  const keep = settings.versions.filter((v) => have.includes(v));
  docs.onlyIncludeVersions = keep;
  if (docs.versions) {
    for (const name of Object.keys(docs.versions)) {
      if (!keep.includes(name)) delete docs.versions[name];
    }
  }
  if (docs.lastVersion && !keep.includes(docs.lastVersion)) delete docs.lastVersion;
}

function limitOpenApi(options) {
  if (!options || !options.config || !settings.versions) return;
  for (const api of Object.values(options.config)) {
    if (!api || !api.versions) continue;
    for (const name of Object.keys(api.versions)) {
      if (!settings.versions.includes(name)) delete api.versions[name];
    }
  }
}

function pluginName(entry) {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry) && typeof entry[0] === 'string') return entry[0];
  return '';
}

function edit(config) {
  // The build copy is no git work tree: "last updated" would cost a failing \`git log\` per page.
  for (const preset of config.presets || []) {
    const docs = Array.isArray(preset) && preset[1] && preset[1].docs;
    if (docs) { docs.showLastUpdateTime = false; docs.showLastUpdateAuthor = false; }
  }
  if (settings.onBrokenLinks) config.onBrokenLinks = settings.onBrokenLinks;
  if (settings.onBrokenMarkdownLinks) config.onBrokenMarkdownLinks = settings.onBrokenMarkdownLinks;
  for (const preset of config.presets || []) {
    const name = pluginName(preset);
    if (Array.isArray(preset) && /(^classic$|preset-classic)/.test(name)) limitDocs(preset[1] && preset[1].docs);
  }
  for (const plugin of config.plugins || []) {
    const name = pluginName(plugin);
    if (!Array.isArray(plugin)) continue;
    if (/plugin-content-docs/.test(name)) limitDocs(plugin[1]);
    if (/docusaurus-plugin-openapi-docs/.test(name)) limitOpenApi(plugin[1]);
  }
  return config;
}

if (typeof upstream === 'function') {
  module.exports = async (...args) => edit(await upstream(...args));
} else if (upstream && typeof upstream.then === 'function') {
  module.exports = upstream.then(edit);
} else {
  module.exports = edit(upstream);
}
`;
fs.writeFileSync(configPath, wrapper);
console.log(`config: docusaurus.config.js wraps docusaurus.config.upstream.js (versions ${versionsArg}, onBrokenLinks ${onBrokenLinks}, onBrokenMarkdownLinks ${onBrokenMdLinks})`);

// 2. Placeholder images.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64');
const ICO = (() => {
  // An ICONDIR with one entry whose image is the PNG above (Windows Vista and later, every browser).
  const head = Buffer.alloc(22);
  head.writeUInt16LE(0, 0); head.writeUInt16LE(1, 2); head.writeUInt16LE(1, 4);
  head.writeUInt8(1, 6); head.writeUInt8(1, 7); head.writeUInt8(0, 8); head.writeUInt8(0, 9);
  head.writeUInt16LE(1, 10); head.writeUInt16LE(32, 12);
  head.writeUInt32LE(PNG.length, 14); head.writeUInt32LE(22, 18);
  return Buffer.concat([head, PNG]);
})();
const PLACEHOLDERS = {
  png: PNG,
  jpg: Buffer.from(
    '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
    'base64'),
  gif: Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'),
  svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n'),
  ico: ICO,
  webp: Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64'),
};
PLACEHOLDERS.jpeg = PLACEHOLDERS.jpg;

function walk(dir, exts, out) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, exts, out);
    else if (entry.isFile() && exts.includes(path.extname(entry.name).toLowerCase())) out.push(full);
  }
  return out;
}

const IMAGE_RE = /\.(png|jpe?g|gif|svg|ico|webp)$/i;
const REFERENCE_RES = [
  /!\[[^\]]*\]\(\s*<?([^)\s>]+)/g, // Markdown image
  /<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']/gi, // HTML/JSX img with a string src
  /require\(\s*["']([^"']+)["']\s*\)/g, // require('...') in MDX or JSX
  /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm, // reference definition (kept if it names an image)
];

function resolveImage(page, ref) {
  let target = ref.split(/[?#]/)[0];
  if (!IMAGE_RE.test(target)) return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('@site/')) return null; // URLs, data:, pathname://
  if (target.startsWith('//')) return null;
  try { target = decodeURIComponent(target); } catch (_) { /* keep as written */ }
  if (target.startsWith('@site/')) return path.join(siteDir, target.slice('@site/'.length));
  if (target.startsWith('/')) return path.join(siteDir, 'static', target);
  return path.resolve(path.dirname(page), target);
}

const pages = [];
for (const dir of ['docs', 'versioned_docs', 'i18n', 'src']) walk(path.join(siteDir, dir), ['.md', '.mdx'], pages);
walk(path.join(siteDir, 'src'), ['.js', '.jsx', '.tsx'], pages);
const made = new Map();
function placeholder(file, why) {
  const rel = path.relative(siteDir, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return; // never write outside the build copy
  if (fs.existsSync(file) || made.has(rel)) return;
  const ext = path.extname(file).slice(1).toLowerCase();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, PLACEHOLDERS[ext]);
  made.set(rel, why);
}
for (const page of pages) {
  const text = fs.readFileSync(page, 'utf8');
  for (const re of REFERENCE_RES) {
    re.lastIndex = 0;
    let m;
    while ((m = re.exec(text)) !== null) {
      const file = resolveImage(page, m[1]);
      if (file) placeholder(file, path.relative(siteDir, page));
    }
  }
}
// The favicon and the navbar logo, read from the upstream configuration's text (it is not
// loaded here: loading needs the site's dependencies).
const configText = fs.readFileSync(upstreamConfig, 'utf8');
for (const m of configText.matchAll(/\b(?:favicon|src)\s*:\s*["']([^"']+\.(?:png|jpe?g|gif|svg|ico|webp))["']/gi)) {
  const ref = m[1];
  if (/^[a-z]+:/i.test(ref) || ref.startsWith('//')) continue;
  placeholder(path.join(siteDir, 'static', ref.replace(/^\//, '')), 'docusaurus.config.js');
}
const FONT_RE = /\.(woff2?|ttf|otf|eot)$/i;
for (const css of walk(path.join(siteDir, 'src'), ['.css', '.scss'], [])) {
  const text = fs.readFileSync(css, 'utf8');
  for (const m of text.matchAll(/url\(\s*["']?([^"')]+?)["']?\s*\)/g)) {
    const ref = m[1].split(/[?#]/)[0];
    if (ref.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(ref)) continue; // data:, URLs
    // webpack resolves `/x` against its resolve.roots, the site folder (not static/).
    const file = ref.startsWith('/') ? path.join(siteDir, ref) : path.resolve(path.dirname(css), ref);
    const rel = path.relative(siteDir, file);
    if (rel.startsWith('..') || fs.existsSync(file) || made.has(rel)) continue;
    if (FONT_RE.test(ref)) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '');
      made.set(rel, path.relative(siteDir, css));
    } else if (IMAGE_RE.test(ref)) {
      placeholder(file, path.relative(siteDir, css));
    }
  }
}
console.log(`images: ${made.size} placeholder image(s) and font(s) for references the tree lacks (${pages.length} files read)`);
if (process.env.REBRAND_SITE_VERBOSE) for (const [rel, why] of made) console.log(`  ${rel} (from ${why})`);

// 3. Placeholder pages.
if (stubList) {
  const lines = fs.readFileSync(stubList, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
  let count = 0;
  for (const rel of lines) {
    if (path.isAbsolute(rel) || rel.split('/').includes('..')) {
      console.error(`error: ${stubList}: \`${rel}\` is not a path inside the tree`);
      process.exit(2);
    }
    const file = path.join(siteDir, rel);
    if (fs.existsSync(file)) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '---\ntitle: Placeholder\n---\n\nA page the tree being built leaves out.\n');
    count += 1;
    console.log(`  stub page: ${rel}`);
  }
  console.log(`pages: ${count} placeholder page(s) from ${stubList}`);
}
