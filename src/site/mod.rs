//! Whole-site white-labelling beyond prose: the Docusaurus site model (where each file is
//! served and what its links point at), vendor patches, renames with working links, asset
//! remapping, and the link check.

pub mod docusaurus;
pub mod links;
pub mod openapi;
pub mod patch;
pub mod references;
pub mod rename;
