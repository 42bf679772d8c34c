use super::*;

fn parse(source: &str) -> Result<RuleSet, Vec<Diagnostic>> {
    RuleSet::parse(Path::new("rules.toml"), source).map_err(|e| match e {
        RuleFileError::Invalid(d) => d,
        RuleFileError::Read { .. } => unreachable!("parse does not read"),
    })
}

fn first_error(source: &str) -> Diagnostic {
    parse(source).expect_err("rule file must be rejected").remove(0)
}

#[test]
fn defaults_are_prose_exact_with_boundaries() {
    let rules = parse("[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n").unwrap();
    let s = &rules.substitutions[0];
    assert_eq!(s.id, "Harvester");
    assert_eq!(s.case, CaseMode::Exact);
    assert!(s.word_boundary);
    assert_eq!(s.contexts, ContextSet::PROSE);
    assert_eq!(
        rules.files.kind_of("docs/install/index.md"),
        Some(FileKind::Markdown)
    );
    assert_eq!(rules.files.kind_of("index.md"), Some(FileKind::Markdown));
    assert_eq!(rules.files.kind_of("docs/_category_.json"), Some(FileKind::Json));
    assert_eq!(
        rules.files.kind_of("docusaurus.config.js"),
        Some(FileKind::JavaScript)
    );
    assert_eq!(rules.files.kind_of("src/pages/index.js"), None);
    assert_eq!(rules.files.kind_of("static/img/logo.svg"), None);
}

#[test]
fn unknown_key_names_line_column_and_suggests() {
    let d = first_error("[[substitution]]\nfrm = \"Harvester\"\nto = \"Hypervisor\"\n");
    assert_eq!((d.line, d.column), (2, 1));
    assert!(d.message.contains("unknown field `frm`"), "{}", d.message);
    assert_eq!(d.hint.as_deref(), Some("did you mean `from`?"));
}

#[test]
fn syntax_error_is_located() {
    let d = first_error("[[substitution]]\nfrom = \"Harvester\nto = \"x\"\n");
    assert_eq!(d.line, 2);
}

#[test]
fn wrong_type_is_located() {
    let d = first_error("[[substitution]]\nfrom = 3\nto = \"x\"\n");
    assert_eq!((d.line, d.column), (2, 8));
    assert!(d.message.contains("invalid type"), "{}", d.message);
}

#[test]
fn empty_from_is_rejected() {
    let d = first_error("[[substitution]]\nfrom = \"\"\nto = \"x\"\n");
    assert!(d.message.contains("`from` is empty"));
    assert_eq!((d.line, d.column), (2, 8));
}

#[test]
fn duplicate_from_names_the_first_rule() {
    let d = first_error(
        "[[substitution]]\nid = \"a\"\nfrom = \"Harvester\"\nto = \"x\"\n\n[[substitution]]\nfrom = \"harvester\"\nto = \"y\"\ncase = \"preserve\"\n",
    );
    assert!(
        d.message.contains("duplicate `from`") && d.message.contains("`a`"),
        "{}",
        d.message
    );
    assert_eq!(d.line, 6);
}

#[test]
fn invalid_and_empty_matching_regexes_are_rejected() {
    let d = first_error("[[exception]]\nregex = \"harvester(\"\nreason = \"r\"\n");
    assert!(d.message.contains("invalid regex"), "{}", d.message);
    assert_eq!(d.line, 2);
    let d = first_error("[[exception]]\nregex = \"x*\"\nreason = \"r\"\n");
    assert!(d.message.contains("matches the empty string"), "{}", d.message);
}

#[test]
fn unknown_context_lists_the_names() {
    let d = first_error("[[substitution]]\nfrom = \"a\"\nto = \"b\"\ncontexts = [\"prose\", \"urls\"]\n");
    assert!(d.message.contains("unknown context `urls`"));
    assert!(
        d.hint.as_deref().unwrap().starts_with("did you mean `url`?"),
        "{:?}",
        d.hint
    );
}

#[test]
fn bad_glob_is_located() {
    let d = first_error("[[substitution]]\nfrom = \"a\"\nto = \"b\"\npaths = [\"docs/[a\"]\n");
    assert!(d.message.contains("invalid glob"), "{}", d.message);
    assert_eq!(d.line, 4);
}

#[test]
fn every_problem_is_reported_together() {
    let errors =
        parse("[[substitution]]\nfrom = \"\"\nto = \"x\"\n\n[[exception]]\nregex = \"(\"\nreason = \"r\"\n")
            .expect_err("two problems");
    assert_eq!(errors.len(), 2);
}

