//! The JSON Schema of the rule file, derived from its serde model, for editors and CI.
//!
//! The raw model (`model.rs`, `site.rs`) derives `JsonSchema`: its doc comments become the
//! descriptions an editor shows on hover, `deny_unknown_fields` becomes
//! `additionalProperties: false`, and `toml::Spanned<T>` fields are described as `T`. This
//! module holds what the derive cannot say on its own: the names of the contexts, and
//! `extends`, which `model::read` reads by hand.

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::transform::{transform_subschemas, Transform};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;

use super::model::RawRuleFile;
use crate::scan::{Context, ContextSet};

/// The JSON Schema of a rule file, as TOML read into JSON: every table and key with its
/// type, the values `case`, `anchors` and the contexts allow, `additionalProperties: false`
/// wherever the loader refuses unknown keys, and each key's description (what it does, its
/// default), taken from the doc comments of the model.
///
/// Takes nothing and cannot fail. The subschemas are inlined (no `$ref`), so that an editor
/// shows each key's own description, and the keys of every object are sorted, so that the
/// text `serde_json::to_string_pretty` makes of it is stable (`docs/rules.schema.json` is
/// that text; `tests/it/rules_schema.rs` keeps it in step). It checks shapes only: what the
/// loader checks beyond them (globs, regexes, paths, duplicate `from`, idempotence) is
/// left to it.
///
/// It declares draft 7, not the 2020-12 of the report schema, and uses only keywords draft
/// 4 already had: Taplo, the TOML toolkit behind editors' TOML support, promises draft 4.
pub fn json_schema() -> serde_json::Value {
    let mut value = SchemaSettings::draft07()
        .with(|s| s.inline_subschemas = true)
        .with_transform(NoNull)
        .with_transform(EnumOfConsts)
        .into_generator()
        .into_root_schema_for::<RawRuleFile>()
        .to_value();
    // The keys of the file kinds' globs, one per row of the kind table.
    if let Some(files) = value
        .pointer_mut("/properties/files/properties")
        .and_then(Value::as_object_mut)
    {
        for row in crate::scan::KINDS {
            let globs: Vec<String> = row.globs.iter().map(|g| format!("\"{g}\"")).collect();
            files.insert(
                row.name.to_string(),
                serde_json::json!({
                    "description": format!(
                        "{} Default: `[{}]`, with the files the tree's documentation generator adds to the kind (the README's `[files]` table).",
                        row.doc,
                        globs.join(", ")
                    ),
                    "type": "array",
                    "items": { "type": "string" },
                }),
            );
        }
    }
    value.sort_all_objects();
    value
}

/// The schema of `extends`: one path, or a list of paths.
pub(super) fn extends(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "anyOf": [
            { "type": "string" },
            { "type": "array", "items": { "type": "string" } }
        ]
    })
}

/// A context name as a `[[test]]` writes it (`context`): one of the names of
/// [`Context::ALL`], so the schema follows the scanner's list.
pub(super) struct ContextName;

/// A name in a rule's `contexts`: a context ([`ContextName`]) or a group of them (`key`,
/// `value`: [`ContextSet::names`]).
pub(super) struct ContextsEntry;

impl JsonSchema for ContextsEntry {
    fn schema_name() -> Cow<'static, str> {
        "ContextOrGroup".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A context (`prose`: running text people read; `inline_code`: a code span; `code`: a code block; `url`; `link_target`; ...: the README's table of contexts says each), or a group of them: `key` (every format's keys: `front_matter_key`, `json_key`, `yaml_key`, `toml_key`), `value` (every format's values that are not prose: `front_matter_value`, `json_value`, `yaml_value`, `toml_value`).",
            "type": "string",
            "enum": ContextSet::names(),
        })
    }
}

impl JsonSchema for ContextName {
    fn schema_name() -> Cow<'static, str> {
        "Context".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
        json_schema!({
            "description": "A context: where a piece of text stands in its file (`prose`: running text people read; `inline_code`: a code span; `code`: a code block; `url`; `link_target`; ...: the README's table of contexts says each).",
            "type": "string",
            "enum": names,
        })
    }
}

/// Takes `null` out of every schema: the derive allows it for `Option` fields, and TOML has
/// no null (a key is there, or it is not).
#[derive(Clone)]
struct NoNull;

impl Transform for NoNull {
    fn transform(&mut self, schema: &mut Schema) {
        transform_subschemas(self, schema);
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        if let Some(Value::Array(types)) = object.get_mut("type") {
            types.retain(|t| t != "null");
            if let [only] = types.as_slice() {
                let only = only.clone();
                object.insert("type".into(), only);
            }
        }
        if let Some(Value::Array(values)) = object.get_mut("enum") {
            values.retain(|v| !v.is_null());
        }
        if let Some(Value::Array(any_of)) = object.get_mut("anyOf") {
            any_of.retain(|s| s.get("type").is_none_or(|t| t != "null"));
            // `Option<Table>` is `anyOf: [table, null]` under the field's description: the
            // table's keys move up, and the field's description stays, not the table's.
            if let [only] = any_of.as_slice() {
                let only = only.clone();
                object.remove("anyOf");
                if let Value::Object(only) = only {
                    for (key, value) in only {
                        object.entry(key).or_insert(value);
                    }
                }
            }
        }
    }
}

/// Turns a `oneOf` of documented constants, what the derive makes of an enum of unit
/// variants with doc comments (`case`, `anchors`), into an `enum` of strings: a wrong value
/// is then "not one of "exact" or "preserve"" rather than "not valid under any of the
/// schemas listed in the 'oneOf'". Each value's doc goes to the end of the description (a
/// list), and to Taplo's `x-taplo.docs.enumValues`, which it shows on completion.
#[derive(Clone)]
struct EnumOfConsts;

impl Transform for EnumOfConsts {
    fn transform(&mut self, schema: &mut Schema) {
        transform_subschemas(self, schema);
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        let Some(Value::Array(branches)) = object.get("oneOf") else {
            return;
        };
        let constants: Option<Vec<(String, String)>> = branches
            .iter()
            .map(|branch| {
                let branch = branch.as_object()?;
                let plain = branch
                    .keys()
                    .all(|k| matches!(k.as_str(), "const" | "type" | "description"));
                let value = branch.get("const")?.as_str()?;
                let doc = branch.get("description").and_then(Value::as_str).unwrap_or("");
                plain.then(|| (value.to_string(), doc.to_string()))
            })
            .collect();
        let Some(constants) = constants else {
            return;
        };
        object.remove("oneOf");
        object.insert("type".into(), "string".into());
        object.insert(
            "enum".into(),
            constants.iter().map(|(value, _)| value.as_str()).collect(),
        );
        if constants.iter().all(|(_, doc)| doc.is_empty()) {
            return;
        }
        let list: Vec<String> = constants
            .iter()
            .map(|(value, doc)| format!("- `\"{value}\"`: {doc}"))
            .collect();
        let description = match object.get("description").and_then(Value::as_str) {
            Some(d) => format!("{d}\n\n{}", list.join("\n")),
            None => list.join("\n"),
        };
        object.insert("description".into(), description.into());
        let docs: Vec<&str> = constants.iter().map(|(_, doc)| doc.as_str()).collect();
        object.insert(
            "x-taplo".into(),
            serde_json::json!({ "docs": { "enumValues": docs } }),
        );
    }
}
