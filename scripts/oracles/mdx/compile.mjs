// Compiles every `.mdx` page of an upstream tree and of its branded tree with @mdx-js/mdx 3
// (the pinned version of package.json beside this file) and reports the pages that compiled
// upstream and fail branded: the MDX oracle of scripts/oracles/mdx.sh.
//
//   node compile.mjs UPSTREAM BRANDED [--json]
//
// A page is compiled as MDX (`format: 'mdx'`) after its YAML front matter is cut off (the
// front matter is no MDX: the sites' own loaders take it away first; the lines are kept as
// blank lines so that error positions stay the page's). Prints one line per page that fails
// on either side, then a summary; exit 1 when a page compiled upstream and fails branded (or
// is missing branded), 0 otherwise, 2 on a usage error.
import { compile } from '@mdx-js/mdx'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'

const args = process.argv.slice(2)
const json = args.includes('--json')
const [upstream, branded] = args.filter((a) => a !== '--json')
if (!upstream || !branded) {
  console.error('usage: node compile.mjs UPSTREAM BRANDED [--json]')
  process.exit(2)
}

async function pages(root, dir = root) {
  const out = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await pages(root, path)))
    else if (entry.name.endsWith('.mdx')) out.push(relative(root, path))
  }
  return out.sort()
}

function withoutFrontMatter(text) {
  const m = /^---\r?\n[\s\S]*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text)
  return m ? m[0].replace(/[^\n]/g, '') + text.slice(m[0].length) : text
}

async function tryCompile(path) {
  let text
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return { ok: false, error: 'missing' }
  }
  try {
    await compile(withoutFrontMatter(text), { format: 'mdx' })
    return { ok: true }
  } catch (e) {
    const where = e.line ? `${e.line}:${e.column}: ` : ''
    return { ok: false, error: where + String(e.reason ?? e.message).split('\n')[0] }
  }
}

const started = performance.now()
const results = []
for (const page of await pages(upstream)) {
  const up = await tryCompile(join(upstream, page))
  const br = await tryCompile(join(branded, page))
  results.push({ page, upstream: up, branded: br, broken: up.ok && !br.ok })
}
const count = (f) => results.filter(f).length
const summary = {
  pages: results.length,
  upstream_compiled: count((r) => r.upstream.ok),
  branded_compiled: count((r) => r.branded.ok),
  broken_by_branding: count((r) => r.broken),
  ms: Math.round(performance.now() - started),
}
if (json) {
  console.log(JSON.stringify({ summary, results }, null, 2))
} else {
  for (const r of results.filter((r) => !r.upstream.ok || !r.branded.ok)) {
    const side = r.broken ? 'BROKEN by branding' : r.upstream.ok ? 'fails branded' : 'fails upstream too'
    console.log(`${r.page}: ${side}: upstream ${r.upstream.ok ? 'ok' : r.upstream.error}; branded ${r.branded.ok ? 'ok' : r.branded.error}`)
  }
  console.log(
    `${summary.pages} MDX pages: ${summary.upstream_compiled} compile upstream, ${summary.branded_compiled} branded; ${summary.broken_by_branding} broken by branding (${summary.ms} ms)`,
  )
}
process.exit(summary.broken_by_branding > 0 ? 1 : 0)
