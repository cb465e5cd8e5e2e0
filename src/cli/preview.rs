//! The live preview: a small HTTP server on 127.0.0.1 (typst-kit's
//! `http-server`) with one page showing the spread's pages and the deck's
//! slides, which reloads itself through server-sent events whenever a
//! rebuild lands, and shows the current error when the last edit broke the
//! build (above the last good pages).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex};

use typst::foundations::Bytes;
use typst_kit::server::{HttpBody, HttpServer};

use super::CliError;

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
    images: BTreeMap<String, (Bytes, u128)>,
}

/// The running preview server.
pub struct Preview {
    server: HttpServer,
    state: Arc<Mutex<State>>,
}

impl Preview {
    /// Starts serving on 127.0.0.1:`port`.
    pub fn start(port: u16, report: &Path) -> Result<Self, CliError> {
        let title = report.display().to_string();
        let server = HttpServer::new(&title, Some(port), true)
            .map_err(|err| CliError::Usage(format!("cannot serve the preview: {err}")))?;
        eprintln!("preview at http://{}/", server.addr());
        let state = State {
            title,
            status: PreviewState::Starting,
            images: BTreeMap::new(),
        };
        Ok(Self {
            server,
            state: Arc::new(Mutex::new(state)),
        })
    }

    /// Sets a preview image (shown after the next [`publish`](Self::publish)).
    pub fn set_image(&self, name: &str, png: Vec<u8>, hash: u128) {
        if let Ok(mut state) = self.state.lock() {
            state
                .images
                .insert(name.to_owned(), (Bytes::new(png), hash));
        }
    }

    /// Drops a preview image (a page that no longer exists).
    pub fn remove_image(&self, name: &str) {
        if let Ok(mut state) = self.state.lock() {
            state.images.remove(name);
        }
    }

    /// Publishes the build's outcome: open pages reload themselves.
    pub fn publish(&self, status: PreviewState) {
        let snapshot = match self.state.lock() {
            Ok(mut state) => {
                state.status = status;
                state.clone()
            }
            Err(_) => return,
        };
        let page = page_html(&snapshot);
        self.server.set_router(move |route| {
            if route == "/" {
                return Some(HttpBody::Html(page.clone()));
            }
            let name = route.strip_prefix("/img/")?;
            snapshot
                .images
                .get(name)
                .map(|(png, _)| HttpBody::Raw(png.clone()))
        });
    }
}

/// The preview page: status, the error if any, the pages and the slides.
fn page_html(state: &State) -> String {
    let (build, status, error) = match &state.status {
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
        title = escape(&state.title),
    );
    if let Some(error) = error {
        let _ = writeln!(html, "<pre id=\"error\">{}</pre>", escape(error));
    }
    for (kind, class) in [("page", "pages"), ("slide", "slides")] {
        let mut images: Vec<(&String, &u128)> = state
            .images
            .iter()
            .filter(|(name, _)| name.starts_with(kind))
            .map(|(name, (_, hash))| (name, hash))
            .collect();
        images.sort_by_key(|(name, _)| number(name));
        if images.is_empty() {
            continue;
        }
        let _ = write!(html, "<section class=\"{class}\">");
        for (name, hash) in images {
            let _ = write!(
                html,
                "<img id=\"{id}\" src=\"/img/{name}?v={hash:032x}\" data-hash=\"{hash:032x}\" alt=\"{id}\">",
                id = name.trim_end_matches(".png"),
            );
        }
        html.push_str("</section>\n");
    }
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
