fn main() {
    std::process::exit(liaison::cli::main());
}