#[test]
fn file_settings_exclude_and_kinds() {
    let rules = parse("[files]\nexclude = [\"api/**\"]\nplain = [\"**/*.txt\"]\n").unwrap();
    assert_eq!(rules.files.kind_of("api/v1.6-swagger.json"), None);
    assert_eq!(rules.files.kind_of("notes/readme.txt"), Some(FileKind::Plain));
}

#[test]
fn wrong_type_names_the_key() {
    let d = first_error("[[substitution]]\nfrom = \"a\"\nto = \"b\"\nword_boundary = \"yes\"\n");
    assert_eq!((d.line, d.column), (4, 17));
    assert!(
        d.message.ends_with("for key `substitution.word_boundary`"),
        "{}",
        d.message
    );
}

#[test]
fn regex_syntax_error_points_inside_the_regex() {
    let d = first_error("[[exception]]\nregex = 'Harvester v(\\d+'\nreason = \"r\"\n");
    assert_eq!(d.message, "invalid regex `Harvester v(\\d+`: unclosed group");
    // Under the `(`: the literal string's bytes are the regex's.
    assert_eq!((d.line, d.column, d.width), (2, 21, 1));
    // With escapes in a basic string, the whole value.
    let d = first_error("[[exception]]\nregex = \"Harvester v(\\\\d+\"\nreason = \"r\"\n");
    assert_eq!((d.line, d.column), (2, 9));
}

#[test]
fn regex_over_the_size_limit_says_the_limit() {
    let d = first_error("[[exception]]\nregex = '\\w{1000}'\nreason = \"r\"\n");
    assert!(
        d.message
            .contains("exceeds the size limit of 1 MiB (1048576 bytes)"),
        "{}",
        d.message
    );
    // Far below it: a plain Unicode class with `+`.
    parse("[[exception]]\nregex = 'Harvester \\w+'\nreason = \"r\"\n").unwrap();
}

#[test]
fn duplicate_from_names_both_rules() {
    let d = first_error(
        "[[substitution]]\nid = \"a\"\nfrom = \"H\"\nto = \"x\"\n\n[[substitution]]\nid = \"b\"\nfrom = \"H\"\nto = \"y\"\n",
    );
    assert_eq!(
        d.message,
        "duplicate `from` = `H` in rule `b`: rule `a` (line 1) has it already"
    );
}

#[test]
fn exception_that_can_never_meet_a_substitution_is_a_warning() {
    let rules = parse(
        "[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n\n\
         [[exception]]\nliteral = \"harvester-system\"\nreason = \"r\"\n\n\
         [[exception]]\nid = \"menu\"\nregex = 'Virtualization Management > Harvester Clusters?'\nreason = \"r\"\n",
    )
    .expect("a warning does not refuse the file");
    assert_eq!(rules.exceptions.len(), 2);
    assert_eq!(rules.warnings.len(), 1, "{:?}", rules.warnings);
    let w = &rules.warnings[0];
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!((w.line, w.column), (6, 11));
    assert!(
        w.message
            .starts_with("exception `harvester-system` can never meet a substitution"),
        "{}",
        w.message
    );
    assert!(w.to_string().starts_with("warning: "), "{w}");
    // The same exception meets a case-preserving rule.
    let rules = parse(
        "[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\ncase = \"preserve\"\n\n\
         [[exception]]\nliteral = \"harvester-system\"\nreason = \"r\"\n",
    )
    .unwrap();
    assert!(rules.warnings.is_empty(), "{:?}", rules.warnings);
}

#[test]
fn overlay_and_patch_paths_stay_in_the_rule_files_folder() {
    for (toml, key, problem) in [
        (
            "[overlay]\ndir = \"../brand\"\n",
            "overlay `dir`",
            "has a `..` segment",
        ),
        (
            "[overlay]\ndir = \"/srv/brand\"\n",
            "overlay `dir`",
            "is absolute",
        ),
        (
            "[[patch]]\nfile = \"a/../../p.diff\"\n",
            "patch `file`",
            "has a `..` segment",
        ),
        (
            "[[patch]]\nfile = \"/tmp/p.diff\"\n",
            "patch `file`",
            "is absolute",
        ),
    ] {
        let d = first_error(toml);
        assert!(d.message.starts_with(key), "{toml}: {}", d.message);
        assert!(d.message.contains(problem), "{toml}: {}", d.message);
        assert_eq!(d.line, 2, "{toml}");
    }
}

#[test]
fn failing_test_points_at_expect() {
    let rules = parse(
        "[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n\n[[test]]\ninput = \"Harvester\"\nexpect = \"NQRust\"\n",
    )
    .unwrap();
    let (_, line, column, _) = rules.sources.locate(rules.tests[0].expect_span.start);
    assert_eq!((line, column), (7, 10));
}
