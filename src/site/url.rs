//! Paths and URLs as every generator's site model needs them: relative paths of the tree
//! (`/`-separated, no leading `/`), URL paths resolved as a browser does (RFC 3986), and
//! percent-decoding.

use std::sync::OnceLock;

use regex::Regex;

use super::Resolution;

/// Whether a reference leaves the site: a URL scheme (`https:`, `mailto:`, `pathname:`) or a
/// protocol-relative `//host`.
pub(crate) fn is_external(reference: &str) -> bool {
    static SCHEME: OnceLock<Regex> = OnceLock::new();
    let scheme =
        SCHEME.get_or_init(|| Regex::new(r"^[A-Za-z][A-Za-z0-9+.-]*:").expect("scheme pattern is valid"));
    reference.starts_with("//") || scheme.is_match(reference)
}

/// The folder part of a relative path (`` for a top-level file).
pub(crate) fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// `rel` inside folder `dir` (`` for the tree's root), joined with a `/`.
pub(crate) fn join_path(dir: &str, rel: &str) -> String {
    if dir.is_empty() {
        rel.to_string()
    } else {
        format!("{dir}/{rel}")
    }
}

/// Resolves `.` and `..` segments of a relative path; `None` if it climbs out of the tree.
pub(crate) fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Joins URL pieces with single slashes (`normalizeUrl`), keeping a trailing `/` of the last
/// piece and a leading `/`.
pub(crate) fn join_url(pieces: &[&str]) -> String {
    let mut out = String::from("/");
    for piece in pieces {
        for seg in piece.split('/').filter(|s| !s.is_empty()) {
            if !out.ends_with('/') {
                out.push('/');
            }
            out.push_str(seg);
        }
    }
    if pieces.last().is_some_and(|p| p.ends_with('/')) && !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// The site path a link's decoded `path` names on the page served at `page_url`, as a
/// browser reads it on the built page: a path starting with `/` as it is, another relative to
/// the page's URL ([`resolve_relative_url`]); `None` on a file that is no page. Hugo and
/// Next.js write Markdown links into their pages as they are.
pub fn browser_site_path(path: &str, page_url: Option<String>) -> Option<String> {
    match (path.starts_with('/'), page_url) {
        (true, _) => Some(path.to_string()),
        (false, Some(url)) => Some(resolve_relative_url(&url, path)),
        (false, None) => None,
    }
}

/// Resolves a relative URL path against a base URL path as a browser does (RFC 3986 section
/// 5.2: merge with the base's folder, then remove dot segments).
pub fn resolve_relative_url(base: &str, rel: &str) -> String {
    if rel.starts_with('/') {
        return remove_dot_segments(rel);
    }
    if rel.is_empty() {
        return base.to_string();
    }
    let folder = &base[..base.rfind('/').map_or(0, |i| i + 1)];
    remove_dot_segments(&format!("{folder}{rel}"))
}

fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segs: Vec<&str> = path.split('/').collect();
    for (i, seg) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    }
}

/// Percent-decodes `s` (`decodeURIComponent`); invalid escapes and invalid UTF-8 are kept.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// What every site model answers of a link's text (`reference`, as written, in the file
/// `from`) before it looks anything up: a scheme or `//host` is [`Resolution::External`], an
/// empty link is missing, `#x` alone is `from` itself. Else the path to look up,
/// percent-decoded and without `?query`, and the percent-decoded fragment after `#` if there is
/// one (`Some("")` for a bare `#`).
///
/// # Errors
/// The [`Resolution`] when it is decided already.
pub(crate) fn split_link(from: &str, reference: &str) -> Result<(String, Option<String>), Resolution> {
    let reference = reference.trim();
    if reference.is_empty() {
        return Err(Resolution::Missing {
            why: "empty link".to_string(),
        });
    }
    if is_external(reference) {
        return Err(Resolution::External);
    }
    let (path, fragment) = match reference.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (reference, None),
    };
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    if path.is_empty() {
        return Err(Resolution::File {
            path: from.to_string(),
            fragment,
        });
    }
    Ok((percent_decode(path), fragment))
}

/// Every folder that holds one of `paths` (relative, `/`-separated), at any depth.
pub(crate) fn folders<'a>(paths: impl IntoIterator<Item = &'a String>) -> std::collections::HashSet<String> {
    let mut dirs = std::collections::HashSet::new();
    for path in paths {
        let mut p = path.as_str();
        while let Some(i) = p.rfind('/') {
            p = &p[..i];
            if !dirs.insert(p.to_string()) {
                break;
            }
        }
    }
    dirs
}

/// The site path of `url` below `prefix` (a site's own origin, or its base path): the rest
/// after it when that is empty (`/`) or starts with `/`, `?` or `#`; `None` otherwise
/// (`https://docs.harvesterhci.io/v1.6/airgap` below `https://docs.harvesterhci.io` is
/// `/v1.6/airgap`).
pub(crate) fn path_below<'u>(url: &'u str, prefix: &str) -> Option<&'u str> {
    match url.strip_prefix(prefix)? {
        "" => Some("/"),
        r if r.starts_with(['/', '?', '#']) => Some(r),
        _ => None,
    }
}

/// Whether the last segment of a link's path (before `#` and `?`) has a file extension with
/// a letter (`a.md`, `logo.svg`; not `v1.5`).
pub(crate) fn has_file_extension(reference: &str) -> bool {
    let path = reference.split(['#', '?']).next().unwrap_or(reference);
    let last = path.rsplit('/').next().unwrap_or(path);
    last.rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && ext.chars().any(|c| c.is_ascii_alphabetic()))
}
