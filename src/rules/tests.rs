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
    // No generator's own files without a tree: JavaScript reads nothing by default.
    assert_eq!(rules.files.kind_of("docusaurus.config.js"), None);
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

/// Writes `files` (relative path, text) under a new temporary folder.
fn rule_files(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn load_errors(path: &Path) -> Vec<Diagnostic> {
    match RuleSet::load(path) {
        Err(RuleFileError::Invalid(d)) => d,
        other => panic!("expected errors, got {other:?}"),
    }
}

const BRAND: &str = "[files]\nfront_matter_prose_keys = [\"title\"]\njson_prose_keys = [\"label\"]\n\n[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n\n[[exception]]\nliteral = \"Harvester Clusters\"\nreason = \"Rancher's menu\"\n\n[[test]]\ninput = \"Harvester\"\nexpect = \"Hypervisor\"\n";

#[test]
fn a_site_file_is_laid_over_the_brand_it_extends() {
    let dir = rule_files(&[
        ("brand/brand.toml", BRAND),
        (
            "site.toml",
            "extends = \"brand/brand.toml\"\n\n[files]\nfront_matter_prose_keys = [\"title\", \"sidebar_label\"]\n\n[[substitution]]\nfrom = \"Harvester\"\nto = \"NQRust Hypervisor\"\npaths = [\"docusaurus.config.js\"]\n\n[overlay]\ndir = \"overlay\"\n\n[[test]]\nname = \"site\"\ninput = \"Harvester!\"\nexpect = \"Hypervisor!\"\n",
        ),
    ]);
    let rules = RuleSet::load(&dir.path().join("site.toml")).unwrap();
    // Arrays of tables add up, the extended file's first.
    assert_eq!(rules.substitutions.len(), 2);
    assert_eq!(rules.exceptions.len(), 1);
    let tests: Vec<_> = rules.tests.iter().map(|t| (t.file.clone(), t.line)).collect();
    assert_eq!(
        tests,
        [
            (dir.path().join("brand/brand.toml"), 13),
            (dir.path().join("site.toml"), 14)
        ]
    );
    // A key the site sets replaces the brand's value whole; the others stay the brand's.
    assert_eq!(
        rules.files.reading.front_matter.patterns(),
        ["title", "sidebar_label"]
    );
    assert_eq!(rules.files.reading.json.patterns(), ["label"]);
    // A path in a table is relative to the file that wrote it.
    assert_eq!(
        rules.site.overlay.as_ref().unwrap().dir,
        dir.path().join("overlay")
    );
    // A span after loading names the file and line it is in.
    let d = rules.diagnostic(rules.exceptions[0].span.clone(), "here");
    assert_eq!((d.path, d.line), (dir.path().join("brand/brand.toml"), 9));
}

#[test]
fn a_later_file_takes_the_place_of_a_rule_with_the_same_from() {
    let dir = rule_files(&[
        ("brand.toml", BRAND),
        (
            "product.toml",
            "extends = [\"brand.toml\"]\n\n[[substitution]]\nfrom = \"Harvester\"\nto = \"NQRust Hypervisor\"\n\n[[test]]\ninput = \"Harvester\"\nexpect = \"NQRust Hypervisor\"\n",
        ),
    ]);
    let rules = RuleSet::load(&dir.path().join("product.toml")).unwrap();
    let subs: Vec<_> = rules.substitutions.iter().map(|s| s.to.as_str()).collect();
    assert_eq!(subs, ["NQRust Hypervisor"]);
    // In one file the same `from` twice is still an error.
    let dir = rule_files(&[(
        "one.toml",
        "[[substitution]]\nfrom = \"A\"\nto = \"B\"\n\n[[substitution]]\nfrom = \"A\"\nto = \"C\"\n",
    )]);
    let errors = load_errors(&dir.path().join("one.toml"));
    assert!(errors[0].message.contains("duplicate `from`"), "{}", errors[0]);
}

#[test]
fn errors_of_every_file_are_reported_at_once_each_in_its_file() {
    let dir = rule_files(&[
        ("vendor.toml", "[[exception]]\nliteral = \"x\"\nreson = \"typo\"\n"),
        (
            "brand.toml",
            "extends = \"vendor.toml\"\n\n[[substitution]]\nfrom = \"A\"\nto = \"B\"\ncontext = [\"prose\"]\n",
        ),
        (
            "site.toml",
            "extends = [\"brand.toml\", \"missing.toml\"]\n\n[site]\nanchor = \"rename\"\n",
        ),
    ]);
    let errors = load_errors(&dir.path().join("site.toml"));
    let found: Vec<(String, usize, usize)> = errors
        .iter()
        .map(|d| {
            (
                d.path.file_name().unwrap().to_string_lossy().into_owned(),
                d.line,
                d.column,
            )
        })
        .collect();
    // File by file in the order they were read, each file's in its order.
    assert_eq!(
        found,
        [
            ("site.toml".to_string(), 1, 26),
            ("site.toml".to_string(), 4, 1),
            ("brand.toml".to_string(), 6, 1),
            ("vendor.toml".to_string(), 3, 1),
        ]
    );
    assert!(
        errors[0]
            .message
            .starts_with("cannot read the extended rule file"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("relative to the folder"),
        "{}",
        errors[0]
    );
    for (d, key, hint) in [
        (&errors[1], "anchor", "anchors"),
        (&errors[2], "context", "contexts"),
        (&errors[3], "reson", "reason"),
    ] {
        assert!(d.message.contains(&format!("unknown field `{key}`")), "{d}");
        assert_eq!(
            d.hint.as_deref(),
            Some(format!("did you mean `{hint}`?").as_str()),
            "{d}"
        );
    }
}

#[test]
fn an_extends_cycle_is_refused_and_a_shared_file_is_read_once() {
    let dir = rule_files(&[
        ("a.toml", "extends = \"b.toml\"\n"),
        ("b.toml", "extends = \"a.toml\"\n"),
    ]);
    let errors = load_errors(&dir.path().join("a.toml"));
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].message,
        "`extends` makes a cycle: `a.toml` extends `b.toml` extends `a.toml`"
    );
    assert_eq!(errors[0].path, dir.path().join("b.toml"));
    // Two files extending one vendor file: its rules once, not a duplicate.
    let dir = rule_files(&[
        (
            "vendor.toml",
            "[[substitution]]\nfrom = \"Acme\"\nto = \"NQRust\"\n",
        ),
        ("brand.toml", "extends = \"vendor.toml\"\n"),
        ("site.toml", "extends = [\"vendor.toml\", \"brand.toml\"]\n"),
    ]);
    let rules = RuleSet::load(&dir.path().join("site.toml")).unwrap();
    assert_eq!(rules.substitutions.len(), 1);
    assert_eq!(rules.sources.files().len(), 3);
}

