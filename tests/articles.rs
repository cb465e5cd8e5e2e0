//! Real articles in (issue 18): six newspaper stories of different shapes
//! (`tests/fixtures/articles/`), each as plain text, Markdown and Word,
//! imported and checked field by field: a 引题/主题/副题 group with a series
//! tag and an edition line; comma subheads; two-line subheads; run-in
//! leads; an opening before the first subhead; a 新华社 dateline, a 本报记者
//! byline and photo credit lines. Then the spread and the deck are made of
//! them and read back: the new parts are drawn (text in the PDF, faces and
//! places on the laid-out page), and the deck's derived points are key
//! facts, at most 40 characters, cut at clause boundaries.

use crate::common;

use banmian::report::{Report, load, paragraphs};
use common::{banmian, pdf_text, stderr, write_photo};
use std::path::{Path, PathBuf};
use std::process::Command;
use typst::layout::{Frame, FrameItem, Point};

/// The formats each article comes in.
const FORMATS: [&str; 3] = ["txt", "md", "docx"];

fn article(name: &str, ext: &str) -> PathBuf {
    common::repo()
        .join("tests/fixtures/articles")
        .join(format!("{name}.{ext}"))
}

/// Imports an article in a format into `dir`, with the photos its
/// Markdown and Word versions embed; returns the report, the TOML text
/// and the import's log.
fn import(dir: &Path, name: &str, format: &str) -> (Report, String, String) {
    write_photo(&dir.join("photos/harvest.jpg"), 3000, 2000);
    write_photo(&dir.join("photos/drone.jpg"), 3000, 2000);
    let input = match format {
        "docx" => {
            let docx = dir.join(format!("{name}.docx"));
            let script = article("make-docx", "py");
            let output = Command::new("python3")
                .args([&script, &article(name, "md"), &docx, &dir.to_path_buf()])
                .output()
                .expect("python3 runs (.ci/run installs python-docx)");
            assert!(output.status.success(), "{}", stderr(&output));
            docx
        }
        _ => {
            let copy = dir.join(format!("{name}.{format}"));
            std::fs::copy(article(name, format), &copy).unwrap();
            copy
        }
    };
    let out = dir.join(format!("{name}-{format}.toml"));
    let args = [
        "import",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    let output = banmian(&args, dir);
    let log = stderr(&output);
    assert!(output.status.success(), "{name}.{format}: {log}");
    let report = load(&out)
        .unwrap_or_else(|e| panic!("{name}.{format} loads: {e}"))
        .report;
    (report, std::fs::read_to_string(&out).unwrap(), log)
}

/// What an article must import as, field by field.
#[derive(Default)]
struct Expected {
    kicker: &'static str,
    title: &'static str,
    subtitle: &'static str,
    series: &'static str,
    reporters: &'static [&'static str],
    /// Each section's (kicker, heading); the first ("", "") is the opening.
    sections: &'static [(&'static str, &'static str)],
    /// How the opening's first paragraph starts.
    opening: &'static str,
    /// Each section's run-in leads.
    leads: &'static [&'static [&'static str]],
    dateline: &'static str,
    /// Words naming the article's people, places and bodies.
    named: &'static [&'static str],
}

fn headings(r: &Report) -> Vec<(&str, &str)> {
    r.sections
        .iter()
        .map(|s| (s.kicker.as_str(), s.heading.as_str()))
        .collect()
}

/// Checks the fields every format must give alike.
fn check(r: &Report, e: &Expected, at: &str) {
    let h = &r.headline;
    assert_eq!(
        (h.kicker.as_str(), h.title.as_str(), h.subtitle.as_str()),
        (e.kicker, e.title, e.subtitle),
        "{at}: the headline group"
    );
    assert_eq!(r.masthead.series, e.series, "{at}: the series");
    assert!(r.banner.is_none(), "{at}: no display line without a slogan");
    assert!(r.lede.is_none(), "{at}: no lede box unless marked as one");
    assert_eq!(r.credits.reporters, e.reporters, "{at}: the byline");
    assert_eq!(headings(r), e.sections, "{at}: the subheads");
    let first = paragraphs(&r.sections[0].text);
    assert!(
        first[0].starts_with(e.opening),
        "{at}: the opening: {first:?}"
    );
    for (i, section) in r.sections.iter().enumerate() {
        let leads = e.leads.get(i).copied().unwrap_or_default();
        assert_eq!(section.leads, leads, "{at}: sections[{i}].leads");
        let paragraphs = paragraphs(&section.text);
        for lead in leads {
            let para = paragraphs.iter().find(|p| p.starts_with(lead));
            let para = para.unwrap_or_else(|| panic!("{at}: “{lead}” opens a paragraph"));
            assert!(
                para.chars().count() > 40,
                "{at}: “{lead}” joined its paragraph"
            );
        }
        assert!(
            !paragraphs.iter().any(|p| p.ends_with("——")),
            "{at}: no lead stands alone"
        );
        let dateline = if i == 0 { e.dateline } else { "" };
        assert_eq!(section.dateline, dateline, "{at}: sections[{i}].dateline");
    }
}

