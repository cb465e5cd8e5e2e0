//! The headline group (标题群) at the top of a report: 引题 (kicker) over
//! 主题 (title) over 副题 (subtitle), a series or column tag
//! ("（新时代 新气象 新作为）" after the title, or a bracketed line), the
//! edition label and the series line above it, and the banner's display
//! line.
//!
//! Word's Title and Markdown's `#` name the title outright; a subtitle
//! starts with "——" or has Word's Subtitle style; otherwise order tells.
//! The display line is never guessed from order: only a display slogan
//! (four phrases or more, or words naming a picture) is one. Every guess
//! that order alone decided is noted for the editor.

use super::blocks::{Block, Kind};
use super::classify::{self, is_display_shape};
use super::front::Front;
use super::marks;
use super::normalise::{Style, normalise};

/// The part a head line plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Series,
    Edition,
    Display,
    Kicker,
    Title,
    Subtitle,
}

/// Gives the head lines their parts and fills the front with them.
/// `closed`: a byline, dateline, lede box or marked subhead follows them,
/// so none of them is the body's first subhead. Returns how many lines
/// belong to the front: the rest, right above the text, are given back
/// to the body as its first subhead.
pub fn assign(front: &mut Front, head: &[&Block], lede_at: Option<usize>, closed: bool) -> usize {
    let from = lede_at.unwrap_or(0).min(head.len());
    let kept = if closed {
        head.len()
    } else {
        from + kept_lines(&head[from..])
    };
    if kept < head.len() {
        front.notes.add("sections[0].heading", format!(
            "“{}”, right above the text, was taken as the first subhead, not part of the headline; if it belongs to the headline, move it there",
            head[kept..].iter().map(|b| b.text.as_str()).collect::<Vec<_>>().join(" / ")
        ));
    }
    let head = &head[..kept];
    let mut roles = vec![None; head.len()];
    let guessed = mark_roles(head, lede_at, &mut roles);
    fill(front, head, &roles, guessed);
    kept
}

/// How many head lines belong to the headline when nothing closed it: a
/// two-line subhead ("扶贫有抓手——" over its main line) or, past the three
/// lines a headline has, a subhead-shaped last line is the body's.
fn kept_lines(head: &[&Block]) -> usize {
    let n = head.len();
    // The lines that can be kicker, title or subtitle.
    let candidates = head
        .iter()
        .filter(|b| {
            marks::series_line(&b.text).is_none()
                && !classify::is_edition(&b.text)
                && !is_display_shape(&b.text)
        })
        .count();
    let plain = |b: &Block| b.kind == Kind::Plain;
    let marked = head
        .iter()
        .any(|b| matches!(b.kind, Kind::Title | Kind::Heading(_)));
    if let Some(d) = head
        .iter()
        .position(|b| b.text.starts_with("——"))
        .filter(|&d| d > 0)
    {
        // After the subtitle, only subheads.
        return d + 1;
    }
    if marked {
        let title = head
            .iter()
            .position(|b| matches!(b.kind, Kind::Title | Kind::Heading(_)))
            .unwrap_or(0);
        let subtitle = head.iter().position(|b| b.kind == Kind::Subtitle);
        return subtitle.map_or(title + 1, |s| s.max(title) + 1).min(n);
    }
    // A kicker line ending in "——" belongs to a two-line subhead: with
    // its main line, or alone when the main line (with a comma) already
    // ended the front.
    if candidates >= 3 && plain(head[n - 1]) && marks::is_lead_line(&head[n - 2].text) {
        return n - 2;
    }
    if candidates >= 2 && marks::is_lead_line(&head[n - 1].text) {
        return n - 1;
    }
    let subhead_shaped =
        |b: &Block| classify::is_subhead_shape(&b.text) || marks::is_comma_subhead(&b.text);
    if candidates >= 4 || (candidates == 3 && subhead_shaped(head[n - 1])) {
        return n - 1;
    }
    n
}

/// Roles by kind (Word's Title and Subtitle, Markdown's `#`), by mark (a
/// bracketed tag, the edition label, a subtitle's dash, a display slogan)
/// and by order; `true` when kicker and title were told apart by order.
fn mark_roles(head: &[&Block], lede_at: Option<usize>, roles: &mut [Option<Role>]) -> bool {
    for (i, block) in head.iter().enumerate() {
        roles[i] = match block.kind {
            Kind::Title | Kind::Heading(_) if !roles.contains(&Some(Role::Title)) => {
                Some(Role::Title)
            }
            Kind::Subtitle => Some(Role::Subtitle),
            _ if marks::series_line(&block.text).is_some() => Some(Role::Series),
            _ => None,
        };
    }
    if let Some(e) =
        (0..head.len()).find(|&i| roles[i].is_none() && classify::is_edition(&head[i].text))
    {
        roles[e] = Some(Role::Edition);
        if e > 0 && roles[e - 1].is_none() {
            roles[e - 1] = Some(Role::Series);
        }
    }
    let rest: Vec<usize> = (0..head.len()).filter(|&i| roles[i].is_none()).collect();
    // A display slogan: above the lede box, or first of two lines or more.
    for (k, &i) in rest.iter().enumerate() {
        let before_lede = lede_at.is_some_and(|at| i < at);
        let first = k == 0 && rest.len() >= 2;
        if is_display_shape(&head[i].text) && (before_lede || first) {
            roles[i] = Some(Role::Display);
        }
    }
    let rest: Vec<usize> = (0..head.len()).filter(|&i| roles[i].is_none()).collect();
    let guessed = match roles.iter().position(|r| *r == Some(Role::Title)) {
        Some(t) => {
            around_title(head, &rest, t, roles);
            false
        }
        None => by_order(head, &rest, roles),
    };
    // Lines past the subtitle (a byline closed the group after them)
    // join it, so no text is lost.
    for role in roles.iter_mut().filter(|r| r.is_none()) {
        *role = Some(Role::Subtitle);
    }
    guessed
}

