//! What a tree says about a product name: every mention of it (ASCII case ignored) by
//! context, and for each one in prose the form it is written in, whether it is part of an
//! identifier, the words beside it and the sentence it stands in.

use std::collections::BTreeMap;
use std::ops::Range;

use rayon::prelude::*;

use crate::rewrite::{text::at_word_boundaries, Engine};
use crate::scan::{scan, span_at, Context, Span};
use crate::tree::TextFile;

/// Characters that join a name into an identifier whatever its case: `kubevirt.io`,
/// `KUBEVIRT_DIR`, `image:longhorn`, `user@harvester`, `key=Longhorn`.
const JOINERS: [char; 6] = ['_', '.', ':', '@', '=', '\\'];

/// Characters that join a name into an identifier only when it is written in one case
/// (`longhorn-system`, `harvester/harvester`): written as a proper name (see [`proper`]),
/// `Longhorn-based` and `Longhorn/Harvester` are prose.
const LOWER_JOINERS: [char; 2] = ['-', '/'];

/// One prose mention of the name (ASCII case ignored).
#[derive(Debug, Clone)]
pub(super) struct Seen {
    /// Index of its file in the files read.
    pub file: usize,
    /// 1-based line in its file.
    pub line: usize,
    /// Its bytes in the file.
    pub range: Range<usize>,
    /// Whether it stands as a word (`Longhorn's`, `Longhorn-based`, `longhorn-system`), not
    /// glued to a longer one (`LonghornV2`, `KUBEVIRT_DIR`: near misses of the audit).
    pub word: bool,
    /// The text as written (`Longhorn`, `longhorn`, `LONGHORN`).
    pub form: String,
    /// The identifier it is part of, when it stands as a word joined into one (see
    /// [`identifier_like`]).
    pub identifier: Option<String>,
    /// The word after it, when only white space (at most one line break) is between.
    pub next: Option<String>,
    /// The word before it, likewise.
    pub prev: Option<String>,
    /// The sentence it stands in, on one line, when it is one a test can quote (see
    /// [`sentence`]).
    pub sentence: Option<String>,
    /// Its prose span on one line, when no sentence can be quoted and the span can
    /// (release notes and list items that end without a full stop).
    pub fragment: Option<String>,
}

/// Every mention of the name in a tree.
#[derive(Debug, Default)]
pub(super) struct Observed {
    /// Prose mentions, in walk order.
    pub prose: Vec<Seen>,
    /// Every mention (ASCII case ignored), by context name.
    pub by_context: BTreeMap<&'static str, usize>,
}

/// The mentions `engine` finds in `files`: its rules must be the one substitution of the
/// name, whose every ASCII-case-insensitive occurrence is a mention (see
/// [`Engine::mentions`]).
pub(super) fn observe(engine: &Engine, files: &[TextFile]) -> Observed {
    let parts: Vec<Observed> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| observe_file(engine, i, f))
        .collect();
    let mut all = Observed::default();
    for part in parts {
        all.prose.extend(part.prose);
        for (context, n) in part.by_context {
            *all.by_context.entry(context).or_default() += n;
        }
    }
    all
}

fn observe_file(engine: &Engine, index: usize, file: &TextFile) -> Observed {
    let mut out = Observed::default();
    let text = &file.text;
    let active = engine.active(&file.path);
    let scanned = scan(file.kind, text, &engine.reading(&active));
    let edits = engine.edits(text, &scanned.spans, &active);
    for m in engine.mentions(text, &scanned.spans, &active, &edits) {
        *out.by_context.entry(m.context.name()).or_default() += 1;
        if m.context != Context::Prose {
            continue;
        }
        let Some(span) = span_at(&scanned.spans, m.range.start).map(|i| &scanned.spans[i]) else {
            continue;
        };
        let within = &text[span.range.clone()];
        let (start, end) = (m.range.start - span.range.start, m.range.end - span.range.start);
        if m.range.end > span.range.end {
            continue;
        }
        let word = at_word_boundaries(within, start, end);
        let form = text[m.range.clone()].to_string();
        let proper = engine
            .rules()
            .substitutions
            .first()
            .is_some_and(|s| proper(&form, &s.from));
        out.prose.push(Seen {
            file: index,
            line: text[..m.range.start].matches('\n').count() + 1,
            word,
            identifier: (word && identifier_like(within, start..end, proper))
                .then(|| within[identifier(within, start..end)].to_string()),
            next: next_word(&within[end..]),
            prev: prev_word(&within[..start]),
            sentence: sentence(&scanned.spans, span, text, m.range.clone()),
            fragment: Some(one_line(within)).filter(|f| quotable(f)),
            range: m.range,
            form,
        });
    }
    out
}