fn headline_group() -> Expected {
    Expected {
        kicker: "春运首日客流平稳有序",
        title: "回家的路更顺畅",
        subtitle: "——铁路部门多措并举保障旅客平安出行",
        series: "新时代 新气象 新作为",
        reporters: &["陆晓楠", "韩思远"],
        sections: &[
            ("", ""),
            ("", "运力更足 开行列车创新高"),
            ("", "服务更暖 重点旅客有人帮"),
            ("", "出行更智 购票候车更便捷"),
            ("", "旅游更热 假日出行添活力"),
            ("", "保障更稳 风雪天气有预案"),
        ],
        opening: "1月26日，2024年春运正式启动。",
        named: &[
            "国铁集团",
            "铁路",
            "交通运输部",
            "福州",
            "厦门",
            "福厦高铁",
            "北京",
            "上海",
            "广州",
            "成都",
            "哈尔滨",
            "12306",
            "文旅部门",
            "铁路公安",
        ],
        ..Expected::default()
    }
}

fn comma_subheads() -> Expected {
    Expected {
        title: "向海图强 逐浪前行",
        subtitle: "——广西钦州加快建设向海经济示范区见闻",
        reporters: &["黎海川", "覃明"],
        sections: &[
            ("", ""),
            ("", "交通先行，一通百通"),
            ("", "对外开放，大门越开越大"),
            ("", "产业升级，动能越来越足"),
            ("", "生态优先，底色越擦越亮"),
        ],
        opening: "初冬时节，北部湾畔的钦州港一派繁忙。",
        named: &[
            "钦州",
            "北部湾",
            "平陆运河",
            "西部陆海新通道",
            "东盟",
            "华友锂电",
            "恩捷",
            "三娘湾",
            "广州",
        ],
        ..Expected::default()
    }
}

fn two_line_subheads() -> Expected {
    Expected {
        kicker: "巩固脱贫成果 接续乡村振兴",
        title: "黄土高坡日子甜",
        reporters: &["高远", "张晓丹"],
        sections: &[
            ("", ""),
            ("扶贫有抓手——", "产业带动出活力，黄土也能生“四金”"),
            ("致富有门路——", "就业帮扶稳增收，家门口端上“金饭碗”"),
            ("振兴有底气——", "人居环境大变样，美丽乡村留住人"),
        ],
        opening: "腊月的陕北，寒风凛冽。",
        named: &[
            "延川",
            "陕北",
            "陕西",
            "杨家圪台村",
            "文安驿镇",
            "永坪镇",
            "西安",
            "江苏",
            "浙江",
            "杨志刚",
            "人社局",
        ],
        ..Expected::default()
    }
}

fn run_in_leads() -> Expected {
    Expected {
        kicker: "践行“两山”理念 建设美丽中国",
        title: "安吉 绿色发展路越走越宽",
        reporters: &["方晓雨", "沈立"],
        sections: &[
            ("", ""),
            ("", "绿色变革 激活发展新动能"),
            ("", "共建共享 绘就宜居新图景"),
        ],
        opening: "初冬的安吉，竹海连绵，溪水潺潺。",
        leads: &[
            &[],
            &["生产方式更绿色——", "产业结构更优化——", "能源利用更清洁——"],
            &["生活方式更低碳——", "治理方式更精细——", "共富路子更宽广——"],
        ],
        named: &[
            "安吉",
            "天荒坪",
            "杭州",
            "上海",
            "溪龙乡",
            "递铺街道",
            "长三角",
        ],
        ..Expected::default()
    }
}

