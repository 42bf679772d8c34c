#!/usr/bin/env python3
"""Compares the source files of an upstream tree and its branded tree where a generator reads
structure, not prose: the proof that rebrand changed only prose in them.

usage: compare-sources.py UPSTREAM BRANDED [--shortcode-prose figure.caption,...]
                          [--paths-may-change] [--json]

  (a) every YAML, TOML and JSON file (mkdocs.yml, .nav.yml, config.toml, hugo.yaml, data and
      i18n files) parses on both sides with the same key paths (a key path: the keys from the
      root joined by `.`, a list item `[]`); the values that changed are listed, and one that
      reads as a URL or a path (no white space, and a `/` or `://`) is a failure (with
      `--paths-may-change`, for rules that rename pages or retarget URLs, it is listed only);
  (b) every Markdown page's front matter (YAML `---` or TOML `+++`) parses on both sides with
      the same key paths; the values that changed are counted by key;
  (c) every Hugo shortcode call (`{{< … >}}`, `{{% … %}}`) of the pages is byte for byte the
      same, except inside the values of the prose parameters (`--shortcode-prose`, default
      Hugo's: figure.alt, figure.title, figure.caption, figure.attr, details.summary,
      youtube.title, vimeo.title); a call changed elsewhere is a failure.

Files present on one side only (renamed ones) are counted, not compared. YAML is read with
PyYAML (the MkDocs oracle's venv has it), custom tags (`!!python/name:`) as plain values;
TOML with tomllib. Exit 0 when nothing failed, 1 when something did, 2 on a usage error or
without PyYAML.
"""

import argparse
import json
import os
import re
import sys
import tomllib

try:
    import yaml
except ImportError:  # pragma: no cover
    print("compare-sources: PyYAML is needed (run with the MkDocs oracle's venv python)", file=sys.stderr)
    sys.exit(2)

DEFAULT_PROSE = "figure.alt,figure.title,figure.caption,figure.attr,details.summary,youtube.title,vimeo.title"
SKIP_DIRS = {".git", ".rebrand", "node_modules", "public", "resources", "site", "build", ".docusaurus"}
CALL = re.compile(r"\{\{[<%].*?[>%]\}\}", re.S)
PARAM = re.compile(r'([A-Za-z_][\w-]*)\s*=\s*"((?:[^"\\]|\\.)*)"|"((?:[^"\\]|\\.)*)"')


class AnyTagLoader(yaml.SafeLoader):
    """A safe loader that reads any tag (`!!python/name:x`) as the plain value it tags."""


