//! `easel` opens the window; `easel generate …` and `easel key …` run the same core in a terminal.

use clap::Parser;

fn main() {
    easel::app::bench::mark_process_start();
    let cli = easel::cli::Cli::parse();
    easel::secrets::init_platform_store();
    let code = match cli.command {
        Some(command) => easel::cli::run(command),
        None => easel::app::run_window(),
    };
    std::process::exit(code);
}
