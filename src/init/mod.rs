//! `rebrand init`: a commented starter rule file for a new product, learned from a tree.
//!
//! Given the upstream name and the new one (`Longhorn` → `NQRust Storage`) and an upstream
//! tree, [`init`] reads the tree as `audit` and `apply` do (the same walker, the default
//! `[files]` globs) and proposes, each with a comment saying what it found and why:
//!
//! 1. the substitution of the name, with its `case` decided from the forms the prose writes
//!    (`preserve` only when every all-capital or lower-case form is the product name, never
//!    part of an identifier such as `longhorn-system`), and a rule for each other spelling
//!    the prose uses (`Kubevirt`, `KUBEVIRT`);
//! 2. the phrases that would stutter, the name before a word of the new name ("Longhorn
//!    storage" → "NQRust Storage", not "NQRust Storage storage"), or after its first word;
//! 3. the article where the new name is said with another first sound ("a Longhorn" → "an
//!    NQRust Storage");
//! 4. exceptions for the identifiers written in prose that those rules would rewrite
//!    (code, URLs and link targets need none: the scanner keeps them);
//! 5. `[[test]]` cases: real sentences of the tree, each `expect` computed by running the
//!    file's own rules.
//!
//! The file is checked before it is returned: it loads, its tests pass, and the upstream
//! audit of the tree with it is summed up in its header.

mod english;
mod learn;
mod write;

use std::collections::BTreeMap;
use std::path::Path;

use crate::audit::{self, Judge, Level};
use crate::rewrite::{apply_edits, text::carry_case, Engine, Kept, Verdict};
use crate::rules::{CaseMode, Conventions, RuleFileError, RuleSet};
use crate::scan::{scan, FileKind};
use crate::tree::{self, TextFile, TreeError};

use learn::{Observed, Seen};

/// The name the starter rules are parsed under while `init` checks them (diagnostics of a
/// file that does not load name it).
const STARTER: &str = "starter.toml";

/// Most `[[test]]` cases a starter holds.
const MAX_TESTS: usize = 8;

/// Most entries of a list in a comment ("`Longhorn UI` 85, `Longhorn GUI` 45, ...").
const MAX_LISTED: usize = 10;

/// Why `init` cannot write a starter.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// `--from` or `--to` is empty, or begins or ends with white space.
    #[error("`{flag}` {problem}: give the product name as the docs write it")]
    Name {
        /// The option: `--from` or `--to`.
        flag: &'static str,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// A file or folder of the tree cannot be read (the error names it).
    #[error(transparent)]
    Tree(#[from] TreeError),
    /// The rules `init` would write do not load (a `to` that holds its `from` is not
    /// idempotent: `Fleet` → `NQRust Fleet`).
    #[error("the starter rules for `{from}` -> `{to}` do not load:\n{source}")]
    Rules {
        /// The upstream name.
        from: String,
        /// The new name.
        to: String,
        /// Why.
        source: RuleFileError,
    },
}

/// A starter rule file and what `init` learned making it.
#[derive(Debug, Clone)]
pub struct Starter {
    /// The rule file: TOML with comments, ending with a line break.
    pub text: String,
    /// Files of the tree read as text.
    pub files: usize,
    /// Mentions of the name in the tree's prose (ASCII case ignored).
    pub prose_mentions: usize,
    /// Substitutions, exceptions and tests in the file.
    pub counts: (usize, usize, usize),
    /// Errors and warnings of the upstream audit of the tree with the file.
    pub audit: (usize, usize),
    /// What the person running `init` should know (for standard error): the name is
    /// nowhere in the tree, the audit still finds errors.
    pub warnings: Vec<String>,
}

/// The kinds of substitution a starter proposes, in the order the file lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum RuleKind {
    /// The name itself.
    Brand,
    /// Another spelling of it in prose (`Kubevirt`, `KUBEVIRT`).
    Variant,
    /// A phrase that would stutter ("Longhorn storage").
    Stutter,
    /// The article and the name ("a Longhorn").
    Article,
}

/// One proposed substitution.
#[derive(Debug, Clone)]
struct Rule {
    kind: RuleKind,
    id: String,
    from: String,
    to: String,
    case: CaseMode,
    /// Comment lines above it.
    comment: Vec<String>,
}