fn opening() -> Expected {
    Expected {
        kicker: "守护一湖清水",
        title: "鄱阳湖畔候鸟翔集",
        subtitle: "——江西持续推进鄱阳湖生态保护修复",
        reporters: &["朱蕾", "王欣然"],
        sections: &[
            ("", ""),
            ("", "退渔还湖 留足候鸟栖息地"),
            ("", "科技护鸟 织密监测网络"),
            ("", "生态富民 绿色发展见效"),
        ],
        opening: "冬季，观鸟的最佳时节。",
        named: &[
            "鄱阳湖",
            "江西",
            "南昌县",
            "余干县",
            "都昌县",
            "鄱阳县",
            "林业局",
            "生态环境厅",
            "吴金水",
        ],
        ..Expected::default()
    }
}

fn dateline_byline() -> Expected {
    Expected {
        kicker: "粮食生产再获丰收",
        title: "端牢中国饭碗 丰收底气更足",
        subtitle: "——2023年全国粮食生产情况综述",
        reporters: &["常青"],
        sections: &[
            ("", ""),
            ("", "面积单产双增长 产量再创新高"),
            ("", "科技装备强支撑 丰收底气更足"),
            ("", "政策保障更有力 农民种粮有奔头"),
        ],
        opening: "新华社北京12月11日电（记者于文婧）国家统计局11日发布公告，2023年全国粮食总产量13908.2亿斤",
        dateline: "新华社北京12月11日电",
        named: &[
            "国家统计局",
            "农业农村部",
            "全国",
            "黑龙江",
            "河南",
            "吉林",
            "梨树县",
            "安徽",
            "国家粮食和物资储备局",
            "主产区",
        ],
        ..Expected::default()
    }
}

fn all() -> Vec<(&'static str, Expected)> {
    vec![
        ("headline-group", headline_group()),
        ("comma-subheads", comma_subheads()),
        ("two-line-subheads", two_line_subheads()),
        ("run-in-leads", run_in_leads()),
        ("opening", opening()),
        ("dateline-byline", dateline_byline()),
    ]
}

#[test]
fn each_article_imports_field_by_field_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for (name, expected) in all() {
        for format in FORMATS {
            let (r, toml, log) = import(dir.path(), name, format);
            let at = format!("{name}.{format}");
            check(&r, &expected, &at);
            // The opening is said to be one in the report, for the editor.
            assert!(toml.contains("# The story's opening"), "{at}");
            assert!(
                !log.contains("（小标题）") && !toml.contains("（小标题）"),
                "{at}"
            );
        }
    }
}

#[test]
fn the_edition_line_and_the_series_tag_are_read_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let (r, toml, _) = import(dir.path(), "headline-group", "txt");
    assert_eq!(r.masthead.paper, "九州日报");
    assert_eq!(r.masthead.date, "2024-01-26");
    assert_eq!(r.masthead.pages, [4]);
    assert_eq!(r.masthead.edition, "");
    for check in [
        "# check: the tag “（新时代 新气象 新作为）” after the title was taken as the series (栏目) of the running head\nseries = ",
        "# check: the paper's name was taken from the edition line at the top\npaper = \"九州日报\"",
        "# check: the page number was taken from the edition line; a spread has two pages: give both, [left, right]\npages = [4]",
    ] {
        assert!(toml.contains(check), "{check}\n{toml}");
    }
    // The Markdown and Word versions name the page (版名), not the paper.
    for format in ["md", "docx"] {
        let (r, _, _) = import(dir.path(), "headline-group", format);
        assert_eq!(
            (r.masthead.edition.as_str(), r.masthead.pages.as_slice()),
            ("经济", [4].as_slice())
        );
    }
    // Order alone told kicker from title: said so at the headline.
    let (_, toml, _) = import(dir.path(), "two-line-subheads", "txt");
    assert!(
        toml.contains(
            "# check: of the short lines above the body, the first was taken as the kicker (引题)"
        ),
        "{toml}"
    );
}

