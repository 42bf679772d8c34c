//! rebrand: turn an upstream documentation tree into a vendor-branded edition.
//!
//! The pipeline, one way (each module uses only those before it; `tests/it/layers.rs` checks):
//! 1. [`walk`]: a tree is listed once, with the policy its generator adds
//!    ([`site::walk_policy`]: Docusaurus's `node_modules`, `build/`, `.docusaurus`), so that
//!    every command sees the same files;
//! 2. [`scan`]: each file's kind comes from the file-kind table ([`scan::KINDS`]: name,
//!    default globs, scanner, headings), and its scanner classifies every byte into spans
//!    (prose, code, URL, link target…); [`finding`] is the one finding type every check
//!    produces (audit, links, check) and every printer shows;
//! 3. [`rules`]: a TOML rule file, laid over the files it `extends`, is validated into a
//!    [`rules::RuleSet`] whose every span names the file and line it was written in, read
//!    with the conventions of the tree's generator ([`rules::Conventions`]: where
//!    translations live, its own files of each kind);
//! 4. [`rewrite::Engine`] compiles it into one leftmost-longest aho-corasick automaton and
//!    rewrites the matches that fall in allowed spans into [`rewrite::Edits`], sorted and
//!    disjoint, with heading anchors kept and "Vendor X" outputs guarded;
//! 5. [`site`]: the generator a tree is built with ([`site::Generator`], detected from the
//!    tree; Docusaurus is the first, in [`site::docusaurus`]) gives those conventions, the
//!    folders a walk leaves out, and the site model
//!    ([`site::SiteModel`]: URLs, what each reference points at), against which links,
//!    renames and patches are written, and which adds the reference edits, an overlapping one
//!    refused and reported;
//! 6. [`tree`] plans the whole branded tree and writes it atomically; [`audit`] judges a
//!    tree; [`sync`] merges upstream into a branded tree people edit; [`report`] tells a run
//!    in each format, one printer per format behind one trait ([`report::Format::printer`]);
//!    [`init`] writes a starter rule file from a tree;
//! 7. [`cli`]: one module per command, one error type, the exit status.
//!
//! Below them all, knowing nothing of the pipeline: [`ansi`], the colours every printer
//! uses; [`progress`], the progress display the planner and the audit advance and the
//! command line shows; [`version`], the tool version.
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

pub mod ansi;
pub mod audit;
pub mod cli;
pub mod finding;
pub mod init;
pub mod progress;
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
