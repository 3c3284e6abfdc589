//! Node's CommonJS resolution algorithm (`require.resolve`), over a [`SourceLoader`].
//!
//! The order follows Node's documented algorithm: native modules first (with or
//! without the `node:` prefix), then relative and absolute paths (exact file, then
//! the extensions, then a directory's `package.json` `main` and `index` files), then
//! `node_modules` folders walking up from the requiring module. Package `exports`
//! maps are honoured for the `require`, `node` and `default` conditions.

use std::path::{Path, PathBuf};

use crate::loader::{normalize, EntryKind, SourceLoader};

/// Extensions tried after the exact file name, in order.
///
/// `.cjs` is tried too: Node only loads `.cjs` when named exactly, jsbox also finds
/// `require('./x')` for `x.cjs` (documented difference).
const EXTENSIONS: [&str; 3] = [".js", ".json", ".cjs"];

/// The outcome of resolving a specifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// A native (Rust) module, by registry name.
    Native(String),
    /// A file, by canonical path.
    File(PathBuf),
}

/// Why a specifier did not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ResolveError {
    /// Nothing matched: Node's `MODULE_NOT_FOUND`.
    NotFound,
    /// `node:NAME` where NAME is no native module: Node's `ERR_UNKNOWN_BUILTIN_MODULE`.
    UnknownBuiltin,
    /// A package's `exports` field does not list the subpath:
    /// Node's `ERR_PACKAGE_PATH_NOT_EXPORTED`, with Node's message.
    NotExported { message: String },
    /// A `package.json` on the way could not be parsed.
    InvalidPackage { path: PathBuf, message: String },
}

/// Resolves `request` as required from a module living in `parent_dir`.
pub(crate) fn resolve(
    loader: &dyn SourceLoader,
    is_native: &dyn Fn(&str) -> bool,
    request: &str,
    parent_dir: &Path,
) -> Result<Resolved, ResolveError> {
    if let Some(name) = request.strip_prefix("node:") {
        return if is_native(name) {
            Ok(Resolved::Native(name.to_string()))
        } else {
            Err(ResolveError::UnknownBuiltin)
        };
    }
    if is_native(request) {
        return Ok(Resolved::Native(request.to_string()));
    }
    let found = if is_path_like(request) {
        let target = normalize(&parent_dir.join(request));
        load_path(loader, &target, request.ends_with('/'))?
    } else {
        load_node_modules(loader, request, parent_dir)?
    };
    match found {
        Some(path) => Ok(Resolved::File(loader.canonical(&path))),
        None => Err(ResolveError::NotFound),
    }
}

fn is_path_like(request: &str) -> bool {
    request == "."
        || request == ".."
        || request.starts_with("./")
        || request.starts_with("../")
        || request.starts_with('/')
}

/// LOAD_AS_FILE then LOAD_AS_DIRECTORY; a trailing slash allows only the directory.
fn load_path(
    loader: &dyn SourceLoader,
    target: &Path,
    directory_only: bool,
) -> Result<Option<PathBuf>, ResolveError> {
    if !directory_only {
        if let Some(file) = load_as_file(loader, target) {
            return Ok(Some(file));
        }
    }
    load_as_directory(loader, target)
}

fn load_as_file(loader: &dyn SourceLoader, target: &Path) -> Option<PathBuf> {
    if loader.kind(target) == Some(EntryKind::File) {
        return Some(target.to_path_buf());
    }
    let base = target.as_os_str();
    EXTENSIONS.iter().find_map(|ext| {
        let mut candidate = base.to_os_string();
        candidate.push(ext);
        let candidate = PathBuf::from(candidate);
        (loader.kind(&candidate) == Some(EntryKind::File)).then_some(candidate)
    })
}

fn load_index(loader: &dyn SourceLoader, dir: &Path) -> Option<PathBuf> {
    ["index.js", "index.json", "index.cjs"]
        .iter()
        .map(|name| dir.join(name))
        .find(|candidate| loader.kind(candidate) == Some(EntryKind::File))
}

fn load_as_directory(
    loader: &dyn SourceLoader,
    dir: &Path,
) -> Result<Option<PathBuf>, ResolveError> {
    if loader.kind(dir) != Some(EntryKind::Directory) {
        return Ok(None);
    }
    if let Some(package) = read_package(loader, dir)? {
        if let Some(main) = package.get("main").and_then(|m| m.as_str()) {
            let main_path = normalize(&dir.join(main));
            if let Some(file) = load_as_file(loader, &main_path) {
                return Ok(Some(file));
            }
            if let Some(file) = load_index(loader, &main_path) {
                return Ok(Some(file));
            }
        }
    }
    Ok(load_index(loader, dir))
}

fn read_package(
    loader: &dyn SourceLoader,
    dir: &Path,
) -> Result<Option<serde_json::Value>, ResolveError> {
    let path = dir.join("package.json");
    if loader.kind(&path) != Some(EntryKind::File) {
        return Ok(None);
    }
    let invalid = |message: String| ResolveError::InvalidPackage {
        path: path.clone(),
        message,
    };
    let bytes = loader.read(&path).map_err(|e| invalid(e.to_string()))?;
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| invalid(e.to_string()))
}

