//! A face subset to some characters as a TrueType font (`glyf` outlines),
//! for embedding in a PPTX.
//!
//! PowerPoint embeds TrueType faces; the bundled Noto CJK faces are CFF.
//! Each glyph's outline is read with skrifa (CFF, CFF2 or `glyf` alike),
//! its cubic curves are approximated by quadratic ones within `ACCURACY`
//! font units, and the glyphs are
//! written with write-fonts as a new font: `glyf`/`loca`, `cmap` for the
//! characters, horizontal metrics copied glyph by glyph, and the source's
//! `name` (copyright and licence included), `OS/2`, `head` and `hhea`
//! values. Layout tables (GSUB, GPOS) and hinting are left out: slide
//! software lays out CJK text with the advance widths alone.

use std::collections::BTreeMap;

use kurbo::{BezPath, CubicBez, PathEl, Point};
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::outline::{DrawSettings, OutlineGlyphCollection, OutlinePen};
use skrifa::raw::TableProvider;
use skrifa::raw::types::Tag;
use skrifa::{FontRef, GlyphId, MetadataProvider};
use write_fonts::FontBuilder;
use write_fonts::from_obj::ToOwnedTable;
use write_fonts::tables::cmap::Cmap;
use write_fonts::tables::glyf::{Bbox, GlyfLocaBuilder, Glyph, SimpleGlyph};
use write_fonts::tables::head::Head;
use write_fonts::tables::hhea::Hhea;
use write_fonts::tables::hmtx::{Hmtx, LongMetric};
use write_fonts::tables::maxp::Maxp;
use write_fonts::tables::post::Post;
use write_fonts::types::Version16Dot16;

/// How far, in font units, a quadratic approximation may stray from a
/// cubic curve (fontTools' `cu2qu` uses 1 unit too: invisible at any size).
const ACCURACY: f64 = 1.0;

/// A subset face and what it could not cover.
#[derive(Debug, Clone)]
pub struct Subset {
    /// The TrueType font file.
    pub data: Vec<u8>,
    /// Requested characters the face has no glyph for, in order.
    pub missing: Vec<char>,
}

/// Why a face could not be subset.
#[derive(Debug, thiserror::Error)]
#[error("cannot subset the font: {0}")]
pub struct SubsetError(String);

/// Subsets face `index` of the font file `data` to `chars` (plus `.notdef`)
/// as a TrueType font. Characters the face lacks are left out and listed.
pub fn subset(data: &[u8], index: u32, chars: &[char]) -> Result<Subset, SubsetError> {
    let font = FontRef::from_index(data, index).map_err(|e| SubsetError(e.to_string()))?;
    let charmap = font.charmap();
    let mut mapping: BTreeMap<char, GlyphId> = BTreeMap::new();
    let mut missing = Vec::new();
    for &c in chars {
        match charmap.map(c).filter(|g| g.to_u32() != 0) {
            Some(glyph) => {
                mapping.insert(c, glyph);
            }
            None if !missing.contains(&c) => missing.push(c),
            None => {}
        }
    }
    // New glyph ids: .notdef first, then each source glyph once, in the
    // order of the characters.
    let mut order: Vec<GlyphId> = vec![GlyphId::NOTDEF];
    for glyph in mapping.values() {
        if !order.contains(glyph) {
            order.push(*glyph);
        }
    }
    let source = Source::new(&font);
    let glyphs = order
        .iter()
        .map(|&g| source.quadratic_glyph(g))
        .collect::<Result<Vec<_>, _>>()?;
    let new_id = |g: &GlyphId| GlyphId::new(order.iter().position(|o| o == g).unwrap_or(0) as u32);
    let cmap = Cmap::from_mappings(mapping.iter().map(|(&c, g)| (c, new_id(g))))
        .map_err(|e| SubsetError(e.to_string()))?;
    let data = assemble(&font, &order, &glyphs, &cmap)?;
    Ok(Subset { data, missing })
}

/// One glyph of the subset: its outline and advance width.
struct NewGlyph {
    glyph: Glyph,
    bbox: Bbox,
    advance: u16,
    points: u16,
    contours: u16,
}

/// What every glyph of the subset is read from, looked up once a face.
struct Source<'a> {
    metrics: GlyphMetrics<'a>,
    outlines: OutlineGlyphCollection<'a>,
    /// Whether the outlines are TrueType's (`glyf`), else CFF's.
    glyf: bool,
}

