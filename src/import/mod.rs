//! Import: a report's plain text, Markdown or Word file → a first
//! structured report, as commented TOML for the editor to correct.
//!
//! Each input format is read into the same stream of blocks (`text`,
//! `markdown`, `docx`); recognition works on blocks only (`front`, `body`,
//! `boxes`, `captions`, `figures`, with the line shapes in `classify` and
//! punctuation in `normalise`); `write` prints the report. Every guess the
//! importer was unsure of becomes a [`Check`], written as a `# check:`
//! comment at its field. The written text is read back with the report
//! loader before anything is written, so an import always loads.

mod blocks;
mod body;
mod boxes;
mod captions;
mod classify;
mod decode;
mod docx;
mod docx_styles;
mod draft;
mod figures;
mod front;
mod headline;
mod leads;
mod markdown;
mod marks;
mod normalise;
mod paths;
mod recognise;
mod text;
mod traditional;
mod write;

use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::Diagnostic;
use crate::report::{self, Report, SourceFormat};

pub use decode::{MAX_LINE_CHARS, MAX_TEXT_BYTES};
pub use draft::Check;
pub use normalise::{Style, normalise};
pub use recognise::NO_PAPER;
pub use write::Written;

/// The largest .docx imported.
pub const MAX_DOCX_BYTES: usize = 512 << 20;

/// The most blocks (lines, paragraphs, table rows, pictures) imported: a
/// report has a few hundred. The readers stop soon after it.
pub const MAX_BLOCKS: usize = 20_000;

/// The formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Plain text (`.txt`).
    Text,
    /// Markdown (`.md`).
    Markdown,
    /// Word (`.docx`).
    Docx,
}

impl InputFormat {
    /// The format a file's extension names.
    pub fn from_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Self::Text),
            "md" | "markdown" => Some(Self::Markdown),
            "docx" => Some(Self::Docx),
            _ => None,
        }
    }

    /// The largest file of this format imported.
    pub fn max_bytes(self) -> usize {
        match self {
            Self::Text | Self::Markdown => MAX_TEXT_BYTES,
            Self::Docx => MAX_DOCX_BYTES,
        }
    }

    /// Its name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "plain text",
            Self::Markdown => "Markdown",
            Self::Docx => "Word",
        }
    }
}

/// What an import needs besides the input.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The format, overriding the extension.
    pub from: Option<InputFormat>,
    /// The paper's name, which the text does not hold.
    pub paper: Option<String>,
    /// The publication date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The date used when neither `date` nor the text gives one.
    pub fallback_date: String,
    /// The folder the report will be written to: photo paths are made
    /// relative to it.
    pub output_dir: PathBuf,
}

/// A photo taken out of the input (a .docx's pictures).
#[derive(Debug, Clone, PartialEq)]
pub struct ExtractedPhoto {
    /// Its path relative to the report (`photos/image1.jpeg`).
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// An imported report.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The report.
    pub report: Report,
    /// The guesses to check.
    pub checks: Vec<Check>,
    /// Photos to write beside the report.
    pub photos: Vec<ExtractedPhoto>,
    /// The format read.
    pub format: InputFormat,
    /// The text encoding read ("UTF-8", "GB18030"; empty for Word).
    pub encoding: &'static str,
}

