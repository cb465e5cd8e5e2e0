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
        let layouts = match &cli.command {
            Command::Render(args) => args.common.layouts.clone(),
            Command::Check(args) => args.common.layouts.clone(),
            Command::Deck(args) => args.common.layouts.clone(),
            Command::Watch(args) => args.common.layouts.clone(),
            Command::Import(_) => None,
        };
        let layouts = banmian::typeset::Layouts::discover(layouts.as_deref());
        if let Err(error) = typst_timing::export_json(file, span_line(layouts)) {
            eprintln!("warning: no trace written to {}: {error}", path.display());
        }
    }
    match result {
        Ok(code) => code,
        Err(error) => cli::fail(&error),
    }
}

/// For the trace: a span's template and line, the templates read again
/// as the render read them (`--layouts`, the source tree's, or built in).
fn span_line(
    layouts: banmian::typeset::Layouts,
) -> impl FnMut(std::num::NonZeroU64) -> (String, u32) {
    use typst::syntax::{Source, Span, SpanKind};
    let mut sources: std::collections::HashMap<typst::syntax::FileId, Option<Source>> =
        Default::default();
    move |raw| {
        let span = Span::from_raw(raw);
        let SpanKind::Number { id, num } = span.get() else {
            return (String::new(), 0);
        };
        let name = id.vpath().get_without_slash().to_string();
        let source = sources.entry(id).or_insert_with(|| {
            let bytes = layouts.load(&name).ok()?;
            let text = std::str::from_utf8(&bytes).ok()?;
            Some(Source::new(id, text.to_owned()))
        });
        let line = source
            .as_ref()
            .and_then(|s| {
                s.range(num, None)
                    .and_then(|r| s.lines().byte_to_line(r.start))
            })
            .map_or(0, |l| l as u32 + 1);
        (name, line)
    }
}