/// With a marked title: the line right above it is the kicker, a dashed
/// line or the line right below it the subtitle (unless Word marked one);
/// lines further up are the series.
fn around_title(head: &[&Block], rest: &[usize], t: usize, roles: &mut [Option<Role>]) {
    let has_subtitle = roles.contains(&Some(Role::Subtitle));
    let below = rest.iter().copied().filter(|&i| i > t);
    let dashed = below.clone().find(|&i| head[i].text.starts_with("——"));
    if let Some(s) = dashed.or(below.clone().next()).filter(|_| !has_subtitle) {
        roles[s] = Some(Role::Subtitle);
    }
    let mut above = rest.iter().copied().filter(|&i| i < t).rev();
    if let Some(k) = above.next() {
        roles[k] = Some(Role::Kicker);
    }
    for i in above {
        roles[i] = Some(Role::Series);
    }
}

/// Without a marked title: a dashed line is the subtitle, the line above
/// it the title and the one above that the kicker; else of one to three
/// lines the last but one (or the only one) is the title, two lines are
/// kicker and title and three kicker, title and subtitle. Lines above the
/// headline are the series. Returns whether that was a guess.
fn by_order(head: &[&Block], rest: &[usize], roles: &mut [Option<Role>]) -> bool {
    let dash = rest
        .iter()
        .position(|&i| head[i].text.starts_with("——"))
        .filter(|&d| d > 0);
    let (parts, guessed): (&[Role], bool) = match (dash, rest.len()) {
        (Some(1), _) => (&[Role::Title, Role::Subtitle], false),
        (Some(_), _) => (&[Role::Kicker, Role::Title, Role::Subtitle], false),
        (None, 1) => (&[Role::Title], false),
        (None, 2) => (&[Role::Kicker, Role::Title], true),
        _ => (&[Role::Kicker, Role::Title, Role::Subtitle], true),
    };
    let end = dash.map_or(rest.len(), |d| d + 1);
    let start = end.saturating_sub(parts.len());
    for (&i, &role) in rest[start..end].iter().zip(parts) {
        roles[i] = Some(role);
    }
    for &i in &rest[..start] {
        roles[i] = Some(Role::Series);
    }
    guessed
}

/// Fills the front with the head lines' texts by role, noting guesses.
fn fill(front: &mut Front, head: &[&Block], roles: &[Option<Role>], guessed: bool) {
    let text = |role: Role| -> Vec<String> {
        (0..head.len())
            .filter(|&i| roles[i] == Some(role))
            .map(|i| normalise(&head[i].text, Style::Heading))
            .collect()
    };
    let joined = |role| Some(text(role).join(" ")).filter(|s| !s.is_empty());
    let series: Vec<String> = text(Role::Series)
        .iter()
        .map(|s| marks::series_line(s).unwrap_or(s).to_owned())
        .collect();
    front.series = Some(series.join(" ")).filter(|s| !s.is_empty());
    front.edition = front.edition.take().or_else(|| joined(Role::Edition));
    front.kicker = joined(Role::Kicker);
    front.title = joined(Role::Title);
    front.subtitle = joined(Role::Subtitle);
    notes(front, head, roles, guessed);
    split_series_tag(front);
    let display = text(Role::Display).join(" ");
    if !display.is_empty() {
        let (display, alt) = classify::split_picture_words(&display);
        front.notes.add(
            "banner.display",
            "a display slogan at the top was taken as the banner's display line",
        );
        if alt.is_some() {
            front.notes.add("banner.alt", "the display line ended with words naming a picture: taken as the photo's description");
        }
        front.display = Some(display);
        front.alt = alt;
    }
}

