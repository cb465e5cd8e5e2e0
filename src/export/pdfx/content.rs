//! Colour and overprint in content streams, for PDF/X.
//!
//! Every colour operator is rewritten into DeviceCMYK: CMYK as it is,
//! grey as black ink (`v g` → `0 0 0 1-v k`, which is how a CMYK plant
//! prints DeviceGray anyway, and lets it overprint), RGB and ICC-based
//! colours separated through the output profile. Then every painting
//! operator gets the overprint state it needs, through one of four
//! graphics states (`/BmOP` + fill + stroke): 100 % black text and thin
//! 100 % black strokes overprint (`/op`, `/OP`, `/OPM 1`), everything else
//! (white or reversed type, tints, photos) knocks out. The state follows
//! `q`/`Q`, so it is set again only where it changes.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use super::lex;
use crate::assets::colour::Separation;

/// Strokes this thin or thinner (in points, on the page) overprint when
/// they are 100 % black: rules, not panels.
pub const THIN_RULE: f64 = 2.0;

/// A colour as the page sets it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Ink {
    Cmyk([f32; 4]),
    /// A pattern, spot or other colour left as it is.
    Other,
}

impl Ink {
    /// 100 % black and nothing else.
    fn is_black(self) -> bool {
        matches!(self, Ink::Cmyk([c, m, y, k]) if c + m + y < 0.002 && k > 0.998)
    }
}

/// A colour space as a resource names it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Space {
    Gray,
    Rgb,
    Cmyk,
    Other,
}

/// The graphics state this pass follows.
#[derive(Debug, Clone, Copy)]
struct State {
    fill: Ink,
    stroke: Ink,
    fill_space: Space,
    stroke_space: Space,
    width: f64,
    scale: f64,
    /// Overprint for fills and strokes, as last set (`None`: unknown).
    overprint: Option<(bool, bool)>,
}

impl State {
    fn new(known: bool) -> Self {
        let black = Ink::Cmyk([0.0, 0.0, 0.0, 1.0]);
        Self {
            fill: black,
            stroke: black,
            fill_space: Space::Gray,
            stroke_space: Space::Gray,
            width: 1.0,
            scale: 1.0,
            overprint: known.then_some((false, false)),
        }
    }
}

/// What a content stream's resources say about the names it uses.
pub struct Names {
    spaces: HashMap<Vec<u8>, Space>,
    images: Vec<Vec<u8>>,
}

impl Names {
    /// Reads the colour spaces and image XObjects of a resource dictionary.
    pub fn read(doc: &Document, resources: &Dictionary) -> Self {
        let mut spaces = HashMap::new();
        if let Some(dict) = sub_dict(doc, resources, b"ColorSpace") {
            for (name, value) in dict.iter() {
                spaces.insert(name.clone(), space_of(doc, value));
            }
        }
        let mut images = Vec::new();
        if let Some(dict) = sub_dict(doc, resources, b"XObject") {
            for (name, value) in dict.iter() {
                let is_image = value
                    .as_reference()
                    .and_then(|id| doc.get_object(id))
                    .and_then(Object::as_stream)
                    .is_ok_and(|s| {
                        s.dict
                            .get(b"Subtype")
                            .and_then(Object::as_name)
                            .is_ok_and(|n| n == b"Image")
                    });
                if is_image {
                    images.push(name.clone());
                }
            }
        }
        Self { spaces, images }
    }

    fn space(&self, name: &[u8]) -> Space {
        match name {
            b"DeviceGray" => Space::Gray,
            b"DeviceRGB" => Space::Rgb,
            b"DeviceCMYK" => Space::Cmyk,
            other => self.spaces.get(other).copied().unwrap_or(Space::Other),
        }
    }
}

