//! `banmian watch`: rebuilds on edits, survives broken edits keeping the
//! last good outputs, rewrites only what changed; and its live preview,
//! driven end to end in Debian's headless Chromium through chromedriver.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A copy of the seed (report and photos) in a temp folder, to edit.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let repo = common::repo();
        for (from, to) in [("examples/fuling", "examples/fuling"), ("images", "images")] {
            std::fs::create_dir_all(dir.path().join(to)).unwrap();
            for entry in std::fs::read_dir(repo.join(from)).unwrap() {
                let entry = entry.unwrap();
                if entry.file_type().unwrap().is_file() {
                    std::fs::copy(entry.path(), dir.path().join(to).join(entry.file_name()))
                        .unwrap();
                }
            }
        }
        Self { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn report(&self) -> PathBuf {
        self.path().join("examples/fuling/report.toml")
    }

    /// Rewrites the report as an editor saves: a temp file renamed over it.
    fn edit(&self, change: impl FnOnce(String) -> String) {
        let text = change(std::fs::read_to_string(self.report()).unwrap());
        let tmp = self.path().join("examples/fuling/.report.toml.swp");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, self.report()).unwrap();
    }
}

/// A running `banmian watch` whose standard error is read line by line.
struct Watch {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Watch {
    fn start(ws: &Workspace, extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_banmian"))
            .arg("watch")
            .arg(ws.report())
            .arg("--root")
            .arg(ws.path())
            .args(["-o", "out/fuling.pdf"])
            .args(extra)
            .current_dir(ws.path())
            .env("BANMIAN_CACHE_DIR", ws.path().join(".cache"))
            .env("SOURCE_DATE_EPOCH", "1709596800")
            .stderr(Stdio::piped())
            .spawn()
            .expect("banmian watch starts");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Self {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for the rebuild line `[n] …` and returns it with the lines
    /// printed before it since the last one.
    fn build(&mut self, n: u64) -> String {
        let prefix = format!("[{n}] ");
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut block = Vec::new();
        while Instant::now() < deadline {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200)) {
                self.seen.push(line.clone());
                let done = line.starts_with(&prefix);
                block.push(line);
                if done {
                    // The error's continuation lines follow the rebuild line.
                    while let Ok(more) = self.lines.recv_timeout(Duration::from_millis(300)) {
                        self.seen.push(more.clone());
                        block.push(more);
                    }
                    return block.join("\n");
                }
            }
        }
        panic!("no rebuild {n}; watch printed:\n{}", self.seen.join("\n"));
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const FIGURE: &str = "value = \"2471\"";

#[test]
fn watch_rebuilds_on_edits_and_keeps_the_last_good_outputs() {
    let ws = Workspace::new();
    let pdf = ws.path().join("out/fuling.pdf");
    let pptx = ws.path().join("out/deck.pptx");
    let mut watch = Watch::start(&ws, &["--deck", "out/deck.pptx"]);
    let first = watch.build(1);
    assert!(
        first.contains("wrote") && first.contains("fuling.pdf") && first.contains("deck.pptx"),
        "{first}"
    );
    assert!(
        ["measure", "compose", "draw", "pdf"]
            .iter()
            .all(|phase| first.contains(&format!("{phase} "))),
        "time per phase: {first}"
    );
    assert!(common::pdf_text(&pdf).contains("2471"));

    // A figure changes: the PDF follows.
    ws.edit(|t| t.replace(FIGURE, "value = \"2588\""));
    let line = watch.build(2);
    assert!(
        line.contains("report.toml changed") && line.contains("fuling.pdf"),
        "{line}"
    );
    assert!(common::pdf_text(&pdf).contains("2588"));
    let good_pdf = std::fs::read(&pdf).unwrap();
    let good_pptx = std::fs::read(&pptx).unwrap();

    // A broken edit: the error with its place, the outputs untouched.
    ws.edit(|t| t.replacen("heading = ", "headng = ", 1));
    let broken = watch.build(3);
    assert!(
        broken.contains("error:") && broken.contains("unknown field `headng`"),
        "{broken}"
    );
    assert!(
        broken.contains("report.toml:") && broken.contains("hint:"),
        "{broken}"
    );
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        good_pdf,
        "the last good PDF stays"
    );
    assert_eq!(
        std::fs::read(&pptx).unwrap(),
        good_pptx,
        "the last good deck stays"
    );

    // Invalid TOML too; then the fix renders again.
    ws.edit(|t| t.replacen("headng = ", "heading = [[", 1));
    let invalid = watch.build(4);
    assert!(
        invalid.contains("error:") && invalid.contains("report.toml:"),
        "{invalid}"
    );
    ws.edit(|t| t.replacen("heading = [[", "heading = ", 1));
    let fixed = watch.build(5);
    assert!(fixed.contains("changed:"), "{fixed}");
    assert!(!fixed.contains("error"), "{fixed}");
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        good_pdf,
        "the same report, the same bytes"
    );

