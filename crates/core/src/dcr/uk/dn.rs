//! Distinguished names (RFC 4514, plus the OpenSSL `/C=GB/O=…` form) parsed into attribute
//! sets, so `tls_client_auth_subject_dn` can be compared with a certificate subject the way the
//! UK digest §4.4 asks: by attribute type (aliases and OIDs unified) and normalised value, in any
//! order, with hex-BER values (`2.5.4.97=#13…`, `#0c…`) decoded first.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::jose::json::short;

/// One attribute: canonical type (an OID string) and its normalised value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Attribute {
    pub oid: String,
    pub value: String,
}

/// A parsed DN: its attributes. Equality compares them as multisets, so order does not matter.
#[derive(Debug, Clone)]
pub(crate) struct Dn(Vec<Attribute>);

impl PartialEq for Dn {
    fn eq(&self, other: &Dn) -> bool {
        let count = |list: &[Attribute], a: &Attribute| list.iter().filter(|x| *x == a).count();
        self.0.len() == other.0.len() && self.0.iter().all(|a| count(&self.0, a) == count(&other.0, a))
    }
}

impl Eq for Dn {}

/// Short names and the OIDs they stand for (RFC 4514 §3 plus the ones certificates use here).
const ALIASES: &[(&str, &str)] = &[
    ("CN", "2.5.4.3"),
    ("C", "2.5.4.6"),
    ("L", "2.5.4.7"),
    ("ST", "2.5.4.8"),
    ("S", "2.5.4.8"),
    ("STREET", "2.5.4.9"),
    ("O", "2.5.4.10"),
    ("OU", "2.5.4.11"),
    ("T", "2.5.4.12"),
    ("TITLE", "2.5.4.12"),
    ("SN", "2.5.4.4"),
    ("SURNAME", "2.5.4.4"),
    ("SERIALNUMBER", "2.5.4.5"),
    ("BUSINESSCATEGORY", "2.5.4.15"),
    ("POSTALCODE", "2.5.4.17"),
    ("GN", "2.5.4.42"),
    ("GIVENNAME", "2.5.4.42"),
    ("ORGANIZATIONIDENTIFIER", "2.5.4.97"),
    ("ORGANISATIONIDENTIFIER", "2.5.4.97"),
    ("DC", "0.9.2342.19200300.100.1.25"),
    ("UID", "0.9.2342.19200300.100.1.1"),
    ("E", "1.2.840.113549.1.9.1"),
    ("EMAIL", "1.2.840.113549.1.9.1"),
    ("EMAILADDRESS", "1.2.840.113549.1.9.1"),
    ("JURISDICTIONC", "1.3.6.1.4.1.311.60.2.1.3"),
];

impl Dn {
    /// Parses an RFC 4514 string (`CN=x,OU=y,O=z,C=GB`, `;` also accepted as a separator) or the
    /// OpenSSL one-line form (`/C=GB/O=z/OU=y/CN=x`). `None` if it is not a DN.
    pub fn parse(s: &str) -> Option<Dn> {
        let s = s.trim();
        let parts = if let Some(rest) = s.strip_prefix('/') {
            split_unescaped(rest, &['/'])
        } else {
            split_unescaped(s, &[',', ';', '+'])
        };
        let mut attrs = Vec::new();
        for part in parts {
            let (ty, value) = split_once_unescaped(&part, '=')?;
            let oid = canonical_type(ty.trim())?;
            let value = parse_value(trim_value(value))?;
            attrs.push(Attribute { oid, value: normalise(&value) });
        }
        if attrs.is_empty() {
            return None;
        }
        Some(Dn(attrs))
    }

    /// How `self` (a claimed DN) differs from `other` (the certificate's), for messages:
    /// `C="ie" is not in it (it has C="gb")` or `it also has L="london"`. `None` when equal.
    pub fn difference(&self, other: &Dn) -> Option<String> {
        let count = |list: &[Attribute], a: &Attribute| list.iter().filter(|x| *x == a).count();
        let show = |a: &Attribute| format!("{}=\"{}\"", label(&a.oid), short(&a.value));
        if let Some(a) = self.0.iter().find(|a| count(&self.0, a) > count(&other.0, a)) {
            let has: Vec<String> = other.0.iter().filter(|b| b.oid == a.oid).map(show).collect();
            let has = if has.is_empty() { format!("no {}", label(&a.oid)) } else { has.join(", ") };
            return Some(format!("{} is not in it (it has {has})", show(a)));
        }
        other.0.iter().find(|a| count(&other.0, a) > count(&self.0, a)).map(|a| format!("it also has {}", show(a)))
    }

