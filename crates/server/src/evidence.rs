//! Evidence files kept on disk, named by their SHA-256: the database holds the reference (name
//! and hash, in the append-only progress history), this directory the bytes.
//!
//! Content addressing makes a write idempotent (the same file twice is one file) and lets a reader
//! check what they got against the hash the audit trail recorded. A file is written to a temporary
//! name, synced, then renamed into place and the directory synced, so a progress report that
//! returned success never points at a file that is not on disk.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Whether `sha256` is the lower-case hex form of a SHA-256 (64 characters), the only names this
/// directory holds, so that a request path can never leave it.
pub fn is_hash(sha256: &str) -> bool {
    sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Where the file with this hash lives, if the hash is well formed.
pub fn path_of(dir: &Path, sha256: &str) -> Option<PathBuf> {
    is_hash(sha256).then(|| dir.join(sha256))
}

/// Writes `bytes` under its hash, durably; a file already there is left as it is.
///
/// # Errors
/// The IO error, when the directory cannot be made or the file written, synced or renamed.
pub fn keep(dir: &Path, sha256: &str, bytes: &[u8]) -> io::Result<()> {
    let Some(path) = path_of(dir, sha256) else {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a SHA-256"));
    };
    if path.exists() {
        return Ok(());
    }
    fs::create_dir_all(dir)?;
    let part = dir.join(format!("{sha256}.part"));
    let mut file = fs::File::create(&part)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    fs::rename(&part, &path)?;
    fs::File::open(dir)?.sync_all()
}

/// The media type of an evidence file, from its first bytes (the upload check allows only these).
pub fn media_type(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"%PDF") {
        "application/pdf"
    } else if bytes.starts_with(b"\x89PNG") {
        "image/png"
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        "image/jpeg"
    } else {
        "application/octet-stream"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_files_by_hash_and_refuses_other_names() {
        let dir = std::env::temp_dir().join(format!("duban-evidence-{}", std::process::id()));
        let hash = "a".repeat(64);
        keep(&dir, &hash, b"%PDF-1.4 one").expect("kept");
        keep(&dir, &hash, b"%PDF-1.4 two").expect("kept again");
        assert_eq!(fs::read(dir.join(&hash)).expect("read"), b"%PDF-1.4 one");
        for bad in ["../etc/passwd", "A".repeat(64).as_str(), "abc", ""] {
            assert!(path_of(&dir, bad).is_none(), "{bad}");
            assert!(keep(&dir, bad, b"x").is_err(), "{bad}");
        }
        assert_eq!(media_type(b"%PDF-1.7"), "application/pdf");
        let _ = fs::remove_dir_all(&dir);
    }
}
