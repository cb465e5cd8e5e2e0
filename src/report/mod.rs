//! The report: its model, how it is read, and where its errors are.

pub mod deck_plan;
#[cfg(test)]
pub(crate) mod fixtures;
mod load;
mod locate;
mod model;
mod validate;
pub mod walk;

pub use load::{
    LoadedReport, MAX_PROBLEMS, MAX_REPORT_BYTES, SourceFormat, load, more_problems, parse, read,
};
pub use locate::SourceText;
pub use model::*;
pub use validate::{MAX_SECTION_PHOTOS, is_iso_date, validate};
