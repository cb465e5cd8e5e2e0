//! The report: its model, how it is read, and where its errors are.

mod load;
mod locate;
mod model;
mod validate;
pub mod walk;
#[cfg(test)]
pub(crate) mod fixtures;

pub use load::{
    LoadedReport, MAX_PROBLEMS, MAX_REPORT_BYTES, SourceFormat, load, more_problems, parse, read,
};
pub use locate::SourceText;
pub use model::*;
pub use validate::{is_iso_date, validate};
