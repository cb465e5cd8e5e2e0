//! Typesetting: the Typst world, the report as template data, compiling and
//! reading back what the layout did.

mod compile;
mod copyfit;
pub mod coverage;
pub mod data;
pub mod embedding;
mod layouts;
mod world;

pub use compile::{
    Adjustment, FlowFit, Medium, PlacedPhoto, Typeset, TypesetOptions, Typesetter, photo_fields,
    read_metadata,
};
pub use copyfit::{Misfit, UNDERSET_LINES};
pub use data::{PageOptions, Pages, Paper};
pub use layouts::Layouts;
pub use world::BanmianWorld;