/// A dictionary entry that is a dictionary, inline or referenced.
pub fn sub_dict<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    match dict.get(key).ok()? {
        Object::Reference(id) => doc.get_dictionary(*id).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

/// The kind of a colour space object: a device name, or an ICC-based
/// space by its number of components.
fn space_of(doc: &Document, value: &Object) -> Space {
    let value = match value {
        Object::Reference(id) => match doc.get_object(*id) {
            Ok(v) => v,
            Err(_) => return Space::Other,
        },
        v => v,
    };
    match value {
        Object::Name(n) => match n.as_slice() {
            b"DeviceGray" | b"CalGray" => Space::Gray,
            b"DeviceRGB" | b"CalRGB" => Space::Rgb,
            b"DeviceCMYK" => Space::Cmyk,
            _ => Space::Other,
        },
        Object::Array(a) if a.first().and_then(|o| o.as_name().ok()) == Some(b"ICCBased") => {
            let n = a
                .get(1)
                .and_then(|o| o.as_reference().ok())
                .and_then(|id| doc.get_object(id).ok())
                .and_then(|o| o.as_stream().ok())
                .and_then(|s| s.dict.get(b"N").ok()?.as_i64().ok());
            match n {
                Some(1) => Space::Gray,
                Some(3) => Space::Rgb,
                Some(4) => Space::Cmyk,
                _ => Space::Other,
            }
        }
        Object::Array(a) if a.first().and_then(|o| o.as_name().ok()) == Some(b"CalRGB") => {
            Space::Rgb
        }
        Object::Array(a) if a.first().and_then(|o| o.as_name().ok()) == Some(b"CalGray") => {
            Space::Gray
        }
        _ => Space::Other,
    }
}

/// The four overprint graphics states, by name: fill and stroke flags.
pub fn overprint_states() -> Vec<(String, Dictionary)> {
    let mut out = Vec::new();
    for fill in [false, true] {
        for stroke in [false, true] {
            let mut dict = Dictionary::new();
            dict.set("Type", Object::Name(b"ExtGState".to_vec()));
            dict.set("op", Object::Boolean(fill));
            dict.set("OP", Object::Boolean(stroke));
            dict.set("OPM", Object::Integer(1));
            out.push((state_name(fill, stroke), dict));
        }
    }
    out
}

fn state_name(fill: bool, stroke: bool) -> String {
    format!("BmOP{}{}", u8::from(fill), u8::from(stroke))
}

/// Writes a DeviceCMYK colour operator: four decimals (finer than any
/// plate), whole values as integers.
fn write_cmyk(out: &mut Vec<u8>, operator: &str, c: [f32; 4]) {
    use std::io::Write;
    for v in c {
        let v = f64::from((v * 10000.0).round()) / 10000.0;
        let _ = write!(out, "{v} ");
    }
    out.extend_from_slice(operator.as_bytes());
    out.push(b'\n');
}

/// Rewrites one content stream (see the module); `page` says whether it
/// starts in a page's default state (a form's starts in its caller's).
/// Operations left as they are keep their bytes; each goes on a line.
pub fn rewrite(
    content: &[u8],
    names: &Names,
    sep: &Separation,
    page: bool,
) -> Result<Vec<u8>, String> {
    let ops = lex::operations(content)?;
    let mut out = Vec::with_capacity(content.len() + content.len() / 8);
    let mut stack: Vec<State> = Vec::new();
    let mut st = State::new(page);
    for op in &ops {
        let operator = std::str::from_utf8(op.operator).unwrap_or("");
        // Upper case strokes, lower case fills.
        let stroke = operator.starts_with(|c: char| c.is_ascii_uppercase());
        let set = match operator {
            "g" | "G" => Some(Space::Gray),
            "rg" | "RG" => Some(Space::Rgb),
            "k" | "K" => Some(Space::Cmyk),
            "sc" | "scn" => Some(st.fill_space),
            "SC" | "SCN" => Some(st.stroke_space),
            _ => None,
        };
        if let Some(space) = set.filter(|&s| s != Space::Other) {
            set_colour(&mut out, &mut st, stroke, space, &op.numbers(), sep);
            continue;
        }
        match operator {
            "q" => stack.push(st),
            "Q" => st = stack.pop().unwrap_or(State::new(false)),
            "cm" => {
                let n = op.numbers();
                if n.len() == 6 {
                    st.scale *= f64::from(n[0] * n[3] - n[1] * n[2]).abs().sqrt();
                }
            }
            "w" => st.width = op.numbers().first().map_or(1.0, |&w| f64::from(w)),
            "cs" | "CS" => {
                let space = op
                    .operands
                    .first()
                    .and_then(lex::Operand::name)
                    .map_or(Space::Other, |n| names.space(&n));
                if space != Space::Other {
                    // The space's initial colour: black, or no ink for ICC CMYK.
                    let initial: &[f32] = match space {
                        Space::Cmyk => &[0.0, 0.0, 0.0, 0.0],
                        Space::Rgb => &[0.0, 0.0, 0.0],
                        _ => &[0.0],
                    };
                    set_colour(&mut out, &mut st, stroke, space, initial, sep);
                    continue;
                }
                if stroke {
                    st.stroke_space = space;
                    st.stroke = Ink::Other;
                } else {
                    st.fill_space = space;
                    st.fill = Ink::Other;
                }
            }
            _ => {}
        }
        if let Some(want) = wanted(operator, op, &st, names) {
            let now = st.overprint;
            let fill = want.0.or(now.map(|n| n.0)).unwrap_or(false);
            let stroke = want.1.or(now.map(|n| n.1)).unwrap_or(false);
            if now != Some((fill, stroke)) {
                out.push(b'/');
                out.extend_from_slice(state_name(fill, stroke).as_bytes());
                out.extend_from_slice(b" gs\n");
                st.overprint = Some((fill, stroke));
            }
        }
        out.extend_from_slice(&content[op.span.clone()]);
        out.push(b'\n');
    }
    Ok(out)
}

/// Sets a fill or stroke colour given in `space`, as a DeviceCMYK operator.
fn set_colour(
    out: &mut Vec<u8>,
    st: &mut State,
    stroke: bool,
    space: Space,
    n: &[f32],
    sep: &Separation,
) {
    let get = |i: usize| n.get(i).copied().unwrap_or(0.0).clamp(0.0, 1.0);
    let cmyk = match space {
        Space::Gray => [0.0, 0.0, 0.0, 1.0 - get(0)],
        Space::Rgb => sep.colour([get(0), get(1), get(2)]),
        _ => [get(0), get(1), get(2), get(3)],
    };
    // The space stays the one the stream set: its later `sc` operands are
    // in it.
    if stroke {
        st.stroke = Ink::Cmyk(cmyk);
        st.stroke_space = space;
    } else {
        st.fill = Ink::Cmyk(cmyk);
        st.fill_space = space;
    }
    write_cmyk(out, if stroke { "K" } else { "k" }, cmyk);
}

/// The overprint a painting operator needs, for fills and strokes (`None`
/// where it does not matter); `None` for operators that paint nothing.
fn wanted(
    operator: &str,
    op: &lex::Op,
    st: &State,
    names: &Names,
) -> Option<(Option<bool>, Option<bool>)> {
    let thin_black = st.stroke.is_black() && st.width * st.scale <= THIN_RULE;
    match operator {
        "Tj" | "TJ" | "'" | "\"" => Some((Some(st.fill.is_black()), None)),
        "S" | "s" => Some((None, Some(thin_black))),
        "f" | "F" | "f*" => Some((Some(false), None)),
        "B" | "B*" | "b" | "b*" => Some((Some(false), Some(thin_black))),
        "sh" => Some((Some(false), Some(false))),
        "Do" => {
            let name = op.operands.first().and_then(lex::Operand::name)?;
            names
                .images
                .contains(&name)
                .then_some((Some(false), Some(false)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::colour::OutputProfile;
    use std::sync::Arc;

    fn sep() -> Separation {
        Separation::new(Arc::new(OutputProfile::bundled()), 240.0).unwrap()
    }

    fn names() -> Names {
        Names {
            spaces: HashMap::from([(b"Cs1".to_vec(), Space::Rgb)]),
            images: vec![b"Im1".to_vec()],
        }
    }

    fn run(content: &str) -> String {
        let out = rewrite(content.as_bytes(), &names(), &sep(), true).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn black_text_overprints_and_white_text_knocks_out() {
        let out = run("BT 0 0 0 1 k (a) Tj 0 0 0 0 k (b) Tj 0 0 0 1 k (c) Tj ET");
        let ops: Vec<&str> = out.split('\n').collect();
        let gs: Vec<&&str> = ops.iter().filter(|l| l.ends_with(" gs")).collect();
        assert_eq!(gs, [&"/BmOP10 gs", &"/BmOP00 gs", &"/BmOP10 gs"], "{out}");
    }

    #[test]
    fn grey_and_rgb_become_cmyk() {
        let out = run("0.5 g 0 0 10 10 re f /Cs1 cs 1 0 0 scn 0 0 5 5 re f 1 0 0 RG 0 0 m 1 1 l S");
        assert!(
            !out.contains(" g\n")
                && !out.contains(" rg")
                && !out.contains(" cs")
                && !out.contains(" scn"),
            "{out}"
        );
        assert!(out.contains("0 0 0 0.5 k"), "{out}");
        // The space's initial black, then red.
        assert!(
            out.matches(" k\n").count() == 3 && out.contains(" K\n"),
            "{out}"
        );
    }

    #[test]
    fn thin_black_rules_overprint_panels_and_images_do_not() {
        let out = run(
            "0 0 0 1 K 0.5 w 0 0 m 9 0 l S 6 w 0 0 m 9 0 l S q 0 0 0 1 k 0 0 9 9 re f Q /Im1 Do",
        );
        let gs: Vec<&str> = out.split('\n').filter(|l| l.ends_with(" gs")).collect();
        assert_eq!(gs, ["/BmOP01 gs", "/BmOP00 gs"], "{out}");
    }

    #[test]
    fn the_overprint_state_follows_save_and_restore() {
        let out = run("q BT 0 0 0 1 k (a) Tj ET Q BT 0 0 0 1 k (b) Tj ET");
        assert_eq!(out.matches("/BmOP10 gs").count(), 2, "{out}");
    }
}
