//! `sector_identifier_uri` (OpenID Connect Registration §5; AU SSAs carry one): the document
//! it names is a JSON array of URIs that must hold every registered `redirect_uri`. The CDR
//! support guidance has the Data Holder fail the registration when it cannot be fetched (the
//! host's 503); a document that arrives but is not such an array, or lacks a redirect URI, is
//! the registrant's fault (a finding).

use alloc::format;
use alloc::vec::Vec;
use serde_json::Value;

use super::codes;
use super::findings::Findings;
use super::findings::ptr::Ptr;
use super::report::Stage;
use crate::Limits;
use crate::jose::json::{parse_strict, short};

const SPEC: &str = "OpenID Connect Registration 1.0 §5 (sector_identifier_uri)";

/// Checks the fetched document against the redirect URIs (`pointer` names the array they came
/// from).
pub(crate) fn check(
    f: &mut Findings,
    document: &[u8],
    limits: &Limits,
    redirects: &[alloc::string::String],
    pointer: &str,
    url: &str,
) {
    let stage = f.stage();
    f.set_stage(Stage::RequestClaims);
    let parsed = if document.len() > limits.max_document_bytes {
        None
    } else {
        parse_strict(document, limits.max_json_depth).ok()
    };
    let list: Option<Vec<&str>> = match &parsed {
        Some(Value::Array(items)) => items.iter().map(Value::as_str).collect(),
        _ => None,
    };
    match list {
        None => f.error(
            codes::SECTOR_IDENTIFIER_INVALID,
            Ptr::root("/ssa/claims/sector_identifier_uri"),
            format!("the document at \"{}\" is not a JSON array of strings", short(url)),
            SPEC,
        ),
        Some(list) => {
            for (i, r) in redirects.iter().enumerate() {
                if !list.contains(&r.as_str()) {
                    f.error(
                        codes::SECTOR_IDENTIFIER_MISMATCH,
                        Ptr::root(pointer).at(i),
                        format!("\"{}\" is not in the sector_identifier_uri document", short(r)),
                        SPEC,
                    );
                }
            }
        }
    }
    f.set_stage(stage);
}
