#!/usr/bin/env python3
"""Compares two built sites page by page: the upstream build and the branded build.

usage: scripts/compare-built-sites.py UPSTREAM_HTML BRANDED_HTML --brand WORD [--json]
                                      [--samples N] [--links] [--ids-may-move]

UPSTREAM_HTML and BRANDED_HTML are the output folders of a real build (scripts/build-mkdocs.sh,
scripts/build-hugo.sh, scripts/build-site.sh, scripts/build-next.sh). Every *.html file is a page;
pages are paired by their path relative to the folder. For each pair it checks:
  (a) ids    every heading id (the `id` of an h1-h6, or of an element inside one: Nextra 2
             writes it on the heading's permalink `<a>`) of the upstream page is on a heading
             of the branded page (a lost id breaks every link to that section);
  (b) pre    the <pre> blocks are byte-identical: the same number, and each one's source text,
             from `<pre` to `</pre>`, the same as upstream's at the same position;
  (c) brand  the upstream brand WORD (case-insensitive, whole word: `KubeVirt's` and
             `kubevirt-operator` match, `kubevirtci` does not) in the text a reader sees: text
             nodes outside <code>, <pre>, <kbd>, <samp>, <script>, <style>, <template>,
             <noscript>, <textarea> (the <title> counts). Counted in both sites; the branded
             count is split into prose-like and identifier-like (a `-`, `_`, `/`, `.` or `@`
             joins it to the next or previous word: `kubevirt.io`, `kubevirt-operator`), with
             the most frequent places (the same text in the same context, with a count);
  (d) pages  pages of one site missing from the other;
  (e) links  with --links: every `<a href>` of every page that names a page of the site (a
             path, absolute or relative to the page's URL; no scheme, no asset file) is
             resolved as a static server does (`/a/b` is a/b.html or a/b/index.html, `/` is
             index.html) and its `#fragment` looked for as an `id` (or an `<a name>`) on the
             target page. A link broken in the branded site and not, with the same href on the
             same page, upstream is a finding.
Information only, not judged: heading ids the branded page adds. With --ids-may-move, (a) is
reported but not judged, for a generator whose anchors move by design when a heading is
rebranded (Nextra: github-slugger ids, no explicit id in an MDX page): the links that follow
them are judged by (e) instead, which --ids-may-move turns on.

Output: a summary (and up to --samples N examples of each finding, default 10) on standard
output; with --json one JSON object instead, with every finding page by page.

Python 3 standard library only (html.parser). Exit status: 0 when (a), (b), (d) (and (e) with
--links) hold;
1 when any of them does not; 2 usage error, a folder holds no HTML page, or a page could not
be read.
"""
from __future__ import annotations

import argparse
import bisect
import json
import os
import re
import sys
import urllib.parse
from html.parser import HTMLParser

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
HIDDEN = {"code", "pre", "kbd", "samp", "script", "style", "template", "noscript", "textarea"}
IDENT_JOIN = "-_/.@"


class Page(HTMLParser):
    """One page: its heading ids, its <pre> blocks (source text) and its visible text runs."""

    def __init__(self, raw: str):
        super().__init__(convert_charrefs=True)
        self.raw = raw
        self.line_starts = [0]
        for m in re.finditer("\n", raw):
            self.line_starts.append(m.end())
        self.ids: list[str] = []
        self.all_ids: set[str] = set()
        self.hrefs: list[str] = []
        self.heading_depth = 0
        self.pres: list[str] = []
        self.texts: list[str] = []
        self.hidden: dict[str, int] = {}
        self.pre_depth = 0
        self.pre_start = 0
        self.feed(raw)
        self.close()

    def abs_offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def record_attrs(self, tag, attrs):
        """Every id (and `<a name>`) of the page, the hrefs of its links, and the ids of its
        headings and of the elements inside them."""
        for name, value in attrs:
            if (name == "id" or (name == "name" and tag == "a")) and value:
                self.all_ids.add(value)
            if name == "href" and tag == "a" and value is not None:
                self.hrefs.append(value)
        if tag in HEADINGS or self.heading_depth:
            for name, value in attrs:
                if name == "id" and value:
                    self.ids.append(value)

    def handle_starttag(self, tag, attrs):
        self.record_attrs(tag, attrs)
        if tag in HEADINGS:
            self.heading_depth += 1
        if tag == "pre":
            if self.pre_depth == 0:
                self.pre_start = self.abs_offset()
            self.pre_depth += 1
        if tag in HIDDEN:
            self.hidden[tag] = self.hidden.get(tag, 0) + 1

    def handle_startendtag(self, tag, attrs):
        self.record_attrs(tag, attrs)

    def handle_endtag(self, tag):
        if tag in HEADINGS and self.heading_depth > 0:
            self.heading_depth -= 1
        if tag == "pre" and self.pre_depth > 0:
            self.pre_depth -= 1
            if self.pre_depth == 0:
                at = self.abs_offset()
                end = self.raw.find(">", at)
                end = len(self.raw) if end < 0 else end + 1
                self.pres.append(self.raw[self.pre_start:end])
        if self.hidden.get(tag):
            self.hidden[tag] -= 1

    def handle_data(self, data):
        if not any(self.hidden.values()):
            self.texts.append(data)


