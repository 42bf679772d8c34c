//! The English indefinite article a product name takes: "a Longhorn volume", "an NQRust
//! Storage volume".

/// Letters whose English names begin with a vowel sound ("en", "ef", "aitch", ...): read
/// letter by letter, a name beginning with one takes "an" ("an NQRust", "an SQL").
const VOWEL_SOUND_LETTERS: &str = "AEFHILMNORSX";

/// Whether `name` takes "an" rather than "a", judged by its first word.
///
/// A word whose leading capitals are read letter by letter (two or more, with no vowel
/// among them, "NQRust", "SQL"; or an all-capital word of three letters at most, "AWS")
/// takes "an" when its first letter's name begins with a vowel sound. Any other word is
/// read as a word: "an" before a, e, i, o and before u except "uni", "use", "usu" and "ut"
/// ("a unified", "an update"); "a" before anything else, h included ("a Harvester"). A
/// heuristic: silent letters ("an hour") and other readings are not known, so the rules
/// it proposes say so for review.
pub(super) fn takes_an(name: &str) -> bool {
    let word = first_word(name);
    let Some(first) = word.chars().next() else {
        return false;
    };
    if initialism(word) {
        return VOWEL_SOUND_LETTERS.contains(first.to_ascii_uppercase());
    }
    let lower = word.to_lowercase();
    match first.to_ascii_lowercase() {
        'a' | 'e' | 'i' | 'o' => true,
        'u' => !["uni", "use", "usu", "ut"].iter().any(|p| lower.starts_with(p)),
        _ => false,
    }
}

/// The first word of `name`.
fn first_word(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or("")
}

/// Whether `word` is read letter by letter: its leading capitals are two or more with no
/// vowel among them (`NQRust`, `SQL`), or it is all capitals of three letters at most.
fn initialism(word: &str) -> bool {
    let capitals = word.chars().take_while(char::is_ascii_uppercase).count();
    let vowel = word[..capitals].contains(['A', 'E', 'I', 'O', 'U']);
    capitals >= 2 && !vowel || (!word.is_empty() && word.len() <= 3 && capitals == word.len())
}

/// The English names of the letters, A to Z.
const LETTER_NAMES: [&str; 26] = [
    "ay",
    "bee",
    "see",
    "dee",
    "ee",
    "ef",
    "jee",
    "aitch",
    "eye",
    "jay",
    "kay",
    "el",
    "em",
    "en",
    "oh",
    "pee",
    "cue",
    "ar",
    "ess",
    "tee",
    "you",
    "vee",
    "double-you",
    "ex",
    "wy",
    "zed",
];

/// How [`takes_an`] reads `name`, for a comment: "`NQRust` is read letter by letter,
/// `N` said \"en\"", "`Longhorn` begins with a consonant sound".
pub(super) fn reading(name: &str) -> String {
    let word = first_word(name);
    let first = word.chars().next().unwrap_or(' ').to_ascii_uppercase();
    match (initialism(word), first) {
        (true, 'A'..='Z') => format!(
            "`{word}` is read letter by letter, `{first}` said \"{}\"",
            LETTER_NAMES[first as usize - 'A' as usize]
        ),
        _ if takes_an(name) => format!("`{word}` begins with a vowel sound"),
        _ => format!("`{word}` begins with a consonant sound"),
    }
}

/// The article `name` takes, in the case of `like` ("a", "A", "an" or "An").
pub(super) fn article(name: &str, like: &str) -> &'static str {
    let capital = like.starts_with(char::is_uppercase);
    match (takes_an(name), capital) {
        (true, false) => "an",
        (true, true) => "An",
        (false, false) => "a",
        (false, true) => "A",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_follow_the_first_sound() {
        for name in [
            "NQRust Storage",
            "SQL Server",
            "AWS",
            "Ubuntu",
            "OpenShift",
            "Elastic",
            "FBI",
        ] {
            assert!(takes_an(name), "an {name}");
        }
        for name in [
            "Longhorn",
            "Harvester",
            "KubeVirt",
            "SUSE",
            "NASA",
            "USB",
            "Unified Fleet",
            "Keycloak",
            "",
        ] {
            assert!(!takes_an(name), "a {name}");
        }
        assert_eq!(article("NQRust Storage", "A"), "An");
        assert_eq!(
            reading("NQRust Storage"),
            "`NQRust` is read letter by letter, `N` said \"en\""
        );
        assert_eq!(reading("Acme"), "`Acme` begins with a vowel sound");
        assert_eq!(reading("Longhorn"), "`Longhorn` begins with a consonant sound");
        assert_eq!(article("Longhorn", "an"), "a");
    }
}
