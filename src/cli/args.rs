//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use banmian::build::{PdfStandard, SpreadFormat};
use banmian::typeset::{Pages, Paper};

/// Typeset a structured special report into a print-ready newspaper spread.
#[derive(Debug, Parser)]
#[command(name = "banmian", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render a report into a spread (PDF, or PNG pages).
    Render(RenderArgs),
    /// Check a report (fields, glyphs, photos, fit) without writing anything.
    Check(CheckArgs),
    /// Make the briefing deck (16:9 slides) as PDF and/or editable PPTX.
    Deck(DeckArgs),
    /// Re-make the outputs whenever the report, a photo, a template or a
    /// font changes (with --serve, a live preview in the browser).
    Watch(WatchArgs),
    /// Turn a report's plain text, Markdown or Word file into a first
    /// report (commented TOML) to correct; Word's pictures go to photos/.
    Import(ImportArgs),
}

/// PDF standards `render` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PdfStandardArg {
    /// PDF/A-2b, for archives.
    #[value(name = "a-2b")]
    A2b,
    /// PDF/X-1a:2001, for the plant: CMYK and grey, no transparency.
    #[value(name = "x-1a")]
    X1a,
    /// PDF/X-4, for the plant: CMYK photos, transparency kept.
    #[value(name = "x-4")]
    X4,
}

impl From<PdfStandardArg> for PdfStandard {
    fn from(arg: PdfStandardArg) -> Self {
        match arg {
            PdfStandardArg::A2b => Self::A2b,
            PdfStandardArg::X1a => Self::X1a,
            PdfStandardArg::X4 => Self::X4,
        }
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A print PDF.
    Pdf,
    /// One PNG per page.
    Png,
}

impl From<Format> for SpreadFormat {
    fn from(format: Format) -> Self {
        match format {
            Format::Pdf => Self::Pdf,
            Format::Png => Self::Png,
        }
    }
}

/// Page layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PagesArg {
    /// Two facing pages designed as one (跨版).
    Spread,
    /// A single page.
    Single,
}

impl From<PagesArg> for Pages {
    fn from(arg: PagesArg) -> Self {
        match arg {
            PagesArg::Spread => Self::Spread,
            PagesArg::Single => Self::Single,
        }
    }
}

/// Paper sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PaperArg {
    /// 对开, 390 × 545 mm.
    Broadsheet,
    /// 四开, 270 × 390 mm.
    Tabloid,
}

impl From<PaperArg> for Paper {
    fn from(arg: PaperArg) -> Self {
        match arg {
            PaperArg::Broadsheet => Self::Broadsheet,
            PaperArg::Tabloid => Self::Tabloid,
        }
    }
}

/// Options shared by every subcommand that typesets.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// The report file (.toml, .json, .yaml).
    pub report: PathBuf,

    /// Folder that photo paths must stay inside [default: the report's folder].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// Page layout.
    #[arg(long, value_enum, default_value_t = PagesArg::Spread)]
    pub pages: PagesArg,

    /// Paper size.
    #[arg(long, value_enum, default_value_t = PaperArg::Broadsheet)]
    pub paper: PaperArg,

    /// Target photo resolution: 300 for coated paper, 200 for newsprint.
    #[arg(long, default_value_t = 300.0, value_name = "PPI")]
    pub ppi: f64,

    /// Print photos below 100 ppi with a warning instead of failing.
    #[arg(long)]
    pub allow_low_ppi: bool,

    /// Additional font folders, searched after the bundled and system fonts.
    #[arg(
        long = "font-path",
        value_name = "DIR",
        env = "BANMIAN_FONT_PATHS",
        value_delimiter = ':'
    )]
    pub font_paths: Vec<PathBuf>,

    /// Use only the bundled fonts (and --font-path), not the system's.
    #[arg(long)]
    pub ignore_system_fonts: bool,

    /// Folder of templates to use instead of the built-in ones.
    #[arg(long, value_name = "DIR", env = "BANMIAN_LAYOUTS")]
    pub layouts: Option<PathBuf>,

    /// The bundled fonts' folder [default: `fonts/` of the source tree, else
    /// next to the executable].
    #[arg(long, value_name = "DIR", env = "BANMIAN_FONTS")]
    pub fonts: Option<PathBuf>,

    /// Cache folder for processed photos [default: the user cache folder].
    #[arg(long, value_name = "DIR", env = "BANMIAN_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Keep processed photos in memory only (overrides --cache-dir).
    #[arg(long)]
    pub no_cache: bool,

    /// Print only errors and warnings.
    #[arg(long, short)]
    pub quiet: bool,

    /// Draw a marked grey box for each photo whose path is empty (a first
    /// proof of an imported report; not for print).
    #[arg(long)]
    pub placeholders: bool,

    /// Stop a template compile that runs longer than this, with the
    /// template's file and line (a loop that does not end).
    #[arg(
        long,
        value_name = "SECS",
        env = "BANMIAN_COMPILE_TIMEOUT",
        default_value_t = 30.0
    )]
    pub compile_timeout: f64,

    /// Stop a template compile once banmian holds more memory than this
    /// (MB), with the template's file and line (a huge range or array).
    #[arg(
        long,
        value_name = "MB",
        env = "BANMIAN_COMPILE_MEMORY",
        default_value_t = 4096
    )]
    pub compile_memory: u64,
}

