//! `banmian import` end to end: the seed imports into the structure of the
//! example report; four reports of other shapes (plain text, Markdown, a
//! Word file built here with python-docx, a GB18030 text) import field by
//! field; the imported report loads, `check` names the photos to supply,
//! `render` refuses them and draws placeholders on request; bad inputs
//! exit 1 with a message.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use banmian::import::{Style, normalise};
use banmian::report::{Report, load, paragraphs};
use common::{banmian, stderr, tool, write_photo};

/// The seed: the text extracted from the printed page.
fn seed() -> PathBuf {
    common::repo().join("tests/fixtures/import/fuling-special-report.txt")
}

fn fixture(name: &str) -> PathBuf {
    common::repo().join("tests/fixtures/import").join(name)
}

/// Runs `banmian import INPUT -o OUT EXTRA…` in `dir`.
fn run_import(input: &Path, out: &Path, extra: &[&str], dir: &Path) -> Output {
    let mut args = vec![
        "import",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    banmian(&args, dir)
}

/// Imports and loads the result: it must load as written.
fn import_ok(input: &Path, out: &Path, extra: &[&str]) -> (Report, String) {
    let dir = out.parent().unwrap();
    let output = run_import(input, out, extra, dir);
    let log = stderr(&output);
    assert!(output.status.success(), "import failed: {log}");
    let loaded = load(out).unwrap_or_else(|err| panic!("the imported report does not load: {err}"));
    (loaded.report, log)
}

/// Imports a bad input: exit 1, a message naming the file, no panic, and
/// no report written.
fn import_fails(input: &Path, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.toml");
    let output = run_import(input, &out, extra, dir.path());
    let log = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{}: {log}", input.display());
    assert!(!log.contains("panicked"), "{log}");
    let name = input.file_name().unwrap().to_str().unwrap();
    assert!(log.contains(name), "the message names the file: {log}");
    assert!(!out.exists(), "nothing is written for a bad input");
    log
}

/// A data box's rows as (label, text).
fn rows_of(data: &banmian::report::DataBox) -> Vec<(&str, &str)> {
    data.rows
        .iter()
        .map(|r| (r.label.as_str(), r.text.as_str()))
        .collect()
}

/// A report as JSON, to compare two models and say where they differ.
fn json(report: &Report) -> serde_json::Value {
    serde_json::to_value(report).unwrap()
}

/// The first place where two JSON values differ, as a field path.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, at: &str) -> Option<String> {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.keys().chain(y.keys()).find_map(|k| {
            first_difference(
                x.get(k).unwrap_or(&Value::Null),
                y.get(k).unwrap_or(&Value::Null),
                &format!("{at}.{k}"),
            )
        }),
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, &format!("{at}[{i}]"))),
        _ if a == b => None,
        _ => Some(format!("{at}:\n  imported: {a}\n  expected: {b}")),
    }
}