def _any_tag(loader, _suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


AnyTagLoader.add_multi_constructor("", _any_tag)
AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def leaves(value, path=""):
    """(key path, value) of every leaf of a parsed document."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for v in value:
            yield from leaves(v, f"{path}[]")
    else:
        yield path, value


def is_path_or_url(value):
    return isinstance(value, str) and not re.search(r"\s", value) and ("/" in value or "://" in value)


def parse(path, text):
    name = os.path.basename(path)
    if name.endswith((".yml", ".yaml")):
        return yaml.load(text, Loader=AnyTagLoader)
    if name.endswith(".toml"):
        return tomllib.loads(text)
    if name.endswith(".json"):
        return json.loads(text)
    raise ValueError(name)


def front_matter(text):
    """The parsed front matter of a page, `None` without one; raises when it does not parse."""
    for fence, load in (("---", lambda t: yaml.load(t, Loader=AnyTagLoader)), ("+++", tomllib.loads)):
        if text.startswith(fence + "\n") or text.startswith(fence + "\r\n"):
            end = re.search(rf"^{re.escape(fence)}[ \t]*\r?$", text[len(fence) + 1:], re.M)
            if end:
                return load(text[len(fence) + 1:len(fence) + 1 + end.start()]) or {}
    return None


def files(root):
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        dirnames[:] = [d for d in dirnames if not (d in SKIP_DIRS and (rel_dir == "." or d in {".git", ".rebrand", "node_modules"}))]
        for f in filenames:
            rel = os.path.normpath(os.path.join(rel_dir, f))
            out[rel] = os.path.join(dirpath, f)
    return out


def masked_call(call, prose, name_of):
    """The call with the values of its prose parameters blanked."""
    name = name_of(call)

    def blank(m):
        key = m.group(1)
        if key is not None and f"{name}.{key}" in prose:
            return f'{key}=""'
        return m.group(0)

    return PARAM.sub(blank, call)


def call_name(call):
    m = re.match(r"\{\{[<%]\s*/?\s*([\w./-]+)", call)
    return m.group(1) if m else ""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("upstream")
    ap.add_argument("branded")
    ap.add_argument("--shortcode-prose", default=DEFAULT_PROSE)
    ap.add_argument("--paths-may-change", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not (os.path.isdir(args.upstream) and os.path.isdir(args.branded)):
        print("compare-sources: UPSTREAM and BRANDED must be folders", file=sys.stderr)
        return 2
    prose = set(filter(None, args.shortcode_prose.split(",")))
    up, br = files(args.upstream), files(args.branded)
    common = sorted(set(up) & set(br))
    report = {
        "one_side_only": len(set(up) ^ set(br)),
        "structured": {"files": 0, "key_paths": 0, "values_changed": [], "paths_changed": [], "failures": []},
        "front_matter": {"pages": 0, "key_paths": 0, "values_changed": {}, "paths_changed": [], "failures": []},
        "shortcodes": {"calls": 0, "changed_in_prose": 0, "failures": []},
    }
    for rel in common:
        with open(up[rel], encoding="utf-8", errors="replace") as f:
            a = f.read()
        with open(br[rel], encoding="utf-8", errors="replace") as f:
            b = f.read()
        if rel.endswith((".yml", ".yaml", ".toml", ".json")):
            s = report["structured"]
            try:
                pa = parse(rel, a)
            except Exception:
                continue  # upstream's own file does not parse (a template): nothing to keep
            try:
                pb = parse(rel, b)
            except Exception as e:
                s["failures"].append(f"{rel}: the branded file does not parse: {e}")
                continue
            s["files"] += 1
            la, lb = list(leaves(pa)), list(leaves(pb))
            if [k for k, _ in la] != [k for k, _ in lb]:
                s["failures"].append(f"{rel}: the key paths differ")
                continue
            s["key_paths"] += len(la)
            for (k, va), (_, vb) in zip(la, lb):
                if va != vb:
                    s["values_changed"].append(f"{rel}: {k}")
                    if is_path_or_url(va):
                        which = "paths_changed" if args.paths_may_change else "failures"
                        s[which].append(f"{rel}: {k}: a path or URL changed: {va!r} -> {vb!r}")
        elif rel.endswith((".md", ".mdx", ".markdown")):
            fm = report["front_matter"]
            try:
                fa = front_matter(a)
            except Exception:
                fa = None  # upstream's own front matter does not parse: nothing to keep
            if fa is not None:
                try:
                    fb = front_matter(b)
                except Exception as e:
                    fm["failures"].append(f"{rel}: the branded front matter does not parse: {e}")
                    fb = None
                if fb is not None:
                    fm["pages"] += 1
                    la, lb = list(leaves(fa)), list(leaves(fb))
                    if [k for k, _ in la] != [k for k, _ in lb]:
                        fm["failures"].append(f"{rel}: the front matter's key paths differ")
                    else:
                        fm["key_paths"] += len(la)
                        for (k, va), (_, vb) in zip(la, lb):
                            if va != vb:
                                fm["values_changed"][k] = fm["values_changed"].get(k, 0) + 1
                                if is_path_or_url(va):
                                    which = "paths_changed" if args.paths_may_change else "failures"
                                    fm[which].append(f"{rel}: {k}: a path or URL changed: {va!r} -> {vb!r}")
            sc = report["shortcodes"]
            ca, cb = CALL.findall(a), CALL.findall(b)
            sc["calls"] += len(ca)
            if len(ca) != len(cb):
                sc["failures"].append(f"{rel}: {len(ca)} calls upstream, {len(cb)} branded")
                continue
            for x, y in zip(ca, cb):
                if x == y:
                    continue
                if masked_call(x, prose, call_name) == masked_call(y, prose, call_name):
                    sc["changed_in_prose"] += 1
                else:
                    sc["failures"].append(f"{rel}: {x!r} -> {y!r}")
    failures = sum(len(report[k]["failures"]) for k in ("structured", "front_matter", "shortcodes"))
    if args.json:
        json.dump(report, sys.stdout, indent=1)
        print()
    else:
        s, fm, sc = report["structured"], report["front_matter"], report["shortcodes"]
        print(f"compare-sources: {args.upstream} vs {args.branded}; {report['one_side_only']} files on one side only (renamed), not compared")
        print(f"(a) YAML/TOML/JSON files: {s['files']} parse on both sides, {s['key_paths']} key paths the same, {len(s['values_changed'])} values changed ({len(s['paths_changed'])} paths or URLs, allowed), {len(s['failures'])} failures")
        for v in s["values_changed"][:12]:
            print(f"      changed: {v}")
        print(f"(b) front matter: {fm['pages']} pages parse on both sides, {fm['key_paths']} key paths the same, values changed by key: {dict(sorted(fm['values_changed'].items()))}, {len(fm['failures'])} failures")
        print(f"(c) shortcode calls: {sc['calls']}, {sc['changed_in_prose']} changed only in prose parameters, {len(sc['failures'])} failures")
        for key in ("structured", "front_matter", "shortcodes"):
            for line in report[key]["failures"][:10]:
                print(f"  FAIL {line}")
        print(f"compare-sources: {'clean' if failures == 0 else f'{failures} failures'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
