//! Hostile and broken input: every case bounded, refused with its place,
//! and nothing left behind. Each test asserts the exit status, the message
//! (file, line or field, hint) and the files on disk. How long the bounded
//! cases take is measured by `scripts/hostile_bench.py`, not here.

use crate::common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use common::{banmian, repo, seed_variant, stderr};

/// `n` Han characters of body text.
fn han(n: usize) -> String {
    "涪陵加快形成新质生产力。".chars().cycle().take(n).collect()
}

/// The names in a folder, sorted, the test's photo cache aside.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".cache")
        .collect();
    names.sort();
    names
}

/// Whether bytes are a whole PDF (lopdf reads it to its end).
fn whole_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-") && lopdf::Document::load_mem(bytes).is_ok()
}

/// `render` of a report beside the seed (root: the repository) into `out`.
fn render(report: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let root = repo();
    let mut args = vec![
        "render",
        report.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    banmian(&args, out.parent().unwrap())
}

#[test]
fn a_lede_of_a_million_characters_is_overset_at_once() {
    let report = seed_variant(|t| {
        t["lede"]
            .as_table_mut()
            .unwrap()
            .insert("text".into(), han(1_000_000).into());
    });
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("spread.pdf");
    std::fs::write(&pdf, b"the last good spread").unwrap();
    let output = render(report.path(), &pdf, &["--deck", "deck.pptx"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    let name = report.path().file_name().unwrap().to_string_lossy();
    assert!(
        err.contains(&format!("{name}:")),
        "the file and line: {err}"
    );
    assert!(err.contains("(field `lede.text`)"), "{err}");
    assert!(err.contains("far beyond a page"), "{err}");
    assert!(err.contains("hint: cut at least 99"), "{err}");
    assert_eq!(std::fs::read(&pdf).unwrap(), b"the last good spread");
    assert_eq!(names(dir.path()), ["spread.pdf"], "nothing else written");
}

/// A story of a million characters is overset at once too, and the deck's
/// derived points do not rank every pair of its sentences (they did: this
/// took minutes and filled the memory, found by `scripts/hostile_bench.py`).
#[test]
fn a_story_of_a_million_characters_is_overset_at_once_deck_and_all() {
    let report = seed_variant(|t| {
        let sections = t["sections"].as_array_mut().unwrap();
        let first = sections[0].as_table_mut().unwrap();
        first.insert("text".into(), han(1_000_000).into());
        // Its slide's points derived from the text.
        t.remove("deck");
    });
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("spread.pdf");
    let output = render(report.path(), &pdf, &["--deck", "deck.pptx"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("sections[0]"), "{err}");
    assert!(err.contains("hint: cut at least"), "{err}");
    assert!(!pdf.exists(), "nothing written");
}

#[test]
fn a_report_over_eight_megabytes_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = common::small_report("正文。");
    text.push_str(&format!("# {}\n", "x".repeat(9 << 20)));
    let report = common::write_report(dir.path(), &text);
    let output = banmian(&["check", report.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("report.toml: the report is 9.4 MB; banmian reads reports of up to 8 MB"),
        "{err}"
    );
    assert!(err.contains("hint: a report is a few hundred kB"), "{err}");
}

#[test]
fn fifty_problems_are_shown_and_the_rest_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = common::small_report("正文。");
    for _ in 0..20_000 {
        text.push_str("[[sections]]\nheading = \"小标题\"\ntext = \"\"\n");
    }
    let report = common::write_report(dir.path(), &text);
    let output = banmian(&["check", report.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    let empty = err.matches("this text is empty").count();
    assert_eq!(empty, 50, "{err}");
    assert!(
        err.contains("report.toml:18:8: this text is empty (field `sections[1].text`)"),
        "{err}"
    );
    assert!(
        err.contains("19950 more problems like these (20000 in all)"),
        "{err}"
    );
    assert!(
        err.contains("hint: fix the first 50 and check again"),
        "{err}"
    );
}

/// A small report in `dir` whose one photo has the path `photo`.
fn report_with_photo(dir: &Path, photo: &str) -> PathBuf {
    let text = common::small_report("正文。")
        + &format!("[[sections.photos]]\npath = \"{photo}\"\ncaption = \"车间\"\n");
    common::write_report(dir, &text)
}

#[test]
fn a_section_of_thirty_photos_is_refused_at_the_ninth() {
    let dir = tempfile::tempdir().unwrap();
    common::write_photo(&dir.path().join("p.jpg"), 800, 500);
    let mut text = common::small_report("正文。".repeat(400).as_str());
    for i in 0..30 {
        text += &format!("\n[[sections.photos]]\npath = \"p.jpg\"\ncaption = \"图{i}\"\n");
    }
    let report = common::write_report(dir.path(), &text);
    let output = banmian(&["check", report.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("at most 8 photos, and this one has 30"),
        "{err}"
    );
    assert!(err.contains("sections[0].photos[8]"), "{err}");
    // The ninth photo's table, counted from the report's first line.
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("[[sections.photos]]"))
        .nth(8)
        .map(|(n, _)| n + 1)
        .unwrap();
    assert!(
        err.contains(&format!("report.toml:{line}:")),
        "line {line}: {err}"
    );
}

#[test]
fn a_photo_that_is_a_fifo_or_a_device_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("photo.jpg");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let report = report_with_photo(dir.path(), "photo.jpg");
    // Nothing ever writes into the FIFO: a read would block for good.
    let output = banmian(&["check", report.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("report.toml:17:8: photo `photo.jpg` is a FIFO (named pipe), not a file (field `sections[0].photos[0].path`)"), "{err}");
    assert!(err.contains("hint: name a photo file"), "{err}");
    // A device, inside a root that holds it.
    let depth = dir.path().components().count() - 1;
    let zero = format!("{}dev/zero", "../".repeat(depth));
    let report = report_with_photo(dir.path(), &zero);
    let output = banmian(
        &["check", report.to_str().unwrap(), "--root", "/"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("is a device, not a file (field `sections[0].photos[0].path`)"),
        "{err}"
    );
    assert_eq!(names(dir.path()), ["photo.jpg", "report.toml"]);
}

#[test]
fn a_photo_linked_out_of_the_root_is_refused_like_a_climb() {
    let outside = tempfile::tempdir().unwrap();
    common::write_photo(&outside.path().join("secret.jpg"), 1200, 800);
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.jpg"),
        dir.path().join("link.jpg"),
    )
    .unwrap();
    for photo in ["link.jpg", "../secret.jpg"] {
        let report = report_with_photo(dir.path(), photo);
        let output = banmian(&["check", report.to_str().unwrap()], dir.path());
        assert_eq!(output.status.code(), Some(1));
        let err = stderr(&output);
        assert!(
            err.contains(&format!("photo `{photo}` lies outside the render root")),
            "{err}"
        );
        assert!(
            err.contains("(field `sections[0].photos[0].path`)"),
            "{err}"
        );
        assert!(
            err.contains("hint: move the file under the report's folder"),
            "{err}"
        );
    }
}

/// The outputs of a render of the seed with its deck and PNG pages, by
/// name, for a figure of `value` (so that two renders differ).
struct Outputs {
    dir: tempfile::TempDir,
}

impl Outputs {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The command that renders `report` into this folder.
    fn command(&self, report: &Path) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_banmian"));
        command
            .args(["render", report.to_str().unwrap(), "--root"])
            .arg(repo())
            .args([
                "-o",
                "spread.pdf",
                "--deck",
                "deck.pptx",
                "--png",
                "pages",
                "--png-ppi",
                "60",
            ])
            .current_dir(self.path())
            .env("BANMIAN_CACHE_DIR", self.path().join(".cache"))
            .env("SOURCE_DATE_EPOCH", "1709596800")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        command
    }

    /// Every output file's bytes, temporaries and caches aside.
    fn files(&self) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        for name in ["spread.pdf", "deck.pptx"] {
            out.push((
                name.into(),
                std::fs::read(self.path().join(name)).unwrap_or_default(),
            ));
        }
        // A temporary file a killed writer left behind is not an output:
        // it is debris, which the next run sweeps (`debris`).
        let pages = names(&self.path().join("pages"));
        for name in pages.into_iter().filter(|n| !n.starts_with(".banmian-")) {
            out.push((
                format!("pages/{name}"),
                std::fs::read(self.path().join("pages").join(&name)).unwrap(),
            ));
        }
        out
    }

    /// banmian's temporary files anywhere in the folder.
    fn debris(&self) -> Vec<String> {
        let mut out = Vec::new();
        for dir in [self.path().to_path_buf(), self.path().join("pages")] {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                if name.starts_with(".banmian-") {
                    out.push(name);
                }
            }
        }
        out
    }
}

/// A seed variant whose key figure reads `value`.
fn with_figure(value: &str) -> tempfile::NamedTempFile {
    let value = value.to_owned();
    seed_variant(move |t| {
        let figure = t["figures"][0].as_table_mut().unwrap();
        figure.insert("value".into(), value.into());
    })
}

/// Whether each output is one of the two renders' bytes, whole.
fn each_whole(
    files: &[(String, Vec<u8>)],
    a: &[(String, Vec<u8>)],
    b: &[(String, Vec<u8>)],
) -> Result<(), String> {
    for (i, (name, bytes)) in files.iter().enumerate() {
        if bytes != &a[i].1 && bytes != &b[i].1 {
            return Err(format!(
                "{name} is neither render's output ({} bytes)",
                bytes.len()
            ));
        }
    }
    Ok(())
}

/// An open file of `pid` in `dir`, as /proc/PID/fd shows it (a folder,
/// `dir` or one in it, open to be swept, read or synced, is not a file).
fn open_in(pid: u32, dir: &Path) -> Option<String> {
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?;
    for fd in fds.flatten() {
        if let Ok(target) = std::fs::read_link(fd.path())
            && target.starts_with(dir)
            && target != dir
            && !target.is_dir()
            && !target.to_string_lossy().contains(".cache")
        {
            return Some(target.to_string_lossy().into_owned());
        }
    }
    None
}

#[test]
fn killed_renders_leave_the_last_good_outputs_and_no_temporary_files() {
    let (a, b) = (with_figure("1111"), with_figure("2222"));
    let out = Outputs::new();
    let reference = |report: &Path| {
        let status = out.command(report).status().unwrap();
        assert!(status.success());
        out.files()
    };
    let new = reference(b.path());
    let old = reference(a.path());
    assert!(new[0].1 != old[0].1, "the two renders differ");
    // Killed at points from start-up to the writes, then once the moment an
    // output is being written (its file open, seen in /proc).
    let mut writing = 0;
    let mut points: Vec<Option<u64>> = [0, 100, 300, 600].map(Some).to_vec();
    points.extend([None; 3]);
    for point in points {
        let mut child = out.command(b.path()).spawn().unwrap();
        match point {
            Some(ms) => std::thread::sleep(Duration::from_millis(ms)),
            None => {
                let deadline = Instant::now() + Duration::from_secs(60);
                while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
                    if let Some(file) = open_in(child.id(), out.path()) {
                        // Written under no name: nothing to leave behind.
                        assert!(file.ends_with("(deleted)"), "an anonymous file, not {file}");
                        writing += 1;
                        break;
                    }
                }
            }
        }
        let _ = child.kill();
        child.wait().unwrap();
        each_whole(&out.files(), &old, &new).unwrap();
        if point.is_none() {
            assert_eq!(out.debris(), Vec::<String>::new(), "killed while writing");
        }
    }
    assert!(writing > 0, "no kill caught a file being written");
    // The next run finishes, and no temporary file of any run remains.
    assert!(out.command(b.path()).status().unwrap().success());
    assert_eq!(out.files(), new);
    assert_eq!(out.debris(), Vec::<String>::new());
}

#[test]
fn the_next_run_sweeps_what_a_killed_writer_left_but_not_a_live_ones() {
    let out = Outputs::new();
    let report = with_figure("1234");
    std::fs::create_dir(out.path().join("pages")).unwrap();
    let dead = out.path().join(".banmian-0dead0.tmp");
    let live = out.path().join("pages/.banmian-11ve11.tmp");
    std::fs::write(&dead, b"half a PDF").unwrap();
    std::fs::write(&live, b"another render's page").unwrap();
    let writer = std::fs::File::open(&live).unwrap();
    writer.lock().unwrap();
    std::fs::write(out.path().join("notes.tmp"), b"the editor's").unwrap();
    let output = out.command(report.path()).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!dead.exists(), "the dead writer's file is swept");
    assert!(live.exists(), "a file whose writer holds its lock is kept");
    assert!(out.path().join("notes.tmp").exists());
    drop(writer);
    assert!(whole_pdf(
        &std::fs::read(out.path().join("spread.pdf")).unwrap()
    ));
}

