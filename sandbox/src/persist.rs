//! The state file: loaded whole or refused, and written so that a crash or a
//! `kill -9` at any moment leaves the last complete state, never a cut-off
//! file. Each save writes a temporary file beside it, flushes it to disk and
//! renames it over the old one (a rename within a directory is atomic), then
//! flushes the directory so the rename itself survives a power cut.
//!
//! While the sandbox runs, a saver task writes the file after each successful
//! write (writes that land while it saves are coalesced into the next save),
//! or at most once per `save_interval` when one is set.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use crate::SandboxError;
use crate::shared::Shared;
use crate::store::StateError;

/// Writes `bytes` to `path` atomically: readers see the old file or the new
/// one, whole.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temporary = temporary_beside(path);
    let written = (|| {
        let mut file = File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
        return written;
    }
    // The rename is only durable once the directory is.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// `state.json` → `.state.json.tmp-<pid>-<n>`, in the same directory (a
/// rename across file systems is not atomic), a new name for each save so
/// that two saves never write one temporary file.
fn temporary_beside(path: &Path) -> PathBuf {
    static SAVES: AtomicU64 = AtomicU64::new(0);
    let n = SAVES.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!("{}{n}", own_temporary_prefix(path)))
}

/// `.state.json.tmp-`: how every temporary file of `path` starts.
fn temporary_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".into());
    format!(".{name}.tmp-")
}

/// `.state.json.tmp-<pid>-`: how this process's temporary files of `path` start.
fn own_temporary_prefix(path: &Path) -> String {
    format!("{}{}-", temporary_prefix(path), std::process::id())
}

/// Removes the temporary files an earlier sandbox left beside `path` when it
/// was killed during a save (`kill -9`, a power cut): they never became the
/// state, and nothing else would remove them. One state file serves one
/// sandbox at a time, so any such file but this process's own is stale.
pub fn remove_stale_temporaries(path: &Path) {
    let (Some(dir), Some(_)) = (path.parent(), path.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let (prefix, own) = (temporary_prefix(path), own_temporary_prefix(path));
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with(&prefix) && !file.starts_with(&own) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The state document in `path`. A file that is not JSON is refused with the
/// line and column where it stops being JSON; the caller refuses a document
/// that breaks a rule, whole.
pub fn read(path: &Path) -> Result<Value, SandboxError> {
    let text = fs::read(path)?;
    serde_json::from_slice(&text).map_err(|e| {
        SandboxError::State(StateError {
            at: format!("line {}, column {}", e.line(), e.column()),
            message: format!("not a JSON document ({e})"),
        })
    })
}

/// Saves the store's current state to `path`. Saves take turns, and each
/// reads the store when its turn comes, so a later save never writes an older
/// state: a save still running when the sandbox stops (aborting its task does
/// not stop its thread) finishes before the final one, or after it with the
/// same state.
pub fn save(shared: &Shared, path: &Path) -> io::Result<()> {
    static TURN: Mutex<()> = Mutex::new(());
    let _turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
    let document = shared.store().export();
    let bytes = serde_json::to_vec_pretty(&document).map_err(io::Error::other)?;
    write_atomically(path, &bytes)
}

/// Runs until the sandbox stops: saves after each change the store reports
/// ([`Shared::changed`]), waiting `interval` first when one is set (so a storm
/// of writes is one save per interval). A failed save is reported on stderr
/// and tried again at the next change; the sandbox keeps serving.
pub async fn saver(shared: Arc<Shared>, path: PathBuf, interval: Option<Duration>) {
    loop {
        shared.next_change().await;
        if let Some(wait) = interval {
            tokio::time::sleep(wait).await;
        }
        let (shared, path) = (shared.clone(), path.clone());
        let saved = tokio::task::spawn_blocking(move || save(&shared, &path)).await;
        if let Ok(Err(e)) = saved {
            eprintln!("pigello-sandbox: the state file could not be saved: {e}");
        }
    }
}