/// One proposed exception: an identifier written in prose.
#[derive(Debug, Clone)]
struct Keep {
    literal: String,
    /// Places in the tree, and the first one (`path:line`).
    count: usize,
    first: String,
}

/// One proposed test: a sentence of the tree.
#[derive(Debug, Clone)]
struct Case {
    name: String,
    input: String,
    expect: String,
    /// Where the sentence is (`path:line`).
    place: String,
}

/// The lower-case mentions of the name in prose that no rule rewrites and no identifier
/// holds: they read as the product name.
#[derive(Debug)]
struct LowerLeft {
    /// How many.
    count: usize,
    /// Where the first is (`path:line`).
    first: String,
    /// The phrases (the name and the word after it) found twice or more, with counts.
    phrases: Vec<(String, usize)>,
}

/// Everything the file says, for [`write::render`].
#[derive(Debug, Default)]
struct Draft {
    from: String,
    to: String,
    /// How the tree was named (the path as given), for the header.
    tree: String,
    files: usize,
    /// Every mention of the name by context (ASCII case ignored).
    by_context: Vec<(&'static str, usize)>,
    /// What the section of the name says about its case.
    case_note: Vec<String>,
    rules: Vec<Rule>,
    /// The stutters the upstream audit still finds with the rules (markup between the
    /// words, which no substitution reaches), with counts.
    unreachable_stutters: Vec<(String, usize)>,
    /// The article note, when the names take different articles.
    article_note: Option<String>,
    keeps: Vec<Keep>,
    /// Names in prose that begin with the name (`Longhorn Manager`), with counts.
    compounds: Vec<(String, usize)>,
    /// Lower-case mentions left that read as the product name.
    lower_left: Option<LowerLeft>,
    tests: Vec<Case>,
    /// The upstream audit's summary lines; `None` before it ran.
    audit: Option<Vec<String>>,
    /// What the tree's generator says about its paths: the rules are read with it.
    conventions: Conventions,
}

/// Learns a starter rule file for the product `from`, renamed `to`, from the tree at
/// `root` (named `label` in the file's header): see the module documentation for what it
/// holds. `root` must be a folder.
///
/// # Errors
/// [`InitError::Name`] for an empty name or one with white space at either end;
/// [`InitError::Tree`] naming every file of the tree that cannot be read;
/// [`InitError::Rules`] when the rules do not load (a `to` that holds its `from`).
///
/// # Panics
/// When a `[[test]]` of the file fails: each `expect` is computed with the file's own rules,
/// so that would be a bug of `init`, and the file is not handed out.
pub fn init(from: &str, to: &str, root: &Path, label: &str) -> Result<Starter, InitError> {
    check_name("--from", from)?;
    check_name("--to", to)?;
    let mut draft = Draft {
        from: from.to_string(),
        to: to.to_string(),
        tree: label.to_string(),
        rules: vec![Rule {
            kind: RuleKind::Brand,
            id: "brand".into(),
            from: from.into(),
            to: to.into(),
            case: CaseMode::Exact,
            comment: Vec::new(),
        }],
        conventions: crate::site::generator(root).conventions(root),
        ..Draft::default()
    };
    let engine = compile(&draft)?;
    let files = tree::text_files(&engine, root)?;
    let seen = learn::observe(&engine, &files);
    draft.files = files.len();
    draft.by_context = seen.by_context.iter().map(|(c, n)| (*c, *n)).collect();
    draft.by_context.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    decide_case(&mut draft, &seen, &files);
    stutters(&mut draft, &seen);
    articles(&mut draft, &seen, &files);
    draft.keeps = identifiers(&compile(&draft)?, &files);
    review(&mut draft, &seen, &files);
    let engine = compile(&draft)?;
    draft.tests = tests(&engine, &draft, &seen, &files);
    let engine = compile(&draft)?;
    let found = audit::audit(&engine, root, Judge::Upstream, false)?;
    let (errors, warnings) = (found.count(Level::Error), found.count(Level::Warning));
    draft.unreachable_stutters = ranked(
        found
            .findings
            .iter()
            .filter(|f| f.kind == audit::FindingKind::Stutter)
            .map(|f| f.text.replace('\n', " ")),
        MAX_LISTED,
    );
    draft.audit = Some(write::audit_summary(&found));
    let text = write::render(&draft);
    // What is returned must load and pass its own tests: a failure here is a bug of init.
    let rules = RuleSet::parse_for(Path::new(STARTER), &text, draft.conventions)
        .map_err(|e| rules_error(&draft, e))?;
    let engine = Engine::new(rules).map_err(|e| rules_error(&draft, e))?;
    let failing: Vec<String> = crate::selftest::run_all(&engine)
        .into_iter()
        .filter(|o| !o.passed())
        .map(|o| o.name)
        .collect();
    assert!(failing.is_empty(), "init wrote failing tests: {failing:?}");
    let mut notes = Vec::new();
    if seen.by_context.is_empty() {
        notes.push(format!(
            "`{from}` occurs nowhere in the text of `{label}` (ASCII case ignored): the starter holds only the rule `{from}` -> `{to}`, with no learned phrase, exception or test; check the name and the folder"
        ));
    } else if !seen.prose.iter().any(|s| s.form == from) {
        let mut forms: Vec<&str> = seen.prose.iter().map(|s| s.form.as_str()).collect();
        forms.sort_unstable();
        forms.dedup();
        if !forms.is_empty() {
            notes.push(format!(
                "the prose of `{label}` never writes `{from}` as given, only {}: is `--from` spelt as the docs write it?",
                forms.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    if errors > 0 {
        notes.push(format!(
            "the upstream audit of `{label}` with the starter still finds {errors} error(s) (listed in its header): run `rebrand audit --upstream --rules FILE {label}`"
        ));
    }
    Ok(Starter {
        text,
        files: files.len(),
        prose_mentions: seen.by_context.get("prose").copied().unwrap_or(0),
        counts: (draft.rules.len(), draft.keeps.len(), draft.tests.len()),
        audit: (errors, warnings),
        warnings: notes,
    })
}

/// Refuses an empty name and one with white space at either end.
fn check_name(flag: &'static str, name: &str) -> Result<(), InitError> {
    let problem = if name.trim().is_empty() {
        "is empty"
    } else if name.trim() != name {
        "begins or ends with white space"
    } else {
        return Ok(());
    };
    Err(InitError::Name { flag, problem })
}

fn rules_error(draft: &Draft, source: RuleFileError) -> InitError {
    InitError::Rules {
        from: draft.from.clone(),
        to: draft.to.clone(),
        source,
    }
}

/// The engine of the draft's rules as the file would hold them.
fn compile(draft: &Draft) -> Result<Engine, InitError> {
    let rules = RuleSet::parse_for(Path::new(STARTER), &write::render(draft), draft.conventions)
        .map_err(|e| rules_error(draft, e))?;
    Engine::new(rules).map_err(|e| rules_error(draft, e))
}

/// Counts of `items`, most first, ties by first seen, at most `limit`.
fn ranked(items: impl IntoIterator<Item = String>, limit: usize) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for item in items {
        match counts.iter_mut().find(|(i, _)| *i == item) {
            Some((_, n)) => *n += 1,
            None => counts.push((item, 1)),
        }
    }
    // A stable sort keeps the first seen first among equals.
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts.truncate(limit);
    counts
}

/// `path:line` of a mention.
fn place(files: &[TextFile], s: &Seen) -> String {
    format!("{}:{}", files[s.file].path, s.line)
}

fn all_caps(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

fn all_lower(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_uppercase)
}

/// A form the prose writes the name in, other than `from` as given.
struct Form<'a> {
    text: &'a str,
    /// Mentions standing as words, those part of an identifier among them, and mentions
    /// glued to a longer word (`KUBEVIRT_DIR`, `KubevirtCR`).
    words: usize,
    identifiers: Vec<&'a Seen>,
    glued: usize,
    first: &'a Seen,
}

fn forms<'a>(from: &str, seen: &'a Observed) -> Vec<Form<'a>> {
    let mut out: Vec<Form<'a>> = Vec::new();
    for s in seen.prose.iter().filter(|s| s.form != from) {
        let i = match out.iter().position(|f| f.text == s.form) {
            Some(i) => i,
            None => {
                out.push(Form {
                    text: &s.form,
                    words: 0,
                    identifiers: Vec::new(),
                    glued: 0,
                    first: s,
                });
                out.len() - 1
            }
        };
        let f = &mut out[i];
        if !s.word {
            f.glued += 1;
        } else {
            f.words += 1;
            if s.identifier.is_some() {
                f.identifiers.push(s);
            }
        }
    }
    out
}

/// Decides the `case` of the name's rule and the rules of its other spellings.
///
/// `preserve` when the prose writes the name in all capitals or in lower case as a word,
/// and no other form of it as a word is part of an identifier (a case-preserving rule would
/// rewrite `longhorn-system`). Otherwise `exact`, with an exact rule for every other form
/// the prose writes with a capital letter (so that none is left as a leak: `Kubevirt`,
/// `KUBEVIRT`, also when each of its mentions is glued into an identifier such as
/// `KUBEVIRT_DIR`, which no rule with word boundaries rewrites), and for the lower-case
/// form when it is never part of an identifier.
fn decide_case(draft: &mut Draft, seen: &Observed, files: &[TextFile]) {
    let (from, to) = (draft.from.clone(), draft.to.clone());
    let forms = forms(&from, seen);
    let words = seen.prose.iter().filter(|s| s.word && s.form == from).count();
    let described = |f: &Form| -> String {
        let plain = f.words - f.identifiers.len();
        let mut parts: Vec<(usize, String)> = Vec::new();
        if plain > 0 {
            parts.push((plain, "as a word".into()));
        }
        if !f.identifiers.is_empty() {
            let ids = ranked(f.identifiers.iter().filter_map(|s| s.identifier.clone()), 3);
            let ids: Vec<String> = ids.iter().map(|(i, _)| format!("`{i}`")).collect();
            let inside = if f.identifiers.len() == 1 {
                "inside an identifier"
            } else {
                "inside identifiers"
            };
            parts.push((f.identifiers.len(), format!("{inside} ({})", ids.join(", "))));
        }
        if f.glued > 0 {
            parts.push((f.glued, "glued to a longer word".into()));
        }
        let total = times(f.words + f.glued);
        match parts.as_slice() {
            [(_, only)] => format!("`{}` {total}, {only}", f.text),
            _ => {
                let parts: Vec<String> = parts.iter().map(|(n, what)| format!("{n} {what}")).collect();
                format!("`{}` {total}: {}", f.text, parts.join(", "))
            }
        }
    };
    let other_case = forms
        .iter()
        .any(|f| f.words > 0 && (all_caps(f.text) || all_lower(f.text)));
    let clean = forms.iter().all(|f| f.identifiers.is_empty());
    let mut note = vec![format!(
        "`{from}` stands as a word {} in the tree's prose; each becomes `{to}`.",
        times(words)
    )];
    if other_case && clean {
        draft.rules[0].case = CaseMode::Preserve;
        note.push(format!(
            "case = \"preserve\": the prose also writes {}; each is the product name, so the rule matches any case and carries it over (`{}` -> `{}`, `{}` -> `{}`). Where a lower-case name should read `{to}`, make this rule \"exact\" and add one for the lower-case form.",
            forms.iter().map(described).collect::<Vec<_>>().join("; "),
            from.to_uppercase(),
            to.to_uppercase(),
            from.to_lowercase(),
            to.to_lowercase(),
        ));
        draft.case_note = note;
        return;
    }
    let mut variants = 0;
    for f in &forms {
        let capital = f.text.chars().any(char::is_uppercase);
        let lower_product = all_lower(f.text) && f.words > 0 && f.identifiers.is_empty();
        if !capital && !lower_product {
            continue;
        }
        let (id, new) = if all_caps(f.text) {
            ("brand-caps".to_string(), to.to_uppercase())
        } else if all_lower(f.text) {
            ("brand-lower".to_string(), to.clone())
        } else {
            (format!("brand-{}", f.text), to.clone())
        };
        let mut comment = vec![format!("{}; first at {}.", described(f), place(files, f.first))];
        if f.words == 0 {
            comment.push(format!(
                "The tree has it only inside longer words, which this rule leaves (it matches whole words); without it the audit reads them as `{from}` left in prose."
            ));
        } else if !f.identifiers.is_empty() {
            comment.push("The identifiers among them get exceptions below.".to_string());
        }
        variants += 1;
        draft.rules.push(Rule {
            kind: RuleKind::Variant,
            id,
            from: f.text.to_string(),
            to: new,
            case: CaseMode::Exact,
            comment,
        });
    }
    if forms.is_empty() {
        note.push(format!(
            "case = \"exact\": the prose writes the name in no other case (an identifier in lower case, `{}-...`, would never match an exact rule).",
            from.to_lowercase()
        ));
    } else {
        note.push(format!(
            "case = \"exact\": the rule matches `{from}` byte for byte. The prose also writes {}.",
            forms.iter().map(described).collect::<Vec<_>>().join("; ")
        ));
        let others = if variants > 0 {
            " The other spellings of the product get rules of their own below."
        } else {
            ""
        };
        if !clean {
            note.push(format!(
                "A case-preserving rule would rewrite the identifiers.{others}"
            ));
        } else if variants > 0 {
            note.push(others.trim_start().to_string());
        }
    }
    draft.case_note = note;
}

/// "once", "twice", "3 times".
fn times(n: usize) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

/// Whether the draft's name or spelling rules rewrite a mention written `form`.
fn rewritten(draft: &Draft, form: &str) -> bool {
    draft.rules.iter().any(|r| {
        matches!(r.kind, RuleKind::Brand | RuleKind::Variant)
            && (r.from == form || r.case == CaseMode::Preserve && r.from.eq_ignore_ascii_case(form))
    })
}

/// What the name's rules make of `form`, a mention of the name.
fn new_name(draft: &Draft, form: &str) -> String {
    draft
        .rules
        .iter()
        .filter(|r| matches!(r.kind, RuleKind::Brand | RuleKind::Variant))
        .find(|r| r.from == form)
        .or_else(|| draft.rules.first().filter(|r| r.case == CaseMode::Preserve))
        .map_or_else(|| draft.to.clone(), |r| carry_case(form, &r.from, &r.to, r.case))
}

/// The phrases that would stutter: the name before a word of the new name ("Longhorn
/// storage" → "NQRust Storage storage"), or after the new name's first word, as the prose
/// writes them where the name is rewritten. A phrase whose every occurrence in prose (any
/// case) is rewritten and none part of an identifier gets one case-preserving rule; else
/// each form found gets an exact rule. A phrase the new name holds is none (`Rancher
/// Prime`, for `Rancher` -> `Rancher Prime`).
fn stutters(draft: &mut Draft, seen: &Observed) {
    let to_words: Vec<String> = draft.to.split_whitespace().map(str::to_lowercase).collect();
    let first = to_words.first().cloned().unwrap_or_default();
    // (phrase as found, whether the name is rewritten there and no identifier), by key.
    let mut found: BTreeMap<String, Vec<(String, bool)>> = BTreeMap::new();
    for s in seen.prose.iter().filter(|s| s.word) {
        let ok = rewritten(draft, &s.form) && s.identifier.is_none();
        if let Some(next) = s.next.as_ref().filter(|w| to_words.contains(&w.to_lowercase())) {
            let phrase = format!("{} {next}", s.form);
            found.entry(phrase.to_lowercase()).or_default().push((phrase, ok));
        }
        if let Some(prev) = s.prev.as_ref().filter(|w| w.to_lowercase() == first) {
            let phrase = format!("{prev} {}", s.form);
            found.entry(phrase.to_lowercase()).or_default().push((phrase, ok));
        }
    }
    let mut phrases: Vec<(String, Vec<(String, bool)>)> = found.into_iter().collect();
    phrases.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    let new_name = draft.to.to_lowercase();
    for (key, occurrences) in phrases {
        // Already the new name where it holds the old one (`Rancher Prime` for `Rancher` ->
        // `Rancher Prime`): nothing doubles there, and the rules leave it as it is.
        if new_name.contains(&key) {
            continue;
        }
        let forms = ranked(
            occurrences.iter().filter(|(_, ok)| *ok).map(|(p, _)| p.clone()),
            usize::MAX,
        );
        let Some((top, _)) = forms.first() else {
            continue;
        };
        let listed = forms
            .iter()
            .map(|(p, n)| format!("`{p}` {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        let whole = occurrences.iter().all(|(_, ok)| *ok);
        if whole {
            draft.rules.push(Rule {
                kind: RuleKind::Stutter,
                id: slug(&draft.rules, top),
                from: top.clone(),
                to: draft.to.clone(),
                case: CaseMode::Preserve,
                comment: vec![format!(
                    "Found: {listed}. case = \"preserve\": every occurrence in prose is the product's phrase, so any case of it is."
                )],
            });
            continue;
        }
        for (phrase, n) in &forms {
            let to = if all_caps(phrase) {
                draft.to.to_uppercase()
            } else {
                draft.to.clone()
            };
            draft.rules.push(Rule {
                kind: RuleKind::Stutter,
                id: slug(&draft.rules, phrase),
                from: phrase.clone(),
                to,
                case: CaseMode::Exact,
                comment: vec![format!(
                    "`{phrase}` {}. case = \"exact\": the phrase also stands in the prose where the name is not rewritten, or in an identifier.",
                    times(*n)
                )],
            });
        }
    }
}

/// Whether the draft's stutter rules match `phrase` as written.
fn stutter_rule<'a>(draft: &'a Draft, phrase: &str) -> Option<&'a Rule> {
    draft.rules.iter().find(|r| {
        r.kind == RuleKind::Stutter
            && (r.from == phrase || r.case == CaseMode::Preserve && r.from.eq_ignore_ascii_case(phrase))
    })
}

/// The article rules, when the new name takes another article than the old one ("a
/// Longhorn" → "an NQRust Storage"): one exact rule for each article and phrase the prose
/// writes where the name is rewritten (the phrase being the name, or a stutter phrase
/// that begins with it, which the article rule must take whole).
fn articles(draft: &mut Draft, seen: &Observed, files: &[TextFile]) {
    let (old, new) = (english::takes_an(&draft.from), english::takes_an(&draft.to));
    if old == new {
        return;
    }
    let wanted = if old { ["an", "An"] } else { ["a", "A"] };
    let mut found: Vec<(String, String, String)> = Vec::new();
    for s in seen.prose.iter().filter(|s| s.word && s.identifier.is_none()) {
        let Some(article) = s.prev.as_ref().filter(|p| wanted.contains(&p.as_str())) else {
            continue;
        };
        if !rewritten(draft, &s.form) {
            continue;
        }
        let stutter = s
            .next
            .as_ref()
            .map(|n| format!("{} {n}", s.form))
            .and_then(|p| stutter_rule(draft, &p).map(|r| (p, r)));
        let (phrase, replaced) = match stutter {
            Some((p, r)) => (p.clone(), carry_case(&p, &r.from, &r.to, r.case)),
            None => (s.form.clone(), new_name(draft, &s.form)),
        };
        found.push((
            format!("{article} {phrase}"),
            format!("{} {replaced}", english::article(&draft.to, article)),
            place(files, s),
        ));
    }
    if found.is_empty() {
        return;
    }
    let (a_old, a_new) = if old { ("an", "a") } else { ("a", "an") };
    draft.article_note = Some(format!(
        "`{}` takes \"{a_new}\" where `{}` takes \"{a_old}\": {}; {}. Each rule takes the article with the name, so \"{a_old} {}\" does not become \"{a_old} {}\". The reading is a guess from the spelling (capitals with no vowel are read letter by letter): if a name is said otherwise, delete these rules.",
        draft.to,
        draft.from,
        english::reading(&draft.to),
        english::reading(&draft.from),
        draft.from,
        draft.to
    ));
    let counted = ranked(found.iter().map(|(f, _, _)| f.clone()), usize::MAX);
    for (from, n) in counted {
        let (_, to, first) = found
            .iter()
            .find(|(f, _, _)| *f == from)
            .expect("counted from found");
        draft.rules.push(Rule {
            kind: RuleKind::Article,
            id: slug(&draft.rules, &from),
            to: to.clone(),
            comment: vec![format!("`{from}` {}, first at {first}.", times(n))],
            from,
            case: CaseMode::Exact,
        });
    }
}

/// The identifiers written in prose that the draft's rules rewrite (`Longhorn.io`,
/// `Kubevirt.spec`), as exceptions, by count.
fn identifiers(engine: &Engine, files: &[TextFile]) -> Vec<Keep> {
    use rayon::prelude::*;
    let found: Vec<(String, String)> = files
        .par_iter()
        .flat_map_iter(|f| {
            let text = &f.text;
            let active = engine.active(&f.path);
            let scanned = scan(f.kind, text, &engine.reading(&active));
            let edits = engine.edits(text, &scanned.spans, &active);
            let mut out = Vec::new();
            for m in engine.mentions(text, &scanned.spans, &active, &edits) {
                let Verdict::Rewritten(rule) = m.verdict else {
                    continue;
                };
                let Some(span) =
                    crate::scan::span_at(&scanned.spans, m.range.start).map(|i| &scanned.spans[i])
                else {
                    continue;
                };
                let within = &text[span.range.clone()];
                let local = m.range.start - span.range.start..m.range.end - span.range.start;
                let proper = learn::proper(&text[m.range.clone()], &engine.rules().substitutions[rule].from);
                if learn::identifier_like(within, local.clone(), proper) {
                    let id = within[learn::identifier(within, local)].to_string();
                    let line = text[..m.range.start].matches('\n').count() + 1;
                    out.push((id, format!("{}:{line}", f.path)));
                }
            }
            out
        })
        .collect();
    ranked(found.iter().map(|(id, _)| id.clone()), usize::MAX)
        .into_iter()
        .map(|(literal, count)| {
            let first = found
                .iter()
                .find(|(id, _)| *id == literal)
                .map(|(_, p)| p.clone())
                .unwrap_or_default();
            Keep {
                literal,
                count,
                first,
            }
        })
        .collect()
}

/// The review lists: names that begin with the name (`Longhorn Manager`), and lower-case
/// mentions that read as the product name but that no rule rewrites.
fn review(draft: &mut Draft, seen: &Observed, files: &[TextFile]) {
    let to_words: Vec<String> = draft.to.split_whitespace().map(str::to_lowercase).collect();
    draft.compounds = ranked(
        seen.prose
            .iter()
            .filter(|s| s.word && s.identifier.is_none() && rewritten(draft, &s.form))
            .filter_map(|s| {
                let next = s.next.as_ref()?;
                // A capitalised word, not a version (`Longhorn V2`).
                let name =
                    next.starts_with(char::is_uppercase) && !next.contains(|c: char| c.is_ascii_digit());
                (name && !to_words.contains(&next.to_lowercase())).then(|| format!("{} {next}", s.form))
            }),
        MAX_LISTED,
    );
    let lower: Vec<&Seen> = seen
        .prose
        .iter()
        .filter(|s| s.word && s.identifier.is_none() && all_lower(&s.form) && !rewritten(draft, &s.form))
        .collect();
    if let Some(first) = lower.first() {
        let mut phrases = ranked(
            lower
                .iter()
                .filter_map(|s| Some(format!("{} {}", s.form, s.next.as_ref()?))),
            MAX_LISTED,
        );
        phrases.retain(|(_, n)| *n > 1);
        draft.lower_left = Some(LowerLeft {
            count: lower.len(),
            first: place(files, first),
            phrases,
        });
    }
}

/// A sentence of the tree as a test would quote it, and what the rules make of it.
struct Quoted<'a> {
    seen: &'a Seen,
    input: String,
    /// The rules' output, read as a `[[test]]` reads its input (prose, as plain text).
    expect: String,
    /// The substitutions that acted, with the text each rewrote, and why mentions were
    /// kept.
    rules: Vec<usize>,
    rewrote: Vec<String>,
    kept: Vec<Kept>,
}

