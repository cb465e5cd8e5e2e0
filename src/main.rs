//! The `banmian` command.

mod cli;

use std::process::ExitCode;

use clap::Parser;

use cli::args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    // For profiling: Typst's own timing events (compiles, layout passes,
    // font loads, by thread), as a Chrome trace for Perfetto.
    let trace = std::env::var_os("BANMIAN_TRACE");
    if trace.is_some() {
        typst_timing::enable();
    }
    let result = match &cli.command {
        Command::Render(args) => cli::render::run(args),
        Command::Check(args) => cli::check::run(args),
        Command::Deck(args) => cli::deck::run(args),
        Command::Watch(args) => cli::watch::run(args),
        Command::Import(args) => cli::import::run(args),
    };
    if let Some(path) = trace
        && let Ok(file) = std::fs::File::create(&path)
    {
        let file = std::io::BufWriter::new(file);
        if let Err(error) = typst_timing::export_json(file, |_| (String::new(), 0)) {
            eprintln!("warning: no trace written to {}: {error}", path.display());
        }
    }
    match result {
        Ok(code) => code,
        Err(error) => cli::fail(&error),
    }
}
