//! The link check: every relative link, image reference and `#anchor` of a tree.
