//! The Docusaurus site model: content roots, doc ids, URLs, and link resolution.