#[test]
fn two_renders_into_one_output_leave_one_whole_file() {
    let (a, b) = (with_figure("1111"), with_figure("2222"));
    let out = Outputs::new();
    let mut reference = Vec::new();
    for report in [&a, &b] {
        assert!(out.command(report.path()).status().unwrap().success());
        reference.push(out.files());
    }
    let pdf = out.path().join("spread.pdf");
    let whole = |bytes: &Vec<u8>| reference.iter().any(|r| &r[0].1 == bytes);
    for _ in 0..2 {
        let mut first = out.command(a.path()).spawn().unwrap();
        let mut second = out.command(b.path()).spawn().unwrap();
        // A reader never sees half a spread while they write it.
        let mut reads = 0;
        while first.try_wait().unwrap().is_none() || second.try_wait().unwrap().is_none() {
            let bytes = std::fs::read(&pdf).unwrap();
            assert!(
                whole(&bytes),
                "read {reads}: {} bytes, neither render's",
                bytes.len()
            );
            reads += 1;
        }
        for mut child in [first, second] {
            assert!(child.wait().unwrap().success());
        }
        each_whole(&out.files(), &reference[0], &reference[1]).unwrap();
        assert!(whole_pdf(&out.files()[0].1));
        assert_eq!(out.debris(), Vec::<String>::new());
    }
}

