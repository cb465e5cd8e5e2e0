//! Importer robustness, by property tests: random bytes in every format
//! never panic; random reports built from report-like lines always import
//! into TOML that loads back as the same model; Word files whose XML is
//! cut and spliced at random never panic; punctuation rules applied twice
//! change nothing. `PROPTEST_CASES` sets the number of inputs (the
//! README gives the figures of a long run).

use std::path::Path;

use banmian::import::{ImportOptions, InputFormat, Style, import_bytes, normalise};
use proptest::prelude::*;

fn options(from: InputFormat) -> ImportOptions {
    ImportOptions {
        from: Some(from),
        paper: None,
        date: None,
        fallback_date: "2024-03-05".into(),
        output_dir: ".".into(),
    }
}

/// Lines a report is made of: the seed's and the test articles' own,
/// labels, rows, markers, headings, captions, bylines, datelines, run-in
/// leads, two-line and comma subheads, series tags, edition lines, and
/// random text with every kind of mark.
fn report_line() -> impl Strategy<Value = String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seed: Vec<String> =
        std::fs::read_to_string(root.join("tests/fixtures/import/fuling-special-report.txt"))
            .map(|s| s.lines().map(str::to_owned).collect())
            .expect("the seed report is in tests/fixtures/import");
    for name in [
        "headline-group",
        "two-line-subheads",
        "run-in-leads",
        "dateline-byline",
    ] {
        let path = root.join(format!("tests/fixtures/articles/{name}.txt"));
        let text = std::fs::read_to_string(path)
            .expect("the test articles are in tests/fixtures/articles");
        seed.extend(text.lines().map(str::to_owned));
    }
    let fixed = prop::sample::select(vec![
        "核心提示",
        "编者按",
        "地方声音",
        "关键数字",
        "2024发展目标",
        "■ 铁海联运 班列开行更密",
        "【渝中区】",
        "刘玉珮 龙搏 马菱涛",
        "本报记者 张三",
        "图片由某某提供",
        "▲车间一角 记者 王某 摄",
        "- 总体规模：**规上工业产值突破2700亿元。",
        "15.2万标箱 运输货物（同比增长18%）",
        "## 小标题",
        "# 主题",
        "> 引文",
        "![说明](a.jpg)",
        "| 指标 | 数值 |",
        "|---|---|",
        "**",
        "——某某",
        "",
        "```",
        "<!--",
        "---",
        "1. 第一",
        "（一）第一",
        "2024年3月5日",
        "生产方式更绿色——",
        "扶贫有抓手——",
        "交通先行，一通百通",
        "新华社北京12月11日电（记者 于文婧）",
        "新华社北京12月11日电（记者 于文婧）国家统计局11日发布公告。",
        "本报讯 记者从市政府获悉。",
        "新华社记者 王建威 摄",
        "新华社发（李安 摄）",
        "（新时代 新气象 新作为）",
        "回家的路更顺畅（新时代 新气象 新作为）",
        "——铁路部门多措并举保障旅客平安出行",
        "《九州日报》（2024年01月26日 第04版）",
        "第04版：经济",
        "**生产方式更绿色——**在天荒坪镇。",
        "### 扶贫有抓手——",
    ])
    .prop_map(str::to_owned);
    let marks = "，。、；：？！“”‘’（）《》…—·%.,;:?!\"'()[]*_#>|-=~` 　\t";
    let random = prop::collection::vec(
        prop_oneof![
            4 => proptest::char::range('\u{4E00}', '\u{4FFF}'),
            2 => prop::sample::select(marks.chars().collect::<Vec<_>>()),
            1 => proptest::char::range('0', '9'),
            1 => proptest::char::range('A', 'z'),
            1 => any::<char>(),
        ],
        0..60,
    )
    .prop_map(|chars| chars.into_iter().collect::<String>());
    if seed.is_empty() {
        prop_oneof![3 => fixed, 2 => random].boxed()
    } else {
        prop_oneof![3 => prop::sample::select(seed), 3 => fixed, 2 => random].boxed()
    }
}