/// Applies the importer's punctuation rules to every string of a model,
/// line by line (headings keep their spaces: `Style::Heading` differs from
/// prose only there, and no expected text has a space next to Chinese).
fn normalised(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => {
            let lines: Vec<String> = s
                .split('\n')
                .map(|l| normalise(l, Style::Heading))
                .collect();
            Value::String(lines.join("\n"))
        }
        Value::Array(items) => Value::Array(items.iter().map(normalised).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), normalised(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[test]
fn the_seed_imports_into_the_structure_of_the_example() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fuling.toml");
    let (imported, log) = import_ok(&seed(), &out, &[]);
    let mut expected = load(&common::example()).unwrap().report;
    // What the extracted text does not hold: paper, date, pages, photo
    // files, charts and the editor's deck.
    expected.masthead.paper = imported.masthead.paper.clone();
    expected.masthead.date = imported.masthead.date.clone();
    expected.masthead.pages.clear();
    expected.charts.clear();
    expected.deck = None;
    let banner = expected.banner.as_mut().unwrap();
    assert_eq!(
        imported.banner.as_ref().unwrap().photo,
        "",
        "the text holds no photo file"
    );
    banner.photo.clear();
    for section in &mut expected.sections {
        for photo in &mut section.photos {
            photo.path.clear();
        }
    }
    // The example keeps the extraction's half-width brackets, "(六期)";
    // import sets them full width as GB/T 15834 asks. That is all the
    // punctuation rules change in the example's text:
    let raw = json(&expected);
    let expected = normalised(&raw);
    let narrow = |v: &serde_json::Value| v.to_string().replace('（', "(").replace('）', ")");
    assert_eq!(narrow(&expected), narrow(&raw));
    assert!(
        expected
            .to_string()
            .contains("华峰己二酸扩建项目（六期）生产装备")
    );
    let difference = first_difference(&json(&imported), &expected, "report");
    assert!(
        difference.is_none(),
        "the import differs from the example at {}",
        difference.unwrap()
    );
    // The repairs were made and said.
    assert!(
        log.contains("a paragraph cut by “突破发展 现代产业蓄积新优势” was rejoined"),
        "{log}"
    );
    assert!(paragraphs(&imported.sections[0].text).contains(&"以创新为第一生产力，华峰勇闯技术“无人区”的发展路径，是涪陵现代产业锻造新质生产力的一个生动缩影。".to_owned()));
}

#[test]
fn the_import_is_commented_listed_deterministic_and_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fuling.toml");
    let (_, log) = import_ok(&seed(), &out, &[]);
    let first = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = first.lines().collect();
    // Each listed check is a `# check:` comment at the line it names.
    let listed: Vec<&str> = log.lines().filter(|l| l.contains(": check: ")).collect();
    assert!(listed.len() >= 10, "{log}");
    for entry in &listed {
        let rest = entry.strip_prefix(&format!("{}:", out.display())).unwrap();
        let (line, message) = rest.split_once(": check: ").unwrap();
        let line: usize = line.parse().unwrap();
        assert_eq!(lines[line - 1], format!("# check: {message}"), "{entry}");
    }
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("# check:")).count(),
        listed.len()
    );
    // The photos to supply are named; the next command is said.
    assert!(log.contains("4 to supply"), "{log}");
    // A second import does not overwrite the editor's corrections…
    std::fs::write(&out, first.replace("（报名）", "重庆日报")).unwrap();
    let again = run_import(&seed(), &out, &[], dir.path());
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));
    assert!(std::fs::read_to_string(&out).unwrap().contains("重庆日报"));
    // …unless asked to, and then gives the same bytes.
    let forced = run_import(&seed(), &out, &["--force"], dir.path());
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), first);
}

#[test]
fn check_names_each_photo_to_supply_and_render_refuses_until_then() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("fuling.toml");
    import_ok(
        &seed(),
        &report,
        &["--paper", "重庆日报", "--date", "2024-03-05"],
    );
    let text = std::fs::read_to_string(&report).unwrap();
    let output = banmian(&["check", report.to_str().unwrap(), "--json"], dir.path());
    let code = output.status.code();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(code, Some(1));
    let errors: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    let fields: Vec<&str> = errors
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "banner.photo",
            "sections[0].photos[0].path",
            "sections[1].photos[0].path",
            "sections[2].photos[0].path"
        ]
    );
    let lines: Vec<&str> = text.lines().collect();
    for error in &errors {
        let line = lines[error["line"].as_u64().unwrap() as usize - 1];
        assert!(
            line == "path = \"\"" || line == "photo = \"\"",
            "{error}: {line}"
        );
    }
    assert!(
        errors[1]["message"]
            .as_str()
            .unwrap()
            .contains("“华峰己二酸扩建项目（六期）生产装备”"),
        "{:?}",
        errors[1]
    );
    // render writes nothing until the photos are there…
    let pdf = dir.path().join("fuling.pdf");
    let refused = banmian(
        &[
            "render",
            report.to_str().unwrap(),
            "-o",
            pdf.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("no photo file: supply the photo “卡深科技生产车间”"),
        "{}",
        stderr(&refused)
    );
    assert!(!pdf.exists());
    // …or draws a marked grey box for each with --placeholders.
    let proof = banmian(
        &[
            "render",
            report.to_str().unwrap(),
            "-o",
            pdf.to_str().unwrap(),
            "--placeholders",
        ],
        dir.path(),
    );
    let log = stderr(&proof);
    assert!(proof.status.success(), "{log}");
    assert_eq!(
        log.matches("a grey placeholder is drawn").count(),
        4,
        "{log}"
    );
    let images = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    assert_eq!(images.lines().skip(2).count(), 4, "{images}");
    assert!(common::pdf_text(&pdf).contains("国药太极涪陵制药厂生产车间"));
}