/// A running `banmian watch` whose standard error is read line by line.
struct Watching {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Watching {
    fn start(report: &Path, args: &[&str]) -> Self {
        let dir = report.parent().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_banmian"))
            .arg("watch")
            .arg(report)
            .args(args)
            .current_dir(dir)
            .env("BANMIAN_CACHE_DIR", dir.join(".cache"))
            .env("SOURCE_DATE_EPOCH", "1709596800")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Self {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a line starting with `prefix`; returns everything seen.
    fn until(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(120);
        while Instant::now() < deadline {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200)) {
                let done = line.starts_with(prefix);
                self.seen.push(line);
                if done {
                    // Watch watches its files once it has said so.
                    std::thread::sleep(Duration::from_millis(300));
                    return self.seen.join("\n");
                }
            }
        }
        panic!("no `{prefix}`; watch printed:\n{}", self.seen.join("\n"));
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn watch_and_render_writing_one_output_leave_one_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let a = common::write_report(dir.path(), &common::small_report(&han(600)));
    let b = dir.path().join("other.toml");
    std::fs::write(&b, common::small_report(&han(900))).unwrap();
    let pdf = dir.path().join("out/r.pdf");
    let mut watch = Watching::start(&a, &["-o", "out/r.pdf"]);
    watch.until("[1] ");
    let rendered = |report: &Path| {
        banmian(
            &["render", report.to_str().unwrap(), "-o", "out/r.pdf"],
            dir.path(),
        )
    };
    for round in 0..4 {
        // An edit for watch to rebuild, while a render writes the same file.
        let text = common::small_report(&han(600 + round));
        std::fs::write(&a, text).unwrap();
        let output = rendered(&b);
        assert!(output.status.success(), "{}", stderr(&output));
        watch.until(&format!("[{}] ", round + 2));
        assert!(whole_pdf(&std::fs::read(&pdf).unwrap()), "round {round}");
    }
    assert_eq!(
        names(&dir.path().join("out")),
        ["r.pdf"],
        "no temporary file"
    );
}

/// A copy of the templates in `dir/tpl` whose spread template holds
/// `code` before its last line; returns the folder and that code's line.
fn templates_with(dir: &Path, code: &str) -> (PathBuf, usize) {
    let tpl = dir.join("tpl");
    std::fs::create_dir_all(&tpl).unwrap();
    for name in ["theme.typ", "spread.typ", "deck.typ"] {
        std::fs::copy(repo().join("layouts").join(name), tpl.join(name)).unwrap();
    }
    let line = edit_spread(&tpl, code);
    (tpl, line)
}

/// Saves the built-in spread template with `code` before its last line
/// into `tpl` as an editor does (a new file renamed over the old one);
/// returns that code's line.
fn edit_spread(tpl: &Path, code: &str) -> usize {
    let spread = std::fs::read_to_string(repo().join("layouts/spread.typ")).unwrap();
    let marker = "#if plan.mode == \"geometry\"";
    let line = spread[..spread.find(marker).unwrap()].lines().count() + 1;
    let saved = tpl.join(".spread.typ.swp");
    std::fs::write(
        &saved,
        spread.replacen(marker, &format!("{code}\n{marker}"), 1),
    )
    .unwrap();
    std::fs::rename(&saved, tpl.join("spread.typ")).unwrap();
    line
}

/// Renders a small report with the templates of `tpl` over a last good
/// spread; returns the output and checks that spread is kept.
fn render_with(dir: &Path, tpl: &Path, extra: &[&str]) -> std::process::Output {
    let report = common::write_report(dir, &common::small_report("正文。"));
    let pdf = dir.join("spread.pdf");
    std::fs::write(&pdf, b"the last good spread").unwrap();
    let mut args = vec![
        "render",
        report.to_str().unwrap(),
        "-o",
        "spread.pdf",
        "--layouts",
        tpl.to_str().unwrap(),
    ];
    args.extend(extra);
    let output = banmian(&args, dir);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(std::fs::read(&pdf).unwrap(), b"the last good spread");
    output
}

#[test]
fn a_template_error_or_endless_recursion_names_its_file_and_line() {
    let cases = [
        (
            "#let oops = no-such-thing",
            "unknown variable: no-such-thing",
        ),
        (
            "#let f(n) = f(n + 1)\n#f(0)",
            "maximum function call depth exceeded",
        ),
    ];
    for (code, message) in cases {
        let dir = tempfile::tempdir().unwrap();
        let (tpl, line) = templates_with(dir.path(), code);
        let err = stderr(&render_with(dir.path(), &tpl, &[]));
        let at = format!("{}:{line}:", tpl.join("spread.typ").display());
        assert!(
            err.contains(&at)
                || err.contains(&format!(
                    "{}:{}:",
                    tpl.join("spread.typ").display(),
                    line + 1
                )),
            "{at} in {err}"
        );
        assert!(err.contains(message), "{err}");
    }
}

#[test]
fn a_template_that_loops_is_stopped_at_its_line_within_its_time() {
    let dir = tempfile::tempdir().unwrap();
    let code = "#let spin = { let x = 0; for i in range(100000) { for j in range(100000) { x += 1 } }; x }";
    let (tpl, line) = templates_with(dir.path(), code);
    let err = stderr(&render_with(dir.path(), &tpl, &["--compile-timeout", "2"]));
    let at = format!("{}:{line}:", tpl.join("spread.typ").display());
    // Where the template is busy: the inner loop, or the call it repeats
    // (`range(…)`). Which of the two a sample finds more of depends on
    // how fast the loop runs (a build with checks in Typst, or without).
    let inner = code.rfind("for j").unwrap() + 1;
    let call = code.rfind("range(").unwrap() + 1;
    let stopped = |column: usize| {
        err.contains(&format!(
            "{at}{column}: the template did not finish within 2 s"
        ))
    };
    assert!(stopped(inner) || stopped(call), "{at} in {err}");
    assert!(err.contains("hint: the compile was stopped there"), "{err}");
    assert_eq!(names(dir.path()), ["report.toml", "spread.pdf", "tpl"]);
    // check --json answers in JSON.
    let report = dir.path().join("report.toml");
    let tpl_arg = tpl.to_str().unwrap();
    let output = banmian(
        &[
            "check",
            report.to_str().unwrap(),
            "--json",
            "--layouts",
            tpl_arg,
            "--compile-timeout",
            "2",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let finding = &json["findings"][0];
    assert_eq!(finding["line"], line, "{json}");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("did not finish"),
        "{json}"
    );
}

#[test]
fn a_template_that_fills_the_memory_is_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let (tpl, _) = templates_with(dir.path(), "#let big = range(30000000).map(i => i + 1)");
    let err = stderr(&render_with(dir.path(), &tpl, &["--compile-memory", "400"]));
    let at = format!("{}", tpl.join("spread.typ").display());
    assert!(err.contains(&at), "{err}");
    assert!(
        err.contains("the template took more than 0.4 GB of memory"),
        "{err}"
    );
}

#[test]
fn a_template_reading_outside_its_folder_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
    for (code, message) in [
        (
            "#let s = read(\"../secret.txt\")",
            "would escape the package root",
        ),
        ("#let s = read(\"link.txt\")", "access denied"),
    ] {
        let (tpl, line) = templates_with(dir.path(), code);
        let _ = std::os::unix::fs::symlink(dir.path().join("secret.txt"), tpl.join("link.txt"));
        let err = stderr(&render_with(dir.path(), &tpl, &[]));
        let at = format!("{}:{line}:", tpl.join("spread.typ").display());
        assert!(err.contains(&at), "{at} in {err}");
        assert!(err.contains(message), "{err}");
        assert!(!err.contains("secret\""), "{err}");
    }
}

#[test]
fn watch_starts_again_after_a_looping_template_and_builds_on_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let (tpl, line) = templates_with(dir.path(), "");
    let report = common::write_report(dir.path(), &common::small_report("正文。"));
    let args = [
        "-o",
        "out/r.pdf",
        "--layouts",
        tpl.to_str().unwrap(),
        "--compile-timeout",
        "2",
    ];
    let mut watch = Watching::start(&report, &args);
    watch.until("[1] ");
    let good = std::fs::read(dir.path().join("out/r.pdf")).unwrap();
    let pid = watch.child.id();
    edit_spread(
        &tpl,
        "#let spin = { let x = 0; for i in range(100000) { for j in range(100000) { x += 1 } }; x }",
    );
    let said = watch.until("[0] watching again");
    // Stopped inside the loops (from `for i` at column 26 to the line's
    // end): where exactly depends on when the watchdog's stop lands (the
    // inner loop at 51, its `range` call at 60).
    let at = format!("spread.typ:{line}:");
    let column = said.find(&at).and_then(|i| {
        let rest = &said[i + at.len()..];
        let (column, message) = rest.split_once(':')?;
        let stopped = message.starts_with(" the template did not finish within 2 s");
        column.parse::<usize>().ok().filter(|_| stopped)
    });
    assert!(column.is_some_and(|c| (26..=90).contains(&c)), "{said}");
    assert_eq!(watch.child.id(), pid, "the same process, started again");
    assert_eq!(
        std::fs::read(dir.path().join("out/r.pdf")).unwrap(),
        good,
        "the last good output"
    );
    // The runaway compile went with the old process: the fix builds.
    edit_spread(&tpl, "");
    let said = watch.until("[1] ");
    assert!(
        said.contains("spread.typ changed: wrote out/r.pdf"),
        "{said}"
    );
    assert!(whole_pdf(
        &std::fs::read(dir.path().join("out/r.pdf")).unwrap()
    ));
}

