//! Where module source comes from.
//!
//! `require()` never touches the file system directly: it asks a [`SourceLoader`]
//! whether a path is a file or a directory and for the bytes of a file. That keeps
//! the resolution algorithm identical whether modules live on disk ([`FsLoader`],
//! the default) or in memory ([`MemoryLoader`], handy for tests and embedded
//! bundles), and lets embedders plug in their own source (an archive, a database).

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Component, Path, PathBuf};

/// What a path names, as far as module resolution cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A readable file.
    File,
    /// A directory (it may hold `package.json` or `index.js`).
    Directory,
}

/// A pluggable source of module files.
///
/// Paths handed to a loader are always absolute and lexically normalised (no `.` or
/// `..` components). Implementations must be cheap to share between threads: one
/// loader serves every runtime of a factory.
pub trait SourceLoader: Send + Sync + 'static {
    /// Tells whether `path` is a file, a directory, or nothing (`None`).
    fn kind(&self, path: &Path) -> Option<EntryKind>;

    /// Returns the raw bytes of the file at `path`.
    ///
    /// The bytes must be UTF-8 to be run; jsbox checks that and reports the path.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;

    /// The canonical form of a resolved file path, used as its `require.cache` key
    /// and `__filename`. The default keeps the path as it is; [`FsLoader`] resolves
    /// symbolic links like Node does.
    fn canonical(&self, path: &Path) -> PathBuf {
        path.to_path_buf()
    }

    /// The directory that code evaluated with `Runtime::eval` resolves relative
    /// `require()` specifiers against, when the options name none.
    fn default_base_dir(&self) -> PathBuf {
        PathBuf::from("/")
    }
}

/// The largest module source [`FsLoader`] reads: 1 GiB, about the longest
/// string QuickJS holds.
pub const MAX_SOURCE_BYTES: usize = 1 << 30;

/// Loads modules from the real file system. This is the default loader.
#[derive(Debug, Clone, Default)]
pub struct FsLoader;

impl FsLoader {
    /// Creates a file-system loader.
    pub fn new() -> Self {
        FsLoader
    }
}

impl SourceLoader for FsLoader {
    fn kind(&self, path: &Path) -> Option<EntryKind> {
        let meta = std::fs::metadata(path).ok()?;
        if meta.is_dir() {
            Some(EntryKind::Directory)
        } else {
            Some(EntryKind::File)
        }
    }

    /// Reads a regular file of at most [`MAX_SOURCE_BYTES`]: a device such as
    /// `/dev/zero`, or a file no JavaScript string could hold, is refused
    /// before it fills host memory.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        use std::io::Read;
        let file = std::fs::File::open(path)?;
        if !file.metadata()?.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            ));
        }
        let mut bytes = Vec::new();
        file.take(MAX_SOURCE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)?;
        if bytes.len() > MAX_SOURCE_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "larger than {MAX_SOURCE_BYTES} bytes, the most a module's source may have"
                ),
            ));
        }
        Ok(bytes)
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    }

    fn default_base_dir(&self) -> PathBuf {
        std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"))
    }
}

/// Serves modules from an in-memory map of paths to sources.
///
/// Relative paths given to [`MemoryLoader::with`] are placed under `/`, which is
/// also the base directory for `Runtime::eval`, so
/// `MemoryLoader::new().with("entry.js", src)` is reachable as `require('./entry.js')`.
/// Directories exist implicitly for every parent of a stored file.
#[derive(Debug, Clone, Default)]
pub struct MemoryLoader {
    files: BTreeMap<PathBuf, Vec<u8>>,
    dirs: BTreeSet<PathBuf>,
}

impl MemoryLoader {
    /// Creates an empty loader.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a file and returns the loader, builder style.
    pub fn with(mut self, path: impl AsRef<Path>, source: impl Into<Vec<u8>>) -> Self {
        self.insert(path, source);
        self
    }

    /// Adds (or replaces) a file.
    pub fn insert(&mut self, path: impl AsRef<Path>, source: impl Into<Vec<u8>>) {
        let path = normalize(&Path::new("/").join(path.as_ref()));
        let mut parent = path.parent();
        while let Some(dir) = parent {
            if !self.dirs.insert(dir.to_path_buf()) {
                break;
            }
            parent = dir.parent();
        }
        self.files.insert(path, source.into());
    }
}

impl SourceLoader for MemoryLoader {
    fn kind(&self, path: &Path) -> Option<EntryKind> {
        if self.files.contains_key(path) {
            Some(EntryKind::File)
        } else if self.dirs.contains(path) {
            Some(EntryKind::Directory)
        } else {
            None
        }
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.files.get(path) {
            Some(bytes) => Ok(bytes.clone()),
            None if self.dirs.contains(path) => Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "is a directory",
            )),
            None => Err(io::Error::new(
                io::ErrorKind::NotFound,
                "no such file in the memory loader",
            )),
        }
    }
}

/// Lexically normalises a path: drops `.` components and folds `..` into its
/// parent, without touching the file system (Node's `path.resolve` semantics).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("/");
                }
                if out.as_os_str().is_empty() {
                    out.push("/");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push("/");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_dots() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(normalize(Path::new("/../..")), PathBuf::from("/"));
        assert_eq!(normalize(Path::new("/a/b/")), PathBuf::from("/a/b"));
    }

    #[test]
    fn memory_loader_knows_files_and_parent_dirs() {
        let loader = MemoryLoader::new()
            .with("lib/a.js", "1")
            .with("/x/y/z.json", "{}");
        assert_eq!(loader.kind(Path::new("/lib/a.js")), Some(EntryKind::File));
        assert_eq!(loader.kind(Path::new("/lib")), Some(EntryKind::Directory));
        assert_eq!(loader.kind(Path::new("/x/y")), Some(EntryKind::Directory));
        assert_eq!(loader.kind(Path::new("/nope")), None);
        assert_eq!(loader.read(Path::new("/lib/a.js")).unwrap(), b"1");
        assert!(loader.read(Path::new("/lib")).is_err());
    }
}
