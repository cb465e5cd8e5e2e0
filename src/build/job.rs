//! What a build makes: its outputs, their options, their default names,
//! and the refusals checked before any work. `render`, `watch` and `check`
//! all describe their work as a [`Job`], so an option means the same in
//! each of them.

use std::path::{Component, Path, PathBuf};

use crate::{Diagnostic, Error};

/// One thing a build makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// The spread as a print PDF: final photos, BleedBox and TrimBox,
    /// crop marks with [`OutputOptions::marks`], PDF/A with
    /// [`OutputOptions::pdf_standard`].
    Spread(PathBuf),
    /// The spread's pages as PNGs (`page-1.png`, …) in a folder.
    SpreadPng(PathBuf),
    /// A proof sheet: the spread's pages side by side, each to its trim.
    Proof(PathBuf),
    /// The deck as PDF, with pdfpc speaker notes beside it
    /// (`FILE.pdfpc`) with [`OutputOptions::notes`].
    DeckPdf(PathBuf),
    /// The deck as an editable PPTX.
    DeckPptx(PathBuf),
    /// The deck's slides as PNGs (`slide-1.png`, …) in a folder.
    DeckPng(PathBuf),
    /// Every page and slide as PNG in memory, for a live preview.
    Previews,
    /// The Typst project that draws the spread, in a folder of its own:
    /// the templates, `report.json`, `plan.json` and the photos' stand-ins
    /// (`typst compile DIR/spread.typ --font-path fonts` draws the pages).
    TypstProject(PathBuf),
}

/// What the spread's main output is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpreadFormat {
    /// A print PDF.
    Pdf,
    /// One PNG per page, in a folder.
    Png,
}

/// PDF standards the spread can be written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfStandard {
    /// PDF/A-2b, an archival copy in RGB and grey.
    A2b,
    /// PDF/X-1a:2001 for the plant: CMYK and grey, no transparency.
    X1a,
    /// PDF/X-4 for the plant: CMYK photos, transparency kept.
    X4,
}

impl PdfStandard {
    /// The PDF/X flavour, for the plant's standards.
    pub fn pdfx(self) -> Option<crate::export::pdfx::Standard> {
        match self {
            Self::A2b => None,
            Self::X1a => Some(crate::export::pdfx::Standard::X1a),
            Self::X4 => Some(crate::export::pdfx::Standard::X4),
        }
    }
}

impl Output {
    /// The spread's main output at `path`: `format`, else the extension
    /// (`.pdf` a PDF, `.png` or none a folder of PNGs).
    pub fn spread(path: &Path, format: Option<SpreadFormat>) -> Result<Self, Error> {
        let format = match format {
            Some(format) => format,
            None => match extension(path).as_deref() {
                Some("pdf") => SpreadFormat::Pdf,
                Some("png") | None => SpreadFormat::Png,
                Some(other) => {
                    return Err(refusal(
                        format!("cannot tell the format of `.{other}`"),
                        "name the output .pdf, or pass --format",
                    ));
                }
            },
        };
        Ok(match format {
            SpreadFormat::Pdf => Self::Spread(path.to_owned()),
            SpreadFormat::Png => Self::SpreadPng(path.to_owned()),
        })
    }

    /// A deck output at `path`: `.pdf` or `.pptx`, from the extension.
    pub fn deck(path: &Path) -> Result<Self, Error> {
        match extension(path).as_deref() {
            Some("pdf") => Ok(Self::DeckPdf(path.to_owned())),
            Some("pptx") => Ok(Self::DeckPptx(path.to_owned())),
            _ => Err(refusal(
                format!("cannot tell the deck format of `{}`", path.display()),
                "name the deck .pdf or .pptx",
            )),
        }
    }

    /// The spread's default output: `report.toml` → `report.pdf` (or a
    /// `report` folder of PNGs) in the current folder.
    pub fn default_spread(report: &Path, format: SpreadFormat) -> Self {
        let stem = stem(report);
        match format {
            SpreadFormat::Pdf => Self::Spread(PathBuf::from(format!("{stem}.pdf"))),
            SpreadFormat::Png => Self::SpreadPng(PathBuf::from(stem)),
        }
    }

    /// The deck's default outputs: `report-deck.pdf` and `report-deck.pptx`
    /// in the current folder.
    pub fn default_deck(report: &Path) -> [Self; 2] {
        let stem = stem(report);
        [
            Self::DeckPdf(PathBuf::from(format!("{stem}-deck.pdf"))),
            Self::DeckPptx(PathBuf::from(format!("{stem}-deck.pptx"))),
        ]
    }

