//! Every code the code base can produce has a row in docs/error-codes.md, exactly once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use dcr_guard_core::dcr::{ConfigError, SessionError, codes};
use dcr_guard_core::jose::{CODES, note};

#[test]
fn every_code_is_documented_once() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/error-codes.md")).unwrap();
    let rows: Vec<&str> = doc.lines().filter(|l| l.starts_with("| `")).collect();
    let all = CODES.iter().chain(note::ALL).chain(codes::ALL).chain(ConfigError::CODES).chain(SessionError::CODES);
    let mut missing = Vec::new();
    for code in all {
        let n = rows.iter().filter(|r| r.starts_with(&format!("| `{code}` |"))).count();
        if n != 1 {
            missing.push(format!("{code} ({n} rows)"));
        }
    }
    assert!(missing.is_empty(), "not documented exactly once in docs/error-codes.md: {missing:?}");
}

/// Each finding code's row ends with the core's fix hint, so the page, the CLI and the report
/// say what the documentation says.
#[test]
fn fix_hints_are_documented() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/error-codes.md")).unwrap();
    let mut wrong = Vec::new();
    for code in CODES.iter().chain(note::ALL).chain(codes::ALL) {
        let row = doc.lines().find(|r| r.starts_with(&format!("| `{code}` |"))).unwrap_or_default();
        let fix = codes::fix(code);
        if fix.is_empty() || !row.ends_with(&format!("| {fix} |")) {
            wrong.push(format!("{code}: want \"| {fix} |\" at the end of its row"));
        }
    }
    assert!(wrong.is_empty(), "docs/error-codes.md fix column differs from the core's: {wrong:#?}");
}

#[test]
fn code_lists_have_no_duplicates() {
    let mut all: Vec<&str> = CODES
        .iter()
        .chain(note::ALL)
        .chain(codes::ALL)
        .chain(ConfigError::CODES)
        .chain(SessionError::CODES)
        .copied()
        .collect();
    let n = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), n);
}