#[test]
fn a_draft_of_twenty_thousand_captions_imports_and_loads() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = vec!["涪陵加快形成新质生产力".to_owned(), String::new()];
    for s in 0..500 {
        lines.push(format!("■ 第{s}部分"));
        lines.push(format!("涪陵区第{s}个项目推动科技创新成果应用到具体产业。"));
        lines.extend((0..36).map(|c| format!("▲涪陵{s}号车间{c}号生产线")));
    }
    let draft = dir.path().join("draft.txt");
    std::fs::write(&draft, lines.join("\n")).unwrap();
    let output = banmian(&["import", "draft.txt", "-o", "report.toml"], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("500 sections"),
        "{}",
        err.lines().next().unwrap_or("")
    );
    assert!(
        err.contains("18000 photos"),
        "{}",
        err.lines().next().unwrap_or("")
    );
    // A section holds at most 8 photos: the other 28 of each stand as
    // comments, with a check on the first, so the report loads and none
    // is lost.
    let path = dir.path().join("report.toml");
    let report = banmian::report::read(&path).unwrap();
    let photos: usize = report.report.sections.iter().map(|s| s.photos.len()).sum();
    assert_eq!(photos, 500 * 8);
    let text = std::fs::read_to_string(&path).unwrap();
    let kept_as_comments = text.matches("\n# [[sections.photos]]\n").count();
    assert_eq!(kept_as_comments, 500 * 28);
    assert_eq!(
        text.matches("# check: a section holds at most 8 photos")
            .count(),
        500
    );
}

