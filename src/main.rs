//! The `rebrand` binary: all the work is in the library; see `rebrand --help`.

/// mimalloc rather than the C library's allocator: the scanners make and drop many small
/// vectors and strings on every worker thread, where glibc's malloc spent about an eighth of a
/// run's CPU time (issue 20's profile).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(rebrand::cli::run() as i32);
}
