fn main() {
    // `liaison keys | head`: a reader that stops early ends us quietly, as it ends other
    // command-line tools, instead of a panic in println!. Every write to the database is
    // confirmed before anything about it is printed, so nothing is left half-done.
    // SAFETY: called first, before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(liaison::cli::main());
}
