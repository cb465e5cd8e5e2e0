//! Assets a render draws on: fonts, photos (and stand-ins for those not
//! supplied yet), and the root that confines files.

pub mod decodes;
pub mod font_scan;
pub mod fonts;
pub mod photos;
pub mod placeholder;
pub mod root;
pub mod standin;
