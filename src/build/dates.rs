//! Dates the build stamps its outputs with: `SOURCE_DATE_EPOCH` or the
//! report's date, as a Typst date-time (the templates' today, the PDF's
//! dates) and as a W3C date-time (the PPTX's properties).

/// Turns `SOURCE_DATE_EPOCH` seconds into a Typst date-time (UTC).
pub fn datetime_from_epoch(seconds: i64) -> Option<typst::foundations::Datetime> {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    typst::foundations::Datetime::from_ymd_hms(
        i32::try_from(y).ok()?,
        m,
        d,
        (secs / 3600) as u8,
        (secs % 3600 / 60) as u8,
        (secs % 60) as u8,
    )
}

/// A W3C date-time (`2024-03-05T00:00:00Z`) for document properties: from
/// `SOURCE_DATE_EPOCH` when set, else the report's date at midnight.
pub fn w3cdtf(epoch: Option<i64>, date: &str) -> String {
    match epoch {
        Some(seconds) => {
            let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
            let s = seconds.rem_euclid(86_400);
            format!(
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
                s / 3600,
                s % 3600 / 60,
                s % 60
            )
        }
        None => format!("{date}T00:00:00Z"),
    }
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Parses a `YYYY-MM-DD` date (already validated in the report).
pub fn datetime_from_iso(date: &str) -> Option<typst::foundations::Datetime> {
    let mut parts = date.split('-').map(str::parse::<u32>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    typst::foundations::Datetime::from_ymd(i32::try_from(y).ok()?, m as u8, d as u8)
}

#[cfg(test)]
mod tests {
    #[test]
    fn epoch_converts_to_civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(19_787), (2024, 3, 5));
    }
}