impl<'a> Source<'a> {
    fn new(font: &FontRef<'a>) -> Self {
        Self {
            metrics: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
            outlines: font.outline_glyphs(),
            glyf: font.table_data(Tag::new(b"glyf")).is_some(),
        }
    }

    /// Reads glyph `id`'s outline and advance and makes it a quadratic glyph.
    fn quadratic_glyph(&self, id: GlyphId) -> Result<NewGlyph, SubsetError> {
        let advance = self.metrics.advance_width(id).unwrap_or(0.0).round() as u16;
        let mut pen = QuadPen::default();
        if let Some(outline) = self.outlines.get(id) {
            let settings = DrawSettings::unhinted(Size::unscaled(), LocationRef::default());
            outline
                .draw(settings, &mut pen)
                .map_err(|e| SubsetError(format!("glyph {}: {e}", id.to_u32())))?;
        }
        // CFF draws outer contours counter-clockwise; TrueType wants them
        // clockwise, as `glyf` sources already have them.
        let path = if self.glyf {
            pen.path
        } else {
            pen.path.reverse_subpaths()
        };
        if path.elements().is_empty() {
            let bbox = Bbox::default();
            return Ok(NewGlyph {
                glyph: Glyph::Empty,
                bbox,
                advance,
                points: 0,
                contours: 0,
            });
        }
        let simple = SimpleGlyph::from_bezpath(&path)
            .map_err(|e| SubsetError(format!("glyph {}: {e:?}", id.to_u32())))?;
        let points = simple.contours.iter().map(|c| c.len()).sum::<usize>() as u16;
        Ok(NewGlyph {
            bbox: simple.bbox,
            advance,
            points,
            contours: simple.contours.len() as u16,
            glyph: Glyph::Simple(simple),
        })
    }
}

/// Collects an outline as a path of lines and quadratic curves.
#[derive(Default)]
struct QuadPen {
    path: BezPath,
    last: Point,
}

impl OutlinePen for QuadPen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.last = point(x, y);
        self.path.move_to(self.last);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.last = point(x, y);
        self.path.line_to(self.last);
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.last = point(x, y);
        self.path.quad_to(point(cx0, cy0), self.last);
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let cubic = CubicBez::new(self.last, point(cx0, cy0), point(cx1, cy1), point(x, y));
        for (_, _, quad) in cubic.to_quads(ACCURACY) {
            self.path.quad_to(quad.p1, quad.p2);
        }
        self.last = cubic.p3;
    }

    fn close(&mut self) {
        // A contour that returns to its start with a segment ends there;
        // `closepath` would add a zero-length line, which is a stray point.
        if let Some(PathEl::MoveTo(start)) = self
            .path
            .elements()
            .iter()
            .rev()
            .find(|el| matches!(el, PathEl::MoveTo(_)))
            && self.last.distance(*start) < 1e-6
            && let Some(PathEl::LineTo(_)) = self.path.elements().last()
        {
            self.path.truncate(self.path.elements().len() - 1);
        }
        self.path.close_path();
    }
}

fn point(x: f32, y: f32) -> Point {
    Point::new(f64::from(x), f64::from(y))
}

/// The error of a table that cannot be read or written.
fn table_error(err: impl std::fmt::Display) -> SubsetError {
    SubsetError(err.to_string())
}

/// Writes the font: the new glyphs with the source's naming and metrics.
fn assemble(
    font: &FontRef,
    order: &[GlyphId],
    glyphs: &[NewGlyph],
    cmap: &Cmap,
) -> Result<Vec<u8>, SubsetError> {
    let mut builder = GlyfLocaBuilder::new();
    for glyph in glyphs {
        builder.add_glyph(&glyph.glyph).map_err(table_error)?;
    }
    let (glyf, loca, loca_format) = builder.build();
    let (mut head, hhea, hmtx) = horizontal_metrics(font, glyphs)?;
    head.index_to_loc_format = loca_format as i16;
    let source_post = font.post().map_err(table_error)?;
    let mut post = Post::new(
        source_post.italic_angle(),
        source_post.underline_position(),
        source_post.underline_thickness(),
        source_post.is_fixed_pitch(),
        0,
        0,
        0,
        0,
    );
    // Version 3: no glyph names.
    post.version = Version16Dot16::VERSION_3_0;
    let os2: write_fonts::tables::os2::Os2 = font.os2().map_err(table_error)?.to_owned_table();
    let name: write_fonts::tables::name::Name = font.name().map_err(table_error)?.to_owned_table();
    let mut out = FontBuilder::new();
    out.add_table(&head).map_err(table_error)?;
    out.add_table(&hhea).map_err(table_error)?;
    out.add_table(&maximum_profile(order.len(), glyphs))
        .map_err(table_error)?;
    out.add_table(&os2).map_err(table_error)?;
    out.add_table(&hmtx).map_err(table_error)?;
    out.add_table(cmap).map_err(table_error)?;
    out.add_table(&loca).map_err(table_error)?;
    out.add_table(&glyf).map_err(table_error)?;
    out.add_table(&name).map_err(table_error)?;
    out.add_table(&post).map_err(table_error)?;
    Ok(out.build())
}

