//! The tool version: the one string that says which rebrand wrote an output (the lock, the
//! marker, the rules hash, the reports) and that `--version` prints.
//!
//! The crate version alone (`0.9.0`) is the same for every build, so a newer rebrand would
//! call an older one's output up to date. The version therefore names the build too: the
//! git commit the binary was built from (`build.rs`), or, for a build outside git (a source
//! tarball), a hash of the binary itself.

use std::sync::OnceLock;

/// This build's version: `0.9.0 (git 1a2b3c4d5e6f)`, `0.9.0 (git 1a2b3c4d5e6f-dirty)` when
/// tracked files differed from the commit, or `0.9.0 (binary blake3 0123456789abcdef)`
/// without git. Computed once per process (the binary hash reads the whole executable).
pub fn tool_version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let crate_version = env!("CARGO_PKG_VERSION");
        match env!("REBRAND_GIT_COMMIT") {
            "" => format!("{crate_version} (binary {})", binary_hash()),
            commit => format!("{crate_version} (git {commit})"),
        }
    })
}

/// `blake3 ` and the first 16 hex digits of the BLAKE3 hash of the running executable, or
/// `unreadable` when it cannot be read.
fn binary_hash() -> String {
    // On Linux the running image itself, even when its file was replaced or deleted since.
    let bytes = std::fs::read("/proc/self/exe").or_else(|_| std::env::current_exe().and_then(std::fs::read));
    match bytes {
        Ok(bytes) => format!("blake3 {}", &blake3::hash(&bytes).to_hex()[..16]),
        Err(_) => "unreadable".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_names_the_crate_version_and_the_build() {
        let v = tool_version();
        assert!(v.starts_with(concat!(env!("CARGO_PKG_VERSION"), " (")), "{v}");
        assert!(v.contains("(git ") || v.contains("(binary blake3 "), "{v}");
        assert!(std::ptr::eq(v, tool_version()), "computed once");
    }

    #[test]
    fn the_binary_hash_is_16_hex_digits() {
        let h = binary_hash();
        let hex = h.strip_prefix("blake3 ").expect("the test binary reads");
        assert_eq!(hex.len(), 16);
        assert!(hex.chars().all(|c| c.is_ascii_hexdigit()), "{h}");
    }
}
