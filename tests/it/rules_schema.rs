//! The JSON Schema of the rule file: `docs/rules.schema.json` is the schema the model
//! generates (`rebrand::rules::json_schema`), every rule file under `rules/` validates
//! against it, it refuses the common mistakes the loader refuses, and every key has the
//! description an editor shows on hover.

use std::path::{Path, PathBuf};

use rebrand::rules::{json_schema, RuleSet};
use rebrand::scan::Context;
use serde_json::Value;

/// Where the schema is committed, relative to the crate.
const SCHEMA_FILE: &str = "docs/rules.schema.json";

/// Set to rewrite `SCHEMA_FILE` from the model instead of comparing.
const UPDATE_VAR: &str = "REBRAND_UPDATE_SCHEMA";

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The schema as the file holds it: pretty-printed, with a final line break.
fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&json_schema()).expect("the schema serializes");
    text.push('\n');
    text
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft7::new(&json_schema()).expect("the schema compiles")
}

/// Every way the rule file `source` (TOML) fails the schema, as `path: message` lines.
fn schema_errors(source: &str) -> Vec<String> {
    let instance: Value = toml::from_str(source).expect("the test's TOML parses");
    validator()
        .iter_errors(&instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Every `*.toml` file under `rules/`, at any depth, sorted.
fn rule_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(manifest_dir().join("rules"))
        .into_iter()
        .map(|e| e.expect("rules/ can be walked").into_path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_committed_schema_is_the_one_the_model_generates() {
    let path = manifest_dir().join(SCHEMA_FILE);
    let generated = schema_text();
    if std::env::var_os(UPDATE_VAR).is_some() {
        std::fs::write(&path, &generated).unwrap_or_else(|e| panic!("cannot write {SCHEMA_FILE}: {e}"));
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        let diff = similar::TextDiff::from_lines(&committed, &generated)
            .unified_diff()
            .context_radius(2)
            .header(SCHEMA_FILE, "generated")
            .to_string();
        panic!(
            "{SCHEMA_FILE} is not the schema the rule-file model generates (a doc comment or a \
             field of src/rules/model.rs or site.rs changed?): rewrite it with \
             `{UPDATE_VAR}=1 cargo test --test it rules_schema::` and commit it\n{diff}"
        );
    }
}

#[test]
fn the_schema_is_a_valid_draft_7_schema() {
    let schema = json_schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    if let Err(e) = jsonschema::draft7::meta::validate(&schema) {
        panic!("not a valid draft 7 schema: {}: {e}", e.instance_path());
    }
}

/// The keywords `schema` uses, apart from the names of its properties.
fn keywords(schema: &Value, found: &mut std::collections::BTreeSet<String>) {
    match schema {
        Value::Object(object) => {
            for (key, value) in object {
                found.insert(key.clone());
                match (key.as_str(), value) {
                    ("properties", Value::Object(properties)) => {
                        properties.values().for_each(|p| keywords(p, found))
                    }
                    ("x-taplo" | "enum" | "required" | "default", _) => {}
                    _ => keywords(value, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| keywords(i, found)),
        _ => {}
    }
}

#[test]
fn the_schema_uses_only_keywords_of_draft_4() {
    // Taplo, behind editors' TOML support, promises draft 4: `const`, `if`, `$defs` and the
    // like may be lost on it. `x-taplo` is its own extension.
    const DRAFT_4: [&str; 13] = [
        "$schema",
        "title",
        "description",
        "default",
        "type",
        "properties",
        "additionalProperties",
        "required",
        "items",
        "enum",
        "minLength",
        "anyOf",
        "oneOf",
    ];
    let mut found = std::collections::BTreeSet::new();
    keywords(&json_schema(), &mut found);
    let other: Vec<&String> = found
        .iter()
        .filter(|k| !DRAFT_4.contains(&k.as_str()) && *k != "x-taplo")
        .collect();
    assert!(other.is_empty(), "keywords draft 4 does not have: {other:?}");
}

#[test]
fn every_rule_file_under_rules_validates() {
    let files = rule_files();
    assert!(
        files.iter().any(|p| p.ends_with("rules/nqrust-hypervisor.toml")),
        "the walk finds the shipped rule file: {files:?}"
    );
    for path in files {
        let source = std::fs::read_to_string(&path).unwrap();
        let errors = schema_errors(&source);
        assert!(
            errors.is_empty(),
            "{} fails the schema:\n{}",
            path.display(),
            errors.join("\n")
        );
    }
}

/// A rule file the loader takes, with every table.
const FULL: &str = r#"
[files]
include = ["**"]
exclude = ["blog/**"]
omit = [".github/**"]
markdown = ["**/*.md"]
json = ["**/*.json"]
javascript = ["docusaurus.config.js"]
plain = ["static/robots.txt"]
front_matter_prose_keys = ["title"]
json_prose_keys = ["label"]

[[substitution]]
id = "brand"
from = "Harvester"
to = "Hypervisor"
case = "preserve"
word_boundary = true
contexts = ["prose", "inline_code"]
paths = ["docs/**"]
locale = "zh"
note = "the product"

[[exception]]
literal = "Harvester Cloud Provider"
reason = "an upstream component"

[[exception]]
id = "api-group"
regex = 'harvesterhci\.io/v1'
reason = "an API group"
paths = ["docs/**"]

[[identity]]
literal = "harvesterhci.io"
what = "the upstream's site"
contexts = ["prose", "url"]

[[test]]
name = "brand"
input = "Harvester runs."
expect = "Hypervisor runs."
context = "prose"

[site]
anchors = "rename"

[[rename]]
from = "harvester.md"
to = "hypervisor.md"

[locales]
drop = ["de"]

[audit]
allow_stutters = ["Hypervisor hypervisor"]
"#;

fn loads(source: &str) -> bool {
    RuleSet::parse(Path::new("rules/brand.toml"), source).is_ok()
}

#[test]
fn a_rule_file_with_every_table_validates_and_loads() {
    assert_eq!(schema_errors(FULL), Vec::<String>::new());
    assert!(loads(FULL), "the loader refuses the example");
}

#[test]
fn extends_takes_a_path_or_a_list_of_paths() {
    assert_eq!(schema_errors("extends = \"x.toml\"\n"), Vec::<String>::new());
    assert_eq!(
        schema_errors("extends = [\"a.toml\", \"b.toml\"]\n"),
        Vec::<String>::new()
    );
    for wrong in [
        "extends = 3\n",
        "extends = [\"a.toml\", 3]\n",
        "[extends]\npath = \"a.toml\"\n",
    ] {
        let errors = schema_errors(wrong);
        assert!(
            errors.iter().any(|e| e.starts_with("/extends")),
            "`{wrong}` passes: {errors:?}"
        );
        assert!(!loads(wrong), "the loader takes `{wrong}`");
    }
}

/// A mistake of a rule file: the schema refuses it at `at` (a JSON pointer), and the
/// loader refuses it too.
fn assert_refused(source: &str, at: &str, says: &str) {
    let errors = schema_errors(source);
    assert!(
        errors.iter().any(|e| e.starts_with(&format!("{at}: ")) && e.contains(says)),
        "the schema takes or misplaces\n{source}\nexpected an error at `{at}` saying `{says}`, got {errors:?}"
    );
    assert!(!loads(source), "the loader takes\n{source}");
}

const SUBSTITUTION: &str = "[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n";

#[test]
fn the_common_mistakes_are_refused() {
    assert_refused(
        &format!("{SUBSTITUTION}form = \"Harvester\"\n"),
        "/substitution/0",
        "form",
    );
    assert_refused(
        &format!("{SUBSTITUTION}contexts = \"prose\"\n"),
        "/substitution/0/contexts",
        "not of type \"array\"",
    );
    assert_refused(
        &format!("{SUBSTITUTION}case = \"upper\"\n"),
        "/substitution/0/case",
        r#""upper" is not one of "exact" or "preserve""#,
    );
    assert_refused(
        &format!("{SUBSTITUTION}contexts = [\"prose\", \"links\"]\n"),
        "/substitution/0/contexts/1",
        "links",
    );
    assert_refused(
        "[substitution]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n",
        "/substitution",
        "not of type \"array\"",
    );
    assert_refused(
        "[[substitution]]\nfrom = \"Harvester\"\n",
        "/substitution/0",
        "\"to\"",
    );
    assert_refused(
        "[[substitution]]\nfrom = \"\"\nto = \"Hypervisor\"\n",
        "/substitution/0/from",
        "shorter than 1",
    );
    assert_refused("[substitutions]\n", "", "substitutions");
    assert_refused(
        "[site]\nanchors = \"move\"\n",
        "/site/anchors",
        r#""move" is not one of "keep" or "rename""#,
    );
    assert_refused(
        "[files]\nmarkdown = \"**/*.md\"\n",
        "/files/markdown",
        "not of type",
    );
    assert_refused(
        "[[exception]]\nliteral = \"a\"\nregex = \"b\"\nreason = \"both\"\n",
        "/exception/0",
        "oneOf",
    );
    assert_refused("[[exception]]\nreason = \"neither\"\n", "/exception/0", "oneOf");
    assert_refused(
        "[[test]]\ninput = \"a\"\nexpect = \"a\"\ncontext = \"prosa\"\n",
        "/test/0/context",
        "prosa",
    );
}

#[test]
fn the_schema_names_the_contexts_the_loader_knows() {
    for &context in Context::ALL {
        let name = context.name();
        let source = format!(
            "{SUBSTITUTION}contexts = [\"{name}\"]\n[[test]]\ninput = \"a\"\nexpect = \"a\"\ncontext = \"{name}\"\n"
        );
        assert_eq!(schema_errors(&source), Vec::<String>::new(), "context `{name}`");
        assert!(loads(&source), "the loader refuses context `{name}`");
    }
}

/// The JSON pointers under `at` where `schema` allows a null: in a `type`, an `enum` or a
/// `const`.
fn nulls(schema: &Value, at: &str, found: &mut Vec<String>) {
    match schema {
        Value::Object(object) => {
            let null_type = match object.get("type") {
                Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
                Some(t) => t == "null",
                None => false,
            };
            let null_value = object.get("const").is_some_and(Value::is_null)
                || object
                    .get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|values| values.iter().any(Value::is_null));
            if null_type || null_value {
                found.push(at.to_string());
            }
            for (key, value) in object {
                nulls(value, &format!("{at}/{key}"), found);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                nulls(item, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn the_schema_allows_no_null() {
    // TOML has no null: a key is there or it is not, and `Option` fields must not say more.
    let mut found = Vec::new();
    nulls(&json_schema(), "", &mut found);
    assert!(found.is_empty(), "null allowed at {found:?}");
}

/// The JSON pointers of the properties under `schema` (at `at`) that have no description.
fn undescribed(schema: &Value, at: &str, found: &mut Vec<String>) {
    let Some(object) = schema.as_object() else {
        return;
    };
    if let Some(Value::Object(properties)) = object.get("properties") {
        for (key, property) in properties {
            let path = format!("{at}/{key}");
            if property["description"].as_str().is_none_or(str::is_empty) {
                found.push(path.clone());
            }
            undescribed(property, &path, found);
        }
    }
    if let Some(items) = object.get("items") {
        undescribed(items, &format!("{at}/items"), found);
    }
}

#[test]
fn every_key_has_a_description_for_the_editor() {
    let schema = json_schema();
    let mut found = Vec::new();
    undescribed(&schema, "", &mut found);
    assert!(
        found.is_empty(),
        "keys without a description (write a doc comment on the raw field): {found:?}"
    );
    // The substitution keys all appear, and the loader's strictness is there.
    let substitution = &schema["properties"]["substitution"]["items"];
    assert_eq!(substitution["additionalProperties"], false);
    assert_eq!(substitution["required"], serde_json::json!(["from", "to"]));
}