#[test]
fn an_editors_note_a_cut_paragraph_rare_names_and_a_traditional_character() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("jiangjin.toml");
    let (r, log) = import_ok(&fixture("editors-note.txt"), &out, &[]);
    assert_eq!(
        (r.masthead.edition.as_str(), r.masthead.series.as_str()),
        ("乡村振兴特刊", "")
    );
    assert_eq!(
        (r.headline.kicker.as_str(), r.headline.title.as_str()),
        ("守住耕地 端牢饭碗", "江津 加快建设农业强区")
    );
    let lede = r.lede.as_ref().unwrap();
    assert_eq!(lede.label, "编者按");
    assert_eq!(
        paragraphs(&lede.text),
        ["今年是全面推进乡村振兴的关键一年。本报今起推出系列报道，走进田间地头，记录一线变化。"]
    );
    assert_eq!(r.credits.reporters, ["王𠮷", "欧阳喆"]);
    let headings: Vec<&str> = r.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        headings,
        [
            "科技种粮 田间地头添新机",
            "良田建设 夯实粮食安全根基",
            "品牌引领 特色产业提质增效"
        ]
    );
    let first = paragraphs(&r.sections[0].text);
    assert_eq!(first.len(), 2);
    assert!(first[1].ends_with("种粮大户李堃说，科技让种地变得轻松又高效，他今年流转的土地已达到1200亩，比去年多了一倍。"), "{first:?}");
    assert_eq!(
        paragraphs(&r.sections[1].text),
        [
            "江津区农业农村委相关负责人介绍，去年以来，全区新建高标准农田12万亩，累计建成高标准农田86万亩。"
        ]
    );
    assert!(
        r.sections[2].text.contains("江津花椒是國家地理标志产品"),
        "kept as written"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let at = text
        .find("heading = \"品牌引领 特色产业提质增效\"")
        .unwrap();
    assert!(text[at..].contains("# check: traditional character(s) in simplified text, kept as written: check they are meant (國 → 国)\ntext = \"\"\""), "{text}");
    assert!(log.contains("cut by “良田建设 夯实粮食安全根基”"), "{log}");
    let data = r.data_box.as_ref().unwrap();
    assert_eq!(data.title, "2024工作目标");
    let rows = rows_of(data);
    assert_eq!(
        rows,
        [
            ("粮食产量", "稳定在52万吨以上。"),
            ("高标准农田", "新建改造提升8万亩。"),
            ("花椒产业", "综合产值突破70亿元。")
        ]
    );
    assert_eq!(r.figures.len(), 1);
    let f = &r.figures[0];
    assert_eq!(
        (
            f.label.as_str(),
            f.value.display().as_str(),
            f.unit.as_str(),
            f.note.as_str()
        ),
        ("综合产值", "68", "亿元", "位居全国第一")
    );
    assert_eq!(r.credits.photos, "图片由江津区委宣传部提供");
    assert!(r.banner.is_none() && r.quote.is_none());
}