/// Splits a bare specifier into the package name (`pkg` or `@scope/pkg`) and the
/// subpath inside it (`""` or `"sub/file"`).
fn split_package(request: &str) -> (&str, &str) {
    let mut slashes = request.match_indices('/');
    let name_end = if request.starts_with('@') {
        slashes.nth(1)
    } else {
        slashes.next()
    };
    match name_end {
        Some((i, _)) => (&request[..i], &request[i + 1..]),
        None => (request, ""),
    }
}

fn load_node_modules(
    loader: &dyn SourceLoader,
    request: &str,
    parent_dir: &Path,
) -> Result<Option<PathBuf>, ResolveError> {
    let (name, subpath) = split_package(request);
    for dir in parent_dir.ancestors() {
        if dir.file_name().is_some_and(|n| n == "node_modules") {
            continue;
        }
        let package_dir = dir.join("node_modules").join(name);
        if loader.kind(&package_dir) == Some(EntryKind::Directory) {
            if let Some(package) = read_package(loader, &package_dir)? {
                if let Some(exports) = package.get("exports") {
                    return resolve_exports(loader, &package_dir, exports, subpath);
                }
            }
        }
        let target = dir.join("node_modules").join(request);
        if let Some(found) = load_path(loader, &target, request.ends_with('/'))? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// Resolves a subpath through a package's `exports` field (exact subpaths and the
/// `require` / `node` / `default` conditions; subpath patterns are not supported).
fn resolve_exports(
    loader: &dyn SourceLoader,
    package_dir: &Path,
    exports: &serde_json::Value,
    subpath: &str,
) -> Result<Option<PathBuf>, ResolveError> {
    let key = if subpath.is_empty() {
        ".".to_string()
    } else {
        format!("./{subpath}")
    };
    let is_subpath_map = exports
        .as_object()
        .is_some_and(|map| map.keys().any(|k| k.starts_with('.')));
    let target = if is_subpath_map {
        exports.get(&key)
    } else if key == "." {
        Some(exports)
    } else {
        None
    };
    let Some(relative) = target.and_then(pick_condition) else {
        let package_json = package_dir.join("package.json");
        let message = if key == "." {
            format!("No \"exports\" main defined in {}", package_json.display())
        } else {
            format!(
                "Package subpath '{key}' is not defined by \"exports\" in {}",
                package_json.display()
            )
        };
        return Err(ResolveError::NotExported { message });
    };
    let file = normalize(&package_dir.join(relative));
    Ok((loader.kind(&file) == Some(EntryKind::File)).then_some(file))
}

fn pick_condition(target: &serde_json::Value) -> Option<&str> {
    match target {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Array(items) => items.iter().find_map(pick_condition),
        serde_json::Value::Object(map) => ["require", "node", "default"]
            .iter()
            .find_map(|c| map.get(*c).and_then(pick_condition)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::MemoryLoader;

    fn no_native(_: &str) -> bool {
        false
    }

    fn file(loader: &MemoryLoader, request: &str, from: &str) -> Result<Resolved, ResolveError> {
        resolve(loader, &no_native, request, Path::new(from))
    }

    #[test]
    fn splits_scoped_and_plain_packages() {
        assert_eq!(split_package("pkg"), ("pkg", ""));
        assert_eq!(split_package("pkg/a/b"), ("pkg", "a/b"));
        assert_eq!(split_package("@s/pkg"), ("@s/pkg", ""));
        assert_eq!(split_package("@s/pkg/x"), ("@s/pkg", "x"));
    }

    #[test]
    fn exports_conditions_and_subpaths() {
        let loader = MemoryLoader::new()
            .with(
                "node_modules/p/package.json",
                r#"{"exports": {".": {"import": "./esm.js", "require": "./cjs.js"}, "./x": "./lib/x.js"}}"#,
            )
            .with("node_modules/p/cjs.js", "")
            .with("node_modules/p/lib/x.js", "")
            .with("node_modules/p/index.js", "");
        assert_eq!(
            file(&loader, "p", "/"),
            Ok(Resolved::File("/node_modules/p/cjs.js".into()))
        );
        assert_eq!(
            file(&loader, "p/x", "/a/b"),
            Ok(Resolved::File("/node_modules/p/lib/x.js".into()))
        );
        assert_eq!(
            file(&loader, "p/index.js", "/"),
            Err(ResolveError::NotExported {
                message: "Package subpath './index.js' is not defined by \"exports\" in \
                          /node_modules/p/package.json"
                    .to_string()
            })
        );
    }

    #[test]
    fn invalid_package_json_is_reported() {
        let loader = MemoryLoader::new()
            .with("d/package.json", "{ nope")
            .with("d/index.js", "");
        assert!(matches!(
            file(&loader, "./d", "/"),
            Err(ResolveError::InvalidPackage { .. })
        ));
    }
}