    // Saving without a change rewrites nothing.
    ws.edit(|t| t);
    let same = watch.build(6);
    assert!(same.contains("nothing rewritten"), "{same}");

    // A missing photo is an error with its field; restoring it renders.
    let photo = ws.path().join("images/steel-facade.jpg");
    let aside = ws.path().join("steel-facade.jpg");
    std::fs::rename(&photo, &aside).unwrap();
    let missing = watch.build(7);
    assert!(
        missing.contains("error:") && missing.contains("sections[2].photos[0].path"),
        "{missing}"
    );
    std::fs::rename(&aside, &photo).unwrap();
    let back = watch.build(8);
    assert!(!back.contains("error"), "{back}");
    assert!(
        watch.child.try_wait().unwrap().is_none(),
        "watch keeps running"
    );
}

/// An editor that writes the report in place, pausing mid-file (a slow
/// disk, a large file written in pieces), then closes it: the watch builds
/// the whole file once, not the half it saw first. The pause (10 ms) is
/// longer than the fixed settle the watch used to wait, and it built the
/// half file then (an error), then the whole.
#[test]
fn a_save_in_place_is_built_once_when_whole() {
    let ws = Workspace::new();
    let pdf = ws.path().join("out/fuling.pdf");
    let mut watch = Watch::start(&ws, &[]);
    watch.build(1);
    let mut figure = FIGURE.to_owned();
    for (n, value) in [(2, "2588"), (3, "2599")] {
        let next = format!("value = \"{value}\"");
        let text = std::fs::read_to_string(ws.report())
            .unwrap()
            .replace(&figure, &next);
        figure = next;
        let (head, tail) = text.as_bytes().split_at(text.len() / 2);
        let mut file = std::fs::File::create(ws.report()).unwrap();
        file.write_all(head).unwrap();
        file.flush().unwrap();
        std::thread::sleep(Duration::from_millis(10));
        file.write_all(tail).unwrap();
        drop(file);
        let line = watch.build(n);
        assert!(
            line.contains("report.toml changed") && !line.contains("error"),
            "built before the save was whole: {line}"
        );
        assert!(common::pdf_text(&pdf).contains(value));
    }
    // No rebuild of a half file, nor a second one of the whole.
    std::thread::sleep(Duration::from_millis(500));
    while let Ok(line) = watch.lines.try_recv() {
        assert!(!line.starts_with("[4]"), "one save, one rebuild: {line}");
    }
}

#[test]
fn a_template_edit_rebuilds_and_a_template_error_is_reported() {
    let ws = Workspace::new();
    let layouts = ws.path().join("layouts");
    std::fs::create_dir_all(&layouts).unwrap();
    for name in ["theme.typ", "spread.typ", "deck.typ"] {
        std::fs::copy(
            common::repo().join("layouts").join(name),
            layouts.join(name),
        )
        .unwrap();
    }
    let mut watch = Watch::start(&ws, &["--layouts", layouts.to_str().unwrap()]);
    watch.build(1);
    let spread = layouts.join("spread.typ");
    let good = std::fs::read_to_string(&spread).unwrap();
    std::fs::write(&spread, format!("{good}\n#let broken = (\n")).unwrap();
    let broken = watch.build(2);
    assert!(
        broken.contains("spread.typ changed") && broken.contains("error"),
        "{broken}"
    );
    assert!(
        broken.contains("spread.typ:"),
        "the template error has its place: {broken}"
    );
    std::fs::write(&spread, good).unwrap();
    let fixed = watch.build(3);
    assert!(!fixed.contains("error"), "{fixed}");
}

/// Every file under `dir`, by its path below it, with its bytes.
fn files_under(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
}

/// `render`, `watch` and `check` take the same output options: the same
/// options give the same files, byte for byte, and `check` writes none but
/// the Typst project.
#[test]
fn render_watch_and_check_take_the_same_output_options() {
    let ws = Workspace::new();
    let options = |dir: &str| -> Vec<String> {
        [
            "-o",
            "fuling.pdf",
            "--marks",
            "--proof",
            "proof.pdf",
            "--deck",
            "deck.pdf",
            "--deck",
            "deck.pptx",
            "--notes",
            "--png",
            "png",
            "--png-ppi",
            "12",
            "--typst-project",
            "project",
        ]
        .iter()
        .map(|a| match *a {
            "fuling.pdf" | "proof.pdf" | "deck.pdf" | "deck.pptx" | "png" | "project" => {
                format!("{dir}/{a}")
            }
            other => other.to_owned(),
        })
        .collect()
    };
    let run = |command: &str, dir: &str| {
        let report = ws.report();
        let root = ws.path().to_str().unwrap().to_owned();
        let mut args = vec![command, report.to_str().unwrap(), "--root", &root];
        let options = options(dir);
        args.extend(options.iter().map(String::as_str));
        Command::new(env!("CARGO_BIN_EXE_banmian"))
            .args(&args)
            .current_dir(ws.path())
            .env("BANMIAN_CACHE_DIR", ws.path().join(".cache"))
            .env("SOURCE_DATE_EPOCH", "1709596800")
            .output()
            .unwrap()
    };
    let rendered = run("render", "rendered");
    assert!(rendered.status.success(), "{}", common::stderr(&rendered));

    let mut child = Command::new(env!("CARGO_BIN_EXE_banmian"))
        .arg("watch")
        .arg(ws.report())
        .arg("--root")
        .arg(ws.path())
        .args(options("watched"))
        .current_dir(ws.path())
        .env("BANMIAN_CACHE_DIR", ws.path().join(".cache"))
        .env("SOURCE_DATE_EPOCH", "1709596800")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut watch = Watch {
        lines: {
            let stderr = child.stderr.take().unwrap();
            let (tx, lines) = channel();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
            lines
        },
        child,
        seen: Vec::new(),
    };
    let first = watch.build(1);
    assert!(!first.contains("error"), "{first}");
    drop(watch);

    let rendered = files_under(&ws.path().join("rendered"));
    let watched = files_under(&ws.path().join("watched"));
    let names: Vec<&PathBuf> = rendered.keys().collect();
    for expected in [
        "fuling.pdf",
        "proof.pdf",
        "deck.pdf",
        "deck.pdfpc",
        "deck.pptx",
    ] {
        assert!(rendered.contains_key(Path::new(expected)), "{names:?}");
    }
    assert!(
        rendered.contains_key(Path::new("png/page-1.png")),
        "{names:?}"
    );
    assert!(
        rendered.contains_key(Path::new("png/slide-1.png")),
        "{names:?}"
    );
    assert_eq!(names, watched.keys().collect::<Vec<_>>(), "the same files");
    for (name, bytes) in &rendered {
        assert!(watched[name] == *bytes, "{} differs", name.display());
    }

    assert!(
        rendered.contains_key(Path::new("project/plan.json")),
        "{names:?}"
    );

    // A check writes the Typst project alone, the same as render's.
    let checked = run("check", "checked");
    assert!(checked.status.success(), "{}", common::stderr(&checked));
    let checked = files_under(&ws.path().join("checked"));
    let project: Vec<_> = rendered
        .iter()
        .filter(|(name, _)| name.starts_with("project"))
        .collect();
    assert!(
        checked.iter().eq(project),
        "check wrote {:?}",
        checked.keys()
    );
    // The same refusals: an output over the report.
    let report = ws.report();
    for command in ["render", "check"] {
        let over = Command::new(env!("CARGO_BIN_EXE_banmian"))
            .args([command, report.to_str().unwrap(), "--deck"])
            .arg(&report)
            .current_dir(ws.path())
            .output()
            .unwrap();
        assert_eq!(
            over.status.code(),
            Some(2),
            "{command}: {}",
            common::stderr(&over)
        );
    }
}

/// A port already taken is the machine's problem, not the command line's:
/// exit 1 with the port named, not the usage status 2.
#[test]
fn a_busy_preview_port_is_not_a_usage_error() {
    let ws = Workspace::new();
    let taken = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let report = ws.report();
    let output = common::banmian(
        &[
            "watch",
            report.to_str().unwrap(),
            "--serve",
            "--port",
            &port,
        ],
        ws.path(),
    );
    let err = common::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("error: cannot serve the preview on port {port}")),
        "{err}"
    );
}