#[test]
fn several_places_latin_letters_and_a_key_figure_list_in_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("districts.md");
    std::fs::copy(fixture("districts.md"), &md).unwrap();
    write_photo(&dir.path().join("photos/xiantao.jpg"), 3000, 2000);
    write_photo(&dir.path().join("photos/bishan.jpg"), 3000, 2000);
    let out = dir.path().join("districts.toml");
    let (r, log) = import_ok(&md, &out, &["--paper", "重庆日报"]);
    assert_eq!(r.headline.title, "多点发力 共绘高质量发展新图景");
    assert_eq!(r.headline.subtitle, "——重庆各区县两会特别报道之二");
    assert_eq!(r.masthead.edition, "");
    let lede = r.lede.as_ref().unwrap();
    assert_eq!(lede.label, "核心提示");
    assert!(
        lede.text
            .contains("全市规上工业增加值增长7.2%，固定资产投资增长4.5%。"),
        "{}",
        lede.text
    );
    let headings: Vec<&str> = r.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        headings,
        [
            "渝北区 车联网跑出“加速度”",
            "璧山区 新能源汽车集群成势",
            "两江新区 动力电池产能领跑"
        ]
    );
    assert!(
        log.contains("the subhead “渝北区” had no text of its own and was joined to the next one"),
        "{log}"
    );
    // Latin letters and digits: half width, no spaces next to Chinese.
    let first = paragraphs(&r.sections[0].text);
    assert_eq!(
        first[0],
        "渝北区加快建设国家级车联网先导区，5G基站总数突破1.2万个，L4级自动驾驶汽车在仙桃国际大数据谷开展示范运营。"
    );
    assert!(
        first[1].contains("“我们的AI芯片已经用于20余款车型。”")
            && first[1].contains("支持iPhone和Android的"),
        "{first:?}"
    );
    let photos: Vec<(&str, &str)> = r
        .sections
        .iter()
        .flat_map(|s| &s.photos)
        .map(|p| (p.path.as_str(), p.caption.as_str()))
        .collect();
    assert_eq!(
        photos,
        [
            ("photos/xiantao.jpg", "仙桃国际大数据谷的自动驾驶测试车"),
            ("photos/bishan.jpg", "比亚迪璧山基地总装车间")
        ]
    );
    assert_eq!(r.sections[1].photos.len(), 1);
    // No data box: the key figures come from the 关键数字 list.
    assert!(r.data_box.is_none());
    let figures: Vec<(String, String, String)> = r
        .figures
        .iter()
        .map(|f| (f.label.clone(), f.value.display(), f.unit.clone()))
        .collect();
    let expected = [
        ("全市规上工业增加值增长", "7.2", "%"),
        ("比亚迪璧山基地产值", "520", "亿元"),
        ("比亚迪璧山基地年产整车", "30", "万辆"),
        ("两江新区动力电池产能", "68", "GWh"),
    ];
    assert_eq!(
        figures,
        expected.map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned()))
    );
    let quote = r.quote.as_ref().unwrap();
    assert_eq!(
        (quote.label.as_str(), quote.source.as_str()),
        ("专家观点", "重庆工商大学教授 陈某某")
    );
    assert_eq!(
        paragraphs(&quote.text),
        ["区县经济各具特色又互为补充，是重庆高质量发展的重要支撑。"]
    );
    assert_eq!(r.credits.reporters, ["周玥", "司马懿"]);
    // With its photos there, it passes every check a render makes.
    let checked = banmian(&["check", out.to_str().unwrap()], dir.path());
    assert!(checked.status.success(), "{}", stderr(&checked));
}

#[test]
fn a_gb18030_text_with_half_width_punctuation_and_a_key_figure_list() {
    let dir = tempfile::tempdir().unwrap();
    let utf8 = std::fs::read_to_string(fixture("key-figures.txt")).unwrap();
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&utf8);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the input is not UTF-8"
    );
    let input = dir.path().join("corridor.txt");
    std::fs::write(&input, &bytes).unwrap();
    let out = dir.path().join("corridor.toml");
    let (r, log) = import_ok(&input, &out, &[]);
    assert!(log.contains("(plain text, GB18030)"), "{log}");
    // The check about no field follows the header, at the line listed.
    let check = "check: the input is not UTF-8: it was read as GB18030";
    assert!(
        log.contains(&format!("{}:4: {check}", out.display())),
        "{log}"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().nth(3), Some(format!("# {check}").as_str()));
    assert_eq!(
        (r.headline.kicker.as_str(), r.headline.title.as_str()),
        ("开放通道 联通世界", "西部陆海新通道跑出“加速度”")
    );
    let lede = r.lede.as_ref().unwrap();
    assert_eq!(
        paragraphs(&lede.text),
        [
            "今年前两月，西部陆海新通道运输货物15.2万标箱、同比增长18%，通达全球120个国家和地区的490个港口。"
        ]
    );
    let headings: Vec<&str> = r.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(headings, ["铁海联运 班列开行更密", "跨境公路 服务更加便捷"]);
    assert_eq!(
        paragraphs(&r.sections[0].text)[1],
        "“以前出口一批货要一个多月，现在20天就能到东南亚。”一家外贸企业负责人说。"
    );
    // A line broken inside a paragraph is joined.
    assert_eq!(
        paragraphs(&r.sections[1].text),
        [
            "跨境公路班车已开通东盟线路30余条，覆盖越南、老挝、泰国等国家，货物通关时间压缩到2小时以内，为企业节省物流成本约三成。"
        ]
    );
    let figures: Vec<(String, String, String, String)> = r
        .figures
        .iter()
        .map(|f| {
            (
                f.label.clone(),
                f.value.display(),
                f.unit.clone(),
                f.note.clone(),
            )
        })
        .collect();
    let expected = [
        ("运输货物", "15.2", "万标箱", "同比增长18%"),
        ("跨境公路班车货值", "3.6", "亿元", ""),
        ("班列准点率", "98", "%", ""),
    ];
    assert_eq!(
        figures,
        expected.map(|(a, b, c, d)| (a.into(), b.into(), c.into(), d.into()))
    );
    assert!(r.data_box.is_none());
    assert_eq!(
        (r.credits.reporters.as_slice(), r.credits.photos.as_str()),
        (["赵晓".to_owned()].as_slice(), "图/钱多")
    );
}