impl<'a> Quoted<'a> {
    fn new(engine: &Engine, seen: &'a Seen, input: &str) -> Self {
        let spans = scan(FileKind::Plain, input, &engine.rules().files.reading).spans;
        let active = engine.all_active();
        let edits = engine.edits(input, &spans, &active);
        let mut rules = Vec::new();
        let mut rewrote = Vec::new();
        let mut kept = Vec::new();
        for m in engine.mentions(input, &spans, &active, &edits) {
            match m.verdict {
                Verdict::Rewritten(r) => {
                    rules.push(r);
                    rewrote.push(input[m.range].to_string());
                }
                Verdict::Kept { why, .. } => kept.push(why),
            }
        }
        Quoted {
            seen,
            input: input.to_string(),
            expect: apply_edits(input, &edits),
            rules,
            rewrote,
            kept,
        }
    }
}

/// What a test shows.
enum Shows {
    /// The name's own rule, alone.
    Name,
    /// The substitution with this index.
    Rule(usize),
    /// The name's own rule rewriting this form of the name (case-preserving).
    Form(String),
    /// The exception with this index keeping an identifier.
    Exception(usize),
    /// An identifier kept by its case.
    Case,
}

impl Shows {
    fn by(&self, q: &Quoted) -> bool {
        match self {
            Shows::Name => !q.rules.is_empty() && q.rules.iter().all(|&r| r == 0) && q.kept.is_empty(),
            Shows::Rule(i) => q.rules.contains(i),
            Shows::Form(form) => q.rules.iter().zip(&q.rewrote).any(|(&r, t)| r == 0 && t == form),
            Shows::Exception(e) => q.kept.contains(&Kept::Exception(*e)),
            Shows::Case => q.kept.contains(&Kept::Case),
        }
    }
}