/// Whether the name at `range` of `text` (one prose span) is part of an identifier: joined
/// to a letter or digit by one of [`JOINERS`] (`kubevirt.io`, `KUBEVIRT_DIR`), or, when it is
/// not written as a `proper` name, by a hyphen or a slash
/// (`longhorn-system`, `harvester-longhorn`, `harvester/harvester`).
pub(super) fn identifier_like(text: &str, range: Range<usize>, proper: bool) -> bool {
    let joins = |c: char| JOINERS.contains(&c) || (!proper && LOWER_JOINERS.contains(&c));
    let mut before = text[..range.start].chars().rev();
    let mut after = text[range.end..].chars();
    let left =
        matches!((before.next(), before.next()), (Some(j), Some(c)) if joins(j) && c.is_alphanumeric());
    let right = matches!((after.next(), after.next()), (Some(j), Some(c)) if joins(j) && c.is_alphanumeric());
    left || right
}

/// Whether `text`, a mention of the name `from` (or a phrase holding it), is written as a
/// proper name: as `from` is, or with capitals and small letters (`Kubevirt`, `Longhorn
/// storage`), not in one case only (`longhorn`, `KUBEVIRT`), as identifiers are.
pub(super) fn proper(text: &str, from: &str) -> bool {
    text == from || text.chars().any(char::is_uppercase) && text.chars().any(char::is_lowercase)
}

/// The identifier the name at `range` of `text` is part of: the run of letters, digits and
/// joiners around it, without the punctuation that ends a sentence (`longhorn-system.`).
pub(super) fn identifier(text: &str, range: Range<usize>) -> Range<usize> {
    let part = |c: char| c.is_alphanumeric() || JOINERS.contains(&c) || LOWER_JOINERS.contains(&c);
    let start = text[..range.start]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| part(c))
        .last()
        .map_or(range.start, |(i, _)| i);
    let end = text[range.end..]
        .char_indices()
        .take_while(|&(_, c)| part(c))
        .last()
        .map_or(range.end, |(i, c)| range.end + i + c.len_utf8());
    let trimmed = text[start..end].trim_matches(|c: char| !c.is_alphanumeric());
    let offset = text[start..end].find(trimmed).unwrap_or(0);
    start + offset..start + offset + trimmed.len()
}

/// The word `rest` begins with after white space (one line break at most), if any.
fn next_word(rest: &str) -> Option<String> {
    let word = rest.trim_start();
    let gap = &rest[..rest.len() - word.len()];
    if gap.is_empty() || gap.matches('\n').count() > 1 {
        return None;
    }
    let end = word.find(|c: char| !c.is_alphanumeric()).unwrap_or(word.len());
    (end > 0).then(|| word[..end].to_string())
}

/// The word `before` ends with before white space (one line break at most), if any.
fn prev_word(before: &str) -> Option<String> {
    let word = before.trim_end();
    let gap = &before[word.len()..];
    if gap.is_empty() || gap.matches('\n').count() > 1 {
        return None;
    }
    let start = word
        .rfind(|c: char| !c.is_alphanumeric())
        .map_or(0, |i| i + word[i..].chars().next().map_or(1, char::len_utf8));
    (start < word.len()).then(|| word[start..].to_string())
}

/// Shortest and longest sentence a test quotes, in bytes.
const SENTENCE: Range<usize> = 30..240;