/// Fuzzing found (scripts/fuzz.sh, target `import`): a draft with a
/// control character (U+0006) in a line that becomes a `# check:`
/// comment was written as a report that did not load back (TOML comments
/// hold no control characters).
#[test]
fn fuzz_an_imported_control_character_loads_back() {
    use banmian::import::{ImportOptions, import_bytes};
    let name = "import-control-character.md";
    let bytes = std::fs::read(common::repo().join("tests/fixtures/fuzz").join(name)).unwrap();
    assert!(bytes.contains(&0x06), "the fixture holds U+0006");
    let options = ImportOptions {
        from: None,
        paper: None,
        date: None,
        fallback_date: "2024-03-05".into(),
        output_dir: PathBuf::from("out"),
    };
    let imported = import_bytes(Path::new(name), &bytes, &options).unwrap();
    let toml = imported
        .to_toml(Path::new(name), Path::new("out/report.toml"))
        .unwrap_or_else(|e| panic!("the import loads back: {e}"));
    assert!(
        toml.text.contains("U+0006"),
        "the character named in its comment"
    );
}

/// A fuzzing fixture copied under `name` into a folder of its own, and a
/// photo store to read it with.
fn fuzz_photo(
    fixture: &str,
    name: &str,
) -> (
    tempfile::TempDir,
    PathBuf,
    banmian::assets::photos::PhotoStore,
) {
    use banmian::assets::photos::{PhotoOptions, PhotoStore};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::copy(
        common::repo().join("tests/fixtures/fuzz").join(fixture),
        &path,
    )
    .unwrap();
    (dir, path, PhotoStore::new(PhotoOptions::default()))
}