/// A Word document part with the structures the reader knows: styles,
/// bold runs, a picture reference, a table, a text box.
const DOCUMENT: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><w:body>
<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>涪陵 加快形成新质生产力</w:t></w:r></w:p>
<w:p><w:r><w:t>核心提示</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">去年，涪陵累计完成规上工业产值2471亿元、区县第二。</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>突破发展 现代产业蓄积新优势</w:t></w:r></w:p>
<w:p><w:r><w:t>锻造新质生产力，</w:t></w:r><w:r><w:br/><w:tab/><w:t>现代产业是主力军。</w:t></w:r></w:p>
<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" descr="车间"/><a:graphic><a:graphicData><a:blip r:embed="rId9"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Caption"/></w:pPr><w:r><w:t>卡深科技生产车间</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>总体规模</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>规上工业产值突破2700亿元。</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/></w:numPr></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>质量效益：</w:t></w:r><w:r><w:t>工业增加值增长10%。</w:t></w:r></w:p>
<w:p><w:r><w:t>刘玉珮 龙搏 马菱涛</w:t></w:r></w:p>
</w:body></w:document>"#;

/// A .docx in memory whose document part is `xml`.
fn docx(xml: &str) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="image" Target="media/image1.png"/></Relationships>"#;
    for (name, bytes) in [
        ("word/document.xml", xml.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        ("word/media/image1.png", b"\x89PNG not really".as_slice()),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The document part cut and spliced: a range removed, random text put in.
fn spliced_document() -> impl Strategy<Value = String> {
    let len = DOCUMENT.len();
    (0..len, 0..len, "[<>/\"=a-z:\u{4E00}-\u{4E20} ]{0,12}").prop_map(|(a, b, insert)| {
        let (a, b) = (a.min(b), a.max(b).min(a + 200));
        let floor = |i: usize| {
            (0..=i)
                .rev()
                .find(|&i| DOCUMENT.is_char_boundary(i))
                .unwrap_or(0)
        };
        format!("{}{insert}{}", &DOCUMENT[..floor(a)], &DOCUMENT[floor(b)..])
    })
}

proptest! {
    // Failures are printed, not saved beside the sources.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        for from in [InputFormat::Text, InputFormat::Markdown, InputFormat::Docx] {
            match import_bytes(Path::new("in"), &bytes, &options(from)) {
                Ok(imported) => {
                    let written = imported.to_toml(Path::new("in"), Path::new("out.toml"));
                    prop_assert!(written.is_ok(), "{:?}", written.err());
                }
                Err(error) => prop_assert!(!error.message.is_empty()),
            }
        }
    }

    #[test]
    fn random_reports_import_into_a_report_that_loads(lines in prop::collection::vec(report_line(), 1..80)) {
        let text = lines.join("\n");
        for from in [InputFormat::Text, InputFormat::Markdown] {
            match import_bytes(Path::new("in"), text.as_bytes(), &options(from)) {
                // to_toml reads the written text back with the report
                // loader and compares the models: it fails if either differs.
                Ok(imported) => {
                    let written = imported.to_toml(Path::new("in"), Path::new("out.toml"));
                    prop_assert!(written.is_ok(), "{:?}\n--- input:\n{}", written.err(), text);
                }
                Err(error) => prop_assert!(!error.message.is_empty()),
            }
        }
    }

    #[test]
    fn spliced_word_files_never_panic(xml in spliced_document()) {
        let bytes = docx(&xml);
        match import_bytes(Path::new("in.docx"), &bytes, &options(InputFormat::Docx)) {
            Ok(imported) => {
                let written = imported.to_toml(Path::new("in.docx"), Path::new("out.toml"));
                prop_assert!(written.is_ok(), "{:?}", written.err());
            }
            Err(error) => prop_assert!(!error.message.is_empty()),
        }
    }

    #[test]
    fn punctuation_rules_are_idempotent(line in report_line()) {
        for style in [Style::Prose, Style::Heading] {
            let once = normalise(&line, style);
            prop_assert_eq!(normalise(&once, style), once.clone(), "{:?}", line);
        }
    }
}

/// The document the splicing starts from imports as it should, so that
/// the property above starts from a real report.
#[test]
fn the_unspliced_word_file_imports() {
    let imported = import_bytes(
        Path::new("in.docx"),
        &docx(DOCUMENT),
        &options(InputFormat::Docx),
    )
    .unwrap();
    let report = &imported.report;
    assert_eq!(report.headline.title, "涪陵 加快形成新质生产力");
    assert_eq!(report.lede.as_ref().unwrap().label, "核心提示");
    assert_eq!(report.sections[0].heading, "突破发展 现代产业蓄积新优势");
    assert!(
        report.sections[0]
            .text
            .starts_with("锻造新质生产力，现代产业是主力军。")
    );
    let photo = &report.sections[0].photos[0];
    assert_eq!(
        (photo.path.as_str(), photo.caption.as_str()),
        ("photos/image1.png", "卡深科技生产车间")
    );
    assert_eq!(report.credits.reporters, ["刘玉珮", "龙搏", "马菱涛"]);
    assert_eq!(imported.photos.len(), 1);
}