// ---------------------------------------------------------------- the browser

/// A free port on 127.0.0.1.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One WebDriver request (HTTP/1.1, closed after the response).
fn webdriver(port: u16, method: &str, path: &str, body: Option<Value>) -> Value {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    // chromedriver may keep the connection open: read the head, then
    // exactly the body it announces.
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
        head.push_str(&line);
    }
    let lower = head.to_ascii_lowercase();
    let body = if let Some(length) = lower
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|n| n.trim().parse::<usize>().ok())
    {
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        String::from_utf8_lossy(&body).into_owned()
    } else {
        let mut rest = String::new();
        reader.read_to_string(&mut rest).unwrap();
        if lower.contains("transfer-encoding: chunked") {
            dechunk(&rest)
        } else {
            rest
        }
    };
    let text = format!("{head}{body}");
    let value: Value =
        serde_json::from_str(&body).unwrap_or_else(|_| panic!("JSON from chromedriver: {text}"));
    assert!(head.starts_with("HTTP/1.1 200"), "{method} {path}: {value}");
    value["value"].clone()
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

/// chromedriver and one headless Chromium session.
struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start() -> Self {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver runs (.ci/run installs chromium-driver)");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args},
        }}});
        let session = webdriver(port, "POST", "/session", Some(caps));
        let session = session["sessionId"].as_str().unwrap().to_owned();
        Self {
            driver,
            port,
            session,
            _profile: profile,
        }
    }

    fn open(&self, url: &str) {
        webdriver(
            self.port,
            "POST",
            &format!("/session/{}/url", self.session),
            Some(json!({"url": url})),
        );
    }

    fn eval(&self, script: &str) -> Value {
        let body = json!({"script": script, "args": []});
        webdriver(
            self.port,
            "POST",
            &format!("/session/{}/execute/sync", self.session),
            Some(body),
        )
    }

    /// Polls `script` until `done` holds for its value.
    fn until(&self, what: &str, script: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let value = self.eval(script);
            if done(&value) {
                return value;
            }
            assert!(
                Instant::now() < deadline,
                "the page never showed {what}: last {value}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = std::panic::catch_unwind(|| {
            webdriver(
                self.port,
                "DELETE",
                &format!("/session/{}", self.session),
                None,
            )
        });
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

