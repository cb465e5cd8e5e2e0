//! DrawingML shapes: text boxes, paragraphs and runs, pictures, rectangles,
//! lines and placeholders; and XML escaping.

use super::*;

pub(super) const EMU_PER_PT: f64 = 12_700.0;

/// Language attributes of every run: Chinese text, English as the alternative.
pub(super) const LANG: &str = r#"lang="zh-CN" altLang="en-US" dirty="0""#;

/// Points to EMU, rounded.
pub(super) fn emu(pt: f64) -> i64 {
    (pt * EMU_PER_PT).round() as i64
}

/// Hundredths of a point, as font sizes and spacings are given.
pub(super) fn hundredths(pt: f64) -> i64 {
    (pt * 100.0).round() as i64
}

/// A rectangle in EMU.
#[derive(Clone, Copy)]
pub(super) struct Frame {
    pub(super) x: i64,
    pub(super) y: i64,
    pub(super) cx: i64,
    pub(super) cy: i64,
}

impl Frame {
    /// Rounds the edges (not the size), so that boxes that touch in points
    /// still touch in EMU.
    pub(super) fn from_pt(x: f64, y: f64, w: f64, h: f64) -> Self {
        let (left, top) = (emu(x), emu(y));
        Frame {
            x: left,
            y: top,
            cx: emu(x + w) - left,
            cy: emu(y + h) - top,
        }
    }

    pub(super) fn of(rect: &Rect) -> Self {
        Frame::from_pt(rect.x, rect.y, rect.w, rect.h)
    }