    /// The normalised value of the first attribute with this OID.
    pub fn get(&self, oid: &str) -> Option<&str> {
        self.0.iter().find(|a| a.oid == oid).map(|a| a.value.as_str())
    }
}

/// OIDs of the attributes the UK rules look at.
pub(crate) mod oid {
    pub const CN: &str = "2.5.4.3";
    pub const OU: &str = "2.5.4.11";
    pub const ORGANIZATION_IDENTIFIER: &str = "2.5.4.97";
}

/// The short name of an OID for messages (`2.5.4.97` → `organizationIdentifier`).
fn label(oid: &str) -> &str {
    if oid == oid::ORGANIZATION_IDENTIFIER {
        return "organizationIdentifier";
    }
    ALIASES.iter().find(|(_, o)| *o == oid).map_or(oid, |(name, _)| name)
}

fn canonical_type(ty: &str) -> Option<String> {
    let ty = ty.strip_prefix("OID.").or_else(|| ty.strip_prefix("oid.")).unwrap_or(ty);
    if ty.starts_with(|c: char| c.is_ascii_digit()) {
        // A dotted-decimal OID: digits, no empty arcs.
        let valid = ty.split('.').all(|arc| !arc.is_empty() && arc.bytes().all(|b| b.is_ascii_digit()));
        return valid.then(|| ty.into());
    }
    let upper = ty.to_ascii_uppercase();
    if let Some((_, oid)) = ALIASES.iter().find(|(name, _)| *name == upper) {
        return Some((*oid).into());
    }
    // An unknown but well-formed keyword: keep it (case-insensitively) so equal DNs still match.
    (!upper.is_empty() && upper.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')).then_some(upper)
}

/// Values are compared ignoring ASCII case with whitespace runs collapsed (X.520 caseIgnoreMatch
/// for the ASCII names certificates carry here; non-ASCII letters must match exactly).
fn normalise(v: &str) -> String {
    let mut out = String::new();
    for word in v.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.to_ascii_lowercase()
}

/// Trims unescaped surrounding whitespace: a trailing space escaped as `\ ` stays (RFC 4514 §2.4).
fn trim_value(v: &str) -> &str {
    let v = v.trim_start();
    let t = v.trim_end();
    let backslashes = t.bytes().rev().take_while(|b| *b == b'\\').count();
    if backslashes % 2 == 1 { v.get(..t.len() + 1).unwrap_or(t) } else { t }
}

/// Splits on any of `seps` not preceded by a backslash escape.
fn split_unescaped(s: &str, seps: &[char]) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            cur.push('\\');
            cur.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if seps.contains(&c) {
            parts.push(core::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    if escaped {
        cur.push('\\'); // a dangling escape stays visible, so the value fails to parse
    }
    parts.push(cur);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

fn split_once_unescaped(s: &str, sep: char) -> Option<(&str, &str)> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            c if c == sep => return Some((s.get(..i)?, s.get(i + c.len_utf8()..)?)),
            _ => {}
        }
    }
    None
}

/// An attribute value: `#` + hex of a BER-encoded string, or a string with RFC 4514 escapes
/// (`\,` and `\HH` pairs; the UTF-8 bytes of `\HH` sequences are reassembled).
fn parse_value(v: &str) -> Option<String> {
    if let Some(hex) = v.strip_prefix('#') {
        return decode_ber_string(&hex_bytes(hex)?);
    }
    let v = v.strip_prefix('"').and_then(|x| x.strip_suffix('"')).unwrap_or(v);
    let mut bytes = Vec::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let next = chars.next()?;
        if next.is_ascii_hexdigit() {
            let lo = chars.next()?;
            let pair = [next as u8, lo as u8];
            bytes.push(u8::from_str_radix(core::str::from_utf8(&pair).ok()?, 16).ok()?);
        } else {
            let mut buf = [0u8; 4];
            bytes.extend_from_slice(next.encode_utf8(&mut buf).as_bytes());
        }
    }
    String::from_utf8(bytes).ok()
}

fn hex_bytes(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) || hex.is_empty() {
        return None;
    }
    hex.as_bytes()
        .chunks(2)
        .map(|pair| core::str::from_utf8(pair).ok().and_then(|p| u8::from_str_radix(p, 16).ok()))
        .collect()
}