/// Fuzzing found (target `photo`): a CMYK JPEG's stand-in decoded at a
/// reduced size was read as RGB and panicked in the JPEG encoder; it is
/// made as RGB now, and a decode of another size than its header says is
/// an error.
#[test]
fn fuzz_a_cmyk_photos_stand_in_is_made() {
    use banmian::assets::standin;
    let (_dir, path, store) = fuzz_photo("photo-cmyk-standin.jpg", "photo.jpg");
    let info = store.info(&path).unwrap();
    let photo = store.finalize(&info, (120.0, 80.0), [0.3, 0.7]).unwrap();
    // No panic; a stand-in at a small size or an error, either way.
    let _ = standin::stand_in(&photo.bytes, Some((32, 24)));
    let _ = standin::stand_in(&photo.bytes, None);
}

/// Fuzzing found (target `photo`): a PNG of 237 bytes whose header claims
/// 196,816 × 4,278,198,289 pixels made the decoder allocate 198 GB and
/// abort. It is refused from its header now, as a photo error.
#[test]
fn fuzz_a_photo_claiming_billions_of_pixels_is_refused() {
    let (_dir, path, store) = fuzz_photo("photo-png-bomb.png", "photo.png");
    let err = store.info(&path).unwrap_err();
    assert!(
        err.to_string().to_lowercase().contains("memory") || err.to_string().contains("limit"),
        "{err}"
    );
}
