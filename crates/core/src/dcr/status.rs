//! Register status (AU): a registration is refused when the CDR Register says its software
//! product is not `ACTIVE`, or its data recipient (the legal entity) is not `ACTIVE` (CDS:
//! Data Holders consult both for registration management; the Register cascades SUSPENDED →
//! products INACTIVE, REVOKED/SURRENDERED → REMOVED). The host polls the public status APIs
//! (GetSoftwareProductsStatuses, GetDataRecipientsStatuses) and answers with what it holds.

use alloc::format;

use super::codes;
use super::findings::Findings;
use super::findings::ptr::Ptr;
use super::report::Stage;
use crate::jose::json::short;

const SPEC: &str =
    "CDS Register APIs: GetSoftwareProductsStatuses, GetDataRecipientsStatuses (x-v 3); AU participant statuses";

/// What the host knows of one software product, from its copy of the Register's status data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RegisterStatus<'a> {
    /// The product's status (`ACTIVE`, `INACTIVE`, `REMOVED`), or `None` if it is not listed.
    pub software_product: Option<&'a str>,
    /// The legal entity's status (`ACTIVE`, `SUSPENDED`, `REVOKED`, `SURRENDERED`), or `None`
    /// if it is not listed (or the statement names none).
    pub data_recipient: Option<&'a str>,
    /// The data is older than the host's maximum age and the host chose to pass with a warning.
    pub stale: bool,
}

impl<'a> RegisterStatus<'a> {
    /// The statuses as listed.
    pub fn new(software_product: Option<&'a str>, data_recipient: Option<&'a str>) -> RegisterStatus<'a> {
        RegisterStatus { software_product, data_recipient, stale: false }
    }

    /// The same, marked as older than the maximum age (a warning finding).
    pub fn stale(mut self, stale: bool) -> RegisterStatus<'a> {
        self.stale = stale;
        self
    }
}

/// Checks the statuses of the statement's product and legal entity.
pub(crate) fn check(f: &mut Findings, status: &RegisterStatus<'_>, legal_entity_id: Option<&str>) {
    let stage = f.stage();
    f.set_stage(Stage::SsaApproval);
    let product = Ptr::root("/ssa/claims/software_id");
    match status.software_product {
        Some("ACTIVE") => {}
        Some(s) => f.error(
            codes::REGISTER_SOFTWARE_INACTIVE,
            product,
            format!("the CDR Register lists the software product as {}", short(s)),
            SPEC,
        ),
        None => f.error(
            codes::REGISTER_STATUS_UNKNOWN,
            product,
            "the software product is not in the CDR Register's status data".into(),
            SPEC,
        ),
    }
    let entity = Ptr::root("/ssa/claims/legal_entity_id");
    match (legal_entity_id, status.data_recipient) {
        (None, _) => f.warning(
            codes::REGISTER_RECIPIENT_UNCHECKED,
            entity,
            "the statement has no legal_entity_id: the data recipient's status was not checked".into(),
            SPEC,
        ),
        (Some(_), Some("ACTIVE")) => {}
        (Some(_), Some(s)) => f.error(
            codes::REGISTER_RECIPIENT_INACTIVE,
            entity,
            format!("the CDR Register lists the data recipient as {}", short(s)),
            SPEC,
        ),
        (Some(_), None) => f.error(
            codes::REGISTER_STATUS_UNKNOWN,
            entity,
            "the data recipient is not in the CDR Register's status data".into(),
            SPEC,
        ),
    }
    if status.stale {
        f.warning(
            codes::REGISTER_STATUS_STALE,
            product,
            "the Register status data is older than the configured maximum age (passed by configuration)".into(),
            SPEC,
        );
    }
    f.set_stage(stage);
}
