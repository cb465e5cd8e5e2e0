//! Importer robustness, by property tests: random bytes in every format
//! never panic; random reports built from report-like lines always import
//! into TOML that loads back as the same model; punctuation rules applied
//! twice change nothing. `PROPTEST_CASES` sets the number of inputs (the
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

/// Lines a report is made of: the seed's own, labels, rows, markers,
/// headings, captions, bylines, and random text with every kind of mark.
fn report_line() -> impl Strategy<Value = String> {
    let seed: Vec<String> = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/fuling-special-report.txt"),
    )
    .map(|s| s.lines().map(str::to_owned).collect())
    .unwrap_or_default();
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
    fn punctuation_rules_are_idempotent(line in report_line()) {
        for style in [Style::Prose, Style::Heading] {
            let once = normalise(&line, style);
            prop_assert_eq!(normalise(&once, style), once.clone(), "{:?}", line);
        }
    }
}
