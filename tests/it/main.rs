//! The integration tests: one test binary (`cargo test --test it`), a module per subject.
//! One binary links the crate and the test dependencies once, instead of once per file.
//! `cargo test --test it MODULE::` runs one module's tests, e.g. `cargo test --test it cli::`.

mod common;

mod action;
mod adopt_corpus;
mod asciidoc;
mod audit;
mod ci_examples;
mod cli;
mod corpus;
mod corpus_site;
mod determinism;
mod docusaurus3;
mod docusaurus_reading;
mod generators;
mod hostile_trees;
mod html;
mod hugo;
mod incremental;
mod init;
mod layers;
mod links;
mod openapi;
mod output_safety;
mod properties;
mod report_formats;
mod rule_errors;
mod rules_files;
mod rules_schema;
mod seeds;
mod ship;
mod site;
mod sync;
mod sync_corpus;
mod tutorial;
mod version;
