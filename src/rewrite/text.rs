//! Small pure functions the rewriter checks after each automaton match: word boundaries,
//! case carrying, whitespace carrying.

use crate::rules::CaseMode;

/// Whether `c` is a word character for word-boundary checks.
///
/// Letters, digits and `_`, as for regex `\w`, except CJK ideographs and kana/hangul: CJK
/// text has no spaces, so "安装 Harvester。" and "Harvester集群" must still see a boundary
/// between the brand and its neighbours (Unicode `\b` would not).
pub fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() || c == '_') && !is_cjk(c)
}

/// Whether `c` is a Han ideograph, kana, hangul or bopomofo character.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF        // Hangul Jamo
        | 0x2E80..=0x2FDF      // CJK radicals, Kangxi radicals
        | 0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3100..=0x312F      // Bopomofo
        | 0x3130..=0x318F      // Hangul compatibility Jamo
        | 0x3400..=0x4DBF      // CJK extension A
        | 0x4E00..=0x9FFF      // CJK unified ideographs
        | 0xAC00..=0xD7AF      // Hangul syllables
        | 0xF900..=0xFAFF      // CJK compatibility ideographs
        | 0xFF66..=0xFF9F      // half-width katakana
        | 0x20000..=0x3134F) // CJK extensions B–G
}

/// Whether the match `start..end` of `text` stands as a whole word.
///
/// A side only needs a boundary where the pattern itself begins (or ends) with a word
/// character: a `from` of `"/harvester"` may follow a letter.
pub fn at_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let matched = &text[start..end];
    let left_ok = match (matched.chars().next(), text[..start].chars().next_back()) {
        (Some(first), Some(before)) if is_word_char(first) => !is_word_char(before),
        _ => true,
    };
    let right_ok = match (matched.chars().next_back(), text[end..].chars().next()) {
        (Some(last), Some(after)) if is_word_char(last) => !is_word_char(after),
        _ => true,
    };
    left_ok && right_ok
}

/// The replacement for `matched` (found by a rule `from` → `to` with case mode `case`).
///
/// With [`CaseMode::Preserve`]: an all-caps match gives an all-caps `to`, an all-lowercase
/// match a lowercase `to`, a capitalised single word a capitalised `to`; anything else
/// (including the exact `from`) gives `to` as written.
pub fn carry_case(matched: &str, from: &str, to: &str, case: CaseMode) -> String {
    if case == CaseMode::Exact || matched == from {
        return to.to_string();
    }
    let letters = || matched.chars().filter(|c| c.is_alphabetic());
    let has_letters = letters().next().is_some();
    if has_letters && letters().all(char::is_uppercase) && letters().count() > 1 {
        to.to_uppercase()
    } else if has_letters && letters().all(char::is_lowercase) {
        to.to_lowercase()
    } else if is_capitalised(matched) {
        let mut chars = to.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    } else {
        to.to_string()
    }
}

fn is_capitalised(s: &str) -> bool {
    let mut letters = s.chars().filter(|c| c.is_alphabetic());
    letters.next().is_some_and(char::is_uppercase) && letters.all(char::is_lowercase)
}

/// Carries the line breaks of `matched` into `replacement`: when a multi-word `from` matched
/// across a soft line break ("Harvester\nhypervisor"), the i-th space of the replacement
/// becomes the i-th white-space run of the match, so the rewrite keeps the line layout.
pub fn carry_whitespace(matched: &str, replacement: String) -> String {
    if !matched.contains('\n') {
        return replacement;
    }
    let runs: Vec<&str> = matched
        .split(|c: char| !c.is_whitespace())
        .filter(|run| !run.is_empty())
        .collect();
    if runs.len() != replacement.matches(' ').count() {
        return replacement;
    }
    let mut runs = runs.into_iter();
    let mut out = String::with_capacity(replacement.len() + 2);
    for c in replacement.chars() {
        match c {
            ' ' => out.push_str(runs.next().unwrap_or(" ")),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_table() {
        // (text, match start, match end, expected)
        let cases = [
            ("Harvester's nodes", 0, 9, true),
            ("Harvester-based", 0, 9, true),
            ("Harvesters", 0, 9, false),
            ("harvesterhci", 0, 9, false),
            ("myharvester", 2, 11, false),
            ("安装 Harvester。", 7, 16, true),
            ("Harvester集群", 0, 9, true),
            ("在Harvester中", 3, 12, true),
            ("(Harvester)", 1, 10, true),
            ("Harvester_x", 0, 9, false),
            ("Harvester2", 0, 9, false),
            ("éHarvester", 2, 11, false),
        ];
        for (text, s, e, want) in cases {
            assert_eq!(
                &text[s..e].to_ascii_lowercase(),
                "harvester",
                "bad fixture {text}"
            );
            assert_eq!(at_word_boundaries(text, s, e), want, "{text}");
        }
    }

    #[test]
    fn case_table() {
        let p = CaseMode::Preserve;
        assert_eq!(
            carry_case("Harvester", "Harvester", "Hypervisor", p),
            "Hypervisor"
        );
        assert_eq!(
            carry_case("HARVESTER", "Harvester", "Hypervisor", p),
            "HYPERVISOR"
        );
        assert_eq!(
            carry_case("harvester", "Harvester", "Hypervisor", p),
            "hypervisor"
        );
        assert_eq!(
            carry_case("Harvester", "harvester", "hypervisor", p),
            "Hypervisor"
        );
        assert_eq!(
            carry_case("HarVester", "Harvester", "Hypervisor", p),
            "Hypervisor"
        );
        assert_eq!(
            carry_case(
                "Harvester Hypervisor",
                "Harvester hypervisor",
                "NQRust Hypervisor",
                p
            ),
            "NQRust Hypervisor"
        );
        assert_eq!(
            carry_case("harvester", "Harvester", "Hypervisor", CaseMode::Exact),
            "Hypervisor"
        );
    }

    #[test]
    fn whitespace_is_carried_across_line_breaks() {
        assert_eq!(
            carry_whitespace("Harvester\nhypervisor", "NQRust Hypervisor".into()),
            "NQRust\nHypervisor"
        );
        assert_eq!(
            carry_whitespace("Harvester\r\nhypervisor", "NQRust Hypervisor".into()),
            "NQRust\r\nHypervisor"
        );
        assert_eq!(
            carry_whitespace("Harvester hypervisor", "NQRust Hypervisor".into()),
            "NQRust Hypervisor"
        );
        assert_eq!(carry_whitespace("A\nB", "One Two Three".into()), "One Two Three");
    }
}
