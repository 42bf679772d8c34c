//! Data flows one way (`../shared/STYLE.md`): no module of `src/` uses one above it in the
//! pipeline. Read from the source: every `crate::<module>` a module's code names (doc
//! comments, comments and unit tests left out, where a module may name anything) must be
//! the module itself or one below it.

use std::path::Path;

/// The top-level modules, the bottom of the pipeline first: the ANSI styles, the progress
/// display, the walk and the version know nothing; the scanner knows the walk; a finding knows the contexts; rules know the file
/// kinds, contexts and the finding levels; the rewriter
/// compiles rules; the site model retargets with the rewriter's edits; the planner (`tree`)
/// uses the site model; the audit judges planned trees; sync merges them; reports print
/// audits and syncs; `init` writes rule files from audits; the command line uses all.
const LAYERS: &[&str] = &[
    "ansi", "progress", "version", "walk", "scan", "finding", "rules", "rewrite", "selftest", "site", "tree",
    "audit", "sync", "report", "init", "cli",
];

/// The code of a source file without comments, doc comments and its unit tests (the inline
/// `mod tests` a file ends with; other `#[cfg(test)]` items count).
fn code(text: &str) -> String {
    let text = text.split("\n#[cfg(test)]\nmod tests {").next().unwrap_or("");
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn no_module_uses_one_above_it_in_the_pipeline() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // `crate::scan::Span`, or the first segments of `crate::{scan::Span, rules::RuleSet}`.
    let uses = regex::Regex::new(r"crate::(?:([a-z_]+)|\{([^}]*)\})").unwrap();
    let first_segments = |m: &regex::Captures| -> Vec<String> {
        match (m.get(1), m.get(2)) {
            (Some(one), _) => vec![one.as_str().to_string()],
            (None, Some(group)) => group
                .as_str()
                .split(',')
                .filter_map(|item| item.trim().split("::").next().map(str::to_string))
                .filter(|s| !s.is_empty())
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut wrong = Vec::new();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.ends_with(".rs") || rel.ends_with("/tests.rs") {
            continue;
        }
        let module = rel.split(['/', '.']).next().unwrap();
        let Some(level) = LAYERS.iter().position(|l| *l == module) else {
            assert!(
                ["lib", "main"].contains(&module),
                "src/{rel}: module `{module}` has no place in LAYERS"
            );
            continue;
        };
        checked += 1;
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for used in uses.captures_iter(&code(&text)).flat_map(|m| first_segments(&m)) {
            match LAYERS.iter().position(|l| *l == used) {
                Some(other) if other > level => wrong.push(format!("src/{rel} uses crate::{used}")),
                Some(_) => {}
                None => wrong.push(format!(
                    "src/{rel} uses crate::{used}, which has no place in LAYERS"
                )),
            }
        }
    }
    assert!(checked > 40, "{checked} files checked");
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "modules that reach up the pipeline:\n{}",
        wrong.join("\n")
    );
}

/// The generator seam (`src/site/generator.rs`): what one documentation generator knows
/// lives in its folder under `src/site/` (Docusaurus: `src/site/docusaurus/`, MkDocs:
/// `src/site/mkdocs/`); the planner, the scanners, the rules and every other module name none
/// of its files or settings, and reach it only through `site::Generator` and
/// `site::SiteModel`. The one place that lists the generators (`site::GENERATORS`, in
/// `src/site/mod.rs`) names their types.
#[test]
fn no_module_outside_a_generator_s_folder_names_its_files() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // Each generator's folder, and its files, folders, packages and settings as code would
    // name them (not what several share: a `static/` folder; Next.js's and Hugo's `public/`
    // and `content/`, Hugo's pages and Nextra 4's and Fumadocs' too).
    let generators = [
        (
            "site/docusaurus/",
            regex::Regex::new(
                r#"(?i)docusaurus[.\-]|"i18n|i18n/|sidebars\.js|versions\.json|versioned_docs|plugin-content-docs"#,
            )
            .unwrap(),
        ),
        (
            "site/mkdocs/",
            regex::Regex::new(r"(?i)mkdocs\.ya?ml|use_directory_urls|docs_dir|site_dir").unwrap(),
        ),
        (
            "site/hugo/",
            regex::Regex::new(r#"hugo\.(toml|ya?ml|json)|baseURL|root_folder\("public"\)"#).unwrap(),
        ),
        (
            "site/nextra/",
            regex::Regex::new(r"_meta\.(json|jsx?|tsx?)|theme\.config|next\.config").unwrap(),
        ),
        (
            "site/fumadocs/",
            regex::Regex::new(r"source\.config|layout\.config|layout\.shared|fumadocs-|content/docs").unwrap(),
        ),
    ];
    let mut named = Vec::new();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.ends_with(".rs") || rel.ends_with("/tests.rs") {
            continue;
        }
        checked += 1;
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for (folder, names) in &generators {
            if rel.starts_with(folder) {
                continue;
            }
            for line in code(&text).lines().filter(|l| names.is_match(l)) {
                named.push(format!("src/{rel} names a file of src/{folder}: {}", line.trim()));
            }
        }
    }
    assert!(checked > 60, "{checked} files checked");
    assert!(
        named.is_empty(),
        "code outside a generator's folder that names its files:\n{}",
        named.join("\n")
    );
}
