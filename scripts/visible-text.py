#!/usr/bin/env python3
"""Counts a brand word in the text a reader sees on each page of a built site.

usage: scripts/visible-text.py BUILD_DIR [--brand Harvester] [--context] [--top N]
                                [--substring] [--include-redirects]

Walks BUILD_DIR (the output of `docusaurus build`, e.g. what scripts/build-site.sh saved) for
*.html pages and counts, case-insensitively, the brand word per page in these places, each
apart from the others (an element counts in the first that holds it, in this order):
  drop   <script>, <style>, <noscript>, <template>: not counted
  code   inside <code>, <pre>, <kbd>, <samp>: counted, reported apart
  title  the page's <title>
  nav    navigation: <nav> (navbar, sidebar, breadcrumbs, previous/next), elements of class
         navbar*, menu*, theme-doc-sidebar*, footer* and <footer>
  toc    the table of contents (class table-of-contents*, theme-doc-toc*)
  body   every other text node: the visible text of the page outside code
  attr   text readers meet in attributes: alt, title, aria-label, placeholder, and the
         content of <meta name="description"> and og:/twitter: title and description
By default a match is the word alone (not inside a longer word: `Harvester's` and
`harvester-system` match, `harvesterhci` does not); --substring counts every occurrence.
Pages that only redirect (<meta http-equiv="refresh">, the client-redirects plugin's) are
skipped unless --include-redirects.

Output (standard output): a TSV table, one line per page with a match, sorted by body, then
nav, title, toc, attr, code counts (descending) and path; then a TOTAL line and the number of
pages read. --top N prints only the first N page lines (the totals stay whole). --context
prints, after the table, each match outside drop with its place and 60 characters around it.

Python 3.11 standard library only. Exit status: 0 (also with no match), 2 usage error or no
HTML page under BUILD_DIR.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from html.parser import HTMLParser

BUCKETS = ["body", "nav", "title", "toc", "attr", "code"]
DROP_TAGS = {"script", "style", "noscript", "template"}
CODE_TAGS = {"code", "pre", "kbd", "samp"}
VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}
# Inline elements: text on both sides of their tags runs on without a break.
INLINE_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
}
NAV_CLASS = re.compile(r"^(navbar|menu|theme-doc-sidebar|footer)")
TOC_CLASS = re.compile(r"^(table-of-contents|theme-doc-toc)")
TEXT_ATTRS = {"alt", "title", "aria-label", "placeholder"}
META_TEXT = {"description", "og:title", "og:description", "twitter:title", "twitter:description"}


class Page(HTMLParser):
    """Splits one page's text into the buckets above."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # (tag, place it opens or None)
        self.text: dict[str, list[str]] = {b: [] for b in BUCKETS}
        self.redirect = False

    def place(self) -> str | None:
        """The place of text at this point: the outermost drop/code, else the innermost."""
        places = [p for _, p in self.stack if p]
        for first in ("drop", "code"):
            if first in places:
                return first
        return places[-1] if places else "body"

    def opens(self, tag: str, attrs: dict[str, str]) -> str | None:
        if tag in DROP_TAGS:
            return "drop"
        if tag in CODE_TAGS:
            return "code"
        if tag == "title":
            return "title"
        classes = (attrs.get("class") or "").split()
        if any(TOC_CLASS.match(c) for c in classes):
            return "toc"
        if tag in ("nav", "footer") or any(NAV_CLASS.match(c) for c in classes):
            return "nav"
        return None

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: (v or "") for k, v in attrs_list}
        if tag == "meta":
            if (attrs.get("http-equiv") or "").lower() == "refresh":
                self.redirect = True
            key = attrs.get("name") or attrs.get("property") or ""
            if key in META_TEXT and attrs.get("content"):
                self.text["attr"].append("\n" + attrs["content"] + "\n")
        elif self.place() not in ("drop",):
            for key in TEXT_ATTRS:
                if attrs.get(key):
                    self.text["attr"].append("\n" + attrs[key] + "\n")
        opens = self.opens(tag, attrs)
        if tag not in INLINE_TAGS or opens:
            self.brk()
        if tag in VOID_TAGS:
            return
        self.stack.append((tag, opens))

    def handle_startendtag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs_list)
        if tag not in VOID_TAGS and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        closes = None
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                closes = self.stack[i][1]
                del self.stack[i:]
                break
        if tag not in INLINE_TAGS or closes:
            self.brk()

    def brk(self) -> None:
        # A block boundary parts the words on both sides, in every place: text that runs
        # into a new place (a sidebar after the navbar) must not run on either.
        for bucket in BUCKETS:
            self.text[bucket].append("\n")

    def handle_data(self, data: str) -> None:
        place = self.place()
        if place != "drop":
            self.text[place].append(data)


def brand_pattern(brand: str, substring: bool) -> re.Pattern[str]:
    word = re.escape(brand)
    if substring:
        return re.compile(word, re.IGNORECASE)
    return re.compile(r"(?<![0-9A-Za-z_])" + word + r"(?![0-9A-Za-z_])", re.IGNORECASE)


def html_pages(root: str):
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".html"):
                yield os.path.join(folder, name)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build_dir")
    ap.add_argument("--brand", default="Harvester")
    ap.add_argument("--context", action="store_true", help="print each match with 60 characters around it")
    ap.add_argument("--top", type=int, default=0, help="print only the first N pages")
    ap.add_argument("--substring", action="store_true", help="count the brand inside longer words too")
    ap.add_argument("--include-redirects", action="store_true")
    args = ap.parse_args()
    if not os.path.isdir(args.build_dir):
        print(f"visible-text: `{args.build_dir}` is not a folder", file=sys.stderr)
        return 2
    pattern = brand_pattern(args.brand, args.substring)

    rows = []
    contexts = []
    read = redirects = 0
    for path in html_pages(args.build_dir):
        page = Page()
        with open(path, encoding="utf-8", errors="replace") as f:
            page.feed(f.read())
        page.close()
        if page.redirect and not args.include_redirects:
            redirects += 1
            continue
        read += 1
        rel = os.path.relpath(path, args.build_dir)
        counts = {}
        for bucket in BUCKETS:
            text = re.sub(r"\s+", " ", "".join(page.text[bucket]))
            matches = list(pattern.finditer(text))
            counts[bucket] = len(matches)
            if args.context:
                for m in matches:
                    before = text[max(0, m.start() - 60):m.start()]
                    after = text[m.end():m.end() + 60]
                    contexts.append(f"{rel}\t{bucket}\t…{before}[{m.group(0)}]{after}…")
        if any(counts.values()):
            rows.append((rel, counts))

    if read == 0 and redirects == 0:
        print(f"visible-text: no HTML page under `{args.build_dir}`", file=sys.stderr)
        return 2
    rows.sort(key=lambda r: tuple(-r[1][b] for b in BUCKETS) + (r[0],))
    totals = {b: sum(r[1][b] for r in rows) for b in BUCKETS}
    print("page\t" + "\t".join(BUCKETS))
    for rel, counts in rows[: args.top or None]:
        print(rel + "\t" + "\t".join(str(counts[b]) for b in BUCKETS))
    if args.top and len(rows) > args.top:
        print(f"... {len(rows) - args.top} more pages with a match")
    print("TOTAL\t" + "\t".join(str(totals[b]) for b in BUCKETS))
    print(
        f"# brand {args.brand!r} ({'substring' if args.substring else 'word'}, any case): "
        f"{len(rows)} of {read} pages have a match; {redirects} redirect pages skipped"
    )
    if args.context:
        print()
        for line in contexts:
            print(line)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        sys.exit(0)