    /// `<a:xfrm>` with optional `flipH`/`flipV` attributes.
    pub(super) fn xfrm(self, flip: &str) -> String {
        let Frame { x, y, cx, cy } = self;
        format!(r#"<a:xfrm{flip}><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>"#)
    }
}

impl Size {
    /// The part of the page at fractions `fx`, `fy` of its size, `fw` × `fh` large.
    pub(super) fn part(self, fx: f64, fy: f64, fw: f64, fh: f64) -> Frame {
        let (w, h) = (self.cx as f64, self.cy as f64);
        Frame {
            x: (w * fx).round() as i64,
            y: (h * fy).round() as i64,
            cx: (w * fw).round() as i64,
            cy: (h * fh).round() as i64,
        }
    }
}

impl Rgb {
    pub(super) fn hex(self) -> String {
        format!("{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }

    /// This colour moved the fraction `t` of the way towards `other`.
    pub(super) fn mix(self, other: Rgb, t: f64) -> Rgb {
        let channel =
            |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb(
            channel(self.0, other.0),
            channel(self.1, other.1),
            channel(self.2, other.2),
        )
    }
}

impl Face {
    pub(super) fn name<'a>(&'a self, theme: &'a Theme) -> &'a str {
        match self {
            Face::Heading => &theme.major_ea,
            Face::Body => &theme.minor_ea,
            Face::Kai(name) => name,
        }
    }
}

impl Align {
    pub(super) fn code(self) -> &'static str {
        match self {
            Align::Left => "l",
            Align::Center => "ctr",
            Align::Right => "r",
            Align::Justify => "just",
        }
    }
}

impl Anchor {
    pub(super) fn code(self) -> &'static str {
        match self {
            Anchor::Top => "t",
            Anchor::Middle => "ctr",
            Anchor::Bottom => "b",
        }
    }
}

pub(super) fn solid_fill(color: Rgb) -> String {
    format!(
        r#"<a:solidFill><a:srgbClr val="{}"/></a:solidFill>"#,
        color.hex()
    )
}

pub(super) fn fill(color: Option<Rgb>) -> String {
    color.map_or_else(|| "<a:noFill/>".to_string(), solid_fill)
}

pub(super) fn outline(line: Option<(Rgb, f64)>) -> String {
    match line {
        Some((color, width)) => format!(r#"<a:ln w="{}">{}</a:ln>"#, emu(width), solid_fill(color)),
        None => "<a:ln><a:noFill/></a:ln>".to_string(),
    }
}

/// `<p:spPr>` with a transform, a preset geometry and fill/outline properties.
pub(super) fn sp_pr(xfrm: &str, geometry: &str, paint: &str) -> String {
    format!(
        r#"<p:spPr>{xfrm}<a:prstGeom prst="{geometry}"><a:avLst/></a:prstGeom>{paint}</p:spPr>"#
    )
}

/// `<p:cNvPr>`: `name`, or "`kind` `id`" when `name` is blank.
pub(super) fn c_nv_pr(id: u32, name: &str, kind: &str, extra: &str) -> String {
    let name = match name.trim() {
        "" => format!("{kind} {id}"),
        name => esc(name),
    };
    format!(r#"<p:cNvPr id="{id}" name="{name}"{extra}/>"#)
}

/// The theme, and what a reader needs to pick a like face where a face is
/// missing: its PANOSE, pitch and family, and charset, by family name.
pub(super) struct Styles<'a> {
    pub(super) theme: &'a Theme,
    pub(super) panose: std::collections::BTreeMap<String, [u8; 10]>,
}

impl Styles<'_> {
    /// ` panose="…" pitchFamily="…" charset="…"` for an embedded family
    /// (PowerPoint writes the same for the CJK faces it embeds).
    pub(super) fn describe(&self, family: &str) -> String {
        self.panose.get(family).map_or_else(String::new, |panose| {
            format!(
                r#" panose="{}" pitchFamily="{}" charset="{GB2312}""#,
                hex(panose),
                pitch_family(panose)
            )
        })
    }
}

pub(super) fn text_box_xml(id: u32, text: &TextBox, styles: &Styles) -> String {
    let inset = emu(text.inset);
    let paragraphs: String = if text.paragraphs.is_empty() {
        plain_para("")
    } else {
        text.paragraphs
            .iter()
            .map(|p| paragraph_xml(p, styles))
            .collect()
    };
    format!(
        r#"<p:sp><p:nvSpPr>{}<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>{}<p:txBody><a:bodyPr vert="horz" wrap="square" lIns="{inset}" tIns="{inset}" rIns="{inset}" bIns="{inset}" rtlCol="0" anchor="{}"><a:noAutofit/></a:bodyPr><a:lstStyle/>{paragraphs}</p:txBody></p:sp>"#,
        c_nv_pr(id, &text.name, "TextBox", ""),
        sp_pr(
            &Frame::of(&text.frame).xfrm(""),
            "rect",
            &(fill(text.fill) + &outline(None))
        ),
        text.anchor.code(),
    )
}

pub(super) fn paragraph_xml(para: &Para, styles: &Styles) -> String {
    let line_spacing = para.line_spacing.map_or_else(String::new, |pt| {
        format!(r#"<a:lnSpc><a:spcPts val="{}"/></a:lnSpc>"#, hundredths(pt))
    });
    let runs: String = para.runs.iter().map(|run| run_xml(run, styles)).collect();
    // The end-of-paragraph mark takes the last run's style, so that an empty
    // last line keeps its height.
    let end = match para.runs.last() {
        Some(run) => char_props("a:endParaRPr", run, styles),
        None => format!("<a:endParaRPr {LANG}/>"),
    };
    let (margins, bullet) = match &para.bullet {
        Some(bullet) => bullet_xml(bullet, para, styles),
        None => (String::new(), "<a:buNone/>".to_string()),
    };
    // No hanging punctuation: Typst keeps every mark inside the measure, as
    // Chinese typesetting wants, so the PPTX must too.
    format!(
        r#"<a:p><a:pPr{margins} algn="{}" hangingPunct="0">{line_spacing}<a:spcBef><a:spcPts val="0"/></a:spcBef><a:spcAft><a:spcPts val="{}"/></a:spcAft>{bullet}</a:pPr>{runs}{end}</a:p>"#,
        para.align.code(),
        hundredths(para.space_after),
    )
}

/// The margin attributes and bullet elements of a paragraph with a bullet:
/// the text starts at `marL`, and the first line's negative `indent` takes
/// the bullet back to the edge, so wrapped lines hang under the text.
pub(super) fn bullet_xml(bullet: &Bullet, para: &Para, styles: &Styles) -> (String, String) {
    let indent = emu(bullet.indent);
    let text_size = para.runs.first().map_or(bullet.size, |run| run.size);
    // Thousandths of a percent of the first run's size.
    let percent = (bullet.size / text_size * 100_000.0).round() as i64;
    let face = esc(bullet.face.name(styles.theme));
    let char = esc(&bullet.char.to_string());
    (
        format!(r#" marL="{indent}" indent="{}""#, -indent),
        format!(
            r#"<a:buClr><a:srgbClr val="{}"/></a:buClr><a:buSzPct val="{percent}"/><a:buFont typeface="{face}"/><a:buChar char="{char}"/>"#,
            bullet.color.hex()
        ),
    )
}

/// A run; each `\n` (or `\r\n`) in its text becomes `<a:br/>`.
pub(super) fn run_xml(run: &Run, styles: &Styles) -> String {
    let props = char_props("a:rPr", run, styles);
    run.text
        .replace("\r\n", "\n")
        .split(['\n', '\r'])
        .enumerate()
        .map(|(i, line)| {
            let brk = if i > 0 {
                format!("<a:br>{props}</a:br>")
            } else {
                String::new()
            };
            let text = if line.is_empty() {
                String::new()
            } else {
                format!("<a:r>{props}<a:t>{}</a:t></a:r>", esc(line))
            };
            brk + &text
        })
        .collect()
}

/// Character properties (`a:rPr` or `a:endParaRPr`) of `run`. The face is
/// named in the `latin`, `ea` and `cs` slots alike.
pub(super) fn char_props(tag: &str, run: &Run, styles: &Styles) -> String {
    let name = run.face.name(styles.theme);
    let face = format!(r#"typeface="{}"{}"#, esc(name), styles.describe(name));
    let bold = if run.bold { r#" b="1""# } else { "" };
    format!(
        r#"<{tag} {LANG} sz="{}"{bold}>{}<a:latin {face}/><a:ea {face}/><a:cs {face}/></{tag}>"#,
        hundredths(run.size),
        solid_fill(run.color),
    )
}

pub(super) fn picture_xml(
    id: u32,
    rid: &str,
    frame: &Rect,
    descr: &str,
    crop: &[f64; 4],
) -> String {
    // `srcRect` is in thousandths of a percent; sides without crop are left out.
    let src_rect: String = ["l", "t", "r", "b"]
        .iter()
        .zip(crop)
        .map(|(side, fraction)| (side, (fraction * 100_000.0).round() as i64))
        .filter(|(_, value)| *value != 0)
        .map(|(side, value)| format!(r#" {side}="{value}""#))
        .collect();
    format!(
        r#"<p:pic><p:nvPicPr>{}<p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="{rid}"/><a:srcRect{src_rect}/><a:stretch><a:fillRect/></a:stretch></p:blipFill>{}</p:pic>"#,
        c_nv_pr(id, "", "Picture", &format!(r#" descr="{}""#, esc(descr))),
        sp_pr(&Frame::of(frame).xfrm(""), "rect", ""),
    )
}

pub(super) fn rect_xml(
    id: u32,
    frame: &Rect,
    fill_color: Option<Rgb>,
    line: Option<(Rgb, f64)>,
) -> String {
    format!(
        r#"<p:sp><p:nvSpPr>{}<p:cNvSpPr/><p:nvPr/></p:nvSpPr>{}</p:sp>"#,
        c_nv_pr(id, "", "Rectangle", ""),
        sp_pr(
            &Frame::of(frame).xfrm(""),
            "rect",
            &(fill(fill_color) + &outline(line))
        ),
    )
}

/// A connector from (x1, y1) to (x2, y2): its box spans the two ends, and
/// flips say which corners they are.
pub(super) fn line_xml(id: u32, [x1, y1, x2, y2]: [f64; 4], color: Rgb, width: f64) -> String {
    let frame = Frame::from_pt(x1.min(x2), y1.min(y2), (x2 - x1).abs(), (y2 - y1).abs());
    let flip = match (x2 < x1, y2 < y1) {
        (false, false) => "",
        (true, false) => r#" flipH="1""#,
        (false, true) => r#" flipV="1""#,
        (true, true) => r#" flipH="1" flipV="1""#,
    };
    format!(
        r#"<p:cxnSp><p:nvCxnSpPr>{}<p:cNvCxnSpPr/><p:nvPr/></p:nvCxnSpPr>{}</p:cxnSp>"#,
        c_nv_pr(id, "", "Connector", ""),
        sp_pr(&frame.xfrm(flip), "line", &outline(Some((color, width)))),
    )
}

/// A placeholder of a master, layout or notes slide.
pub(super) struct Placeholder<'a> {
    pub(super) id: u32,
    pub(super) name: &'a str,
    /// Attributes of `<p:ph>`.
    pub(super) ph: &'a str,
    /// `None` inherits the position from the master.
    pub(super) frame: Option<Frame>,
    /// Paragraphs of the text body; `None` for no text body.
    pub(super) text: Option<String>,
}

impl Placeholder<'_> {
    pub(super) fn xml(&self) -> String {
        // Like PowerPoint, keep the slide image's aspect ratio locked.
        let locks = if self.ph.contains("sldImg") {
            r#"<a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/>"#
        } else {
            r#"<a:spLocks noGrp="1"/>"#
        };
        let sp_pr = self.frame.map_or_else(
            || "<p:spPr/>".to_string(),
            |frame| sp_pr(&frame.xfrm(""), "rect", ""),
        );
        let body = self.text.as_deref().map_or_else(String::new, |paragraphs| {
            let paragraphs = if paragraphs.is_empty() {
                plain_para("")
            } else {
                paragraphs.to_string()
            };
            format!("<p:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}</p:txBody>")
        });
        format!(
            r#"<p:sp><p:nvSpPr><p:cNvPr id="{}" name="{}"/><p:cNvSpPr>{locks}</p:cNvSpPr><p:nvPr><p:ph {}/></p:nvPr></p:nvSpPr>{sp_pr}{body}</p:sp>"#,
            self.id, self.name, self.ph
        )
    }
}

/// A paragraph of unstyled text (styled by the placeholder it is in).
pub(super) fn plain_para(text: &str) -> String {
    let text = esc(text);
    if text.is_empty() {
        format!("<a:p><a:endParaRPr {LANG}/></a:p>")
    } else {
        format!("<a:p><a:r><a:rPr {LANG}/><a:t>{text}</a:t></a:r><a:endParaRPr {LANG}/></a:p>")
    }
}

/// Escapes `text` for XML character data and attribute values, dropping
/// characters XML 1.0 does not allow (control characters other than tab,
/// line feed and carriage return; U+FFFE and U+FFFF).
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t'
            | '\n'
            | '\r'
            | '\u{20}'..='\u{D7FF}'
            | '\u{E000}'..='\u{FFFD}'
            | '\u{10000}'.. => {
                out.push(c);
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_invalid_characters() {
        assert_eq!(
            esc("a&b<c>\"d\"'e'\u{1}\u{b}\u{fffe}\t涪"),
            "a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;\t涪"
        );
    }

    #[test]
    fn converts_points_to_emu() {
        assert_eq!(emu(960.0), 12_192_000);
        assert_eq!(emu(540.0), 6_858_000);
        assert_eq!(emu(0.5 / 12_700.0), 1);
        let frame = Frame::from_pt(0.1, 0.0, 0.1, 1.0);
        assert_eq!((frame.x, frame.cx), (1270, 1270));
    }

    #[test]
    fn runs_break_lines_and_name_the_face_everywhere() {
        let theme = Theme {
            name: "T".into(),
            major_latin: "L".into(),
            major_ea: "Noto Sans CJK SC".into(),
            minor_latin: "L".into(),
            minor_ea: "Noto Serif CJK SC".into(),
            accent: Rgb(0xC0, 0, 0),
            ink: Rgb(0, 0, 0),
            paper: Rgb(255, 255, 255),
            tint: Rgb(250, 240, 240),
            grey: Rgb(128, 128, 128),
        };
        let run = Run {
            text: "一\n二".into(),
            size: 10.5,
            bold: true,
            color: Rgb(0xC0, 0, 0x0A),
            face: Face::Heading,
        };
        let styles = Styles {
            theme: &theme,
            panose: [(
                "Noto Sans CJK SC".to_string(),
                [2, 11, 5, 0, 0, 0, 0, 0, 0, 0],
            )]
            .into(),
        };
        let xml = run_xml(&run, &styles);
        assert_eq!(xml.matches("<a:br>").count(), 1);
        assert!(xml.contains(r#"sz="1050" b="1""#));
        assert!(xml.contains(r#"<a:srgbClr val="C0000A"/>"#));
        for slot in ["latin", "ea", "cs"] {
            assert!(xml.contains(&format!(
                r#"<a:{slot} typeface="Noto Sans CJK SC" panose="020B0500000000000000" pitchFamily="34" charset="-122"/>"#
            )));
        }
    }

    #[test]
    fn lines_flip_when_drawn_backwards() {
        let xml = line_xml(2, [100.0, 50.0, 0.0, 60.0], Rgb(0, 0, 0), 1.0);
        assert!(xml.contains(
            r#"<a:xfrm flipH="1"><a:off x="0" y="635000"/><a:ext cx="1270000" cy="127000"/>"#
        ));
        assert!(xml.contains(r#"<a:ln w="12700">"#));
    }
}
