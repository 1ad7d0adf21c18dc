//! Structured logs: one JSON object per decision. Never the token, never claims beyond the
//! registrant's software and organisation identifiers (not personal data).

use serde_json::Value;

pub fn decision(record: Value) {
    worker::console_log!("{record}");
}
