//! Atomic writes: the bytes go to a temporary file beside the target,
//! then a rename, so a reader never sees half a file and a failed or
//! killed render leaves the old one.
//!
//! Nothing of a killed render may stay behind either. On Linux the
//! temporary file is anonymous (`O_TMPFILE`): it has no name while it is
//! written, so a render killed then leaves nothing; it is given one
//! (`.banmian-XXXXXX.tmp`, linked through `/proc/self/fd`) only for the
//! rename. Where there is no anonymous file (another system, a file system
//! without `O_TMPFILE`, no `/proc`), it is named from the start. Either
//! way the writer holds a lock on it (`flock`) until it is renamed, and
//! [`sweep`] removes files of that name pattern that no live process holds:
//! the debris of a render killed between naming and renaming, or of one on
//! a system without anonymous files. The command line sweeps each output
//! folder before its first write there.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

/// The name pattern of banmian's temporary files: `.banmian-` … `.tmp`.
const PREFIX: &str = ".banmian-";
const SUFFIX: &str = ".tmp";

/// Writes `bytes` to `path` atomically, creating parent folders.
///
/// The file gets the permissions an ordinary new file gets: read and write
/// for everyone, less the user's umask (0644 under umask 022). The
/// temporary file would otherwise keep its private 0600 through the rename,
/// and a shared folder or a web server could not read the output. A file
/// that is replaced keeps the permissions it had, as it would when written
/// in place.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    #[cfg(target_os = "linux")]
    if let Some(mut file) = anonymous::create(dir) {
        file.lock()?;
        fill(&mut file, path, bytes)?;
        if let Some(temp) = anonymous::name(&file, dir) {
            // Renamed while the lock is held: no sweep takes it for debris.
            return std::fs::rename(&temp, path).inspect_err(|_| {
                let _ = std::fs::remove_file(&temp);
            });
        }
    }
    let mut temp = named(dir)?;
    fill(temp.as_file_mut(), path, bytes)?;
    temp.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// Writes the bytes to a (locked) temporary file with the target's
/// permissions, and flushes them to the disk.
fn fill(file: &mut File, path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Ok(existing) = std::fs::metadata(path) {
        file.set_permissions(existing.permissions())?;
    }
    file.write_all(bytes)?;
    file.sync_all()
}

/// A named temporary file in `dir`, with the mode of an ordinary new file
/// (the kernel takes the umask off it), locked before a sweep could take
/// it for debris: one that a sweep removed before the lock is let go and
/// another made.
fn named(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    loop {
        let mut builder = tempfile::Builder::new();
        builder.prefix(PREFIX).suffix(SUFFIX);
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let temp = builder.tempfile_in(dir)?;
        temp.as_file().lock()?;
        if same_file(temp.as_file(), temp.path()) {
            return Ok(temp);
        }
    }
}

/// Whether `path` still names the open `file`.
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.exists()
    }
}

/// Removes banmian's temporary files in `dir` that no process is writing
/// (none holds their lock): what a killed render left. Returns how many.
/// Files of other names, folders, links and files in use are left alone.
pub fn sweep(dir: &Path) -> io::Result<usize> {
    let mut removed = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(PREFIX) && name.ends_with(SUFFIX)) {
            continue;
        }
        // A regular file only: opening a FIFO of that name would block.
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        if stale(&path) && std::fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

/// Whether a temporary file is debris: no live process holds its lock.
fn stale(path: &Path) -> bool {
    match File::open(path) {
        Ok(file) => file.try_lock().is_ok(),
        Err(_) => false,
    }
}

/// Anonymous files (`O_TMPFILE`), named only for the rename.
#[cfg(target_os = "linux")]
mod anonymous {
    use std::fs::File;
    use std::os::fd::AsRawFd;
    use std::path::{Path, PathBuf};

    use rustix::fs::{AtFlags, CWD, Mode, OFlags};

    /// An unnamed file in `dir`, if the file system makes one.
    pub(super) fn create(dir: &Path) -> Option<File> {
        let flags = OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(CWD, dir, flags, Mode::from_raw_mode(0o666)).ok()?;
        Some(File::from(fd))
    }

    /// Gives the file a temporary name in `dir`; `None` when it cannot
    /// (no `/proc`).
    pub(super) fn name(file: &File, dir: &Path) -> Option<PathBuf> {
        let proc = format!("/proc/self/fd/{}", file.as_raw_fd());
        for _ in 0..16 {
            let temp = dir.join(format!(
                "{}{:08x}{}",
                super::PREFIX,
                random(),
                super::SUFFIX
            ));
            match rustix::fs::linkat(CWD, proc.as_str(), CWD, &temp, AtFlags::SYMLINK_FOLLOW) {
                Ok(()) => return Some(temp),
                Err(rustix::io::Errno::EXIST) => continue,
                Err(_) => return None,
            }
        }
        None
    }

    /// A random number for a temporary name (the hasher's random keys).
    fn random() -> u32 {
        use std::hash::{BuildHasher, RandomState};
        RandomState::new().hash_one(std::time::SystemTime::now()) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_files_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out/a.pdf");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("out")).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_sweep_removes_debris_but_not_files_in_use_or_of_other_names() {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str| dir.path().join(name);
        std::fs::write(at(".banmian-dead01.tmp"), b"half a PDF").unwrap();
        std::fs::write(at(".banmian-live01.tmp"), b"being written").unwrap();
        std::fs::write(at("banmian-notes.tmp"), b"the editor's").unwrap();
        std::fs::write(at(".banmian-keep.pdf"), b"the editor's").unwrap();
        std::fs::create_dir(at(".banmian-dir.tmp")).unwrap();
        let live = File::open(at(".banmian-live01.tmp")).unwrap();
        live.lock().unwrap();
        assert_eq!(sweep(dir.path()).unwrap(), 1);
        assert!(!at(".banmian-dead01.tmp").exists());
        for kept in [
            ".banmian-live01.tmp",
            "banmian-notes.tmp",
            ".banmian-keep.pdf",
            ".banmian-dir.tmp",
        ] {
            assert!(at(kept).exists(), "{kept} is kept");
        }
        drop(live);
        assert_eq!(sweep(dir.path()).unwrap(), 1, "once its writer is gone");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_temporary_file_has_no_name_while_it_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let file = anonymous::create(dir.path()).expect("the test folder makes O_TMPFILE files");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let named = anonymous::name(&file, dir.path()).expect("linked through /proc");
        assert!(named.exists());
    }

    /// This process's umask, from `/proc/self/status` (Linux).
    #[cfg(target_os = "linux")]
    fn umask() -> u32 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with("Umask:")).unwrap();
        u32::from_str_radix(line["Umask:".len()..].trim(), 8).unwrap()
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn new_files_get_the_umask_permissions_and_replaced_ones_keep_theirs() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deck.pptx");
        write_atomic(&path, b"one").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o666 & !umask(), "as `touch` would make it");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(mode(&path), 0o640, "a replaced file keeps its mode");
    }
}
