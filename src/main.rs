//! `easel` opens the window; `easel generate …` and `easel key …` run the same core in a terminal.

use clap::Parser;

fn main() {
    easel::app::bench::mark_process_start();
    // The terminal's language, before the arguments are checked (the window then takes its own).
    easel::i18n::set(easel::i18n::Lang::from_system());
    let cli = easel::cli::Cli::parse();
    easel::secrets::init_platform_store();
    let code = match cli.command {
        Some(command) => easel::cli::run(command),
        None => easel::app::run_window(),
    };
    std::process::exit(code);
}
