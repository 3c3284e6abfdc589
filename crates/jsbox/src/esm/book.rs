//! What a runtime keeps about its ES module records, so that the engine's
//! weak spots cannot be reached from a script:
//!
//! - **Failed loads.** When compiling a module fails, QuickJS frees its record,
//!   but modules loaded while it was being resolved (a cycle back to it) keep
//!   pointers to it, and a later import of one of them would read freed memory.
//!   Every compile runs in a *frame* that records the modules loaded inside
//!   it; when the compile fails, those modules are *poisoned*: the normalize
//!   hook refuses their names from then on, so no later import reaches them.
//! - **`require()` of a graph that is evaluating.** Linking a module that is in
//!   the middle of its synchronous evaluation trips an engine assertion (the
//!   process aborts), and the engine does not say which modules are. So
//!   `require()` of an ES module only loads a graph that is new to this
//!   runtime: a graph that reaches a module loaded before is refused with
//!   Node's `ERR_REQUIRE_CYCLE_MODULE`, before anything links or runs
//!   (`import()` works there).
//! - **Loading inside loading.** Script code can run inside a hook (a patched
//!   built-in called by jsbox's own JavaScript); a module graph started there
//!   would link records still being resolved. While a hook runs, no new graph
//!   may start.

use std::collections::HashMap;

/// A module record of the engine, by address (valid while the record lives:
/// the book forgets records whose load failed).
pub(crate) type Record = usize;

#[derive(Default)]
pub(crate) struct ModuleBook {
    /// Records by module name, as loaded in this runtime, with the order
    /// they were loaded in.
    loaded: HashMap<String, (Record, u64)>,
    /// How many records were loaded so far.
    loads: u64,
    /// Names no import may reach again, with the error that poisoned them.
    poisoned: HashMap<String, String>,
    /// Modules loaded inside each compile in progress, innermost last.
    frames: Vec<Vec<String>>,
    /// How many hooks are running (script code may run inside one).
    hooks: usize,
    /// Names resolved while a `require()` graph compiles, when recording.
    referenced: Option<Vec<String>>,
}

impl ModuleBook {
    /// What a runtime restored from a heap image starts with: the records
    /// the image holds (their addresses are the same in every restore) and
    /// the names poisoned while it was built, nothing in progress.
    pub(crate) fn settled(&self) -> ModuleBook {
        ModuleBook {
            loaded: self.loaded.clone(),
            loads: self.loads,
            poisoned: self.poisoned.clone(),
            ..ModuleBook::default()
        }
    }

    /// Whether no module was loaded or poisoned.
    pub(crate) fn is_empty(&self) -> bool {
        self.loaded.is_empty() && self.poisoned.is_empty()
    }

    pub(crate) fn hook_started(&mut self) {
        self.hooks += 1;
    }

    pub(crate) fn hook_ended(&mut self) {
        self.hooks = self.hooks.saturating_sub(1);
    }

    /// Whether a hook is running now (no new graph may start).
    pub(crate) fn in_hook(&self) -> bool {
        self.hooks > 0
    }

    pub(crate) fn frame_started(&mut self) {
        self.frames.push(Vec::new());
    }

    /// The compile of the innermost frame succeeded: its modules belong to the
    /// enclosing compile now (they may refer to it).
    pub(crate) fn frame_succeeded(&mut self) {
        if let Some(frame) = self.frames.pop() {
            if let Some(parent) = self.frames.last_mut() {
                parent.extend(frame);
            }
        }
    }

    /// The compile of the innermost frame failed: every module loaded inside
    /// it may point at the freed record, and is poisoned.
    pub(crate) fn frame_failed(&mut self, error: &str) {
        if let Some(frame) = self.frames.pop() {
            for name in frame {
                self.loaded.remove(&name);
                self.poisoned.insert(name, error.to_string());
            }
        }
    }

    /// A module record was made for `name`.
    pub(crate) fn loaded(&mut self, name: &str, record: Record) {
        self.loads += 1;
        self.loaded.insert(name.to_string(), (record, self.loads));
        if let Some(frame) = self.frames.last_mut() {
            frame.push(name.to_string());
        }
    }

    /// Whether a record was loaded for `name` in this runtime.
    pub(crate) fn is_loaded(&self, name: &str) -> bool {
        self.loaded.contains_key(name)
    }

    /// A mark in the order of loads: see [`loaded_before`](Self::loaded_before).
    pub(crate) fn mark(&self) -> u64 {
        self.loads
    }

    /// Whether `name` was loaded before `mark` was taken.
    pub(crate) fn loaded_before(&self, name: &str, mark: u64) -> bool {
        self.loaded
            .get(name)
            .is_some_and(|(_, order)| *order <= mark)
    }

    /// Why `name` may not be imported, if it was poisoned.
    pub(crate) fn poisoned(&self, name: &str) -> Option<&str> {
        self.poisoned.get(name).map(String::as_str)
    }

    /// `normalize` resolved `name`: remembered while recording.
    pub(crate) fn resolved(&mut self, name: &str) {
        if let Some(names) = &mut self.referenced {
            names.push(name.to_string());
        }
    }

    pub(crate) fn start_recording(&mut self) {
        self.referenced = Some(Vec::new());
    }

    pub(crate) fn stop_recording(&mut self) -> Vec<String> {
        self.referenced.take().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_compile_poisons_what_loaded_inside_it_and_nothing_else() {
        let mut book = ModuleBook::default();
        book.loaded("/before.mjs", 1);
        book.frame_started();
        book.loaded("/a.mjs", 2);
        book.frame_started();
        book.loaded("/b.mjs", 3);
        book.frame_succeeded();
        book.frame_failed("boom");
        assert_eq!(book.poisoned("/a.mjs"), Some("boom"));
        assert_eq!(book.poisoned("/b.mjs"), Some("boom"));
        assert!(!book.is_loaded("/b.mjs"));
        assert_eq!(book.poisoned("/before.mjs"), None);
        let mark = book.mark();
        book.loaded("/after.mjs", 4);
        assert!(book.loaded_before("/before.mjs", mark));
        assert!(!book.loaded_before("/after.mjs", mark));
    }
}
