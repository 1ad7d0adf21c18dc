//! Rules of the au profile(s).

use super::claims::ClaimSet;
use super::rules::Ctx;

/// SSA claims.
pub(crate) fn check_ssa(_cx: &mut Ctx<'_>, _ssa: &ClaimSet<'_>) {}

/// Request claims.
pub(crate) fn check_request(_cx: &mut Ctx<'_>, _req: &ClaimSet<'_>, _ssa: Option<&ClaimSet<'_>>) {}