#[test]
fn the_opening_is_the_lede_box_only_when_marked_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let lede = "今冬以来，鄱阳湖迎来大批越冬候鸟，数量达到78.2万只。";
    let md = std::fs::read_to_string(article("opening", "md")).unwrap();
    let marked = md.replace(
        "本报记者 朱蕾 王欣然\n",
        &format!("本报记者 朱蕾 王欣然\n\n> {lede}\n"),
    );
    let txt = std::fs::read_to_string(article("opening", "txt")).unwrap();
    let labelled = txt.replace(
        "本报记者 朱蕾 王欣然\n",
        &format!("本报记者 朱蕾 王欣然\n\n编者按：{lede}\n"),
    );
    for (name, text, label) in [
        ("quoted.md", &marked, "核心提示"),
        ("labelled.txt", &labelled, "编者按"),
    ] {
        let input = dir.path().join(name);
        std::fs::write(&input, text).unwrap();
        let mut inputs = vec![input.clone()];
        if name.ends_with(".md") {
            // The same as Word: a paragraph in a style named 导语.
            let docx = dir.path().join("styled.docx");
            let script = article("make-docx", "py");
            let output = Command::new("python3")
                .args([&script, &input, &docx])
                .output()
                .unwrap();
            assert!(output.status.success(), "{}", stderr(&output));
            inputs.push(docx);
        }
        for input in inputs {
            let out = input.with_extension("toml");
            let args = [
                "import",
                input.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ];
            let output = banmian(&args, dir.path());
            assert!(output.status.success(), "{}", stderr(&output));
            let r = load(&out).unwrap().report;
            let box_ = r
                .lede
                .as_ref()
                .unwrap_or_else(|| panic!("{}: a lede box", input.display()));
            assert_eq!(
                (box_.label.as_str(), box_.text.trim()),
                (label, lede),
                "{}",
                input.display()
            );
            // The opening is still the story's, without the box's text.
            assert!(paragraphs(&r.sections[0].text)[0].starts_with("冬季，观鸟的最佳时节。"));
            assert!(
                !r.sections[0]
                    .text
                    .contains("今冬以来，鄱阳湖迎来大批越冬候鸟，数量")
            );
        }
    }
}

#[test]
fn photo_credit_lines_go_where_they_belong() {
    let dir = tempfile::tempdir().unwrap();
    let caption = "12月5日，农民在黑龙江省富锦市的农田里收获大豆。";
    for format in FORMATS {
        let (r, toml, _) = import(dir.path(), "dateline-byline", format);
        let photos: Vec<(&str, &str)> = r
            .sections
            .iter()
            .flat_map(|s| &s.photos)
            .map(|p| (p.caption.as_str(), p.credit.as_str()))
            .collect();
        let mut sorted = photos.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            [
                (caption, "新华社记者 王建威 摄"),
                ("无人机在河南省滑县的麦田里作业", "新华社发（李安 摄）"),
            ],
            "{format}"
        );
        assert_eq!(
            r.credits.photos, "本版图片除署名外均由新华社提供",
            "{format}"
        );
        assert!(
            toml.contains("was taken as a photo caption (a photographer's credit stands under it)"),
            "{format}"
        );
        if format != "txt" {
            // With its pictures: each under the subhead it stood under.
            assert_eq!(
                r.sections[1].photos[0].path,
                if format == "md" {
                    "photos/harvest.jpg"
                } else {
                    "photos/image1.jpg"
                }
            );
            assert_eq!(
                r.sections[2].photos[0].caption,
                "无人机在河南省滑县的麦田里作业"
            );
        }
    }
}

/// A run of laid-out text: page, position, size, family, weight, text.
#[derive(Debug, Clone)]
struct Run {
    page: usize,
    x: f64,
    y: f64,
    size: f64,
    family: String,
    bold: bool,
    text: String,
}

/// Every text run of a document's pages.
fn runs(pages: &[typst_layout::Page]) -> Vec<Run> {
    let mut out = Vec::new();
    for (page, p) in pages.iter().enumerate() {
        let mut stack: Vec<(&Frame, Point)> = vec![(&p.frame, Point::zero())];
        while let Some((frame, offset)) = stack.pop() {
            for (pos, item) in frame.items() {
                let at = offset + *pos;
                match item {
                    FrameItem::Group(g) => stack.push((
                        &g.frame,
                        Point::new(at.x + g.transform.tx, at.y + g.transform.ty),
                    )),
                    FrameItem::Text(t) => out.push(Run {
                        page,
                        x: at.x.to_pt(),
                        y: at.y.to_pt(),
                        size: t.size.to_pt(),
                        family: t.font.info().family.clone(),
                        bold: t.font.info().variant.weight.to_number() >= 700,
                        text: t.text.to_string(),
                    }),
                    _ => {}
                }
            }
        }
    }
    out
}

/// Lays a report out as a spread (placeholders for photos to supply).
fn spread(report: &Path, root: &Path) -> Vec<Run> {
    runs(common::typeset_spread(report, root, true).document.pages())
}