/// `head` and `hhea` from the source with the subset's extents, and `hmtx`
/// with each glyph's advance and left side bearing (its leftmost point).
fn horizontal_metrics(
    font: &FontRef,
    glyphs: &[NewGlyph],
) -> Result<(Head, Hhea, Hmtx), SubsetError> {
    let inked: Vec<&NewGlyph> = glyphs.iter().filter(|g| g.contours > 0).collect();
    let extent = |f: fn(&Bbox) -> i16| inked.iter().map(move |g| f(&g.bbox));
    let mut head: Head = font.head().map_err(table_error)?.to_owned_table();
    head.x_min = extent(|b| b.x_min).min().unwrap_or(0);
    head.y_min = extent(|b| b.y_min).min().unwrap_or(0);
    head.x_max = extent(|b| b.x_max).max().unwrap_or(0);
    head.y_max = extent(|b| b.y_max).max().unwrap_or(0);
    let mut hhea: Hhea = font.hhea().map_err(table_error)?.to_owned_table();
    hhea.number_of_h_metrics = glyphs.len() as u16;
    hhea.advance_width_max = glyphs.iter().map(|g| g.advance).max().unwrap_or(0).into();
    hhea.min_left_side_bearing = head.x_min.into();
    hhea.min_right_side_bearing = inked
        .iter()
        .map(|g| right_side_bearing(g.advance, g.bbox.x_max))
        .min()
        .unwrap_or(0)
        .into();
    hhea.x_max_extent = head.x_max.into();
    let metrics = glyphs
        .iter()
        .map(|g| LongMetric::new(g.advance, g.bbox.x_min))
        .collect();
    Ok((head, hhea, Hmtx::new(metrics, Vec::new())))
}

/// A glyph's right side bearing: its advance less its rightmost point,
/// held to what `hhea` can store (an odd font's may lie beyond it).
fn right_side_bearing(advance: u16, x_max: i16) -> i16 {
    let bearing = i32::from(advance) - i32::from(x_max);
    bearing.clamp(i16::MIN.into(), i16::MAX.into()) as i16
}

