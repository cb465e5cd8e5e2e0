//! Assets a render draws on: fonts, photos, and the root that confines files.

pub mod fonts;
pub mod photos;
pub mod root;
pub mod standin;
