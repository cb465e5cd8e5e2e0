//! Assets a render draws on: fonts, photos (and stand-ins for those not
//! supplied yet), the root that confines files, and the plant's colour
//! (output profile, photos separated into CMYK); and the atomic write
//! their on-disk caches use, which the command line writes outputs with.

mod atomic;
pub mod colour;
pub mod decodes;
pub mod font_scan;
pub mod fonts;
pub mod photos;
pub mod placeholder;
pub mod root;
pub mod separated;
pub mod standin;

pub use atomic::{sweep, write_atomic};
