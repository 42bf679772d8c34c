//! rebrand: turn an upstream documentation tree into a vendor-branded edition.
//!
//! The pipeline, one way:
//! 1. [`rules`]: a TOML rule file is parsed and validated into a [`rules::RuleSet`];
//! 2. [`rewrite::Engine`] compiles it into one leftmost-longest aho-corasick automaton;
//! 3. [`scan`] classifies every byte of a file into spans (prose, code, URL, link target…);
//! 4. the engine rewrites matches that fall in allowed spans, keeping heading anchors;
//! 5. [`tree`] writes the branded tree atomically, or [`report`] prints the review diff.
//!
//! Every command reads a tree through [`walk`], the one walk at the bottom, with the policy
//! [`site::walk_policy`] gives the tree, so that all of them see the same files.
//!
//! ```
//! use rebrand::{rewrite::Engine, rules::RuleSet, scan::FileKind};
//! let rules = RuleSet::parse(
//!     std::path::Path::new("example.toml"),
//!     "[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n",
//! ).unwrap();
//! let engine = Engine::new(rules).unwrap();
//! let text = "Install Harvester with `harvester-system`.\n";
//! let out = engine.rewrite(FileKind::Markdown, text, &engine.all_active()).apply(text);
//! assert_eq!(out, "Install Hypervisor with `harvester-system`.\n");
//! ```

#![warn(missing_docs)]

pub mod audit;
pub mod cli;
pub mod init;
pub mod report;
pub mod rewrite;
pub mod rules;
pub mod scan;
pub mod selftest;
pub mod site;
pub mod sync;
pub mod tree;
pub mod version;
pub mod walk;
