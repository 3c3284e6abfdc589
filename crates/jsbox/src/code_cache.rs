//! The per-factory bytecode cache for modules loaded by `require()`.
//!
//! A cold `require` in a fresh runtime would re-parse every module. The cache
//! keeps each module's compiled wrapper as bytecode, keyed by resolved path and
//! checked against the exact source text, so a changed file is recompiled. It holds
//! bytes only, never live JS values, so every runtime of the factory can share it.
//! Its size is bounded; the least recently used entries are evicted first.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Counters describing a factory's bytecode cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CodeCacheStats {
    /// Module compilations served from the cache.
    pub hits: u64,
    /// Module compilations that had to parse the source.
    pub misses: u64,
    /// Modules currently cached.
    pub entries: usize,
    /// Bytes currently held (source plus bytecode).
    pub bytes: usize,
}

struct Entry {
    source: Arc<str>,
    bytecode: Arc<[u8]>,
    last_used: u64,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<String, Entry>,
    bytes: usize,
    clock: u64,
}

/// A bounded map from module path to compiled bytecode.
pub(crate) struct CodeCache {
    inner: Mutex<Inner>,
    capacity: usize,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl CodeCache {
    /// A cache holding at most `capacity` bytes; 0 disables caching.
    pub(crate) fn new(capacity: usize) -> Self {
        CodeCache {
            inner: Mutex::new(Inner::default()),
            capacity,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    pub(crate) fn enabled(&self) -> bool {
        self.capacity > 0
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Entries are replaced whole, so a panic elsewhere cannot leave one torn.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The bytecode for `path` if it was compiled from exactly `source`.
    pub(crate) fn get(&self, path: &str, source: &str) -> Option<Arc<[u8]>> {
        let mut inner = self.lock();
        inner.clock += 1;
        let now = inner.clock;
        let found = inner
            .entries
            .get_mut(path)
            .filter(|entry| &*entry.source == source)
            .map(|entry| {
                entry.last_used = now;
                entry.bytecode.clone()
            });
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Stores the bytecode compiled from `source` for `path`, evicting the least
    /// recently used entries beyond the capacity. Entries larger than the whole
    /// capacity are not kept.
    pub(crate) fn insert(&self, path: &str, source: &str, bytecode: Vec<u8>) -> Arc<[u8]> {
        let bytecode: Arc<[u8]> = bytecode.into();
        let size = source.len() + bytecode.len();
        if size > self.capacity {
            return bytecode;
        }
        let mut inner = self.lock();
        inner.clock += 1;
        let entry = Entry {
            source: source.into(),
            bytecode: bytecode.clone(),
            last_used: inner.clock,
        };
        if let Some(old) = inner.entries.insert(path.to_string(), entry) {
            inner.bytes -= old.source.len() + old.bytecode.len();
        }
        inner.bytes += size;
        while inner.bytes > self.capacity {
            let oldest = inner
                .entries
                .iter()
                .min_by_key(|(_, entry)| entry.last_used)
                .map(|(key, _)| key.clone());
            let Some(oldest) = oldest else { break };
            if let Some(old) = inner.entries.remove(&oldest) {
                inner.bytes -= old.source.len() + old.bytecode.len();
            }
        }
        bytecode
    }

    pub(crate) fn stats(&self) -> CodeCacheStats {
        let inner = self.lock();
        CodeCacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: inner.entries.len(),
            bytes: inner.bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_only_for_identical_source() {
        let cache = CodeCache::new(1 << 20);
        assert!(cache.get("/a.js", "1").is_none());
        cache.insert("/a.js", "1", vec![1, 2, 3]);
        assert_eq!(cache.get("/a.js", "1").as_deref(), Some(&[1u8, 2, 3][..]));
        assert!(cache.get("/a.js", "2").is_none(), "changed source misses");
        let stats = cache.stats();
        assert_eq!(
            (stats.hits, stats.misses, stats.entries, stats.bytes),
            (1, 2, 1, 4)
        );
    }

    #[test]
    fn evicts_least_recently_used_beyond_capacity() {
        let cache = CodeCache::new(20);
        cache.insert("/a", "aaaa", vec![0; 4]);
        cache.insert("/b", "bbbb", vec![0; 4]);
        assert!(cache.get("/a", "aaaa").is_some());
        cache.insert("/c", "cccc", vec![0; 4]);
        assert!(
            cache.get("/b", "bbbb").is_none(),
            "b was the least recently used"
        );
        assert!(cache.get("/a", "aaaa").is_some());
        assert!(cache.get("/c", "cccc").is_some());
        assert!(cache.stats().bytes <= 20);
        cache.insert("/huge", &"x".repeat(30), vec![]);
        assert!(cache.get("/huge", &"x".repeat(30)).is_none());
    }
}