/// Output options, the same for `render`, `watch` and `check` (which
/// checks them and writes nothing).
#[derive(Debug, Args)]
#[command(next_help_heading = "Outputs (the same in render, watch and check)")]
pub struct OutputArgs {
    /// The spread to write: a PDF, or a folder of PNG pages [default: the
    /// report's name with .pdf, here].
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The spread's format [default: from the output's extension, else pdf].
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Also write PNG previews of every page (page-N.png) and, with --deck,
    /// every slide (slide-N.png) into this folder.
    #[arg(long, value_name = "DIR")]
    pub png: Option<PathBuf>,

    /// Resolution of PNG previews.
    #[arg(long, default_value_t = 40.0, value_name = "PPI")]
    pub png_ppi: f32,

    /// Add crop marks outside the bleed, on a page grown by a slug.
    #[arg(long)]
    pub marks: bool,

    /// Also write a proof sheet: the pages side by side on one sheet.
    #[arg(long, value_name = "FILE")]
    pub proof: Option<PathBuf>,

    /// Also make the briefing deck into FILE (.pdf or .pptx; repeat for both).
    #[arg(long, value_name = "FILE")]
    pub deck: Vec<PathBuf>,

    /// Beside each deck PDF, write its speaker notes as a pdfpc file (FILE.pdfpc).
    #[arg(long)]
    pub notes: bool,

    /// x-1a or x-4: the plant's PDF/X (photos separated through the output
    /// profile within the ink limit, black overprinting, an output intent);
    /// a-2b: an archival PDF/A-2b in RGB and grey instead.
    #[arg(long, value_enum, value_name = "STANDARD")]
    pub pdf_standard: Option<PdfStandardArg>,

    /// The plant's CMYK ICC profile [default: the bundled newsprint
    /// stand-in, built from FOGRA29 data with a 240 % ink limit].
    #[arg(long, value_name = "FILE.icc")]
    pub output_profile: Option<PathBuf>,

    /// The most total ink (C+M+Y+K) the plant allows, in percent; the
    /// profile's own limit wins when it is tighter.
    #[arg(long, default_value_t = 240.0, value_name = "PERCENT")]
    pub ink_limit: f64,

    /// The plant's screen ruling: photos below about 1.5 × it in ppi are
    /// warned of.
    #[arg(long, default_value_t = 85.0, value_name = "LPI")]
    pub lpi: f64,

    /// Also write the spread's Typst project into this folder: templates,
    /// report.json, plan.json and photo stand-ins, so that `typst compile
    /// DIR/spread.typ --font-path fonts` draws the same pages (check writes
    /// it too).
    #[arg(long, value_name = "DIR")]
    pub typst_project: Option<PathBuf>,

    /// Write the pages even when copy does not fit (a proof, not for print).
    #[arg(long)]
    pub allow_overset: bool,

    /// Creation date for the PDFs and PPTX, as seconds since 1970
    /// (reproducible builds).
    #[arg(long, env = "SOURCE_DATE_EPOCH", value_name = "SECONDS")]
    pub source_date_epoch: Option<i64>,
}

/// `banmian render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    #[command(flatten)]
    pub outputs: OutputArgs,
}

/// `banmian deck`.
#[derive(Debug, Args)]
pub struct DeckArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// The deck to write: .pdf or .pptx, from the extension; repeat for
    /// both [default: REPORT-deck.pdf and REPORT-deck.pptx, here].
    #[arg(long, short, value_name = "FILE")]
    pub output: Vec<PathBuf>,

    /// Beside each PDF, write its speaker notes as a pdfpc file (FILE.pdfpc).
    #[arg(long)]
    pub notes: bool,

    /// Also write PNG previews of every slide into this folder.
    #[arg(long, value_name = "DIR")]
    pub png: Option<PathBuf>,

    /// Resolution of PNG previews.
    #[arg(long, default_value_t = 40.0, value_name = "PPI")]
    pub png_ppi: f32,

    /// Date for the PDF and PPTX, as seconds since 1970 (reproducible builds).
    #[arg(long, env = "SOURCE_DATE_EPOCH", value_name = "SECONDS")]
    pub source_date_epoch: Option<i64>,
}

/// `banmian watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Serve a live preview of the pages and slides on 127.0.0.1.
    #[arg(long)]
    pub serve: bool,

    /// Port of the live preview.
    #[arg(long, default_value_t = 3000)]
    pub port: u16,

    /// Set when watch starts itself again after stopping a template that
    /// ran past its bounds: the message, shown until the next edit, which
    /// is waited for before building.
    #[arg(long, hide = true, value_name = "MESSAGE")]
    pub stopped: Option<String>,

    #[command(flatten)]
    pub outputs: OutputArgs,
}

/// `banmian check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,

    /// Checked as `render` would take them; nothing is written.
    #[command(flatten)]
    pub outputs: OutputArgs,
}

/// Input formats of `import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FromArg {
    /// Plain text.
    Txt,
    /// Markdown.
    Md,
    /// Word (.docx).
    Docx,
}

/// `banmian import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The report's text: .txt, .md or .docx.
    pub input: PathBuf,

    /// The report to write (.toml) [default: the input's name with .toml, here].
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The input's format [default: from its extension].
    #[arg(long, value_enum)]
    pub from: Option<FromArg>,

    /// The newspaper's name (the text of a report does not hold it).
    #[arg(long, value_name = "NAME")]
    pub paper: Option<String>,

    /// The publication date, YYYY-MM-DD [default: a date in the text, else today].
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,

    /// Overwrite an existing report and photos.
    #[arg(long)]
    pub force: bool,

    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,

    /// "Today", for a text without a date, as seconds since 1970 (reproducible imports).
    #[arg(long, env = "SOURCE_DATE_EPOCH", value_name = "SECONDS")]
    pub source_date_epoch: Option<i64>,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn arguments_are_consistent() {
        super::Cli::command().debug_assert();
    }
}
