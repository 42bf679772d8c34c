//! The decisions of `init` that the fixture trees do not reach (`tests/it/init.rs` runs it on
//! real pages): a case-preserving name, an article the other way round, stutter phrases that
//! must stay case-exact, and a stutter before the name. Lines of the Harvester docs where
//! they have one.

use super::*;

/// The starter `init` learns from a tree of `pages` (relative path, text): the rule set it
/// loads as, and its text.
fn starter(from: &str, to: &str, pages: &[(&str, &str)]) -> (RuleSet, String) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in pages {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let starter = init(from, to, dir.path(), "tree").unwrap();
    assert_eq!(starter.audit.0, 0, "{}", starter.text);
    let rules = RuleSet::parse(Path::new(STARTER), &starter.text).unwrap();
    (rules, starter.text)
}

fn rules(set: &RuleSet) -> Vec<(&str, &str, CaseMode)> {
    set.substitutions
        .iter()
        .map(|s| (s.from.as_str(), s.to.as_str(), s.case))
        .collect()
}

#[test]
fn a_name_whose_other_cases_are_all_the_product_is_case_preserving() {
    let (set, text) = starter(
        "Kubernetes",
        "Acme Platform",
        &[
            (
                "docs/rancher/node/rke2-cluster.md",
                "###  Create RKE2 kubernetes cluster\n",
            ),
            (
                "docs/image/image-security.md",
                "- Secret: A Kubernetes secret is used as the passphrase of dm_crypt.\n",
            ),
        ],
    );
    assert_eq!(
        rules(&set)[0],
        ("Kubernetes", "Acme Platform", CaseMode::Preserve)
    );
    // Its test shows the lower-case name in lower case.
    assert!(
        text.contains(
            "input = \"Create RKE2 kubernetes cluster\"\nexpect = \"Create RKE2 acme platform cluster\""
        ),
        "{text}"
    );
}

#[test]
fn a_name_that_takes_an_gets_a_where_the_new_one_does() {
    let (set, _) = starter(
        "Elemental",
        "Rancher OS",
        &[(
            "docs/host/host.md",
            "If an Elemental toolkit cloud-init document does not appear in `/oem` or does not contain the expected contents, the status block of the CloudInit resource might contain useful hints.\n",
        )],
    );
    assert_eq!(
        rules(&set),
        vec![
            ("Elemental", "Rancher OS", CaseMode::Exact),
            ("an Elemental", "a Rancher OS", CaseMode::Exact),
        ]
    );
}

#[test]
fn a_stutter_phrase_also_written_inside_an_identifier_stays_case_exact() {
    let page = "The Longhorn storage network carries replication traffic.\n\n\
                Volumes use the harvester-longhorn storage class by default.\n";
    let (set, text) = starter("Longhorn", "NQRust Storage", &[("docs/a.md", page)]);
    assert_eq!(
        rules(&set),
        vec![
            ("Longhorn", "NQRust Storage", CaseMode::Exact),
            ("Longhorn storage", "NQRust Storage", CaseMode::Exact),
        ]
    );
    assert!(
        text.contains("case = \"exact\": the phrase also stands"),
        "{text}"
    );
    let engine = Engine::new(set).unwrap();
    let out = engine
        .rewrite(FileKind::Markdown, page, &engine.all_active())
        .apply(page);
    assert!(out.contains("The NQRust Storage network"), "{out}");
    assert!(out.contains("the harvester-longhorn storage class"), "{out}");
}

#[test]
fn the_word_before_the_name_can_stutter_too() {
    let (set, _) = starter(
        "Longhorn",
        "Storage Engine",
        &[("docs/a.md", "Attach a disk to the storage Longhorn manages.\n")],
    );
    assert!(
        rules(&set).contains(&("storage Longhorn", "Storage Engine", CaseMode::Preserve)),
        "{:?}",
        rules(&set)
    );
}

#[test]
fn names_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    for (from, to, message) in [
        (
            "",
            "X",
            "`--from` is empty: give the product name as the docs write it",
        ),
        (
            "Longhorn",
            "  ",
            "`--to` is empty: give the product name as the docs write it",
        ),
        (
            "Longhorn ",
            "X",
            "`--from` begins or ends with white space: give the product name as the docs write it",
        ),
    ] {
        let e = init(from, to, dir.path(), "tree").unwrap_err();
        assert_eq!(e.to_string(), message);
    }
}

#[test]
fn the_new_name_already_written_is_no_stutter_phrase() {
    // `Rancher` -> `Rancher Prime` where the docs already write "Rancher Prime": a rule
    // `Rancher Prime` -> `Rancher Prime` would change nothing and rewrite its own output.
    let seen = |next: &str| Seen {
        file: 0,
        line: 1,
        range: 0..7,
        word: true,
        form: "Rancher".into(),
        identifier: None,
        next: Some(next.into()),
        prev: None,
        sentence: None,
        fragment: None,
    };
    let observed = Observed {
        prose: vec![seen("Prime"), seen("prime"), seen("Manager")],
        ..Observed::default()
    };
    let mut draft = Draft {
        from: "Rancher".into(),
        to: "Rancher Prime".into(),
        rules: vec![Rule {
            kind: RuleKind::Brand,
            id: "brand".into(),
            from: "Rancher".into(),
            to: "Rancher Prime".into(),
            case: CaseMode::Exact,
            comment: Vec::new(),
        }],
        ..Draft::default()
    };
    stutters(&mut draft, &observed);
    assert_eq!(draft.rules.len(), 1, "{:?}", draft.rules);
    // The same phrase for another new name is one.
    draft.to = "NQRust Prime".into();
    stutters(&mut draft, &observed);
    assert_eq!(draft.rules[1].from, "Rancher Prime");
}
