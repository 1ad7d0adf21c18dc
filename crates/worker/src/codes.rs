//! The Worker's own finding codes: refusals that need state the core does not have.
//! They appear like the core's codes in the RFC 7591 body, the `DCR-Guard-Findings` header and
//! the log line, and are documented in docs/error-codes.md (a test below keeps it so).

/// A `jti` seen before and not yet expired (`invalid_client_metadata`).
pub const REPLAY_JTI_REUSED: &str = "replay.jti_reused";
/// Every Worker-level code (the documentation test reads it).
#[cfg_attr(not(test), allow(dead_code))]
pub const ALL: &[&str] = &[REPLAY_JTI_REUSED];

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    /// Each code has exactly one row in docs/error-codes.md, like the core's.
    #[test]
    fn documented_once() {
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/error-codes.md")).unwrap();
        for code in super::ALL {
            let rows = doc.lines().filter(|l| l.starts_with(&format!("| `{code}` |"))).count();
            assert_eq!(rows, 1, "{code}: {rows} rows in docs/error-codes.md");
        }
    }
}
