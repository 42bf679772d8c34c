//! Vendor patches: unified diffs applied to the rewritten tree.