    /// The file or folder it writes (none for previews).
    pub fn path(&self) -> Option<&Path> {
        match self {
            Self::Spread(p)
            | Self::SpreadPng(p)
            | Self::Proof(p)
            | Self::DeckPdf(p)
            | Self::DeckPptx(p)
            | Self::DeckPng(p)
            | Self::TypstProject(p) => Some(p),
            Self::Previews => None,
        }
    }

    /// Whether it needs the spread laid out.
    pub fn needs_spread(&self) -> bool {
        matches!(
            self,
            Self::Spread(_)
                | Self::SpreadPng(_)
                | Self::Proof(_)
                | Self::Previews
                | Self::TypstProject(_)
        )
    }

    /// Whether it needs the deck laid out.
    pub fn needs_deck(&self) -> bool {
        matches!(
            self,
            Self::DeckPdf(_) | Self::DeckPptx(_) | Self::DeckPng(_) | Self::Previews
        )
    }

    /// Whether it shows photos in pixels at a preview's resolution.
    fn is_preview(&self) -> bool {
        matches!(self, Self::SpreadPng(_) | Self::DeckPng(_) | Self::Previews)
    }
}

/// How outputs are made; the same in every command.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputOptions {
    /// Crop marks outside the bleed, on a page grown by a slug.
    pub marks: bool,
    /// Write the spread to a PDF standard (an archival copy, or PDF/X).
    pub pdf_standard: Option<PdfStandard>,
    /// The plant's output profile, ink limit and screen.
    pub press: super::press::PressOptions,
    /// Speaker notes beside each deck PDF.
    pub notes: bool,
    /// Resolution of PNG pages, slides and previews.
    pub png_ppi: f32,
    /// Creation date, as seconds since 1970 (reproducible output).
    pub source_date_epoch: Option<i64>,
    /// Write the pages even when preflight finds them unfit to print (a
    /// proof, not for print).
    pub allow_overset: bool,
}

impl Default for OutputOptions {
    fn default() -> Self {
        Self {
            marks: false,
            pdf_standard: None,
            press: Default::default(),
            notes: false,
            png_ppi: 40.0,
            source_date_epoch: None,
            allow_overset: false,
        }
    }
}

/// A build's work: its outputs and how to make them.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// What to make.
    pub outputs: Vec<Output>,
    /// How.
    pub options: OutputOptions,
    /// Measure and check only (`banmian check`): photos are measured, not
    /// made; the spread and deck are laid out and reviewed; nothing is
    /// made. The outputs are still checked for refusals.
    pub check_only: bool,
}

impl Job {
    /// A job making `outputs`.
    pub fn new(outputs: Vec<Output>, options: OutputOptions) -> Self {
        Self {
            outputs,
            options,
            check_only: false,
        }
    }

    /// Whether the spread is laid out.
    pub fn needs_spread(&self) -> bool {
        self.check_only || self.outputs.iter().any(Output::needs_spread)
    }

    /// Whether the deck is laid out.
    pub fn needs_deck(&self) -> bool {
        self.check_only || self.outputs.iter().any(Output::needs_deck)
    }

    /// Whether photos are shown in pixels at a preview's resolution.
    pub fn previews(&self) -> bool {
        self.outputs.iter().any(Output::is_preview)
    }

    /// Refuses, before any work, a job that would do harm or cannot be
    /// done: an output over the report, two outputs on one file, crop
    /// marks or a proof on an archival copy.
    pub fn refusals(&self, report: &Path) -> Result<(), Error> {
        let options = &self.options;
        let proof = self.outputs.iter().any(|o| matches!(o, Output::Proof(_)));
        if options.pdf_standard == Some(PdfStandard::A2b) && (options.marks || proof) {
            return Err(refusal(
                "--pdf-standard makes an archival copy; crop marks and proofs are for the plant",
                "make the archival copy in a separate run",
            ));
        }
        let pdf = self.outputs.iter().any(|o| matches!(o, Output::Spread(_)));
        if proof && !pdf {
            return Err(refusal(
                "a proof is made from the spread's PDF",
                "ask for the spread as PDF too",
            ));
        }
        let report = absolute(report);
        self.project_holds(std::slice::from_ref(&report), "the report")?;
        let mut seen: Vec<PathBuf> = Vec::new();
        for path in self.written_files() {
            let file = absolute(&path);
            if file == report {
                return Err(refusal(
                    format!("the output {} would overwrite the report", path.display()),
                    "name the outputs differently",
                ));
            }
            if seen.contains(&file) {
                return Err(refusal(
                    format!("{} is named as two outputs", path.display()),
                    "give each output its own name",
                ));
            }
            seen.push(file);
        }
        Ok(())
    }