/// Builds the Word test report with python-docx (see make-docx.py).
fn word_report(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let jpeg = dir.join("workshop.jpg");
    write_photo(&jpeg, 3000, 2000);
    let png = dir.join("lab.png");
    image::RgbImage::from_fn(2400, 1600, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, 120])
    })
    .save(&png)
    .unwrap();
    let docx = dir.join("liangjiang.docx");
    let script = fixture("make-docx.py");
    python(&[
        script.to_str().unwrap(),
        docx.to_str().unwrap(),
        jpeg.to_str().unwrap(),
        png.to_str().unwrap(),
    ]);
    (docx, jpeg, png)
}

/// Runs python3 (python-docx, msoffcrypto-tool: .ci/run installs them).
fn python(args: &[&str]) {
    let output = Command::new("python3")
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "python3 {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_word_file_with_styles_a_bold_data_box_and_two_photos() {
    let dir = tempfile::tempdir().unwrap();
    let (docx, jpeg, png) = word_report(dir.path());
    let out = dir.path().join("out/liangjiang.toml");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let (r, log) = import_ok(&docx, &out, &[]);
    assert!(log.contains("2 written to photos/"), "{log}");
    assert_eq!(r.masthead.edition, "2024全国两会特别报道");
    assert_eq!(
        (r.headline.kicker.as_str(), r.headline.title.as_str()),
        ("向新而行", "两江新区 打造智能制造高地")
    );
    assert_eq!(r.headline.subtitle, "——两江新区推动产业转型升级纪实");
    assert_eq!(r.lede.as_ref().unwrap().label, "核心提示");
    let headings: Vec<&str> = r.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        headings,
        ["智能工厂 跑出转型加速度", "创新平台 汇聚科技人才"]
    );
    // Names with rare characters come through as written.
    assert!(
        r.sections[0].text.contains("总经理赵昇介绍") && r.sections[0].text.contains("工程师林堃")
    );
    assert!(r.sections[1].text.contains("技术员郑𠮷说"));
    // The pictures are written beside the report and referenced.
    let photos: Vec<(&str, &str, &str)> = r
        .sections
        .iter()
        .flat_map(|s| &s.photos)
        .map(|p| (p.path.as_str(), p.caption.as_str(), p.credit.as_str()))
        .collect();
    assert_eq!(
        photos,
        [
            ("photos/image1.jpg", "长安汽车数字化车间", ""),
            ("photos/image2.png", "研发中心实验室", "记者 张喆 摄")
        ]
    );
    assert_eq!(
        std::fs::read(out.parent().unwrap().join("photos/image1.jpg")).unwrap(),
        std::fs::read(&jpeg).unwrap()
    );
    assert_eq!(
        std::fs::read(out.parent().unwrap().join("photos/image2.png")).unwrap(),
        std::fs::read(&png).unwrap()
    );
    // The bold labels make the data box.
    let data = r.data_box.as_ref().unwrap();
    assert_eq!(data.title, "2024发展目标");
    let rows = rows_of(data);
    assert_eq!(
        rows,
        [
            ("产业规模", "工业总产值突破5600亿元。"),
            ("创新能力", "新增国家级创新平台5个。"),
            ("绿色发展", "建成零碳示范工厂10个。")
        ]
    );
    let quote = r.quote.as_ref().unwrap();
    assert_eq!(quote.label, "地方声音");
    assert!(quote.text.starts_with("两江新区将坚持制造业当家"));
    assert_eq!(r.credits.reporters, ["张喆", "欧阳玥"]);
    let labels: Vec<&str> = r.figures.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(labels, ["工业总产值", "汽车产业产值"]);
    // It renders as imported: its photos are there.
    let checked = banmian(&["check", out.to_str().unwrap()], dir.path());
    assert!(checked.status.success(), "{}", stderr(&checked));
}

