//! Developer tools (bench, torture), kept out of the user's `liaison` binary.
fn main() {
    std::process::exit(liaison::cli::dev::main());
}