    /// Refuses a job whose outputs would overwrite one of its inputs (a
    /// photo), known once the report is read: a file the job names, or a
    /// page or slide of a folder of PNGs.
    pub fn overwrites(&self, inputs: &[PathBuf]) -> Result<(), Error> {
        let inputs: Vec<PathBuf> = inputs.iter().map(|p| absolute(p)).collect();
        self.project_holds(&inputs, "a photo the report uses")?;
        for path in self.written_files() {
            if let Some(input) = inputs.iter().find(|i| **i == absolute(&path)) {
                return Err(refusal(
                    format!(
                        "the output {} would overwrite {}, which the report uses",
                        path.display(),
                        input.display()
                    ),
                    "name the outputs differently",
                ));
            }
        }
        for output in &self.outputs {
            let (Output::SpreadPng(dir) | Output::DeckPng(dir)) = output else {
                continue;
            };
            let folder = absolute(dir);
            let page = inputs.iter().find(|input| {
                input.parent() == Some(folder.as_path())
                    && input
                        .file_name()
                        .is_some_and(|name| is_page_png(&name.to_string_lossy()))
            });
            if let Some(input) = page {
                return Err(refusal(
                    format!(
                        "the PNG pages in {} would overwrite {}, which the report uses",
                        dir.display(),
                        input.display()
                    ),
                    "write the PNG pages into another folder",
                ));
            }
        }
        Ok(())
    }

    /// Refuses a Typst project written into a folder that holds one of
    /// `inputs` (absolute): its files (`report.json`, `photos/0.svg`, the
    /// templates) could overwrite them.
    fn project_holds(&self, inputs: &[PathBuf], what: &str) -> Result<(), Error> {
        for output in &self.outputs {
            let Output::TypstProject(dir) = output else {
                continue;
            };
            let folder = absolute(dir);
            if let Some(input) = inputs.iter().find(|i| i.starts_with(&folder)) {
                return Err(refusal(
                    format!(
                        "the Typst project's folder {} holds {what}, {}",
                        dir.display(),
                        input.display()
                    ),
                    "write the Typst project into a folder of its own",
                ));
            }
        }
        Ok(())
    }

    /// Every file the outputs name (folders of PNGs and the Typst project
    /// are left out: their files are named by the build).
    fn written_files(&self) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for output in &self.outputs {
            match output {
                Output::SpreadPng(_)
                | Output::DeckPng(_)
                | Output::Previews
                | Output::TypstProject(_) => {}
                Output::DeckPdf(path) if self.options.notes => {
                    files.push(path.clone());
                    files.push(notes_path(path));
                }
                other => files.extend(other.path().map(Path::to_path_buf)),
            }
        }
        files
    }
}

