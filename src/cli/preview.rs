//! The live preview: a small HTTP server on 127.0.0.1 with one page showing
//! the spread's pages and the deck's slides, which reloads itself through
//! server-sent events whenever a rebuild lands, and shows the current error
//! when the last edit broke the build (above the last good pages).
//!
//! typst-kit's `http-server` was the first thing tried: it answers every
//! request from one thread, so a browser that stops reading a large page
//! image (it navigated away mid-load) stalls the whole preview, as the
//! end-to-end test found under load. This server gives each connection its
//! own thread, closes every connection after its response, and bounds reads
//! and writes by timeouts.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use banmian::{Diagnostic, Error};

/// How the last build went.
#[derive(Debug, Clone)]
pub enum PreviewState {
    /// Nothing built yet.
    Starting,
    /// Build `build` succeeded.
    Good { build: u64 },
    /// Build `build` failed with `error`.
    Broken { build: u64, error: String },
}

#[derive(Debug, Clone)]
struct State {
    title: String,
    status: PreviewState,
    /// `page-1.png`, `slide-3.png` → PNG and the layout hash it shows.
    images: BTreeMap<String, (Arc<Vec<u8>>, u128)>,
    /// What the browser sees: the page and images of the last publish.
    published: Arc<Published>,
    /// Bumped by every publish; event streams wait on it.
    generation: u64,
}

#[derive(Debug, Default)]
struct Published {
    html: String,
    images: BTreeMap<String, Arc<Vec<u8>>>,
}

struct Shared {
    state: Mutex<State>,
    published: Condvar,
}

/// The running preview server.
pub struct Preview {
    shared: Arc<Shared>,
}

/// How long a connection may stall before it is dropped.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// An event stream sends a comment this often, to notice closed tabs.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

impl Preview {
    /// Starts serving on 127.0.0.1:`port`.
    pub fn start(port: u16, report: &Path) -> Result<Self, Error> {
        let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|err| {
            Error::Setup(
                Diagnostic::error(format!("cannot serve the preview on port {port}: {err}"))
                    .with_hint("pass another --port"),
            )
        })?;
        let addr = listener.local_addr().map_err(|err| {
            Error::Setup(Diagnostic::error(format!(
                "cannot serve the preview: {err}"
            )))
        })?;
        let title = report.display().to_string();
        let state = State {
            published: Arc::new(Published {
                html: page_html(&title, &PreviewState::Starting, &BTreeMap::new(), 0),
                images: BTreeMap::new(),
            }),
            title,
            status: PreviewState::Starting,
            images: BTreeMap::new(),
            generation: 0,
        };
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            published: Condvar::new(),
        });
        let server = shared.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = server.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &shared);
                });
            }
        });
        eprintln!("preview at http://{addr}/");
        Ok(Self { shared })
    }

    /// Sets a preview image (shown after the next [`publish`](Self::publish)).
    pub fn set_image(&self, name: &str, png: Arc<Vec<u8>>, hash: u128) {
        if let Ok(mut state) = self.shared.state.lock() {
            state.images.insert(name.to_owned(), (png, hash));
        }
    }

    /// Drops a preview image (a page that no longer exists).
    pub fn remove_image(&self, name: &str) {
        if let Ok(mut state) = self.shared.state.lock() {
            state.images.remove(name);
        }
    }

    /// Publishes the build's outcome: open pages reload themselves.
    pub fn publish(&self, status: PreviewState) {
        let Ok(mut state) = self.shared.state.lock() else {
            return;
        };
        let hashes: BTreeMap<String, u128> = state
            .images
            .iter()
            .map(|(n, (_, h))| (n.clone(), *h))
            .collect();
        state.generation += 1;
        state.published = Arc::new(Published {
            html: page_html(&state.title, &status, &hashes, state.generation),
            images: state
                .images
                .iter()
                .map(|(n, (png, _))| (n.clone(), png.clone()))
                .collect(),
        });
        state.status = status;
        self.shared.published.notify_all();
    }
}

