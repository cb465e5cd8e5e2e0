//! Typesetting: the Typst world, the report as template data, compiling and
//! reading back what the layout did.

pub mod bounds;
mod compile;
pub mod coverage;
pub mod data;
pub mod embedding;
pub mod headline;
mod layouts;
pub mod measure;
pub mod measure_cache;
pub mod photos;
pub mod pieces;
pub mod protocol;
pub mod pull;
pub mod watchdog;
mod world;

pub use compile::{Medium, PlacedPhoto, Typeset, TypesetOptions, Typesetter};
pub use data::{PageOptions, Pages, Paper};
pub use layouts::Layouts;
pub use photos::photo_fields;
pub use world::BanmianWorld;
