//! Measuring again only what an edit changed (`watch`).
//!
//! The measuring pass lays out every piece of the report (each paragraph,
//! heading and caption, every box at each span and type variant). An edit
//! changes a few. Each piece is named as the template protocol names it
//! (`p/0/3`, `h/2`, `c/1`, `lede`, see [`crate::typeset::protocol`]) and
//! keyed by a hash of the data the template draws it from; what the report
//! holds besides the pieces (options, masthead, banner, …) is the design,
//! one key for all. A build that follows another with the same design asks
//! the template (`only` in the plan) for the pieces whose key changed, and
//! takes the others' measures from the last build: the measures are the
//! same as a whole pass's, as each piece's page depends on its own data
//! and the design alone. Another design, or report data that does not
//! read as expected, is measured whole.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::measure::{Entry, Measures};
use super::protocol::Kind;

/// The pieces of a report as the measuring pass draws them.
#[derive(Debug, Clone, PartialEq)]
pub struct Pieces {
    /// What every piece depends on: the report but its pieces.
    design: u128,
    /// Each piece's name and the hash of its data.
    keys: BTreeMap<String, u128>,
    /// The section each photo slot is in (its caption's piece).
    slots: HashMap<usize, usize>,
}

/// Template data beyond this many bytes is not dealt into pieces (it is
/// measured whole each build): reading it as JSON would cost more than a
/// whole measure saves on a page's worth of copy (a report of megabytes is
/// far beyond the pages, and overset at once).
const MAX_DATA: usize = 1 << 20;

/// Fields of `report.json` that are pieces (or hold them): the rest is the
/// design.
const PIECE_FIELDS: [&str; 8] = [
    "headline", "credits", "sections", "lede", "figures", "data_box", "quote", "charts",
];

impl Pieces {
    /// The pieces of `report.json` (the template's data) with the plan's
    /// title splits and pull quotes; `None` when the data does not read as
    /// a report (it is then measured whole).
    /// `world` is what the measures depend on besides the report (the
    /// fonts and templates: [`Typesetter::design`]).
    ///
    /// [`Typesetter::design`]: super::Typesetter::design
    pub fn of(
        data: &[u8],
        title: &[(String, String)],
        pulls: &[Option<String>],
        world: u128,
    ) -> Option<Self> {
        if data.len() > MAX_DATA {
            return None;
        }
        let Value::Object(mut report) = serde_json::from_slice(data).ok()? else {
            return None;
        };
        let mut keys = BTreeMap::new();
        let mut slots = HashMap::new();
        let take = |report: &mut serde_json::Map<String, Value>, field: &str| {
            report.remove(field).unwrap_or(Value::Null)
        };
        let headline = take(&mut report, "headline");
        keys.insert("headline".to_owned(), hash(&(&headline, title)));
        keys.insert("credits".to_owned(), hash(&take(&mut report, "credits")));
        for field in ["lede", "figures", "data_box", "quote"] {
            keys.insert(field.to_owned(), hash(&take(&mut report, field)));
        }
        let Value::Array(charts) = take(&mut report, "charts") else {
            return None;
        };
        for (i, chart) in charts.iter().enumerate() {
            keys.insert(format!("chart/{i}"), hash(chart));
        }
        let Value::Array(sections) = take(&mut report, "sections") else {
            return None;
        };
        for (i, section) in sections.into_iter().enumerate() {
            let Value::Object(mut section) = section else {
                return None;
            };
            let paragraphs = section.remove("paragraphs")?;
            let openings = section.remove("openings")?;
            let (Value::Array(paragraphs), Value::Array(openings)) = (paragraphs, openings) else {
                return None;
            };
            for (j, paragraph) in paragraphs.iter().enumerate() {
                keys.insert(format!("p/{i}/{j}"), hash(&(paragraph, openings.get(j))));
            }
            let Value::Array(photos) = section.get("photos")? else {
                return None;
            };
            for photo in photos {
                let slot = photo.get("slot")?.as_u64()?;
                slots.insert(usize::try_from(slot).ok()?, i);
            }
            let section = Value::Object(section);
            keys.insert(format!("h/{i}"), hash(&section));
            keys.insert(format!("c/{i}"), hash(&section));
            keys.insert(format!("q/{i}"), hash(&pulls.get(i)));
        }
        debug_assert!(PIECE_FIELDS.iter().all(|f| !report.contains_key(*f)));
        Some(Self {
            design: typst::utils::hash128(&(world, hash(&Value::Object(report)))),
            keys,
            slots,
        })
    }

    /// The piece a measured entry is of.
    pub fn owner(&self, entry: Entry) -> Option<String> {
        Some(match entry {
            Entry::Lines(i, j) => format!("p/{i}/{j}"),
            Entry::Piece(kind, index) => match kind {
                Kind::Headline | Kind::Title => "headline".to_owned(),
                Kind::Credits => "credits".to_owned(),
                Kind::Heading => format!("h/{index}"),
                Kind::Caption => format!("c/{}", self.slots.get(&index)?),
                Kind::Pull => format!("q/{index}"),
                Kind::Lede => "lede".to_owned(),
                Kind::Figures => "figures".to_owned(),
                Kind::DataBox => "data_box".to_owned(),
                Kind::Quote => "quote".to_owned(),
                Kind::Chart => format!("chart/{index}"),
            },
        })
    }
}

/// What the last build measured, piece by piece.
#[derive(Debug, Default)]
pub struct Kept {
    /// The design it was measured in, with the grid.
    design: Option<(u128, Measures)>,
    /// Each piece's key and measures.
    parts: HashMap<String, (u128, Measures)>,
}

impl Kept {
    /// The pieces to measure again for `pieces` (none: all of them, as the
    /// design changed or nothing is kept).
    pub fn changed(&self, pieces: &Pieces) -> Option<BTreeMap<String, bool>> {
        match &self.design {
            Some((design, _)) if *design == pieces.design => Some(
                pieces
                    .keys
                    .iter()
                    .filter(|(name, key)| self.parts.get(*name).is_none_or(|(k, _)| k != *key))
                    .map(|(name, _)| (name.clone(), true))
                    .collect(),
            ),
            _ => None,
        }
    }

    /// Keeps what a pass found (over all of the pieces, or `only` over
    /// those [`Kept::changed`] named), and returns the measures of every
    /// piece of `pieces`.
    pub fn update(&mut self, pieces: &Pieces, found: Measures, only: bool) -> Measures {
        let (grid, mut parts) = found.split(|entry| pieces.owner(entry));
        if !only {
            self.design = Some((pieces.design, grid));
            self.parts.clear();
        }
        for (name, key) in &pieces.keys {
            if !only || self.parts.get(name).is_none_or(|(k, _)| k != key) {
                // A piece the template draws nothing for (a story's
                // opening has no heading) has no measures.
                let measured = parts.remove(name).unwrap_or_default();
                self.parts.insert(name.clone(), (*key, measured));
            }
        }
        // Pieces the report no longer has.
        self.parts.retain(|name, _| pieces.keys.contains_key(name));
        let mut all = self
            .design
            .as_ref()
            .map(|(_, grid)| grid.clone())
            .unwrap_or_default();
        for (_, part) in self.parts.values() {
            all.merge(part);
        }
        all
    }
}

/// The hash of a piece's data, as JSON.
fn hash(data: &impl serde::Serialize) -> u128 {
    serde_json::to_vec(data).map_or(0, |bytes| typst::utils::hash128(&bytes))
}
