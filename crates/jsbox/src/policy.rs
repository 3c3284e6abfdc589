//! What a runtime may reach: which modules, which part of the file system,
//! which programs, whether it sees the environment. Validated once per factory.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::loader::normalize;

/// The modules that [`Options::sandboxed`](crate::Options::sandboxed) denies.
pub const UNSAFE_MODULES: [&str; 3] = ["fs", "exec", "database"];

/// The access policy of a factory's runtimes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Policy {
    pub(crate) allow_modules: Option<HashSet<String>>,
    pub(crate) deny_modules: HashSet<String>,
    /// Canonical root directory, when confined.
    pub(crate) root: Option<PathBuf>,
    pub(crate) allow_programs: Option<HashSet<String>>,
    pub(crate) hide_env: bool,
}

/// Why access was refused, as the message of an `ERR_ACCESS_DENIED` error.
pub(crate) type Denied = String;

impl Policy {
    /// Checks the options' policy and resolves the root directory.
    pub(crate) fn validate(mut self) -> Result<Self> {
        if let Some(root) = &self.root {
            let canonical = std::fs::canonicalize(root).map_err(|e| {
                Error::InvalidOptions(format!("the root directory {}: {e}", root.display()))
            })?;
            if !canonical.is_dir() {
                return Err(Error::InvalidOptions(format!(
                    "the root {} is not a directory",
                    root.display()
                )));
            }
            self.root = Some(canonical);
        }
        Ok(self)
    }

    /// Whether scripts may require the native or built-in module `name`.
    pub(crate) fn check_module(&self, name: &str) -> Result<(), Denied> {
        // A sub-module (`fs/promises`, `stream/promises`, `assert/strict`)
        // is part of its module: denying `fs` denies it, and allowing `fs`
        // allows it unless it is denied by its own name.
        let base = name.split_once('/').map_or(name, |(base, _)| base);
        let allowed = !self.deny_modules.contains(name)
            && !self.deny_modules.contains(base)
            && self
                .allow_modules
                .as_ref()
                .is_none_or(|allow| allow.contains(name) || allow.contains(base));
        if allowed {
            Ok(())
        } else {
            Err(format!(
                "Access to module '{name}' is denied by this runtime's policy"
            ))
        }
    }

    /// Whether `exec` may run `program`.
    pub(crate) fn check_program(&self, program: &str) -> Result<(), Denied> {
        match &self.allow_programs {
            Some(allowed) if !allowed.contains(program) => Err(format!(
                "Running '{program}' is denied by this runtime's policy (allowed: {})",
                {
                    let mut list: Vec<_> = allowed.iter().map(String::as_str).collect();
                    list.sort_unstable();
                    list.join(", ")
                }
            )),
            _ => Ok(()),
        }
    }

    /// Resolves `path` (relative to the process's current directory) to the
    /// real path it names, following symbolic links, and checks that it stays
    /// under the root. Without a root, returns the path unchanged.
    pub(crate) fn confine(&self, path: &str) -> Result<String, Denied> {
        let Some(root) = &self.root else {
            return Ok(path.to_string());
        };
        let absolute = normalize(&std::env::current_dir().unwrap_or_default().join(path));
        // A real path that is not UTF-8 could not be handed on unchanged.
        match real_path(&absolute) {
            Some(real) if real.starts_with(root) && real.to_str().is_some() => {
                Ok(real.to_string_lossy().into_owned())
            }
            _ => Err(format!(
                "Access to '{path}' is denied: it is outside the root directory {}",
                root.display()
            )),
        }
    }

    /// Checks a resolved module file against the root.
    pub(crate) fn check_module_file(&self, path: &Path) -> Result<(), Denied> {
        match &self.root {
            Some(root) if !real_path(path).is_some_and(|real| real.starts_with(root)) => {
                Err(format!(
                    "Access to module file '{}' is denied: it is outside the root directory {}",
                    path.display(),
                    root.display()
                ))
            }
            _ => Ok(()),
        }
    }
}

/// The path with symbolic links resolved for the part that exists; the
/// missing tail (a file about to be created) is appended as written. `None`
/// when that cannot be known for sure: the path (or what it resolves to) is
/// too long, loops, or cannot be read. A dangling symbolic link is followed
/// (writing through it would create its target), never taken for a missing
/// file.
fn real_path(absolute: &Path) -> Option<PathBuf> {
    let mut lookups = MAX_LOOKUPS;
    real_path_within(absolute, 0, &mut lookups)
}

/// Links followed by hand before giving up, as the kernel's own limit.
const MAX_LINKS: u32 = 40;

/// Resolutions one check may ask of the kernel: a path built to make each
/// one slow (deep folders, long chains of dangling links) is refused rather
/// than resolved for longer than a call's deadline allows.
const MAX_LOOKUPS: u32 = 128;

fn real_path_within(absolute: &Path, links: u32, lookups: &mut u32) -> Option<PathBuf> {
    if links > MAX_LINKS {
        return None;
    }
    let mut existing = absolute.to_path_buf();
    let mut tail: Vec<std::ffi::OsString> = Vec::new();
    loop {
        *lookups = lookups.checked_sub(1)?;
        match std::fs::canonicalize(&existing) {
            Ok(mut real) => {
                for part in tail.iter().rev() {
                    real.push(part);
                }
                return Some(real);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Ok(meta) = std::fs::symlink_metadata(&existing) {
                    if !meta.file_type().is_symlink() {
                        // There after all (it changed meanwhile): no guess.
                        return None;
                    }
                    // A dangling link: resolve its target from its folder.
                    let target = std::fs::read_link(&existing).ok()?;
                    let folder = real_path_within(existing.parent()?, links + 1, lookups)?;
                    let mut next = folder.join(target);
                    for part in tail.iter().rev() {
                        next.push(part);
                    }
                    return real_path_within(&next, links + 1, lookups);
                }
                let name = existing.file_name()?.to_os_string();
                tail.push(name);
                existing = existing.parent()?.to_path_buf();
            }
            // ENAMETOOLONG, ELOOP, EACCES...: the kernel could resolve it
            // differently from any guess made here.
            Err(_) => return None,
        }
    }
}
