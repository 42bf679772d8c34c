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
