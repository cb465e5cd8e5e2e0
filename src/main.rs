//! The `banmian` command.

mod cli;

use std::process::ExitCode;

use clap::Parser;

use cli::args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Render(args) => cli::render::run(args),
        Command::Check(args) => cli::check::run(args),
        Command::Deck(args) => cli::deck::run(args),
        Command::Watch(args) => cli::watch::run(args),
        Command::Import(args) => cli::import::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => cli::fail(&error),
    }
}
