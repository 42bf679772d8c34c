#!/usr/bin/env node
// Where Docusaurus 2 and CommonMark read a page's code differently.
//
// Usage: node reading.js TREE > places.tsv
//
// For every .md and .mdx page under TREE (node_modules, build and .docusaurus left out), the
// page is parsed twice: by Docusaurus 2.4's own parser (MDX 1.6's remark-parse 8 with
// Docusaurus's admonitions tokenizer, @docusaurus/mdx-loader lib/remark/admonitions, as
// Docusaurus builds the page) and by commonmark.js (the CommonMark reference parser, which
// pulldown-cmark follows). Front matter is blanked first (same line count). Each code block
// of one reading is looked for in the other line by line (trimmed, fences left out): a
// block with a line the other reading has in no code block is a place where the two differ. Prints one TSV line per place:
//   path  line  commonmark-reading  docusaurus-reading  the first such line, trimmed
// with `line` 1-based in the page and each reading `code` or `text`. Exit 0; 2 on usage.
'use strict';
const fs = require('fs');
const path = require('path');
const mdx = require('@mdx-js/mdx');
const admonitions = require('@docusaurus/mdx-loader/lib/remark/admonitions').default;
const commonmark = require('commonmark');

const root = process.argv[2];
if (!root) {
  console.error('usage: node reading.js TREE');
  process.exit(2);
}

function pages(dir, out) {
  for (const e of fs.readdirSync(dir, {withFileTypes: true})) {
    if (['node_modules', 'build', '.docusaurus', '.git', '.rebrand'].includes(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) pages(p, out);
    else if (/\.mdx?$/.test(e.name)) out.push(p);
  }
  return out;
}

// Front matter blanked, line count kept (Docusaurus strips it before MDX).
function body(text) {
  const m = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(text);
  return m ? m[0].replace(/[^\n]/g, '') + text.slice(m[0].length) : text;
}

// The lines of a code block's text that say something: trimmed, not empty, not a fence.
const codeLines = (s) =>
  s.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^(`{3,}|~{3,})/.test(l));

function docusaurusCode(text) {
  const tree = mdx.createMdxAstCompiler({remarkPlugins: [admonitions]}).parse(text);
  const out = [];
  (function walk(n) {
    if (n.type === 'code') out.push(n.value);
    for (const c of n.children || []) walk(c);
  })(tree);
  return out;
}

function commonmarkCode(text) {
  const walker = new commonmark.Parser().parse(text).walker();
  const out = [];
  let ev;
  while ((ev = walker.next())) {
    if (ev.entering && ev.node.type === 'code_block') {
      out.push({value: ev.node.literal, line: ev.node.sourcepos[0][0]});
    }
  }
  return out;
}

for (const file of pages(root, []).sort()) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  const text = body(fs.readFileSync(file, 'utf8'));
  let theirs;
  try {
    theirs = docusaurusCode(text);
  } catch (e) {
    console.error(`${rel}: docusaurus cannot parse it: ${e.message.split('\n')[0]}`);
    continue;
  }
  const ours = commonmarkCode(text);
  const theirLines = new Set(theirs.flatMap(codeLines));
  const ourLines = new Set(ours.flatMap((c) => codeLines(c.value)));
  const lines = text.split('\n');
  // A run of lines one reading takes as code and the other does not: one place each.
  for (const c of ours) {
    const missing = codeLines(c.value).filter((l) => !theirLines.has(l));
    if (missing.length) {
      const at = lines.findIndex((l, i) => i >= c.line - 1 && l.trim() === missing[0]);
      console.log([rel, at + 1, 'code', 'text', missing[0]].join('\t'));
    }
  }
  for (const v of theirs) {
    const missing = codeLines(v).filter((l) => !ourLines.has(l));
    if (missing.length) {
      const at = lines.findIndex((l) => l.trim() === missing[0]);
      console.log([rel, at + 1, 'text', 'code', missing[0]].join('\t'));
    }
  }
}
