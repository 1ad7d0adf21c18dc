//! Parsed key sets and validators, kept between calls so repeated validations do not re-parse
//! JSON or re-import keys. Keyed by the exact JSON text; small and bounded (least recently used
//! entries are dropped), because a page or a Worker sees few distinct key sets.

use std::cell::RefCell;
use std::rc::Rc;

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::Validator;
use dcr_guard_core::jose::{JoseError, Jwks};

/// Entries per cache.
const CAPACITY: usize = 16;

/// A tiny LRU: the most recently used entry is at the end.
struct Lru<T>(Vec<(String, Rc<T>)>);

impl<T> Lru<T> {
    const fn new() -> Self {
        Lru(Vec::new())
    }

    fn get(&mut self, key: &str) -> Option<Rc<T>> {
        let i = self.0.iter().position(|(k, _)| same(k.as_bytes(), key.as_bytes()))?;
        let entry = self.0.remove(i);
        let value = Rc::clone(&entry.1);
        self.0.push(entry);
        Some(value)
    }

    fn put(&mut self, key: &str, value: Rc<T>) {
        if self.0.len() >= CAPACITY {
            self.0.remove(0);
        }
        self.0.push((key.to_owned(), value));
    }
}

/// Byte equality eight bytes at a time. A lookup compares whole documents (a JWKS is a few
/// kilobytes), and the WebAssembly `memcmp` goes byte by byte.
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |c: &[u8]| <[u8; 8]>::try_from(c).map(u64::from_ne_bytes);
    let (wa, wb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tails_equal = wa.remainder() == wb.remainder();
    tails_equal && wa.zip(wb).all(|(x, y)| matches!((word(x), word(y)), (Ok(x), Ok(y)) if x == y))
}

thread_local! {
    static JWKS: RefCell<Lru<Jwks>> = const { RefCell::new(Lru::new()) };
    static VALIDATORS: RefCell<Lru<Validator>> = const { RefCell::new(Lru::new()) };
}

/// The parsed JWKS for this JSON text.
pub fn jwks(text: &str, limits: &Limits) -> Result<Rc<Jwks>, JoseError> {
    if let Some(hit) = JWKS.with(|c| c.borrow_mut().get(text)) {
        return Ok(hit);
    }
    let parsed = Rc::new(Jwks::parse(text.as_bytes(), limits)?);
    JWKS.with(|c| c.borrow_mut().put(text, Rc::clone(&parsed)));
    Ok(parsed)
}

/// The validator for this options JSON text, built by `build` on a miss.
pub fn validator<E>(text: &str, build: impl FnOnce() -> Result<Validator, E>) -> Result<Rc<Validator>, E> {
    if let Some(hit) = VALIDATORS.with(|c| c.borrow_mut().get(text)) {
        return Ok(hit);
    }
    let built = Rc::new(build()?);
    VALIDATORS.with(|c| c.borrow_mut().put(text, Rc::clone(&built)));
    Ok(built)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_is_byte_equality() {
        let text = "0123456789abcdefghij";
        for len in 0..text.len() {
            let a = &text.as_bytes()[..len];
            assert!(same(a, a));
            for i in 0..len {
                let mut b = a.to_vec();
                b[i] ^= 1;
                assert!(!same(a, &b));
            }
            assert!(!same(a, &text.as_bytes()[..len + 1]));
        }
    }

    #[test]
    fn lru_keeps_recent_entries() {
        let mut lru = Lru::new();
        for i in 0..CAPACITY {
            lru.put(&i.to_string(), Rc::new(i));
        }
        assert_eq!(lru.get("0").as_deref(), Some(&0)); // now most recent
        lru.put("new", Rc::new(99));
        assert!(lru.get("1").is_none(), "the least recently used entry was dropped");
        assert_eq!(lru.get("0").as_deref(), Some(&0));
        assert_eq!(lru.get("new").as_deref(), Some(&99));
    }
}
