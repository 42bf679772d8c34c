//! The `rebrand` binary: all the work is in the library; see `rebrand --help`.

fn main() {
    std::process::exit(rebrand::cli::run() as i32);
}
