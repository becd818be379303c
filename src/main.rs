//! `easel` opens the window; `easel generate …` and `easel key …` run the same core in a terminal.

use clap::Parser;

fn main() -> std::process::ExitCode {
    easel::bench::mark_process_start();
    // Silent unless asked: `EASEL_LOG=debug easel` (or `warn`, `info`, a module filter).
    env_logger::Builder::new().parse_env(env_logger::Env::new().filter_or("EASEL_LOG", "off")).init();
    // The terminal's language, before the arguments are checked (the window then takes its own).
    easel::i18n::set(easel::i18n::Lang::from_system());
    let cli = easel::cli::Cli::parse();
    easel::secrets::init_platform_store();
    let code = match cli.command {
        Some(command) => easel::cli::run(command),
        None => easel::window::run(cli.picture),
    };
    // Exit codes are 0, 1, 2 and 130 (cli's table).
    std::process::ExitCode::from(u8::try_from(code).unwrap_or(1))
}