/// The guesses about the headline group.
fn notes(front: &mut Front, head: &[&Block], roles: &[Option<Role>], guessed: bool) {
    let bracketed = (0..head.len())
        .any(|i| roles[i] == Some(Role::Series) && marks::series_line(&head[i].text).is_some());
    if front.series.is_some() && !bracketed {
        front.notes.add(
            "masthead.series",
            "the line above the headline (or the edition label) was taken as the series title of the running head",
        );
    }
    if guessed && front.subtitle.is_some() {
        front.notes.add("headline.subtitle", "the third short line above the body was taken as the subtitle (副题); if it is the first subhead, move it to a [[sections]] heading");
    } else if guessed {
        front.notes.add("headline", "of the short lines above the body, the first was taken as the kicker (引题) and the second as the title (主题); swap them if the print set them the other way");
    }
}

/// A series tag after the title ("回家的路更顺畅（新时代 新气象 新作为）")
/// goes to the series, when there is none yet.
fn split_series_tag(front: &mut Front) {
    let Some(title) = front.title.clone() else {
        return;
    };
    if let Some((bare, tag)) = marks::split_series_tag(&title)
        && front.series.is_none()
    {
        front.title = Some(bare.to_owned());
        front.series = Some(tag.to_owned());
        front.notes.add(
            "masthead.series",
            format!("the tag “（{tag}）” after the title was taken as the series (栏目) of the running head"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::front::{self, Front};
    use super::super::text;

    /// The front of a plain text, and the first line of its body.
    fn front_of(text: &str) -> (Front, String) {
        let blocks = text::blocks(text);
        let front = front::read(&blocks);
        let body = blocks
            .get(front.end)
            .map_or(String::new(), |b| b.text.clone());
        (front, body)
    }

    const TEXT: &str = "全区规上工业产值达到2471亿元，同比增长11.2%。";

    #[test]
    fn the_first_subhead_right_above_the_text_is_given_back_to_the_body() {
        // After a dashed subtitle, only subheads.
        let (f, body) = front_of(&format!(
            "向海图强 逐浪前行\n——钦州见闻\n交通先行，一通百通\n{TEXT}"
        ));
        assert_eq!(
            (f.title.as_deref(), f.subtitle.as_deref()),
            (Some("向海图强 逐浪前行"), Some("——钦州见闻"))
        );
        assert_eq!(body, "交通先行，一通百通");
        // Past a bracketed series, kicker and title: a subhead-shaped line.
        let (f, body) = front_of(&format!(
            "（新时代 新气象 新作为）\n春运首日客流平稳有序\n回家的路更顺畅\n运力更足 开行列车创新高\n{TEXT}"
        ));
        assert_eq!(f.series.as_deref(), Some("新时代 新气象 新作为"));
        assert_eq!(
            (f.kicker.as_deref(), f.title.as_deref()),
            (Some("春运首日客流平稳有序"), Some("回家的路更顺畅"))
        );
        assert_eq!(f.subtitle, None);
        assert_eq!(body, "运力更足 开行列车创新高");
        assert!(
            f.notes.0.iter().any(|c| c.field == "sections[0].heading"),
            "{:?}",
            f.notes
        );
        // A two-line subhead under the headline goes back whole.
        let (f, body) = front_of(&format!(
            "乡村振兴看陕北\n黄土高坡日子甜\n扶贫有抓手——\n产业带动出活力，黄土也能生“四金”\n{TEXT}"
        ));
        assert_eq!(
            (f.kicker.as_deref(), f.title.as_deref()),
            (Some("乡村振兴看陕北"), Some("黄土高坡日子甜"))
        );
        assert_eq!(body, "扶贫有抓手——");
    }

    #[test]
    fn a_byline_or_dateline_closes_the_headline_group() {
        let (f, body) = front_of(&format!(
            "引题一行\n主题一行\n副题一行 两个短语\n本报记者 张三\n{TEXT}"
        ));
        assert_eq!(
            (
                f.kicker.as_deref(),
                f.title.as_deref(),
                f.subtitle.as_deref()
            ),
            (
                Some("引题一行"),
                Some("主题一行"),
                Some("副题一行 两个短语")
            )
        );
        assert_eq!(f.reporters, ["张三"]);
        assert_eq!(body, TEXT);
        let (f, _) = front_of(&format!(
            "引题一行\n主题一行\n副题一行 两个短语\n新华社北京1月4日电 {TEXT}"
        ));
        assert_eq!(f.subtitle.as_deref(), Some("副题一行 两个短语"));
    }

    #[test]
    fn the_display_line_comes_only_from_a_display_slogan() {
        let lede = "核心提示\n今年以来，全区工业稳中有进，产值同比增长11.2%。";
        let (f, _) = front_of(&format!(
            "产业强区\n{lede}\n涪陵 加快形成新质生产力\n{TEXT}"
        ));
        assert_eq!(f.display, None);
        assert_eq!(f.kicker.as_deref(), Some("产业强区"));
        let (f, _) = front_of(&format!(
            "两江福地 神奇涪陵 产业强区 创新高地\n{lede}\n涪陵 加快形成新质生产力\n{TEXT}"
        ));
        assert_eq!(
            f.display.as_deref(),
            Some("两江福地 神奇涪陵 产业强区 创新高地")
        );
        assert_eq!(f.title.as_deref(), Some("涪陵 加快形成新质生产力"));
    }
}
