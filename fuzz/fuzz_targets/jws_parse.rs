//! Compact JWS parsing and header interpretation on arbitrary input.
#![no_main]
use dcr_guard_core::Limits;
use dcr_guard_core::jose::CompactJws;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(token) = core::str::from_utf8(data) else { return };
    let limits = Limits::DEFAULT;
    if let Ok(jws) = CompactJws::parse(token, &limits) {
        let _ = jws.params();
        let _ = jws.payload_json(&limits);
        assert!(jws.signing_input().len() < token.len());
    }
});