/// Decodes one DER string TLV: PrintableString (0x13), UTF8String (0x0c), IA5String (0x16),
/// TeletexString (0x14, read as Latin-1), BMPString (0x1e, UTF-16BE).
fn decode_ber_string(der: &[u8]) -> Option<String> {
    let (&tag, rest) = der.split_first()?;
    let (&len0, rest) = rest.split_first()?;
    let (len, content) = if len0 < 0x80 {
        (usize::from(len0), rest)
    } else {
        let n = usize::from(len0 & 0x7f);
        if n == 0 || n > 2 || rest.len() < n {
            return None;
        }
        let (len_bytes, content) = rest.split_at_checked(n)?;
        (len_bytes.iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b)), content)
    };
    if content.len() != len {
        return None;
    }
    match tag {
        0x13 | 0x0c | 0x16 => String::from_utf8(content.to_vec()).ok(),
        0x14 => Some(content.iter().map(|&b| char::from(b)).collect()),
        0x1e => {
            if !content.len().is_multiple_of(2) {
                return None;
            }
            let units: Vec<u16> =
                content.chunks(2).map(|p| p.iter().fold(0u16, |a, b| (a << 8) | u16::from(*b))).collect();
            char::decode_utf16(units).collect::<Result<String, _>>().ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_dn_in_every_rendering() {
        let forms = [
            "CN=0015800001HQQrZAAX,organizationIdentifier=PSDGB-OB-Unknown0015800001HQQrZAAX,O=WSO2 (UK) LIMITED,C=GB",
            "C=GB, O=WSO2 (UK) LIMITED, 2.5.4.97=PSDGB-OB-Unknown0015800001HQQrZAAX, CN=0015800001HQQrZAAX",
            // PrintableString and UTF8String hex-BER renderings of organizationIdentifier.
            "CN=0015800001HQQrZAAX,2.5.4.97=#132250534447422D4F422D556E6B6E6F776E30303135383030303031485151725A414158,O=WSO2 (UK) LIMITED,C=GB",
            "CN=0015800001HQQrZAAX,OID.2.5.4.97=#0c2250534447422d4f422d556e6b6e6f776e30303135383030303031485151725a414158,O=WSO2 (UK) LIMITED,C=GB",
            "/C=GB/O=WSO2 (UK) LIMITED/organizationIdentifier=PSDGB-OB-Unknown0015800001HQQrZAAX/CN=0015800001HQQrZAAX",
            "cn=0015800001HQQrZAAX;  o=WSO2  (UK)  LIMITED; c=gb; ORGANIZATIONIDENTIFIER=PSDGB-OB-Unknown0015800001HQQrZAAX",
        ];
        let first = Dn::parse(forms[0]).unwrap();
        for f in forms {
            assert_eq!(Dn::parse(f).as_ref(), Some(&first), "{f}");
        }
        assert_eq!(first.get(oid::ORGANIZATION_IDENTIFIER), Some("psdgb-ob-unknown0015800001hqqrzaax"));
        assert_eq!(first.difference(&Dn::parse(forms[1]).unwrap()), None);
    }

    #[test]
    fn different_or_invalid() {
        let a = Dn::parse("CN=a,OU=b,O=OpenBanking,C=GB").unwrap();
        assert_ne!(Dn::parse("CN=a,OU=c,O=OpenBanking,C=GB").unwrap(), a);
        assert_ne!(Dn::parse("CN=a,O=OpenBanking,C=GB").unwrap(), a);
        let ie = Dn::parse("CN=a,OU=b,O=OpenBanking,C=IE").unwrap();
        assert_eq!(ie.difference(&a).as_deref(), Some("C=\"ie\" is not in it (it has C=\"gb\")"));
        let no_ou = Dn::parse("CN=a,O=OpenBanking,C=GB").unwrap();
        assert_eq!(no_ou.difference(&a).as_deref(), Some("it also has OU=\"b\""));
        let oi = Dn::parse("CN=a,2.5.4.97=x,C=GB").unwrap();
        assert_eq!(
            oi.difference(&a).as_deref(),
            Some("organizationIdentifier=\"x\" is not in it (it has no organizationIdentifier)")
        );
        assert_eq!(Dn::parse(r"CN=a\,b,C=GB").unwrap().get(oid::CN), Some("a,b"));
        // An escaped trailing space is part of the value (and normalised away like any other).
        assert_eq!(Dn::parse(r"CN=a\ ,C=GB").unwrap().get(oid::CN), Some("a"));
        assert_eq!(Dn::parse("OID.2.5.4.3=a").unwrap().get(oid::CN), Some("a"));
        for bad in ["", "CN", "=x", "CN=a,=b", "2.5.4.97=#13ff", "2.5.4.97=#zz", "CN=a\\", "2..5.4.3=a", "2.5.4.=a"] {
            assert!(Dn::parse(bad).is_none(), "{bad:?}");
        }
    }
}