/// Answers one connection: the page, an image, or the event stream.
fn serve(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    // The rest of the head is not needed, but is read so the client is
    // not cut off mid-request.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let (published, generation) = match shared.state.lock() {
        Ok(state) => (state.published.clone(), state.generation),
        Err(_) => return Ok(()),
    };
    let mut stream = stream;
    match path {
        "/" => respond(
            &mut stream,
            "200 OK",
            "text/html; charset=utf-8",
            published.html.as_bytes(),
        ),
        "/events" => {
            let since = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("since="))
                .and_then(|n| n.parse().ok())
                .unwrap_or(generation);
            events(stream, shared, since)
        }
        _ => match path
            .strip_prefix("/img/")
            .and_then(|name| published.images.get(name))
        {
            Some(png) => respond(&mut stream, "200 OK", "image/png", png),
            None => respond(&mut stream, "404 Not Found", "text/plain", b"not found"),
        },
    }
}

fn respond(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8]) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)?;
    stream.flush()
}

/// A server-sent event stream: `reload` after every publish that follows
/// the page's own.
fn events(mut stream: TcpStream, shared: &Shared, seen: u64) -> std::io::Result<()> {
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\r\n"
    )?;
    stream.flush()?;
    let mut seen = seen;
    loop {
        let generation = {
            let Ok(state) = shared.state.lock() else {
                return Ok(());
            };
            let Ok((state, _)) = shared
                .published
                .wait_timeout_while(state, KEEP_ALIVE, |s| s.generation == seen)
            else {
                return Ok(());
            };
            state.generation
        };
        if generation == seen {
            // A comment line: fails once the tab is gone, ending the thread.
            stream.write_all(b": keep-alive\n\n")?;
        } else {
            seen = generation;
            stream.write_all(b"event: reload\ndata:\n\n")?;
        }
        stream.flush()?;
    }
}

/// The preview page: status, the error if any, the pages and the slides,
/// and the script that reloads it when a rebuild lands.
fn page_html(
    title: &str,
    status: &PreviewState,
    images: &BTreeMap<String, u128>,
    generation: u64,
) -> String {
    let (build, status, error) = match status {
        PreviewState::Starting => (0, "starting", None),
        PreviewState::Good { build } => (*build, "ok", None),
        PreviewState::Broken { build, error } => (*build, "error", Some(error.as_str())),
    };
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <title>banmian · {title}</title><style>{STYLE}</style></head>\n\
         <body><header><b>banmian</b> {title} \
         <span id=\"status\" data-status=\"{status}\" data-build=\"{build}\">build {build}: {status}</span></header>\n",
        title = escape(title),
    );
    if let Some(error) = error {
        let _ = writeln!(html, "<pre id=\"error\">{}</pre>", escape(error));
    }
    for (kind, class) in [("page", "pages"), ("slide", "slides")] {
        let mut shown: Vec<(&String, &u128)> = images
            .iter()
            .filter(|(name, _)| name.starts_with(kind))
            .collect();
        shown.sort_by_key(|(name, _)| number(name));
        if shown.is_empty() {
            continue;
        }
        let _ = write!(html, "<section class=\"{class}\">");
        for (name, hash) in shown {
            let _ = write!(
                html,
                "<img id=\"{id}\" src=\"/img/{name}?v={hash:032x}\" data-hash=\"{hash:032x}\" alt=\"{id}\">",
                id = name.trim_end_matches(".png"),
            );
        }
        html.push_str("</section>\n");
    }
    // The stream starts from this page's generation, so a rebuild that
    // lands while the page loads still reloads it.
    let _ = write!(
        html,
        "<script>new EventSource('/events?since={generation}').addEventListener('reload', () => location.reload());</script>"
    );
    html.push_str("</body></html>\n");
    html
}

const STYLE: &str = "body{margin:0;background:#3a3a3a;font-family:sans-serif;color:#eee}\
header{padding:8px 14px;background:#222}#status{margin-left:1em;color:#9c9}\
#status[data-status=error]{color:#f88}\
#error{margin:12px;padding:12px;background:#fff0f0;color:#900;border-left:6px solid #c00;white-space:pre-wrap}\
section{display:flex;flex-wrap:wrap;gap:10px;padding:12px}.pages img{width:calc(50% - 5px)}\
.slides img{width:calc(33% - 7px)}img{background:#fff;box-shadow:0 1px 4px #000}";

fn number(name: &str) -> usize {
    name.trim_end_matches(".png")
        .rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
