//! rebrand: turn an upstream documentation tree into a vendor-branded edition.
pub mod scan;
pub mod rules;
pub mod rewrite;