/// A handful of real sentences as tests: one where only the name's rule acts, one for each
/// of the most frequent stutter, article and spelling rules and exceptions, and one with an
/// identifier kept by its case. Whole sentences before prose spans that are none, English
/// pages before translations, then in walk order; one the rules change before one they
/// leave.
fn tests(engine: &Engine, draft: &Draft, seen: &Observed, files: &[TextFile]) -> Vec<Case> {
    let mut candidates: Vec<(bool, &Seen, &String)> = seen
        .prose
        .iter()
        .flat_map(|s| [(false, s, s.sentence.as_ref()), (true, s, s.fragment.as_ref())])
        .filter_map(|(fragment, s, quoted)| Some((fragment, s, quoted?)))
        .collect();
    candidates.sort_by_key(|(fragment, s, _)| {
        (
            *fragment,
            engine.rules().locale_of(&files[s.file].path).is_some(),
            s.file,
            s.range.start,
        )
    });
    let mut quoted: Vec<Quoted> = Vec::new();
    for (_, s, input) in candidates {
        if !quoted.iter().any(|q| q.input == *input) {
            quoted.push(Quoted::new(engine, s, input));
        }
    }
    let index = |id: &str| engine.rules().substitutions.iter().position(|r| r.id == id);
    let mut wanted = vec![("the name".to_string(), Shows::Name)];
    if draft.rules[0].case == CaseMode::Preserve {
        let other = seen
            .prose
            .iter()
            .filter(|s| s.word && s.identifier.is_none() && s.form != draft.from)
            .map(|s| s.form.clone());
        for (form, _) in ranked(other, 1) {
            wanted.push((format!("another case: `{form}`"), Shows::Form(form)));
        }
    }
    for kind in [RuleKind::Stutter, RuleKind::Article, RuleKind::Variant] {
        for rule in draft.rules.iter().filter(|r| r.kind == kind).take(2) {
            let what = match kind {
                RuleKind::Stutter => "no stutter",
                RuleKind::Article => "the article",
                _ => "another spelling",
            };
            if let Some(i) = index(&rule.id) {
                wanted.push((format!("{what}: `{}`", rule.from), Shows::Rule(i)));
            }
        }
    }
    for (e, keep) in draft.keeps.iter().enumerate().take(2) {
        wanted.push((
            format!("an identifier in prose stays: `{}`", keep.literal),
            Shows::Exception(e),
        ));
    }
    wanted.push(("an identifier in lower case stays".into(), Shows::Case));
    let mut used = vec![false; quoted.len()];
    let mut out = Vec::new();
    for (what, shows) in wanted {
        if out.len() == MAX_TESTS {
            break;
        }
        let free = |i: usize| !used[i] && shows.by(&quoted[i]);
        let pick = (0..quoted.len())
            .find(|&i| free(i) && !quoted[i].rules.is_empty())
            .or_else(|| (0..quoted.len()).find(|&i| free(i)));
        if let Some(i) = pick {
            used[i] = true;
            let place = place(files, quoted[i].seen);
            out.push(Case {
                name: format!("{what} ({place})"),
                input: quoted[i].input.clone(),
                expect: quoted[i].expect.clone(),
                place,
            });
        }
    }
    out
}

/// A rule id from a phrase: its words joined by hyphens (`a-Longhorn`, `A-Longhorn`),
/// made unique among `rules` with a number when needed.
fn slug(rules: &[Rule], phrase: &str) -> String {
    let base = phrase
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let taken = |id: &str| rules.iter().any(|r| r.id == id);
    (1..)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|id| !taken(id))
        .expect("some number is free")
}

#[cfg(test)]
mod tests;