/// A TrueType `maxp` (version 1.0): the largest glyph, no hinting, no
/// composite glyphs.
fn maximum_profile(count: usize, glyphs: &[NewGlyph]) -> Maxp {
    let mut maxp = Maxp::new(count as u16);
    maxp.max_points = Some(glyphs.iter().map(|g| g.points).max().unwrap_or(0));
    maxp.max_contours = Some(glyphs.iter().map(|g| g.contours).max().unwrap_or(0));
    maxp.max_zones = Some(2);
    for field in [
        &mut maxp.max_composite_points,
        &mut maxp.max_composite_contours,
        &mut maxp.max_twilight_points,
        &mut maxp.max_storage,
        &mut maxp.max_function_defs,
        &mut maxp.max_instruction_defs,
        &mut maxp.max_stack_elements,
        &mut maxp.max_size_of_instructions,
        &mut maxp.max_component_elements,
        &mut maxp.max_component_depth,
    ] {
        *field = Some(0);
    }
    maxp
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact extent of a glyph's outline.
    fn ink(face: &ttf_parser::Face, glyph: ttf_parser::GlyphId) -> kurbo::Rect {
        kurbo::Shape::bounding_box(&outline(face, glyph))
    }

    /// A glyph's outline as a path.
    fn outline(face: &ttf_parser::Face, glyph: ttf_parser::GlyphId) -> BezPath {
        struct Path(BezPath);
        impl ttf_parser::OutlineBuilder for Path {
            fn move_to(&mut self, x: f32, y: f32) {
                self.0.move_to(point(x, y));
            }
            fn line_to(&mut self, x: f32, y: f32) {
                self.0.line_to(point(x, y));
            }
            fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
                self.0.quad_to(point(x1, y1), point(x, y));
            }
            fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
                self.0.curve_to(point(x1, y1), point(x2, y2), point(x, y));
            }
            fn close(&mut self) {
                self.0.close_path();
            }
        }
        let mut path = Path(BezPath::new());
        face.outline_glyph(glyph, &mut path);
        path.0
    }

    fn bundled(file: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fonts")
                .join(file),
        )
        .unwrap()
    }

    /// The subset maps every character to a glyph with the source's advance
    /// and an outline in the same place, and names what the face lacks.
    #[test]
    fn cff_faces_become_truetype_subsets_with_the_same_glyphs() {
        let source_data = bundled("NotoSerifCJKsc-Regular.otf");
        let chars: Vec<char> = "涪陵区加快形成新质生产力 Ab1，。“”\u{E000}"
            .chars()
            .collect();
        let out = subset(&source_data, 0, &chars).unwrap();
        assert_eq!(
            out.missing,
            ['\u{E000}'],
            "the private-use character is named"
        );
        let sub = ttf_parser::Face::parse(&out.data, 0).unwrap();
        let source = ttf_parser::Face::parse(&source_data, 0).unwrap();
        assert!(sub.tables().glyf.is_some() && sub.tables().cff.is_none());
        assert_eq!(
            sub.number_of_glyphs() as usize,
            chars.len(),
            ".notdef and all but one"
        );
        for &c in chars.iter().filter(|&&c| c != '\u{E000}') {
            let (g, s) = (sub.glyph_index(c).unwrap(), source.glyph_index(c).unwrap());
            assert_eq!(sub.glyph_hor_advance(g), source.glyph_hor_advance(s), "{c}");
            if c == ' ' {
                continue;
            }
            // The outlines' exact extents (not their control points') agree.
            let (a, b) = (ink(&sub, g), ink(&source, s));
            for (x, y) in [(a.x0, b.x0), (a.y0, b.y0), (a.x1, b.x1), (a.y1, b.y1)] {
                assert!((x - y).abs() <= 1.5, "{c}: {a:?} vs {b:?}");
            }
        }
        assert_eq!(
            sub.names().len(),
            source.names().len(),
            "the name table is kept whole"
        );
        assert_eq!(sub.units_per_em(), source.units_per_em());
    }

    /// The right side bearing is computed without overflow, and held to
    /// the 16 bits `hhea` stores, for advances and extents far apart.
    #[test]
    fn right_side_bearings_do_not_overflow() {
        assert_eq!(right_side_bearing(1000, 900), 100);
        assert_eq!(right_side_bearing(500, -20), 520);
        assert_eq!(right_side_bearing(30_000, -5_000), i16::MAX);
        assert_eq!(right_side_bearing(40_000, 100), i16::MAX);
        assert_eq!(right_side_bearing(0, i16::MAX), -i16::MAX);
        assert_eq!(right_side_bearing(0, i16::MIN), i16::MAX);
    }

    /// Outer contours turn clockwise in the subset, as TrueType wants:
    /// reversed from a CFF face, kept from a TrueType one.
    #[test]
    fn contours_turn_the_truetype_way() {
        for (file, reversed) in [
            ("NotoSerifCJKsc-Regular.otf", true),
            ("LXGWWenKai-Regular.ttf", false),
        ] {
            let source_data = bundled(file);
            let out = subset(&source_data, 0, &['国']).unwrap();
            let (sub, source) = (
                ttf_parser::Face::parse(&out.data, 0).unwrap(),
                ttf_parser::Face::parse(&source_data, 0).unwrap(),
            );
            let area = |face: &ttf_parser::Face| {
                kurbo::Shape::area(&outline(face, face.glyph_index('国').unwrap()))
            };
            let (a, b) = (area(&sub), area(&source));
            assert!(
                (a.abs() - b.abs()).abs() < b.abs() * 0.01,
                "{file}: same ink"
            );
            assert_eq!(a.signum() != b.signum(), reversed, "{file}: {a} vs {b}");
        }
    }
}