#[test]
fn bad_inputs_exit_1_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let binary: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(7919) >> 3) as u8)
        .collect();
    assert!(import_fails(&write("binary.txt", &binary), &[]).contains("binary data"));
    assert!(import_fails(&write("empty.txt", b""), &[]).contains("the file is empty"));
    assert!(import_fails(&write("blank.md", b"\n  \n\t\n"), &[]).contains("the file is empty"));
    let mut mixed = "核心提示\n眼下的涪陵".as_bytes().to_vec();
    mixed.extend([0xFF, 0x80, 0x41]);
    let log = import_fails(&write("mixed.txt", &mixed), &[]);
    assert!(
        log.contains("mixed.txt:2:6: the text is neither UTF-8 nor GB18030"),
        "{log}"
    );
    let long = "字".repeat(decode_limit() + 1);
    let log = import_fails(
        &write("long.txt", format!("标题\n{long}\n").as_bytes()),
        &[],
    );
    assert!(log.contains("long.txt:2: line 2 is"), "{log}");
    assert!(import_fails(&write("scan.txt", b"%PDF-1.7\n..."), &[]).contains("this is a PDF"));
    // A file is read no further than its format's limit: not even a
    // device that never ends.
    let log = import_fails(Path::new("/dev/zero"), &["--from", "txt"]);
    assert!(log.contains("too large for a report's text"), "{log}");
    assert!(import_fails(&write("report.dat", "标题".as_bytes()), &[]).contains("--from"));
    assert!(import_fails(&write("old.docx", &cfb_header()), &[]).contains("old Word 97-2003"));
    assert!(
        import_fails(&write("notzip.docx", "标题\n正文。".as_bytes()), &[]).contains("plain text")
    );
}

#[test]
fn inputs_with_more_blocks_or_longer_ones_than_a_report_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let limit = banmian::import::MAX_BLOCKS;
    let too_many = format!("more than {limit} lines, paragraphs and pictures");
    // Plain text: a line is a block.
    let lines: String = (0..=limit).map(|i| format!("第{i}行\n")).collect();
    let text = dir.path().join("lines.txt");
    std::fs::write(&text, lines).unwrap();
    let log = import_fails(&text, &[]);
    assert!(log.contains(&too_many), "{log}");
    // Markdown: every picture is a block, whatever line it is on.
    let pictures = "![](a.jpg)".repeat(200) + "\n";
    let md = dir.path().join("pictures.md");
    std::fs::write(&md, pictures.repeat(limit / 200 + 1)).unwrap();
    let log = import_fails(&md, &[]);
    assert!(log.contains(&too_many), "{log}");
    // Word: a paragraph is a block, and it is no longer than a line.
    let paragraph = |text: &str| format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>");
    let document = |paragraphs: String| {
        format!("<w:document xmlns:w=\"w\"><w:body>{paragraphs}</w:body></w:document>")
    };
    let many = (0..=limit)
        .map(|i| paragraph(&format!("第{i}段")))
        .collect();
    let log = import_fails(&zip_docx(dir.path(), "many.docx", &document(many)), &[]);
    assert!(log.contains(&too_many), "{log}");
    let long = paragraph("标题") + &paragraph(&"字".repeat(decode_limit() + 1));
    let log = import_fails(&zip_docx(dir.path(), "long.docx", &document(long)), &[]);
    assert!(
        log.contains(&format!(
            "long.docx: paragraph 2 is {} characters long",
            decode_limit() + 1
        )),
        "{log}"
    );
}

#[test]
fn a_table_without_a_title_as_long_as_a_report_can_be_imports() {
    // Each row once looked at every row after it: minutes for this one.
    let dir = tempfile::tempdir().unwrap();
    let rows = banmian::import::MAX_BLOCKS - 2;
    let mut text = "# 标题\n\n正文一段。\n\n".to_owned();
    for i in 0..rows {
        text.push_str(&format!("| 指标{i} | 数值{i}。 |\n"));
    }
    let md = dir.path().join("table.md");
    std::fs::write(&md, text).unwrap();
    let (r, _) = import_ok(&md, &dir.path().join("table.toml"), &[]);
    let found = paragraphs(&r.sections[0].text);
    assert_eq!(found.len(), rows + 1);
    assert_eq!(found[rows], format!("指标{0}数值{0}。", rows - 1));
    assert!(r.data_box.is_none());
}