/// Whether a file name is one a folder of PNG pages or slides gets
/// (`page-3.png`, `slide-12.png`).
fn is_page_png(name: &str) -> bool {
    let number = name
        .strip_suffix(".png")
        .and_then(|n| n.strip_prefix("page-").or_else(|| n.strip_prefix("slide-")));
    number.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Where a deck PDF's speaker notes go: `deck.pdf` → `deck.pdfpc`.
pub fn notes_path(pdf: &Path) -> PathBuf {
    pdf.with_extension("pdfpc")
}

/// A refusal of the job, with its hint.
fn refusal(message: impl Into<String>, hint: &str) -> Error {
    Error::Job(Diagnostic::error(message).with_hint(hint))
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

fn stem(report: &Path) -> String {
    report
        .file_stem()
        .map_or("report".into(), |s| s.to_string_lossy().into_owned())
}

/// A path made absolute (and canonical where it exists), to compare
/// outputs with the report and with the paths file events carry.
///
/// Of a path that does not exist yet, the longest part that does is made
/// canonical and the rest is resolved by name: writing creates the missing
/// folders, so `new/../report.toml` is the report.
pub fn absolute(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    let joined = std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path));
    let parts: Vec<Component> = joined.components().collect();
    for existing in (1..parts.len()).rev() {
        let head: PathBuf = parts[..existing].iter().collect();
        let Ok(mut resolved) = head.canonicalize() else {
            continue;
        };
        for part in &parts[existing..] {
            match part {
                Component::ParentDir => {
                    resolved.pop();
                }
                Component::CurDir => {}
                other => resolved.push(other),
            }
        }
        return resolved;
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(outputs: Vec<Output>) -> Job {
        Job::new(outputs, OutputOptions::default())
    }

    #[test]
    fn default_names_keep_every_dot_of_the_report_but_its_extension() {
        let report = Path::new("dir/a.b.toml");
        assert_eq!(
            Output::default_spread(report, SpreadFormat::Pdf),
            Output::Spread("a.b.pdf".into())
        );
        assert_eq!(
            Output::default_deck(report)[1],
            Output::DeckPptx("a.b-deck.pptx".into())
        );
    }

    #[test]
    fn formats_come_from_extensions() {
        let spread = |p: &str| Output::spread(Path::new(p), None);
        assert_eq!(spread("x.PDF").unwrap(), Output::Spread("x.PDF".into()));
        assert_eq!(spread("pages").unwrap(), Output::SpreadPng("pages".into()));
        assert!(matches!(spread("x.docx"), Err(Error::Job(_))));
        assert_eq!(
            Output::deck(Path::new("d.pptx")).unwrap(),
            Output::DeckPptx("d.pptx".into())
        );
        assert!(matches!(
            Output::deck(Path::new("d.key")),
            Err(Error::Job(_))
        ));
    }

    #[test]
    fn refuses_to_overwrite_the_report_or_name_one_file_twice() {
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("r.toml");
        std::fs::write(&report, "").unwrap();
        let over = job(vec![Output::DeckPdf(report.clone())]);
        let Err(Error::Job(d)) = over.refusals(&report) else {
            panic!("overwrote the report");
        };
        assert!(d.message.contains("overwrite the report"), "{d}");
        let twice = job(vec![
            Output::Spread(dir.path().join("x.pdf")),
            Output::Proof(dir.path().join("x.pdf")),
        ]);
        assert!(matches!(twice.refusals(&report), Err(Error::Job(_))));
        let mut notes = job(vec![
            Output::DeckPdf(dir.path().join("d.pdf")),
            Output::Spread(dir.path().join("d.pdfpc")),
        ]);
        assert!(notes.refusals(&report).is_ok());
        notes.options.notes = true;
        assert!(matches!(notes.refusals(&report), Err(Error::Job(_))));
        // Written, `new/` is made first: the output is the report itself.
        let spelt = job(vec![Output::Spread(dir.path().join("new/../r.toml"))]);
        let Err(Error::Job(d)) = spelt.refusals(&report) else {
            panic!("overwrote the report through a folder still to be made");
        };
        assert!(d.message.contains("overwrite the report"), "{d}");
        let twice = job(vec![
            Output::Spread(dir.path().join("a/b/../../x.pdf")),
            Output::Proof(dir.path().join("x.pdf")),
        ]);
        assert!(matches!(twice.refusals(&report), Err(Error::Job(_))));
        let fine = job(vec![Output::Spread(dir.path().join("r.pdf"))]);
        assert!(fine.refusals(&report).is_ok());
    }

    #[test]
    fn refuses_to_overwrite_a_photo() {
        let dir = tempfile::tempdir().unwrap();
        let photo = dir.path().join("page-1.png");
        let photos = [photo.clone(), dir.path().join("cups.jpg")];
        let over = job(vec![Output::Spread(dir.path().join("cups.jpg"))]);
        assert!(matches!(over.overwrites(&photos), Err(Error::Job(_))));
        let pages = job(vec![Output::SpreadPng(dir.path().to_owned())]);
        assert!(matches!(pages.overwrites(&photos), Err(Error::Job(_))));
        assert!(pages.overwrites(&[dir.path().join("page-one.png")]).is_ok());
        let elsewhere = job(vec![Output::DeckPng(dir.path().join("png"))]);
        assert!(elsewhere.overwrites(&photos).is_ok());
        assert!(is_page_png("slide-12.png") && !is_page_png("page-.png"));
    }

    #[test]
    fn an_archival_copy_has_no_marks_or_proof() {
        let mut archival = job(vec![Output::Spread("a.pdf".into())]);
        archival.options.pdf_standard = Some(PdfStandard::A2b);
        assert!(archival.refusals(Path::new("r.toml")).is_ok());
        archival.options.marks = true;
        assert!(matches!(
            archival.refusals(Path::new("r.toml")),
            Err(Error::Job(_))
        ));
        // The plant's PDF/X may have crop marks.
        archival.options.pdf_standard = Some(PdfStandard::X1a);
        assert!(archival.refusals(Path::new("r.toml")).is_ok());
    }
}