/// Reads and recognises a report file; a file larger than its format's
/// limit is refused before it is read.
pub fn import(input: &Path, options: &ImportOptions) -> Result<Imported, Diagnostic> {
    let failed = |err: std::io::Error| {
        Diagnostic::file(input, format!("failed to read the input ({err})"))
            .with_hint("check the path; it is relative to the current folder")
    };
    let file = std::fs::File::open(input).map_err(failed)?;
    let format = format_of(input, options)?;
    check_size(input, format, file.metadata().map_err(failed)?.len())?;
    // At most one byte more than the limit, whatever the metadata said (a
    // device, a file still growing): import_bytes refuses that.
    let mut bytes = Vec::new();
    file.take(format.max_bytes() as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(failed)?;
    import_bytes(input, &bytes, options)
}

/// Recognises a report in a file's bytes (`input` names it in messages
/// and gives the format when `options.from` does not).
pub fn import_bytes(
    input: &Path,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<Imported, Diagnostic> {
    let format = format_of(input, options)?;
    let read = read_blocks(input, bytes, format, &options.output_dir)?;
    if !read
        .blocks
        .iter()
        .any(|b| b.text.chars().any(char::is_alphanumeric))
    {
        let message = format!("no text found in this {} file", format.name());
        return Err(Diagnostic::file(input, message)
            .with_hint("check that it is the report's text (a scanned document needs OCR first)"));
    }
    let context = recognise::Context {
        paper: options.paper.clone(),
        date: options.date.clone(),
        fallback_date: options.fallback_date.clone(),
    };
    let (report, notes) = recognise::recognise(read.blocks, &context);
    let mut checks = notes.0;
    if read.encoding == "GB18030" {
        let message = "the input is not UTF-8: it was read as GB18030".into();
        checks.insert(
            0,
            Check {
                field: String::new(),
                message,
            },
        );
    }
    Ok(Imported {
        report,
        checks,
        photos: read.photos,
        format,
        encoding: read.encoding,
    })
}

/// The format `options.from` names, else the one the name gives.
fn format_of(input: &Path, options: &ImportOptions) -> Result<InputFormat, Diagnostic> {
    options.from.or_else(|| InputFormat::from_path(input)).ok_or_else(|| {
        Diagnostic::file(input, "cannot tell the input's format from its name")
            .with_hint("name it .txt, .md or .docx, or pass --from txt|md|docx (a .doc must be saved as .docx first)")
    })
}

/// Refuses an input of `size` bytes larger than its format's limit.
fn check_size(input: &Path, format: InputFormat, size: u64) -> Result<(), Diagnostic> {
    if size <= format.max_bytes() as u64 {
        return Ok(());
    }
    let message = match format {
        InputFormat::Docx => "the .docx is larger than 512 MB".to_owned(),
        InputFormat::Text | InputFormat::Markdown => {
            format!(
                "the file is {} MB, too large for a report's text",
                size >> 20
            )
        }
    };
    Err(Diagnostic::file(input, message).with_hint("import one report at a time"))
}

/// An input read into blocks.
struct Read {
    blocks: Vec<blocks::Block>,
    photos: Vec<ExtractedPhoto>,
    encoding: &'static str,
}

/// Reads an input in its format, refusing more blocks or longer ones
/// than a report has.
fn read_blocks(
    input: &Path,
    bytes: &[u8],
    format: InputFormat,
    output_dir: &Path,
) -> Result<Read, Diagnostic> {
    check_size(input, format, bytes.len() as u64)?;
    let read = read_format(input, bytes, format, output_dir)?;
    if read.blocks.len() > MAX_BLOCKS {
        let message = format!(
            "this {} file holds more than {MAX_BLOCKS} lines, paragraphs and pictures, more than any report",
            format.name()
        );
        return Err(Diagnostic::file(input, message).with_hint(
            "import one report at a time: a collection of reports or a data file is not one",
        ));
    }
    let long = read
        .blocks
        .iter()
        .map(|b| (b, b.text.chars().count()))
        .find(|(_, chars)| *chars > MAX_LINE_CHARS);
    if let Some((block, chars)) = long {
        return Err(decode::too_long(
            input,
            format == InputFormat::Docx,
            block.line,
            chars,
        ));
    }
    Ok(read)
}

/// Reads an input's blocks with its format's reader.
fn read_format(
    input: &Path,
    bytes: &[u8],
    format: InputFormat,
    output_dir: &Path,
) -> Result<Read, Diagnostic> {
    if format == InputFormat::Docx {
        let content = docx::read(input, bytes)?;
        return Ok(Read {
            blocks: content.blocks,
            photos: content.photos,
            encoding: "",
        });
    }
    let decoded = decode::decode(input, bytes)?;
    let blocks = if format == InputFormat::Text {
        text::blocks(&decoded.text)
    } else {
        let source_dir = input.parent().unwrap_or(Path::new("."));
        markdown::blocks(
            &decoded.text,
            &markdown::Places {
                source_dir,
                output_dir,
            },
        )
    };
    Ok(Read {
        blocks,
        photos: Vec::new(),
        encoding: decoded.encoding,
    })
}

impl Imported {
    /// The format read and, for text, its encoding: "plain text, GB18030".
    pub fn format_and_encoding(&self) -> String {
        if self.encoding.is_empty() {
            self.format.name().to_owned()
        } else {
            format!("{}, {}", self.format.name(), self.encoding)
        }
    }

    /// The report as commented TOML, read back with the report loader to
    /// make sure it loads and holds what was recognised. `output` names
    /// the report file (in messages and for photo paths).
    pub fn to_toml(&self, input: &Path, output: &Path) -> Result<Written, crate::Error> {
        let (general, fields): (Vec<Check>, Vec<Check>) = self
            .checks
            .iter()
            .cloned()
            .partition(|c| c.field.is_empty());
        let name = input.file_name().map_or_else(
            || input.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let header = [
            format!(
                "Imported by `banmian import` from {name} ({}).",
                self.format_and_encoding()
            ),
            "A first draft: read every `# check:` line, supply the photos whose path is empty,"
                .into(),
            format!(
                "then run `banmian check {}`.",
                output
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            ),
        ];
        let written = write::write(&self.report, &draft::Notes(fields), &header, &general);
        let does_not_load = |err: &dyn std::fmt::Display| {
            crate::Error::Internal(format!("the imported report does not load: {err}"))
        };
        let loaded = report::parse(output, written.text.clone(), SourceFormat::Toml)
            .map_err(|err| does_not_load(&err))?;
        if let Some(problem) = report::validate(&loaded).first() {
            return Err(does_not_load(problem));
        }
        // Photos beyond the most a section holds are written as comments.
        let mut expected = self.report.clone();
        for section in &mut expected.sections {
            section.photos.truncate(report::MAX_SECTION_PHOTOS);
        }
        if loaded.report != expected {
            return Err(crate::Error::Internal(
                "the imported report reads back differently".into(),
            ));
        }
        Ok(written)
    }
}