/// The longest line the importer takes.
fn decode_limit() -> usize {
    banmian::import::MAX_LINE_CHARS
}

/// The first bytes of an OLE compound file (a Word 97-2003 .doc).
fn cfb_header() -> Vec<u8> {
    let mut bytes = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    bytes.resize(4096, 0);
    bytes
}

#[test]
fn damaged_encrypted_and_hostile_word_files_exit_1_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let (docx, _, _) = word_report(dir.path());
    let bytes = std::fs::read(&docx).unwrap();
    let cut = dir.path().join("cut.docx");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    assert!(import_fails(&cut, &[]).contains("the .docx is damaged"));
    let locked = dir.path().join("locked.docx");
    python(&[
        "-m",
        "msoffcrypto",
        "-e",
        "-p",
        "secret",
        docx.to_str().unwrap(),
        locked.to_str().unwrap(),
    ]);
    let log = import_fails(&locked, &[]);
    assert!(log.contains("encrypted (protected by a password)"), "{log}");
    let broken = zip_docx(
        dir.path(),
        "broken.docx",
        "<w:document xmlns:w=\"w\"><w:body><w:p>",
    );
    let log = import_fails(&broken, &[]);
    assert!(log.contains("damaged (word/document.xml:1:"), "{log}");
    let entity =
        "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><d>&x;</d>";
    assert!(import_fails(&zip_docx(dir.path(), "entity.docx", entity), &[]).contains("damaged"));
    let empty = "<w:document xmlns:w=\"w\"><w:body><w:p/></w:body></w:document>";
    assert!(
        import_fails(&zip_docx(dir.path(), "blank.docx", empty), &[]).contains("no text found")
    );
    // Elements nested 100,000 deep, around a paragraph and inside one: the
    // reader stops instead of overflowing its stack.
    let nested = |inner: &str| "<w:x>".repeat(100_000) + inner + &"</w:x>".repeat(100_000);
    let run = "<w:r><w:t>正文。</w:t></w:r>";
    for (name, body) in [
        ("deep.docx", nested(&format!("<w:p>{run}</w:p>"))),
        ("deep-run.docx", format!("<w:p>{}</w:p>", nested(run))),
    ] {
        let xml = format!("<w:document xmlns:w=\"w\"><w:body>{body}</w:body></w:document>");
        let log = import_fails(&zip_docx(dir.path(), name, &xml), &[]);
        assert!(
            log.contains("damaged (word/document.xml nests elements more than 256 deep)"),
            "{log}"
        );
    }
}

/// A minimal .docx whose document part is `xml`.
fn zip_docx(dir: &Path, name: &str, xml: &str) -> PathBuf {
    zip_parts(dir, name, &[("word/document.xml", xml.as_bytes())])
}

