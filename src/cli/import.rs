//! `banmian import`: a report's plain text, Markdown or Word file → a
//! first report in TOML, with Word's pictures written under `photos/`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use banmian::import::{self, ImportOptions, Imported, InputFormat, Written};
use banmian::report::is_iso_date;
use banmian::{Diagnostic, Error};

use super::args::{FromArg, ImportArgs};
use super::write;

/// Imports, writes the photos and then the report, and lists the checks.
pub fn run(args: &ImportArgs) -> Result<ExitCode, Error> {
    let output = output_path(args)?;
    let options = options(args, &output)?;
    if output.exists() && !args.force {
        return Err(Diagnostic::file(
            &output,
            "the report already exists; an import would overwrite it and any corrections in it",
        )
        .with_hint("pass --force to overwrite it, or write elsewhere with -o FILE.toml")
        .into());
    }
    let imported = import::import(&args.input, &options)?;
    let written = imported.to_toml(&args.input, &output)?;
    write_photos(&imported, &options.output_dir, args.force)?;
    write(&output, written.text.as_bytes())?;
    if !args.quiet {
        summary(args, &output, &imported, &written);
    }
    Ok(ExitCode::SUCCESS)
}

/// The library's options from the arguments, checked; photo paths are
/// made relative to the folder of `output`, the report.
fn options(args: &ImportArgs, output: &Path) -> Result<ImportOptions, Error> {
    if let Some(date) = args.date.as_deref().filter(|d| !is_iso_date(d)) {
        return Err(Error::Job(
            Diagnostic::error(format!("`{date}` is not a date"))
                .with_hint("write --date YYYY-MM-DD, e.g. --date 2024-03-05"),
        ));
    }
    if args.paper.as_deref().is_some_and(|p| p.trim().is_empty()) {
        return Err(Error::Job(
            Diagnostic::error("--paper is empty")
                .with_hint("give the newspaper's name, e.g. --paper 重庆日报"),
        ));
    }
    let seconds = args.source_date_epoch.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    });
    let fallback_date = banmian::build::dates::w3cdtf(Some(seconds), "")[..10].to_owned();
    let output_dir = match output.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok(ImportOptions {
        from: args.from.map(|f| match f {
            FromArg::Txt => InputFormat::Text,
            FromArg::Md => InputFormat::Markdown,
            FromArg::Docx => InputFormat::Docx,
        }),
        paper: args.paper.clone(),
        date: args.date.clone(),
        fallback_date,
        output_dir,
    })
}

/// `-o`, else the input's name with `.toml` in the current folder.
fn output_path(args: &ImportArgs) -> Result<PathBuf, Error> {
    let output = args.output.clone().unwrap_or_else(|| {
        let stem = args
            .input
            .file_stem()
            .map_or("report".into(), |s| s.to_string_lossy().into_owned());
        PathBuf::from(format!("{stem}.toml"))
    });
    let toml = output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    if !toml {
        return Err(Error::Job(
            Diagnostic::error(format!(
                "the report is written as TOML, not `{}`",
                output.display()
            ))
            .with_hint("name the output .toml"),
        ));
    }
    Ok(output)
}

/// Writes the Word file's pictures; an existing different file is kept
/// unless `--force`.
fn write_photos(imported: &Imported, dir: &Path, force: bool) -> Result<(), Error> {
    for photo in &imported.photos {
        let path = dir.join(&photo.path);
        if !force && let Ok(existing) = std::fs::read(&path) {
            if existing == photo.bytes {
                continue;
            }
            return Err(Diagnostic::file(&path, "a different photo of this name already exists")
                .with_hint("pass --force to overwrite it, or import into another folder (-o DIR/report.toml)")
                .into());
        }
        write(&path, &photo.bytes)?;
    }
    Ok(())
}

/// What was imported and the list of checks, each at its line.
fn summary(args: &ImportArgs, output: &Path, imported: &Imported, written: &Written) {
    let report = &imported.report;
    let photos: usize = report
        .sections
        .iter()
        .map(|s| s.photos.len())
        .sum::<usize>()
        + usize::from(report.banner.is_some());
    let missing = banmian::assets::placeholder::missing_photos(report).len();
    eprintln!(
        "imported {} ({}) into {}: {} sections, {} key figures, {photos} photos ({} written to photos/, {missing} to supply)",
        args.input.display(),
        imported.format_and_encoding(),
        output.display(),
        report.sections.len(),
        report.figures.len(),
        imported.photos.len(),
    );
    if !written.checks.is_empty() {
        eprintln!(
            "{} guesses to check (also `# check:` comments in the report):",
            written.checks.len()
        );
    }
    for (line, check) in &written.checks {
        eprintln!("{}:{line}: check: {}", output.display(), check.message);
    }
    eprintln!(
        "next: correct the report, supply its photos, then run `banmian check {}`",
        output.display()
    );
}