const STATE: &str = "const s = document.getElementById('status');\
    const e = document.getElementById('error');\
    const hash = id => { const p = document.getElementById(id); return p ? p.dataset.hash : null; };\
    const imgs = [...document.images];\
    return {build: s ? Number(s.dataset.build) : 0, status: s ? s.dataset.status : '',\
            error: e ? e.textContent : null, pages: [hash('page-1'), hash('page-2')],\
            loaded: imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0),\
            images: imgs.length};";

#[test]
fn the_live_preview_follows_edits_in_chromium() {
    let ws = Workspace::new();
    let port = free_port();
    let mut watch = Watch::start(&ws, &["--serve", "--port", &port.to_string()]);
    watch.build(1);
    let browser = Browser::start();
    browser.open(&format!("http://127.0.0.1:{port}/"));
    let first = browser.until("the pages", STATE, |v| {
        v["status"] == "ok" && v["loaded"] == true
    });
    // Both spread pages and all nine slides, as images the browser decoded.
    assert_eq!(first["images"], 11, "{first}");
    let build = first["build"].as_u64().unwrap();

    // Edit a figure on disk: the open page reloads itself (server-sent
    // events) and shows the new page with it.
    ws.edit(|t| t.replace(FIGURE, "value = \"2599\""));
    let edited = browser.until("the edit", STATE, |v| {
        v["build"].as_u64() > Some(build) && v["loaded"] == true
    });
    assert_eq!(edited["status"], "ok", "{edited}");
    assert_ne!(
        edited["pages"], first["pages"],
        "a page shows the new figure"
    );

    // Break the report: the error appears in the page, with its place.
    ws.edit(|t| t.replacen("heading = ", "headng = ", 1));
    let broken = browser.until("the error", STATE, |v| v["error"].is_string());
    let error = broken["error"].as_str().unwrap();
    assert!(
        error.contains("unknown field `headng`") && error.contains("report.toml:"),
        "{error}"
    );
    assert_eq!(broken["status"], "error");
    assert_eq!(
        broken["pages"], edited["pages"],
        "the last good pages stay in view"
    );

    // Fix it: the error goes, the pages are back.
    ws.edit(|t| t.replacen("headng = ", "heading = ", 1));
    let fixed = browser.until("the fix", STATE, |v| {
        v["status"] == "ok" && v["error"].is_null()
    });
    assert_eq!(fixed["pages"], edited["pages"]);
    drop(watch);
}