/// A .docx of these parts (name, bytes).
fn zip_parts(dir: &Path, name: &str, parts: &[(&str, &[u8])]) -> PathBuf {
    use std::io::Write;
    let path = dir.join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for (part, bytes) in parts {
        zip.start_file(*part, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    path
}

/// A document part: its namespaces around `body`.
fn document_xml(body: &str) -> String {
    format!(
        "<w:document xmlns:w=\"w\" xmlns:r=\"r\" xmlns:a=\"a\" xmlns:wp=\"wp\" xmlns:wps=\"wps\"><w:body>{body}</w:body></w:document>"
    )
}

/// A paragraph of a style (`""`: Normal) and text.
fn styled(style: &str, text: &str) -> String {
    let style = if style.is_empty() {
        String::new()
    } else {
        format!("<w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>")
    };
    format!("<w:p>{style}<w:r><w:t>{text}</w:t></w:r></w:p>")
}

/// A paragraph holding a picture (relationship `rId9`).
fn picture_paragraph(alt: &str) -> String {
    format!(
        "<w:p><w:r><w:drawing><wp:inline><wp:docPr id=\"2\" descr=\"{alt}\"/><a:graphic><a:graphicData><a:blip r:embed=\"rId9\"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )
}

/// The relationships of a document part with one picture.
const PICTURE_RELS: &str = "<Relationships><Relationship Id=\"rId9\" Type=\"image\" Target=\"media/image1.png\"/></Relationships>";

/// A PNG's first bytes: enough for the importer to take it.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";

/// (path, caption) of every photo of the sections.
fn section_photos(r: &Report) -> Vec<(&str, &str)> {
    r.sections
        .iter()
        .flat_map(|s| &s.photos)
        .map(|p| (p.path.as_str(), p.caption.as_str()))
        .collect()
}

#[test]
fn a_picture_in_a_text_box_is_taken_once() {
    let dir = tempfile::tempdir().unwrap();
    let text_box = format!(
        "<w:p><w:r><w:drawing><wp:anchor><wp:docPr id=\"1\" name=\"文本框 1\"/><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>{}{}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>",
        picture_paragraph("车间"),
        styled("Caption", "卡深科技生产车间")
    );
    let body = [
        styled("Title", "涪陵 加快形成新质生产力"),
        styled("Heading2", "突破发展 现代产业蓄积新优势"),
        styled("", "锻造新质生产力，现代产业是主力军。"),
        text_box,
        styled("", "涪陵累计完成规上工业产值2471亿元。"),
    ]
    .concat();
    let docx = zip_parts(
        dir.path(),
        "boxed.docx",
        &[
            ("word/document.xml", document_xml(&body).as_bytes()),
            ("word/_rels/document.xml.rels", PICTURE_RELS.as_bytes()),
            ("word/media/image1.png", PNG),
        ],
    );
    let (r, log) = import_ok(&docx, &dir.path().join("boxed.toml"), &[]);
    assert!(log.contains("1 written to photos/"), "{log}");
    assert_eq!(
        section_photos(&r),
        [("photos/image1.png", "卡深科技生产车间")]
    );
}

#[test]
fn a_word_file_whose_document_is_at_the_root_of_the_package() {
    let dir = tempfile::tempdir().unwrap();
    let package_rels = "<Relationships><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"document.xml\"/></Relationships>";
    // A style of its own name, based on nothing: read from styles.xml.
    let styles = "<w:styles xmlns:w=\"w\"><w:style w:styleId=\"YY\"><w:name w:val=\"Quote\"/></w:style></w:styles>";
    let body = [
        styled("Title", "涪陵 加快形成新质生产力"),
        styled("Heading2", "突破发展 现代产业蓄积新优势"),
        styled("", "锻造新质生产力，现代产业是主力军。"),
        picture_paragraph("车间"),
        styled("Caption", "卡深科技生产车间"),
        styled("YY", "涪陵将坚持制造业当家。"),
    ]
    .concat();
    let docx = zip_parts(
        dir.path(),
        "root.docx",
        &[
            ("_rels/.rels", package_rels.as_bytes()),
            ("document.xml", document_xml(&body).as_bytes()),
            ("_rels/document.xml.rels", PICTURE_RELS.as_bytes()),
            ("styles.xml", styles.as_bytes()),
            ("media/image1.png", PNG),
        ],
    );
    let (r, log) = import_ok(&docx, &dir.path().join("root.toml"), &[]);
    assert!(log.contains("1 written to photos/"), "{log}");
    assert_eq!(
        section_photos(&r),
        [("photos/image1.png", "卡深科技生产车间")]
    );
    let quote = r
        .quote
        .as_ref()
        .expect("the Quote style makes the quote box");
    assert_eq!(paragraphs(&quote.text), ["涪陵将坚持制造业当家。"]);
    // A damaged part is named as it is in the package.
    let broken = zip_parts(
        dir.path(),
        "broken-rels.docx",
        &[
            ("_rels/.rels", package_rels.as_bytes()),
            ("document.xml", document_xml(&body).as_bytes()),
            ("_rels/document.xml.rels", b"<Relationships>"),
        ],
    );
    let log = import_fails(&broken, &[]);
    assert!(log.contains("damaged (_rels/document.xml.rels:1:"), "{log}");
    let broken = zip_parts(
        dir.path(),
        "broken-styles.docx",
        &[
            ("word/document.xml", document_xml(&body).as_bytes()),
            ("word/styles.xml", b"<w:styles>"),
        ],
    );
    let log = import_fails(&broken, &[]);
    assert!(log.contains("damaged (word/styles.xml:1:"), "{log}");
}

#[test]
fn the_format_can_be_named_when_the_extension_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("copy.dat");
    std::fs::copy(fixture("editors-note.txt"), &input).unwrap();
    let (r, _) = import_ok(&input, &dir.path().join("copy.toml"), &["--from", "txt"]);
    assert_eq!(r.headline.title, "江津 加快建设农业强区");
}