#[test]
fn extends_takes_a_path_or_a_list_of_paths() {
    let d = first_error("extends = 3\n");
    assert!(
        d.message
            .contains("`extends`: expected a path or an array of paths"),
        "{}",
        d.message
    );
    let d = first_error("extends = [\"a.toml\", 3]\n");
    assert_eq!((d.line, d.column), (1, 22));
}

/// What a generator would say: translations under `tr/`, its config read as JavaScript.
const SITE: Conventions = Conventions {
    translations: Some("tr"),
    default_globs: &[(FileKind::JavaScript, &["site.config.js"])],
    heading_ids: None,
    dialect: crate::scan::Dialect::Mdx1,
    yaml_prose_keys: &[],
    shortcode_prose: &[],
    toml_prose_keys: &[],
    json_file_prose_keys: &[],
};

#[test]
fn the_default_file_settings_are_the_kind_table_s_globs_and_the_generator_s_files() {
    let defaults = FileSettings::defaults_for(SITE);
    assert_eq!(defaults.kind_of("docs/a.mdx"), Some(FileKind::Markdown));
    assert_eq!(
        defaults.kind_of("versioned_sidebars/v1.json"),
        Some(FileKind::Json)
    );
    assert_eq!(defaults.kind_of("site.config.js"), Some(FileKind::JavaScript));
    assert_eq!(defaults.kind_of("src/site.config.js"), None);
    assert_eq!(defaults.kind_of("static/robots.txt"), None);
    let plain = FileSettings::defaults_for(Conventions::NONE);
    assert_eq!(plain.kind_of("site.config.js"), None);
}

#[test]
fn a_kind_the_rule_file_sets_reads_its_globs_only_and_locales_follow_the_generator() {
    let text = "[files]\njavascript = [\"app.js\"]\n[locales]\ndrop = [\"zh\"]\n\n[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\nlocale = \"fr\"\n";
    let rules = RuleSet::parse_for(Path::new("t.toml"), text, SITE).unwrap();
    assert_eq!(rules.files.kind_of("app.js"), Some(FileKind::JavaScript));
    assert_eq!(rules.files.kind_of("site.config.js"), None);
    assert_eq!(rules.locale_of("tr/fr/docs/a.md"), Some("fr"));
    assert_eq!(rules.locale_of("i18n/fr/docs/a.md"), None);
    assert!(rules.leaves_out("tr/zh/docs/a.md"));
    assert!(rules.leaves_out("tr/zh"));
    assert!(!rules.leaves_out("tr/zhx/a.md"));
    // Read without a tree, no path is a translation.
    let bare = RuleSet::parse(Path::new("t.toml"), text).unwrap();
    assert_eq!(bare.locale_of("tr/fr/docs/a.md"), None);
    assert!(!bare.leaves_out("tr/zh/docs/a.md"));
}

#[test]
fn a_yaml_key_path_that_is_no_glob_is_located() {
    let d = first_error("[files]\nyaml_prose_keys = [\"site_name\", \"nav.{a\"]\n");
    assert!(
        d.message
            .contains("invalid key path `nav.{a` in `files.yaml_prose_keys`"),
        "{}",
        d.message
    );
    assert_eq!((d.line, d.column), (2, 33));
}

#[test]
fn a_toml_key_path_that_is_no_glob_is_located() {
    let d = first_error("[files]\ntoml_prose_keys = [\"title\", \"params.{a\"]\n");
    assert!(
        d.message
            .contains("invalid key path `params.{a` in `files.toml_prose_keys`"),
        "{}",
        d.message
    );
    assert_eq!((d.line, d.column), (2, 29));
}

#[test]
fn a_json_key_path_that_is_no_glob_is_located_and_bare_names_stay_names() {
    let d = first_error("[files]\njson_prose_keys = [\"label\", \"link.{a\"]\n");
    assert!(
        d.message
            .contains("invalid key path `link.{a` in `files.json_prose_keys`"),
        "{}",
        d.message
    );
    assert_eq!((d.line, d.column), (2, 29));
    let rules = RuleSet::parse(Path::new("t.toml"), "[files]\njson_prose_keys = [\"title\"]\n").unwrap();
    assert_eq!(rules.files.reading.json.patterns(), ["title"]);
}