def pages_of(root: str) -> set[str]:
    found = set()
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if name.endswith(".html") or name.endswith(".htm"):
                found.add(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/"))
    return found


def read(root: str, rel: str) -> Page:
    with open(os.path.join(root, rel), "rb") as f:
        return Page(f.read().decode("utf-8", errors="surrogateescape"))


def brand_hits(page: Page, pattern: re.Pattern, rel: str):
    """Each visible match: (identifier-like?, context)."""
    hits = []
    for text in page.texts:
        for m in pattern.finditer(text):
            before = text[m.start() - 1] if m.start() > 0 else ""
            after = text[m.end()] if m.end() < len(text) else ""
            after2 = text[m.end() + 1] if m.end() + 1 < len(text) else ""
            ident = (before != "" and before in IDENT_JOIN) or (
                after != "" and after in IDENT_JOIN and (after != "." or after2.isalnum())
            )
            context = " ".join(text[max(0, m.start() - 50):m.end() + 50].split())
            hits.append({"page": rel, "identifier_like": ident, "context": context})
    return hits


def first_difference(a: str, b: str) -> dict:
    """Where two <pre> sources first differ, a line of each."""
    la, lb = a.split("\n"), b.split("\n")
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else None
        y = lb[i] if i < len(lb) else None
        if x != y:
            return {"line": i + 1, "upstream": (x or "")[:160], "branded": (y or "")[:160]}
    return {"line": 0, "upstream": "", "branded": ""}


ASSET = re.compile(r"\.(?!html?$)[A-Za-z0-9]{1,5}$")


def page_url(rel: str) -> str:
    """The URL a static server serves a page file at: `a/index.html` at `/a/`, `a/b.html` at
    `/a/b`."""
    if rel == "index.html" or rel.endswith("/index.html"):
        return "/" + rel[: -len("index.html")]
    return "/" + re.sub(r"\.html?$", "", rel)


def target_page(path: str, pages: set[str]) -> str | None:
    """The page file a URL path names, if the site has it."""
    path = urllib.parse.unquote(path).lstrip("/")
    if path == "" or path.endswith("/"):
        candidates = [path + "index.html", path.rstrip("/") + ".html"]
    else:
        candidates = [path, path + ".html", path + "/index.html"]
    return next((c for c in candidates if c in pages), None)


def broken_links(root: str) -> dict:
    """(e) Every link of every page of the site that names a page of it, resolved; the broken
    ones as {page: [[href, why], ...]}, and the number of links checked."""
    pages = pages_of(root)
    cache: dict[str, Page] = {}

    def page(rel: str) -> Page:
        if rel not in cache:
            cache[rel] = read(root, rel)
        return cache[rel]

    broken: dict[str, list] = {}
    checked = 0
    for rel in sorted(pages):
        base = page_url(rel)
        for href in dict.fromkeys(page(rel).hrefs):
            parts = urllib.parse.urlsplit(href)
            if parts.scheme or parts.netloc or (not parts.path and not parts.fragment):
                continue
            if ASSET.search(parts.path):
                continue
            if parts.path.startswith("/_next/"):
                continue
            path = urllib.parse.urljoin(base, parts.path) if parts.path else base
            target = rel if not parts.path else target_page(path, pages)
            checked += 1
            if target is None:
                broken.setdefault(rel, []).append([href, "no page"])
            elif parts.fragment and urllib.parse.unquote(parts.fragment) not in page(target).all_ids:
                broken.setdefault(rel, []).append([href, f"no id on {target}"])
    return {"checked": checked, "broken": broken}


def compare(up_root: str, br_root: str, brand: str, links: bool = False,
            ids_may_move: bool = False) -> dict:
    pattern = re.compile(r"(?<!\w)" + re.escape(brand) + r"(?!\w)", re.IGNORECASE)
    up_pages, br_pages = pages_of(up_root), pages_of(br_root)
    common = sorted(up_pages & br_pages)
    result = {
        "upstream": up_root,
        "branded": br_root,
        "brand": brand,
        "pages": {
            "upstream": len(up_pages),
            "branded": len(br_pages),
            "compared": len(common),
            "missing_in_branded": sorted(up_pages - br_pages),
            "missing_in_upstream": sorted(br_pages - up_pages),
        },
        "ids": {"upstream": 0, "lost": 0, "added": 0, "pages_with_lost": 0, "lost_by_page": {}},
        "pre": {"upstream": 0, "branded": 0, "changed": 0, "pages_with_changes": 0,
                "changed_by_page": {}},
        "brand_visible": {"upstream": 0, "branded": 0, "branded_prose_like": 0,
                          "branded_identifier_like": 0, "upstream_by_page": {},
                          "branded_by_page": {}, "branded_hits": []},
    }
    ids, pre, vis = result["ids"], result["pre"], result["brand_visible"]
    for rel in sorted(up_pages - br_pages):
        page = read(up_root, rel)
        n = len(brand_hits(page, pattern, rel))
        vis["upstream"] += n
        if n:
            vis["upstream_by_page"][rel] = n
    for rel in sorted(br_pages - up_pages):
        page = read(br_root, rel)
        hits = brand_hits(page, pattern, rel)
        record_branded(vis, rel, hits)
    for rel in common:
        up, br = read(up_root, rel), read(br_root, rel)
        # (a) heading ids
        br_ids = set(br.ids)
        up_ids = set(up.ids)
        lost = [i for i in dict.fromkeys(up.ids) if i not in br_ids]
        ids["upstream"] += len(up_ids)
        ids["lost"] += len(lost)
        ids["added"] += len(br_ids - up_ids)
        if lost:
            ids["pages_with_lost"] += 1
            ids["lost_by_page"][rel] = {
                "lost": lost,
                "branded_ids_not_upstream": [i for i in dict.fromkeys(br.ids) if i not in up_ids],
            }
        # (b) <pre> blocks
        pre["upstream"] += len(up.pres)
        pre["branded"] += len(br.pres)
        changed = []
        for i in range(max(len(up.pres), len(br.pres))):
            a = up.pres[i] if i < len(up.pres) else None
            b = br.pres[i] if i < len(br.pres) else None
            if a != b:
                entry = {"index": i}
                if a is None or b is None:
                    entry["missing_in"] = "upstream" if a is None else "branded"
                else:
                    entry.update(first_difference(a, b))
                changed.append(entry)
        if changed:
            pre["changed"] += len(changed)
            pre["pages_with_changes"] += 1
            pre["changed_by_page"][rel] = {
                "upstream_count": len(up.pres), "branded_count": len(br.pres), "blocks": changed,
            }
        # (c) visible brand
        n = len(brand_hits(up, pattern, rel))
        vis["upstream"] += n
        if n:
            vis["upstream_by_page"][rel] = n
        record_branded(vis, rel, brand_hits(br, pattern, rel))
    result["ids"]["judged"] = not ids_may_move
    if links or ids_may_move:
        up_links, br_links = broken_links(up_root), broken_links(br_root)
        up_broken = {(rel, href) for rel, hs in up_links["broken"].items() for href, _ in hs}
        new = {rel: [h for h in hs if (rel, h[0]) not in up_broken]
               for rel, hs in br_links["broken"].items()}
        new = {rel: hs for rel, hs in new.items() if hs}
        result["links"] = {
            "upstream_checked": up_links["checked"],
            "branded_checked": br_links["checked"],
            "upstream_broken": sum(len(h) for h in up_links["broken"].values()),
            "branded_broken": sum(len(h) for h in br_links["broken"].values()),
            "new_broken": sum(len(h) for h in new.values()),
            "upstream_broken_by_page": up_links["broken"],
            "new_broken_by_page": new,
        }
    result["ok"] = not (
        (ids["lost"] and not ids_may_move) or pre["changed"]
        or result["pages"]["missing_in_branded"] or result["pages"]["missing_in_upstream"]
        or result.get("links", {}).get("new_broken")
    )
    return result


def record_branded(vis: dict, rel: str, hits: list) -> None:
    vis["branded"] += len(hits)
    ident = sum(1 for h in hits if h["identifier_like"])
    vis["branded_identifier_like"] += ident
    vis["branded_prose_like"] += len(hits) - ident
    if hits:
        vis["branded_by_page"][rel] = len(hits)
        vis["branded_hits"].extend(hits)


def most_common_places(hits: list, n: int) -> list:
    """The n most frequent (identifier-like, context) places, each with a count and a page."""
    places: dict = {}
    for h in hits:
        key = (h["identifier_like"], h["context"])
        count, page = places.get(key, (0, h["page"]))
        places[key] = (count + 1, page)
    return sorted(places.items(), key=lambda kv: (-kv[1][0], kv[0][1]))[:n]


def report(r: dict, samples: int) -> None:
    p, ids, pre, vis = r["pages"], r["ids"], r["pre"], r["brand_visible"]
    print(f"compare-built-sites: {r['upstream']} vs {r['branded']}, brand `{r['brand']}`")
    print(f"pages: {p['upstream']} upstream, {p['branded']} branded, {p['compared']} compared; "
          f"missing in branded {len(p['missing_in_branded'])}, "
          f"missing in upstream {len(p['missing_in_upstream'])}")
    for side in ("missing_in_branded", "missing_in_upstream"):
        for rel in p[side][:samples]:
            print(f"  {side.replace('_', ' ')}: {rel}")
    print(f"(a) heading ids: {ids['upstream']} upstream, {ids['lost']} lost on "
          f"{ids['pages_with_lost']} pages ({ids['added']} added)"
          + ("" if ids["judged"] else "; not judged (--ids-may-move: the links are, (e))"))
    shown = 0
    for rel, d in ids["lost_by_page"].items():
        if shown >= samples:
            break
        print(f"  {rel}: lost {', '.join(d['lost'][:5])}"
              + (f" (branded has {', '.join(d['branded_ids_not_upstream'][:5])})"
                 if d["branded_ids_not_upstream"] else ""))
        shown += 1
    print(f"(b) <pre> blocks: {pre['upstream']} upstream, {pre['branded']} branded, "
          f"{pre['changed']} changed on {pre['pages_with_changes']} pages")
    shown = 0
    for rel, d in pre["changed_by_page"].items():
        for b in d["blocks"]:
            if shown >= samples:
                break
            if "missing_in" in b:
                print(f"  {rel} #{b['index']}: missing in {b['missing_in']}")
            else:
                print(f"  {rel} #{b['index']} line {b['line']}:\n"
                      f"    - {b['upstream']!r}\n    + {b['branded']!r}")
            shown += 1
    print(f"(c) visible `{r['brand']}` outside code: {vis['upstream']} upstream, "
          f"{vis['branded']} branded ({vis['branded_prose_like']} prose-like, "
          f"{vis['branded_identifier_like']} identifier-like) on {len(vis['branded_by_page'])} pages")
    for (ident, context), (n, page) in most_common_places(vis["branded_hits"], samples):
        kind = "identifier" if ident else "prose"
        print(f"  {n:5d}x [{kind}] …{context}…  (e.g. {page})")
    links = r.get("links")
    if links:
        print(f"(e) links to pages of the site: {links['upstream_checked']} upstream, "
              f"{links['branded_checked']} branded; broken {links['upstream_broken']} upstream, "
              f"{links['branded_broken']} branded, {links['new_broken']} broken only branded")
        shown = 0
        for rel, hs in links["new_broken_by_page"].items():
            for href, why in hs:
                if shown >= samples:
                    break
                print(f"  {rel}: `{href}`: {why}")
                shown += 1
    verdict = "clean" if r["ok"] else "NOT clean"
    print(f"compare-built-sites: {verdict}: ids lost {ids['lost']}"
          + ("" if ids["judged"] else " (not judged)")
          + f", pre changed {pre['changed']}, "
          f"pages missing {len(p['missing_in_branded']) + len(p['missing_in_upstream'])}, "
          + (f"links broken only branded {links['new_broken']}, " if links else "")
          + f"visible brand left {vis['branded']}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Compares two built sites page by page (heading ids, <pre> blocks, "
                    "visible brand, missing pages).")
    parser.add_argument("upstream")
    parser.add_argument("branded")
    parser.add_argument("--brand", required=True, help="the upstream brand word")
    parser.add_argument("--json", action="store_true", help="one JSON object on standard output")
    parser.add_argument("--samples", type=int, default=10, help="examples shown per finding")
    parser.add_argument("--links", action="store_true",
                        help="(e): judge the links between pages and their #fragments")
    parser.add_argument("--ids-may-move", action="store_true",
                        help="report lost heading ids without judging them; turns on --links")
    try:
        args = parser.parse_args()
    except SystemExit as e:
        return 0 if e.code == 0 else 2
    if not args.brand.strip():
        print("compare-built-sites: --brand must not be empty", file=sys.stderr)
        return 2
    for root in (args.upstream, args.branded):
        if not os.path.isdir(root):
            print(f"compare-built-sites: no folder `{root}`", file=sys.stderr)
            return 2
        if not pages_of(root):
            print(f"compare-built-sites: no HTML page under `{root}`", file=sys.stderr)
            return 2
    r = compare(args.upstream, args.branded, args.brand, links=args.links,
                ids_may_move=args.ids_may_move)
    if args.json:
        json.dump(r, sys.stdout, indent=1, ensure_ascii=False)
        print()
    else:
        report(r, args.samples)
    return 0 if r["ok"] else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, RecursionError, ValueError) as e:
        # A crash is not a finding: it must not read as exit 1.
        print(f"compare-built-sites: could not compare: {e!r}", file=sys.stderr)
        sys.exit(2)
