//! The `rebrand` binary: all the work is in the library; see `rebrand --help`.

// mimalloc: the rewrite makes many small, short-lived allocations on every thread, and
// glibc's per-thread arenas grow a page at a time (thousands of `mprotect` calls per run).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(rebrand::cli::run() as i32);
}
