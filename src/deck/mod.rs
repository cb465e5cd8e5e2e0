//! The briefing deck laid out: its slides typeset from the content plan
//! ([`crate::report::deck_plan`]) and read back as PPTX shapes.

mod slides;

pub use slides::{Deck, Slide, build};
