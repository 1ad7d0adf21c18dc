//! Bounded reading of tokens and documents from arguments, files and stdin.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// A usage or I/O problem (exit code 2).
pub type UsageError = String;

/// Reads at most `limit + 1` bytes, so an oversized input is detected without being buffered.
fn read_bounded(reader: impl Read, limit: usize, what: &str) -> Result<Vec<u8>, UsageError> {
    let mut buf = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader.take(cap).read_to_end(&mut buf).map_err(|e| format!("cannot read {what}: {e}"))?;
    Ok(buf)
}

/// Reads a document file (JWKS, discovery). Oversized files are returned truncated to
/// `limit + 1` bytes so the core reports its own size error.
pub fn read_document(path: &Path, limit: usize) -> Result<Vec<u8>, UsageError> {
    let file = File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    read_bounded(file, limit, &path.display().to_string())
}

/// The token from the positional argument, from a file named `@path`, or from stdin (`-` or
/// absent). Surrounding whitespace is trimmed; whitespace inside is left for the core to refuse.
pub fn read_token(arg: Option<&str>, limit: usize) -> Result<String, UsageError> {
    let bytes = match arg {
        None | Some("-") => read_bounded(io::stdin().lock(), limit, "stdin")?,
        Some(a) => match a.strip_prefix('@') {
            Some(path) => read_document(Path::new(path), limit)?,
            None => return Ok(a.trim().to_owned()),
        },
    };
    let text = String::from_utf8(bytes).map_err(|_| "the token is not UTF-8 text".to_owned())?;
    Ok(text.trim().to_owned())
}