/// The sentence of `text` that holds `mention`, inside prose span `span` (one of `spans`),
/// on one line, when a test can quote it as it is: it begins with a capital letter, at the
/// start of a block or after the end of another sentence in the span, ends with `.`, `!`
/// or `?` inside the span, and is [`quotable`].
fn sentence(spans: &[Span], span: &Span, text: &str, mention: Range<usize>) -> Option<String> {
    let within = &text[span.range.clone()];
    let at = mention.start - span.range.start;
    let ends =
        |i: usize, c: char| matches!(c, '.' | '!' | '?') && within[i + 1..].starts_with(char::is_whitespace);
    // The sentence before ends with `. ` (or the span begins a block).
    let start = match within[..at].char_indices().rev().find(|&(i, c)| ends(i, c)) {
        Some((i, _)) => i + 1,
        None => {
            let first = spans.iter().position(|s| s.range == span.range)?;
            let block = first == 0
                || spans[first - 1].context == Context::Markup
                    && text[spans[first - 1].range.clone()].contains('\n');
            if !block {
                return None;
            }
            0
        }
    };
    let end = within[at..]
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '.' | '!' | '?')
                && within[at + i + 1..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
        })
        .map(|(i, _)| at + i + 1)?;
    let quoted = one_line(&within[start..end]);
    (quotable(&quoted) && quoted.starts_with(|c: char| c.is_uppercase())).then_some(quoted)
}

/// `text` with its white space runs made single spaces, trimmed.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a test can quote `text`: four words or more, 30 to 240 bytes, with no URL.
fn quotable(text: &str) -> bool {
    SENTENCE.contains(&text.len()) && text.split(' ').count() >= 4 && !text.contains("://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_names_joined_to_more_name() {
        let like = |text: &str, word: &str, proper: bool| {
            let start = text.find(word).unwrap();
            identifier_like(text, start..start + word.len(), proper)
        };
        assert!(like(
            "Upgrade: longhorn-system can't be evicted",
            "longhorn",
            false
        ));
        assert!(like("select harvester-longhorn (Default)", "longhorn", false));
        assert!(like("set KUBEVIRT_NFS_DIR first", "KUBEVIRT", false));
        assert!(like("the group kubevirt.io owns it", "kubevirt", false));
        assert!(like("see Longhorn.io", "Longhorn", true));
        // Written as the product is, a hyphen or a slash joins prose words.
        assert!(!like("Longhorn-related pods", "Longhorn", true));
        assert!(!like("Longhorn/Harvester", "Longhorn", true));
        // Sentence punctuation is no joiner.
        assert!(!like("a disk for Longhorn. Next", "Longhorn", true));
        assert!(!like("(longhorn) is", "longhorn", false));
        assert!(proper("Longhorn", "Longhorn") && proper("Kubevirt", "KubeVirt") && proper("SUSE", "SUSE"));
        assert!(!proper("longhorn", "Longhorn") && !proper("KUBEVIRT", "KubeVirt"));
    }

    #[test]
    fn the_identifier_is_the_joined_run_without_sentence_punctuation() {
        let id = |text: &str, word: &str| {
            let start = text.find(word).unwrap();
            text[identifier(text, start..start + word.len())].to_string()
        };
        assert_eq!(
            id("Upgrade: longhorn-system can't", "longhorn"),
            "longhorn-system"
        );
        assert_eq!(id("set KUBEVIRT_NFS_DIR.", "KUBEVIRT"), "KUBEVIRT_NFS_DIR");
        assert_eq!(id("of driver.longhorn.io:", "longhorn"), "driver.longhorn.io");
        assert_eq!(id("(harvester-longhorn)", "longhorn"), "harvester-longhorn");
    }

    #[test]
    fn words_beside_a_mention() {
        assert_eq!(next_word(" storage is"), Some("storage".into()));
        assert_eq!(next_word("\nstorage"), Some("storage".into()));
        assert_eq!(next_word("'s storage"), None);
        assert_eq!(next_word(""), None);
        assert_eq!(prev_word("Install a "), Some("a".into()));
        assert_eq!(prev_word("(a"), None);
        assert_eq!(prev_word("安装 "), Some("安装".into()));
    }
}
