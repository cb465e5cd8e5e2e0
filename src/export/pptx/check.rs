//! Checking a deck before writing it: every length, size, crop and date
//! must be one PowerPoint can represent.

use super::*;

/// Largest slide side PowerPoint accepts (56 in), and the smallest (1 in).
pub(super) const MAX_SLIDE_EMU: i64 = 51_206_400;
pub(super) const MIN_SLIDE_EMU: i64 = 914_400;
/// Largest font size in points (`ST_TextFontSize` is at most 400000).
pub(super) const MAX_FONT_PT: f64 = 4000.0;
/// Largest spacing or line width in points (`ST_TextSpacingPoint`, `ST_LineWidth`).
pub(super) const MAX_SPACING_PT: f64 = 1584.0;

pub(super) fn validate(deck: &Deck) -> Result<(), PptxError> {
    check_slide_size(deck).map_err(PptxError::Invalid)?;
    if let Some(date) = &deck.modified {
        check_w3cdtf(date).map_err(PptxError::Invalid)?;
    }
    for (s, slide) in deck.slides.iter().enumerate() {
        for (e, element) in slide.elements.iter().enumerate() {
            check_element(element).map_err(|message| {
                PptxError::Invalid(format!("slide {}, element {}: {message}", s + 1, e + 1))
            })?;
        }
    }
    Ok(())
}

pub(super) fn check_slide_size(deck: &Deck) -> Result<(), String> {
    for (what, pt) in [("width", deck.width), ("height", deck.height)] {
        let ok = pt.is_finite() && (MIN_SLIDE_EMU..=MAX_SLIDE_EMU).contains(&emu(pt));
        if !ok {
            return Err(format!("slide {what} {pt} pt is outside 72..=4032 pt"));
        }
    }
    Ok(())
}

/// Accepts `YYYY-MM-DDThh:mm:ss`, optional fractional seconds, then `Z` or
/// `±hh:mm`: the form Office writes and reads back.
pub(super) fn check_w3cdtf(date: &str) -> Result<(), String> {
    const SHAPE: &[u8] = b"0000-00-00T00:00:00";
    let b = date.as_bytes();
    let digit_or = |i: usize, want: u8| {
        b.get(i).is_some_and(|&c| {
            if want == b'0' {
                c.is_ascii_digit()
            } else {
                c == want
            }
        })
    };
    let mut ok = (0..SHAPE.len()).all(|i| digit_or(i, SHAPE[i]));
    let mut rest = date.get(SHAPE.len()..).unwrap_or("");
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        ok &= digits > 0;
        rest = &fraction[digits..];
    }
    let zone = rest.as_bytes();
    ok &= rest == "Z"
        || (zone.len() == 6
            && matches!(zone[0], b'+' | b'-')
            && zone[3] == b':'
            && [1, 2, 4, 5].iter().all(|&i| zone[i].is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "date {date:?} is not a W3CDTF date-time like 2026-03-05T00:00:00Z"
        ))
    }
}

pub(super) fn check_element(element: &Element) -> Result<(), String> {
    match element {
        Element::Text(text) => {
            check_rect(&text.frame)?;
            check_range("inset", text.inset, 0.0, MAX_SPACING_PT)?;
            text.paragraphs.iter().try_for_each(check_para)
        }
        Element::Picture {
            frame,
            jpeg,
            px_w,
            px_h,
            crop,
            ..
        } => {
            check_rect(frame)?;
            if !jpeg.starts_with(&[0xFF, 0xD8, 0xFF]) {
                return Err("picture is not a JPEG file".into());
            }
            if *px_w == 0 || *px_h == 0 {
                return Err("picture has no pixels".into());
            }
            check_crop(crop)
        }
        Element::Shape { frame, line, .. } => {
            check_rect(frame)?;
            line.map_or(Ok(()), |(_, width)| {
                check_range("line width", width, 0.0, MAX_SPACING_PT)
            })
        }
        Element::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            ..
        } => {
            for (what, v) in [("x1", x1), ("y1", y1), ("x2", x2), ("y2", y2)] {
                check_finite(what, *v)?;
            }
            check_range("line width", *width, 0.0, MAX_SPACING_PT)
        }
    }
}

pub(super) fn check_para(para: &Para) -> Result<(), String> {
    if let Some(spacing) = para.line_spacing {
        check_range("line spacing", spacing, 0.01, MAX_SPACING_PT)?;
    }
    check_range("space after", para.space_after, 0.0, MAX_SPACING_PT)?;
    if let Some(bullet) = &para.bullet {
        check_bullet(bullet, para)?;
    }
    para.runs
        .iter()
        .try_for_each(|run| check_range("font size", run.size, 1.0, MAX_FONT_PT))
}

/// The bullet's indent must be a margin PowerPoint takes (0 to 51206400
/// EMU), and its size 25 % to 400 % of the text's (`ST_TextBulletSizePercent`).
pub(super) fn check_bullet(bullet: &Bullet, para: &Para) -> Result<(), String> {
    check_range(
        "bullet indent",
        bullet.indent,
        0.0,
        MAX_SLIDE_EMU as f64 / EMU_PER_PT,
    )?;
    let text_size = para.runs.first().map_or(bullet.size, |run| run.size);
    check_range("bullet size", bullet.size / text_size, 0.25, 4.0)?;
    if bullet.char.is_control() || bullet.char.is_whitespace() {
        return Err(format!(
            "bullet {:?} is not a visible character",
            bullet.char
        ));
    }
    Ok(())
}

pub(super) fn check_rect(rect: &Rect) -> Result<(), String> {
    check_finite("x", rect.x)?;
    check_finite("y", rect.y)?;
    check_range("width", rect.w, 0.0, f64::MAX)?;
    check_range("height", rect.h, 0.0, f64::MAX)
}

pub(super) fn check_crop(crop: &[f64; 4]) -> Result<(), String> {
    for (side, fraction) in ["left", "top", "right", "bottom"].iter().zip(crop) {
        check_range(&format!("{side} crop"), *fraction, 0.0, 1.0)?;
    }
    let [l, t, r, b] = *crop;
    if l + r >= 1.0 || t + b >= 1.0 {
        return Err(format!("crop {crop:?} leaves nothing of the picture"));
    }
    Ok(())
}

pub(super) fn check_finite(what: &str, v: f64) -> Result<(), String> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(format!("{what} is {v}"))
    }
}

pub(super) fn check_range(what: &str, v: f64, min: f64, max: f64) -> Result<(), String> {
    if (min..=max).contains(&v) {
        Ok(())
    } else {
        Err(format!("{what} {v} is outside {min}..={max}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_w3cdtf() {
        for good in ["2026-03-05T00:00:00Z", "2026-03-05T08:30:00.25+08:00"] {
            assert!(check_w3cdtf(good).is_ok(), "{good}");
        }
        for bad in [
            "2026-03-05",
            "2026-03-05T00:00:00",
            "2026-3-05T00:00:00Z",
            "x",
        ] {
            assert!(check_w3cdtf(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn crop_must_leave_part_of_the_picture() {
        assert!(check_crop(&[0.1, 0.0, 0.2, 0.0]).is_ok());
        assert!(check_crop(&[0.5, 0.0, 0.5, 0.0]).is_err());
        assert!(check_crop(&[-0.1, 0.0, 0.0, 0.0]).is_err());
        assert!(check_crop(&[f64::NAN, 0.0, 0.0, 0.0]).is_err());
    }
}