const SANS: &str = "Noto Sans CJK SC";
const SERIF: &str = "Noto Serif CJK SC";

#[test]
fn the_spread_draws_kickers_openings_leads_and_datelines() {
    let dir = tempfile::tempdir().unwrap();
    // Two-line subheads: the kicker in the heading face, smaller than the
    // subhead, right above it; the opening has no subhead at all.
    import(dir.path(), "two-line-subheads", "txt");
    let runs = spread(&dir.path().join("two-line-subheads-txt.toml"), dir.path());
    let subheads: Vec<&Run> = runs
        .iter()
        .filter(|r| r.family == SANS && r.size == 18.0)
        .collect();
    assert_eq!(
        subheads.len(),
        3,
        "three subheads, none for the opening: {subheads:?}"
    );
    for (kicker, heading) in &two_line_subheads().sections[1..] {
        let k = runs
            .iter()
            .find(|r| r.text == *kicker)
            .unwrap_or_else(|| panic!("{kicker} drawn"));
        let first: String = heading.chars().take(4).collect();
        let h = subheads
            .iter()
            .find(|r| r.text.starts_with(&first))
            .unwrap();
        assert!(
            (k.family.as_str(), k.bold, k.size) == (SANS, true, 12.0),
            "{k:?}"
        );
        assert!(
            k.page == h.page && h.y > k.y && h.y - k.y < 30.0,
            "{k:?} over {h:?}"
        );
        assert!((k.x - h.x).abs() < 20.0, "{k:?} over {h:?}");
    }
    // Run-in leads: bold 黑体 at body size, opening an indented line, the
    // rest of the line in 宋体 right after it.
    import(dir.path(), "run-in-leads", "md");
    let runs = spread(&dir.path().join("run-in-leads-md.toml"), dir.path());
    for lead in run_in_leads().leads.concat() {
        let head: String = lead.chars().take(4).collect();
        let l = runs
            .iter()
            .find(|r| r.text.starts_with(&head) && r.family == SANS);
        let l = l.unwrap_or_else(|| panic!("{lead} drawn in the heading face"));
        assert!(l.bold && l.size == 9.0, "{l:?}");
        let rest = runs.iter().find(|r| {
            r.page == l.page && (r.y - l.y).abs() < 0.1 && r.x > l.x && r.family == SERIF
        });
        assert!(
            rest.is_some(),
            "the paragraph goes on after “{lead}” in the body face"
        );
        // Indented 2 em from a column's left edge (columns of 117 pt and
        // gutters of 9 pt from the type area's edge at 53.26 pt).
        let column = (l.x - 18.0 - 53.26) / 126.0;
        assert!(
            (column - column.round()).abs() < 0.01,
            "“{lead}” opens its line: {l:?}"
        );
    }
    // The dateline: 黑体 (regular) at body size, first on the story's first line.
    import(dir.path(), "dateline-byline", "md");
    let runs = spread(&dir.path().join("dateline-byline-md.toml"), dir.path());
    let d = runs
        .iter()
        .find(|r| r.text.starts_with("新华社北京"))
        .expect("the dateline is drawn");
    assert!(
        (d.family.as_str(), d.bold, d.size) == (SANS, false, 9.0),
        "{d:?}"
    );
    let column = (d.x - 18.0 - 53.26) / 126.0;
    assert!(
        (column - column.round()).abs() < 0.01,
        "the dateline opens the story: {d:?}"
    );
    let mut line: Vec<&Run> = runs
        .iter()
        .filter(|r| r.page == d.page && (r.y - d.y).abs() < 0.1 && r.x >= d.x && r.x < d.x + 110.0)
        .collect();
    line.sort_by(|a, b| a.x.total_cmp(&b.x));
    let sans: String = line
        .iter()
        .take_while(|r| r.family == SANS)
        .map(|r| r.text.replace('\u{2060}', ""))
        .collect();
    assert_eq!(
        sans, "新华社北京12月11日电",
        "the whole dateline, and only it, in 黑体: {line:?}"
    );
    let rest = line
        .iter()
        .find(|r| r.family != SANS)
        .map(|r| r.family.as_str());
    assert_eq!(rest, Some(SERIF), "the paragraph goes on in the body face");
}

#[test]
fn the_pdfs_hold_the_new_parts_and_the_deck_introduces_the_opening() {
    let dir = tempfile::tempdir().unwrap();
    for (name, expected) in [
        ("two-line-subheads", two_line_subheads()),
        ("dateline-byline", dateline_byline()),
    ] {
        import(dir.path(), name, "md");
        let report = dir.path().join(format!("{name}-md.toml"));
        let pdf = dir.path().join(format!("{name}.pdf"));
        let deck = dir.path().join(format!("{name}-deck.pdf"));
        let args = [
            "render",
            report.to_str().unwrap(),
            "-o",
            pdf.to_str().unwrap(),
            "--deck",
            deck.to_str().unwrap(),
            "--placeholders",
            "--allow-overset",
        ];
        let output = banmian(&args, dir.path());
        assert!(output.status.success(), "{}", stderr(&output));
        let (spread, slides) = (pdf_text(&pdf), pdf_text(&deck));
        let bare = |s: &str| s.replace(' ', "");
        for (kicker, heading) in expected.sections {
            let (kicker, heading) = (bare(kicker), bare(heading));
            assert!(
                spread.contains(&kicker) && spread.contains(&heading),
                "{name}: {kicker} {heading}"
            );
            assert!(
                slides.contains(&kicker) && slides.contains(&heading),
                "{name}: {kicker} {heading} on a slide"
            );
        }
        assert!(
            spread.contains(expected.opening),
            "{name}: the opening is printed"
        );
        // The opening is the deck's introduction, right after the title.
        let intro = slides.find("概述").expect("an introduction slide");
        let first = slides.find(&bare(expected.sections[1].1)).unwrap();
        assert!(intro < first, "{name}: the introduction comes first");
        let fonts = common::tool("pdffonts", &[pdf.to_str().unwrap()]);
        assert!(
            fonts.contains("NotoSansCJKsc-Bold") && fonts.contains("NotoSansCJKsc-Regular"),
            "{fonts}"
        );
    }
}

/// Whether `c` ends a clause or a sentence.
fn is_mark(c: char) -> bool {
    "，。；：！？、”）".contains(c)
}

#[test]
fn derived_points_are_key_facts_cut_at_clauses() {
    let dir = tempfile::tempdir().unwrap();
    let (mut points, mut informative) = (0, 0);
    for (name, expected) in all() {
        let (report, _, _) = import(dir.path(), name, "txt");
        let plan = banmian::report::deck_plan::plan(&report);
        for (i, slide) in plan.sections.iter().enumerate() {
            let section = &report.sections[i];
            let text: String = paragraphs(&section.text).concat();
            assert!(
                (2..=3).contains(&slide.points.len()),
                "{name} sections[{i}]: {:?}",
                slide.points
            );
            for point in &slide.points {
                let p = point.text.as_str();
                assert!(point.derived);
                assert!(
                    p.chars().count() <= banmian::report::deck_plan::POINT_CHARS,
                    "{name}: {p}"
                );
                // Cut at a clause: the text has it whole, a mark (or the
                // paragraph's end) after it and a mark, a lead or the
                // dateline's bracket before it.
                let at = text
                    .find(p)
                    .unwrap_or_else(|| panic!("{name}: “{p}” is in the text"));
                let after = text[at + p.len()..].chars().next();
                assert!(
                    after.is_none_or(is_mark),
                    "{name}: “{p}” is cut mid-clause ({after:?})"
                );
                let before = text[..at].chars().next_back();
                let opens = section
                    .leads
                    .iter()
                    .any(|l| text[..at].ends_with(l.as_str()));
                assert!(
                    before.is_none_or(is_mark) || opens,
                    "{name}: “{p}” starts mid-clause ({before:?})"
                );
                // Never a scene-setting opener, a lead or a dateline.
                let scene = [
                    "冬季", "初冬", "腊月", "清晨", "早上", "走进", "夜幕", "暮色",
                ];
                assert!(
                    !scene.iter().any(|s| p.starts_with(s)),
                    "{name}: a scene: {p}"
                );
                assert!(!p.contains("——") && !p.starts_with("新华社"), "{name}: {p}");
                points += 1;
                let named = expected.named.iter().any(|n| p.contains(n));
                if banmian::report::deck_plan::has_figure(p) || named {
                    informative += 1;
                }
            }
        }
    }
    assert!(points >= 40, "{points} points");
    assert!(
        informative * 3 >= points * 2,
        "{informative} of {points} derived points carry a figure or a named subject"
    );
}
