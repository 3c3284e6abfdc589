//! Node 20's module resolution, for `require` (CommonJS) and `import` (ES modules),
//! over a [`SourceLoader`].
//!
//! Both follow Node's own code (`lib/internal/modules/cjs/loader.js` and
//! `lib/internal/modules/esm/resolve.js`) step by step rather than its documentation,
//! because the documented algorithm leaves out what users notice: the order of
//! the checks and the exact error messages.
//!
//! - `require` ([`resolve`], [`resolve_require`]): native modules, then the
//!   package `imports` (`#name`), then a package's reference to itself, then
//!   relative and absolute paths (exact file, `.js`, `.json`, a directory's
//!   `package.json` `main`, `index.js`, `index.json`) or `node_modules` folders
//!   walking up, honouring `exports` with the `require`, `node` and
//!   `module-sync` conditions.
//! - `import` ([`resolve_import`]): URL semantics. Relative and absolute
//!   specifiers and `file:` URLs must name the file exactly (no extension
//!   guessing, no directory index); bare specifiers go through `exports` with the
//!   `import`, `node` and `module-sync` conditions, or name an exact file inside a
//!   package that has no `exports`.
//!
//! `exports` and `imports` are matched as Node does (`PACKAGE_EXPORTS_RESOLVE`,
//! `PACKAGE_IMPORTS_RESOLVE`, `PACKAGE_TARGET_RESOLVE`): conditions in the
//! object's key order (hence serde_json's `preserve_order`), subpath patterns
//! with one `*` ranked by `PATTERN_KEY_COMPARE`, `null` targets excluding a
//! subpath, array targets falling back past invalid entries.
//!
//! Node also honours the `node-addons` condition; jsbox loads no native addons,
//! so it resolves as `node --no-addons` does.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::loader::{normalize, EntryKind, SourceLoader};

/// Extensions `require` tries after the exact file name, in order. Node also
/// tries `.node` (native addons, which jsbox does not load); `.cjs` and `.mjs`
/// are only found when named.
const EXTENSIONS: [&str; 2] = [".js", ".json"];

/// A directory's index files, in the order `require` tries them.
const INDEX_FILES: [&str; 2] = ["index.js", "index.json"];

/// The `exports` / `imports` conditions of `require` (besides `default`, which
/// always matches). Node 20.19+ adds `module-sync` since it can require ES
/// modules.
const REQUIRE_CONDITIONS: [&str; 3] = ["require", "node", "module-sync"];

/// The conditions of `import` (besides `default`).
const IMPORT_CONDITIONS: [&str; 3] = ["import", "node", "module-sync"];

/// The file name [`resolve`] gives a requiring module it knows only the folder
/// of: Node's name for code run with `node -e`, which is what a base directory
/// stands for.
const UNNAMED_PARENT: &str = "[eval]";

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
    /// Nothing matched: Node's `MODULE_NOT_FOUND` (`require` only; the caller
    /// words the message and adds the require stack).
    NotFound,
    /// `node:NAME` where NAME is no native module: Node's `ERR_UNKNOWN_BUILTIN_MODULE`.
    UnknownBuiltin,
    /// A package's `exports` field does not list the subpath:
    /// Node's `ERR_PACKAGE_PATH_NOT_EXPORTED`, with Node's message.
    NotExported { message: String },
    /// A `package.json` on the way could not be read or parsed.
    InvalidPackage { path: PathBuf, message: String },
    /// Any other failure, with Node's error code and Node's exact message: the
    /// import-side errors (`ERR_MODULE_NOT_FOUND`, `ERR_UNSUPPORTED_DIR_IMPORT`,
    /// ...), the package configuration errors of both sides, and the
    /// `MODULE_NOT_FOUND` errors Node words itself (a missing `exports` target,
    /// a `main` that names nothing), which carry no require stack.
    Coded { code: &'static str, message: String },
}

impl ResolveError {
    fn coded(code: &'static str, message: String) -> Self {
        ResolveError::Coded { code, message }
    }

    fn code(&self) -> Option<&'static str> {
        match self {
            ResolveError::Coded { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// How a resolved file is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// CommonJS: wrapped in a function and run by `require`.
    CommonJs,
    /// An ES module.
    Module,
    /// A JSON document.
    Json,
}

/// Resolves `request` as required from a module living in `parent_dir`.
///
/// The requiring file's name only shows in error messages (Node names it in
/// `imports` and self-reference errors); they say `<parent_dir>/[eval]`, which
/// is exact for code run by `Runtime::eval`. [`resolve_require`] takes the file.
pub(crate) fn resolve(
    loader: &dyn SourceLoader,
    is_native: &dyn Fn(&str) -> bool,
    request: &str,
    parent_dir: &Path,
) -> Result<Resolved, ResolveError> {
    resolve_require(loader, is_native, request, &parent_dir.join(UNNAMED_PARENT))
}

/// Resolves `request` as `require`d by the module file `parent` (Node's
/// `Module._resolveFilename`); for code that is not a file, pass
/// `<base_dir>/[eval]`.
pub(crate) fn resolve_require(
    loader: &dyn SourceLoader,
    is_native: &dyn Fn(&str) -> bool,
    request: &str,
    parent: &Path,
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
    let resolver = Resolver::new(loader, is_native, &REQUIRE_CONDITIONS);
    match resolver.require_lookup(request, parent, true)? {
        Some(path) => Ok(Resolved::File(loader.canonical(&path))),
        None => Err(ResolveError::NotFound),
    }
}

/// Resolves `specifier` as imported (statically or with `import()`) by the
/// module file `parent`: Node 20's `ESM_RESOLVE`. For code that is not a file,
/// such as `<eval>`, pass `<base_dir>/[eval]`.
///
/// Like Node, a specifier that fails with `ERR_MODULE_NOT_FOUND` or
/// `ERR_UNSUPPORTED_DIR_IMPORT` but that `require` would find gets a
/// `Did you mean to import "..."?` line. Node resolves that hint's relative
/// specifiers against the process's working directory (a quirk); jsbox, which
/// has none, uses the importing module's folder, which is what Node prints when
/// it runs from there.
pub(crate) fn resolve_import(
    loader: &dyn SourceLoader,
    is_native: &dyn Fn(&str) -> bool,
    specifier: &str,
    parent: &Path,
) -> Result<Resolved, ResolveError> {
    let resolver = Resolver::new(loader, is_native, &IMPORT_CONDITIONS);
    match resolver.import_resolve(specifier, parent) {
        Err(ResolveError::Coded { code, mut message })
            if code == "ERR_MODULE_NOT_FOUND" || code == "ERR_UNSUPPORTED_DIR_IMPORT" =>
        {
            let commonjs = Resolver::new(loader, is_native, &REQUIRE_CONDITIONS);
            if let Some(hint) = commonjs.commonjs_hint(specifier, parent) {
                message.push_str("\nDid you mean to import ");
                message.push_str(&json_string(&hint));
                message.push('?');
            }
            Err(ResolveError::Coded { code, message })
        }
        other => other,
    }
}

/// Tells how the file at `path` is loaded: `.mjs` as an ES module, `.cjs` as
/// CommonJS, `.json` as JSON, and anything else (`.js` first of all) as an ES
/// module when the nearest `package.json` says `"type": "module"`, else as
/// CommonJS.
pub(crate) fn format_of(loader: &dyn SourceLoader, path: &Path) -> Result<Format, ResolveError> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("mjs") => Ok(Format::Module),
        Some("cjs") => Ok(Format::CommonJs),
        Some("json") => Ok(Format::Json),
        _ => {
            let scope = package_scope(loader, parent_of(path), ScopeEnd::Esm)?;
            Ok(if scope.is_some_and(|p| p.module_type) {
                Format::Module
            } else {
                Format::CommonJs
            })
        }
    }
}

/// The folder of a module file (`/` for `/`).
fn parent_of(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new("/"))
}

/// What a `package.json` says that resolution reads; the fields of the wrong
/// type count as absent, as in Node.
#[derive(Debug)]
struct PackageJson {
    /// The folder holding the `package.json`.
    dir: PathBuf,
    name: Option<String>,
    /// `main`, when it is a string (possibly empty).
    main: Option<String>,
    /// `"type": "module"`.
    module_type: bool,
    /// `exports`, unless absent or `null`.
    exports: Option<Value>,
    /// `imports`, unless absent or `null`.
    imports: Option<Value>,
}

impl PackageJson {
    fn empty(dir: PathBuf) -> Self {
        PackageJson {
            dir,
            name: None,
            main: None,
            module_type: false,
            exports: None,
            imports: None,
        }
    }

    fn path(&self) -> PathBuf {
        self.dir.join("package.json")
    }

    fn url(&self) -> FileUrl {
        FileUrl::from_path(&self.path())
    }

    /// The package folder as Node's messages print it: with a trailing slash.
    fn dir_display(&self) -> String {
        dir_with_slash(&self.dir)
    }
}

fn dir_with_slash(dir: &Path) -> String {
    let shown = dir.to_string_lossy();
    if shown.ends_with('/') {
        shown.into_owned()
    } else {
        format!("{shown}/")
    }
}

/// Reads `dir/package.json`: `None` when there is no such file.
fn read_package(
    loader: &dyn SourceLoader,
    dir: &Path,
) -> Result<Option<PackageJson>, ResolveError> {
    let path = dir.join("package.json");
    if loader.kind(&path) != Some(EntryKind::File) {
        return Ok(None);
    }
    let invalid = |message: String| ResolveError::InvalidPackage {
        path: path.clone(),
        message,
    };
    let bytes = loader.read(&path).map_err(|e| invalid(e.to_string()))?;
    // Node skips a UTF-8 byte order mark, serde_json does not.
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let value: Value = serde_json::from_slice(text).map_err(|e| invalid(e.to_string()))?;
    let mut package = PackageJson::empty(dir.to_path_buf());
    if let Value::Object(mut map) = value {
        package.name = map.get("name").and_then(Value::as_str).map(str::to_string);
        package.main = map.get("main").and_then(Value::as_str).map(str::to_string);
        package.module_type = map.get("type").and_then(Value::as_str) == Some("module");
        package.exports = map.remove("exports").filter(|v| !v.is_null());
        package.imports = map.remove("imports").filter(|v| !v.is_null());
    }
    Ok(Some(package))
}

/// Where the walk up to the nearest `package.json` gives up.
#[derive(Clone, Copy)]
enum ScopeEnd {
    /// `getPackageScopeConfig` (ES modules, `imports`, formats): at a folder
    /// whose name ends with `node_modules`.
    Esm,
    /// `readPackageScope` (CommonJS): at a folder named `node_modules`.
    CommonJs,
}

/// The nearest `package.json` from `dir` upwards, not looking past a
/// `node_modules` folder (a package's scope ends there).
fn package_scope(
    loader: &dyn SourceLoader,
    dir: &Path,
    end: ScopeEnd,
) -> Result<Option<PackageJson>, ResolveError> {
    for folder in dir.ancestors() {
        let stop = match end {
            ScopeEnd::Esm => folder.to_string_lossy().ends_with("node_modules"),
            ScopeEnd::CommonJs => folder.file_name().is_some_and(|n| n == "node_modules"),
        };
        if stop {
            return Ok(None);
        }
        if let Some(package) = read_package(loader, folder)? {
            return Ok(Some(package));
        }
    }
    Ok(None)
}

/// The `exports` / `imports` entry a target belongs to, and who asked.
#[derive(Clone, Copy)]
struct Entry<'e> {
    /// The matched key (`./x`, `./*`, `#name`).
    key: &'e str,
    /// What the key's `*` stands for, or `""` for an exact key.
    subpath: &'e str,
    /// Whether `key` is a pattern.
    pattern: bool,
    /// `imports` rather than `exports`.
    internal: bool,
    /// The importing file, which Node names in messages; `None` for a
    /// `require` from `node_modules`.
    base: Option<&'e Path>,
}

impl<'e> Entry<'e> {
    fn exact(key: &'e str, internal: bool, base: Option<&'e Path>) -> Self {
        Entry {
            key,
            subpath: "",
            pattern: false,
            internal,
            base,
        }
    }

    fn pattern(key: &'e str, subpath: &'e str, internal: bool, base: Option<&'e Path>) -> Self {
        Entry {
            key,
            subpath,
            pattern: true,
            internal,
            base,
        }
    }
}

/// Where a specifier points before the final file check.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Location {
    File(FileUrl),
    /// A built-in module (a bare `imports` target such as `"fs"`).
    Builtin(String),
}

/// What `PACKAGE_TARGET_RESOLVE` gives: a location, `null` (excluded) or
/// `undefined` (no condition matched).
enum Target {
    Found(Location),
    Null,
    Undefined,
}

/// Whether the key is an array index, which Node forbids in conditions.
fn is_array_index(key: &str) -> bool {
    key.parse::<u32>()
        .is_ok_and(|n| n.to_string() == key && n < u32::MAX)
}

/// Node's `PATTERN_KEY_COMPARE`: 1 when `b` is the better (more specific) key.
fn pattern_key_compare(a: &str, b: &str) -> i32 {
    let a_star = a.find('*');
    let b_star = b.find('*');
    let base_a = a_star.map_or(a.len(), |i| i + 1);
    let base_b = b_star.map_or(b.len(), |i| i + 1);
    if base_a > base_b {
        return -1;
    }
    if base_b > base_a {
        return 1;
    }
    if a_star.is_none() {
        return 1;
    }
    if b_star.is_none() {
        return -1;
    }
    match a.len().cmp(&b.len()) {
        std::cmp::Ordering::Greater => -1,
        std::cmp::Ordering::Less => 1,
        std::cmp::Ordering::Equal => 0,
    }
}

/// The pattern key (one `*`) that best matches `request`, with the part of the
/// request the `*` stands for.
fn best_pattern<'k, 'r>(
    keys: impl Iterator<Item = &'k str>,
    request: &'r str,
) -> Option<(&'k str, &'r str)> {
    let mut best: Option<(&'k str, &'r str)> = None;
    for key in keys {
        let Some(star) = key.find('*') else {
            continue;
        };
        if !request.starts_with(&key[..star]) {
            continue;
        }
        let trailer = &key[star + 1..];
        if request.len() >= key.len()
            && request.ends_with(trailer)
            && pattern_key_compare(best.map_or("", |b| b.0), key) == 1
            && key.rfind('*') == Some(star)
        {
            best = Some((key, &request[star..request.len() - trailer.len()]));
        }
    }
    best
}

/// Whether `text` has a `.`, `..` or `node_modules` segment, also
/// percent-encoded (Node's `deprecatedInvalidSegmentRegEx`). Node's stricter
/// regex also flags empty segments (`a//b`, a trailing `/`), but those only
/// earn a deprecation warning.
fn has_invalid_segment(text: &str) -> bool {
    text.split(['/', '\\']).any(|segment| {
        let decoded = percent_decode(segment);
        decoded == b"." || decoded == b".." || decoded.eq_ignore_ascii_case(b"node_modules")
    })
}

/// Whether the string starts with a URL scheme (`name:`), so that
/// `new URL(text)` parses it.
fn url_scheme(text: &str) -> Option<&str> {
    let colon = text.find(':')?;
    let scheme = &text[..colon];
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

/// ESM's relative and absolute specifiers: `/...`, `.`, `..`, `./...`, `../...`.
fn is_relative_or_absolute(specifier: &str) -> bool {
    specifier.starts_with('/') || is_relative_specifier(specifier)
}

fn is_relative_specifier(specifier: &str) -> bool {
    specifier == "."
        || specifier == ".."
        || specifier.starts_with("./")
        || specifier.starts_with("../")
}

/// CommonJS's relative requests (`Module._resolveLookupPaths`): a leading `.`
/// followed by nothing, `.` or `/` (so `..x` counts, `.x` does not).
fn is_commonjs_relative(request: &str) -> bool {
    let bytes = request.as_bytes();
    bytes.first() == Some(&b'.') && (bytes.len() == 1 || bytes[1] == b'.' || bytes[1] == b'/')
}

/// Whether a `require` request only allows a directory (`Module._findPath`'s
/// `trailingSlash`): it ends with `/`, or is `.` / `..`, or ends with `/.` / `/..`.
fn has_trailing_slash(request: &str) -> bool {
    request.ends_with('/')
        || request == "."
        || request == ".."
        || request.ends_with("/.")
        || request.ends_with("/..")
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

/// CommonJS's `EXPORTS_PATTERN`
/// (`/^((?:@[^/\\%]+\/)?[^./\\%][^/\\%]*)(\/.*)?$/`): the package name and the
/// rest (`""` or `/sub/path`) of a request that may go through `exports`.
fn exports_pattern(request: &str) -> Option<(&str, &str)> {
    let stop = |c: char| matches!(c, '/' | '\\' | '%');
    let from = |start: usize| -> Option<(&str, &str)> {
        let rest = &request[start..];
        let first = rest.chars().next()?;
        if first == '.' || stop(first) {
            return None;
        }
        let end = start + rest.find(stop).unwrap_or(rest.len());
        let tail = &request[end..];
        let tail_ok = tail.is_empty()
            || (tail.starts_with('/') && !tail.contains(['\n', '\r', '\u{2028}', '\u{2029}']));
        tail_ok.then(|| (&request[..end], tail))
    };
    if let Some(scoped) = request.strip_prefix('@') {
        let scope_end = scoped.find(stop).unwrap_or(scoped.len());
        if scope_end > 0 && scoped[scope_end..].starts_with('/') {
            if let Some(found) = from(1 + scope_end + 1) {
                return Some(found);
            }
        }
    }
    from(0)
}

/// `encodeURIComponent`.
fn encode_uri_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; malformed ones stay as they are.
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// JSON text of a string, as `JSON.stringify` writes it in Node's messages.
fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

/// The path of a `file:` URL, percent-encoded as a WHATWG URL holds it: enough
/// URL semantics for Node's resolution, which joins specifiers and `exports`
/// targets as URLs (dot segments, `%20`, `?query`, `\` as `/`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileUrl(String);

impl FileUrl {
    /// `pathToFileURL(path).pathname`.
    fn from_path(path: &Path) -> Self {
        let mut out = String::new();
        for byte in path.to_string_lossy().bytes() {
            if byte <= b' ' || byte >= 0x7f || b"\"#%<>?[\\]^`{|}~".contains(&byte) {
                out.push_str(&format!("%{byte:02X}"));
            } else {
                out.push(byte as char);
            }
        }
        FileUrl(out)
    }

    /// `new URL(input, this)` for an input without a scheme, or the part of a
    /// `file:` URL after the scheme when `self` is the root.
    fn join(&self, input: &str) -> Result<FileUrl, ResolveError> {
        let cleaned: String = input
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .map(|c| if c == '\\' { '/' } else { c })
            .collect();
        let cleaned = cleaned.trim_matches(|c: char| c <= ' ');
        let path = &cleaned[..cleaned.find(['?', '#']).unwrap_or(cleaned.len())];
        let joined = if let Some(rest) = path.strip_prefix("//") {
            let host_end = rest.find('/').unwrap_or(rest.len());
            let host = &rest[..host_end];
            if !host.is_empty() && !host.eq_ignore_ascii_case("localhost") {
                return Err(ResolveError::coded(
                    "ERR_INVALID_FILE_URL_HOST",
                    "File URL host must be \"localhost\" or empty on linux".to_string(),
                ));
            }
            format!("/{}", rest[host_end..].trim_start_matches('/'))
        } else if path.starts_with('/') {
            path.to_string()
        } else {
            let dir_end = self.0.rfind('/').map_or(0, |i| i + 1);
            format!("{}{path}", &self.0[..dir_end])
        };
        Ok(FileUrl(remove_dot_segments(&encode_path_chars(&joined))))
    }

    /// `new URL(text)` for the part after `file:`.
    fn parse(after_scheme: &str) -> Result<FileUrl, ResolveError> {
        FileUrl("/".to_string()).join(after_scheme)
    }

    fn href(&self) -> String {
        format!("file://{}", self.0)
    }

    /// Node refuses `%2F` and `%5C` in a resolved path (`encodedSepRegEx`).
    fn has_encoded_separator(&self) -> bool {
        let lower = self.0.to_ascii_lowercase();
        lower.contains("%2f") || lower.contains("%5c")
    }

    /// `fileURLToPath(url)`, as a string: it may end with `/`.
    fn path_string(&self) -> String {
        String::from_utf8_lossy(&percent_decode(&self.0)).into_owned()
    }
}

/// Percent-encodes what the URL parser encodes in a path (controls, space,
/// `"`, `<`, `>`, `` ` ``, `{`, `}`, non-ASCII); `%` stays, escapes pass through.
fn encode_path_chars(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for ch in path.chars() {
        if ch < ' ' || ch as u32 >= 0x7f || matches!(ch, ' ' | '"' | '<' | '>' | '`' | '{' | '}') {
            let mut buf = [0u8; 4];
            for byte in ch.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(ch);
        }
    }
    out
}

/// The URL parser's path normalisation: `.` and `..` segments (also as `%2e`)
/// fold, a trailing one leaves a trailing slash.
fn remove_dot_segments(path: &str) -> String {
    let dots = |segment: &str| -> usize {
        let lower = segment.to_ascii_lowercase();
        match lower.as_str() {
            "." | "%2e" => 1,
            ".." | ".%2e" | "%2e." | "%2e%2e" => 2,
            _ => 0,
        }
    };
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let last = segments.len() - 1;
    let mut out: Vec<&str> = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        match dots(segment) {
            2 => {
                out.pop();
                if i == last {
                    out.push("");
                }
            }
            1 => {
                if i == last {
                    out.push("");
                }
            }
            _ => out.push(segment),
        }
    }
    format!("/{}", out.join("/"))
}

/// `a` relative to `b` for two absolute `/`-separated paths (`path.posix.relative`).
fn posix_relative(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

/// One resolution: the loader, the native module names and the conditions of
/// the module system asking.
struct Resolver<'a> {
    loader: &'a dyn SourceLoader,
    is_native: &'a dyn Fn(&str) -> bool,
    conditions: &'static [&'static str],
}

impl<'a> Resolver<'a> {
    fn new(
        loader: &'a dyn SourceLoader,
        is_native: &'a dyn Fn(&str) -> bool,
        conditions: &'static [&'static str],
    ) -> Self {
        Resolver {
            loader,
            is_native,
            conditions,
        }
    }

    fn is_file(&self, path: &Path) -> bool {
        self.loader.kind(path) == Some(EntryKind::File)
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.loader.kind(path) == Some(EntryKind::Directory)
    }

    // ---- exports, imports and their targets (shared by both module systems)

    /// `PACKAGE_EXPORTS_RESOLVE`: `subpath` is `.` or `./...`; `base` is the
    /// importing file (Node names it in messages), `None` for a `require` from
    /// `node_modules`.
    fn exports_resolve(
        &self,
        package: &PackageJson,
        exports: &Value,
        subpath: &str,
        base: Option<&Path>,
    ) -> Result<Location, ResolveError> {
        let sugar = self.is_main_sugar(package, exports, base)?;
        let entries: Vec<(&str, &Value)> = if sugar {
            vec![(".", exports)]
        } else {
            exports
                .as_object()
                .map(|map| map.iter().map(|(k, v)| (k.as_str(), v)).collect())
                .unwrap_or_default()
        };
        let not_exported = || {
            let package_json = format!("{}package.json", package.dir_display());
            let imported =
                base.map_or(String::new(), |b| format!(" imported from {}", b.display()));
            let message = if subpath == "." {
                format!("No \"exports\" main defined in {package_json}{imported}")
            } else {
                format!(
                    "Package subpath '{subpath}' is not defined by \"exports\" in {package_json}{imported}"
                )
            };
            ResolveError::NotExported { message }
        };
        if !subpath.contains('*') && !subpath.ends_with('/') {
            if let Some((_, target)) = entries.iter().find(|(k, _)| *k == subpath) {
                let entry = Entry::exact(subpath, false, base);
                return match self.target_resolve(package, target, entry)? {
                    Target::Found(location) => Ok(location),
                    Target::Null | Target::Undefined => Err(not_exported()),
                };
            }
        }
        if let Some((key, matched)) = best_pattern(entries.iter().map(|(k, _)| *k), subpath) {
            let target = entries
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(&Value::Null, |(_, t)| *t);
            if let Target::Found(location) =
                self.target_resolve(package, target, Entry::pattern(key, matched, false, base))?
            {
                return Ok(location);
            }
        }
        Err(not_exported())
    }

    /// Whether `exports` is the shorthand for `{".": exports}`: a string, an
    /// array, or an object of conditions (no key starting with `.`). Mixing both
    /// kinds of keys is an error.
    fn is_main_sugar(
        &self,
        package: &PackageJson,
        exports: &Value,
        base: Option<&Path>,
    ) -> Result<bool, ResolveError> {
        match exports {
            Value::String(_) | Value::Array(_) => Ok(true),
            Value::Object(map) => {
                let mut sugar = None;
                for key in map.keys() {
                    let conditional = key.is_empty() || !key.starts_with('.');
                    match sugar {
                        None => sugar = Some(conditional),
                        Some(first) if first != conditional => {
                            return Err(self.invalid_config(
                                package,
                                base,
                                "\"exports\" cannot contain some keys starting with '.' and some not. \
                                 The exports object must either be an object of package subpath keys \
                                 or an object of main entry condition name keys only.",
                            ))
                        }
                        Some(_) => {}
                    }
                }
                Ok(sugar.unwrap_or(false))
            }
            _ => Ok(false),
        }
    }

    /// `ERR_INVALID_PACKAGE_CONFIG` as the exports code words it: the base
    /// shows as a URL.
    fn invalid_config(
        &self,
        package: &PackageJson,
        base: Option<&Path>,
        what: &str,
    ) -> ResolveError {
        let importing = base.map_or(String::new(), |b| {
            format!(" while importing {}", FileUrl::from_path(b).href())
        });
        ResolveError::coded(
            "ERR_INVALID_PACKAGE_CONFIG",
            format!(
                "Invalid package config {}{importing}. {what}",
                package.path().display()
            ),
        )
    }

    /// `ERR_INVALID_PACKAGE_TARGET`.
    fn invalid_target(
        &self,
        package: &PackageJson,
        target: &str,
        entry: Entry<'_>,
    ) -> ResolveError {
        let Entry {
            key,
            internal,
            base,
            ..
        } = entry;
        let imported = base.map_or(String::new(), |b| format!(" imported from {}", b.display()));
        let relative_hint = if !internal && !target.is_empty() && !target.starts_with("./") {
            "; targets must start with \"./\""
        } else {
            ""
        };
        let package_json = format!("{}package.json", package.dir_display());
        let message = if key == "." {
            format!(
                "Invalid \"exports\" main target {} defined in the package config {package_json}{imported}{relative_hint}",
                json_string(target)
            )
        } else {
            format!(
                "Invalid \"{}\" target {} defined for '{key}' in the package config {package_json}{imported}{relative_hint}",
                if internal { "imports" } else { "exports" },
                json_string(target)
            )
        };
        ResolveError::coded("ERR_INVALID_PACKAGE_TARGET", message)
    }

    /// `PACKAGE_TARGET_RESOLVE` for the target of `entry`.
    fn target_resolve(
        &self,
        package: &PackageJson,
        target: &Value,
        entry: Entry<'_>,
    ) -> Result<Target, ResolveError> {
        match target {
            Value::String(target) => self
                .target_string(package, target, entry)
                .map(Target::Found),
            Value::Array(items) => {
                if items.is_empty() {
                    return Ok(Target::Null);
                }
                let mut last = Ok(Target::Undefined);
                for item in items {
                    match self.target_resolve(package, item, entry) {
                        Err(e) if e.code() == Some("ERR_INVALID_PACKAGE_TARGET") => last = Err(e),
                        Err(e) => return Err(e),
                        Ok(Target::Undefined) => {}
                        Ok(Target::Null) => last = Ok(Target::Null),
                        Ok(found) => return Ok(found),
                    }
                }
                last
            }
            Value::Object(map) => {
                if map.keys().any(|k| is_array_index(k)) {
                    return Err(self.invalid_config(
                        package,
                        entry.base,
                        "\"exports\" cannot contain numeric property keys.",
                    ));
                }
                for (condition, value) in map {
                    if condition == "default" || self.conditions.contains(&condition.as_str()) {
                        match self.target_resolve(package, value, entry)? {
                            Target::Undefined => continue,
                            other => return Ok(other),
                        }
                    }
                }
                Ok(Target::Undefined)
            }
            Value::Null => Ok(Target::Null),
            other => Err(self.invalid_target(package, &other.to_string(), entry)),
        }
    }

    /// `PACKAGE_TARGET_RESOLVE` for a string target.
    fn target_string(
        &self,
        package: &PackageJson,
        target: &str,
        entry: Entry<'_>,
    ) -> Result<Location, ResolveError> {
        let Entry {
            key,
            subpath,
            pattern,
            internal,
            base,
        } = entry;
        let invalid = || self.invalid_target(package, target, entry);
        if !subpath.is_empty() && !pattern && !target.ends_with('/') {
            return Err(invalid());
        }
        let Some(inside) = target.strip_prefix("./") else {
            // An `imports` target may name another package (`"#dep": "dep"`).
            if internal
                && !target.starts_with("../")
                && !target.starts_with('/')
                && url_scheme(target).is_none()
            {
                let request = if pattern {
                    target.replace('*', subpath)
                } else {
                    format!("{target}{subpath}")
                };
                return self.package_resolve(&request, &package.path());
            }
            return Err(invalid());
        };
        if has_invalid_segment(inside) {
            return Err(invalid());
        }
        let package_url = package.url();
        let resolved = package_url.join(target)?;
        let package_dir = package_url.join(".")?;
        if !resolved.0.starts_with(&package_dir.0) {
            return Err(invalid());
        }
        if subpath.is_empty() {
            return Ok(Location::File(resolved));
        }
        if has_invalid_segment(subpath) {
            let request = if pattern {
                key.replacen('*', subpath, 1)
            } else {
                format!("{key}{subpath}")
            };
            let imported =
                base.map_or(String::new(), |b| format!(" imported from {}", b.display()));
            return Err(ResolveError::coded(
                "ERR_INVALID_MODULE_SPECIFIER",
                format!(
                    "Invalid module \"{request}\" request is not a valid match in pattern \"{key}\" for the \"{}\" resolution of {}{imported}",
                    if internal { "imports" } else { "exports" },
                    package.path().display()
                ),
            ));
        }
        let url = if pattern {
            FileUrl::parse(&resolved.0.replace('*', subpath))?
        } else {
            resolved.join(subpath)?
        };
        Ok(Location::File(url))
    }

    /// `PACKAGE_IMPORTS_RESOLVE`: `#name` through the `imports` of the package
    /// scope of `base`, the importing file.
    fn imports_resolve(&self, name: &str, base: &Path) -> Result<Location, ResolveError> {
        if name == "#" || name.starts_with("#/") || name.ends_with('/') {
            return Err(ResolveError::coded(
                "ERR_INVALID_MODULE_SPECIFIER",
                format!(
                    "Invalid module \"{name}\" is not a valid internal imports specifier name imported from {}",
                    base.display()
                ),
            ));
        }
        let scope = package_scope(self.loader, parent_of(base), ScopeEnd::Esm)?;
        if let Some(package) = &scope {
            if let Some(Value::Object(imports)) = &package.imports {
                match imports.get(name).filter(|_| !name.contains('*')) {
                    Some(target) => {
                        if let Target::Found(location) = self.target_resolve(
                            package,
                            target,
                            Entry::exact(name, true, Some(base)),
                        )? {
                            return Ok(location);
                        }
                    }
                    None => {
                        if let Some((key, matched)) =
                            best_pattern(imports.keys().map(String::as_str), name)
                        {
                            let target = &imports[key];
                            if let Target::Found(location) = self.target_resolve(
                                package,
                                target,
                                Entry::pattern(key, matched, true, Some(base)),
                            )? {
                                return Ok(location);
                            }
                        }
                    }
                }
            }
        }
        let in_package = scope.map_or(String::new(), |p| {
            format!(" in package {}package.json", p.dir_display())
        });
        Err(ResolveError::coded(
            "ERR_PACKAGE_IMPORT_NOT_DEFINED",
            format!(
                "Package import specifier \"{name}\" is not defined{in_package} imported from {}",
                base.display()
            ),
        ))
    }

    // ---- ES modules

    /// `ESM_RESOLVE` without the CommonJS hint.
    fn import_resolve(&self, specifier: &str, parent: &Path) -> Result<Resolved, ResolveError> {
        let location = if is_relative_or_absolute(specifier) {
            Location::File(FileUrl::from_path(parent).join(specifier)?)
        } else if specifier.starts_with('#') {
            self.imports_resolve(specifier, parent)?
        } else if let Some(scheme) = url_scheme(specifier) {
            let rest = &specifier[scheme.len() + 1..];
            match scheme.to_ascii_lowercase().as_str() {
                "node" => {
                    return if (self.is_native)(rest) {
                        Ok(Resolved::Native(rest.to_string()))
                    } else {
                        Err(ResolveError::UnknownBuiltin)
                    }
                }
                "file" => Location::File(FileUrl::parse(rest)?),
                // Node runs `data:` modules; jsbox does not.
                "data" => return Err(unsupported_scheme("file and node", "data")),
                other => return Err(unsupported_scheme("file, data, and node", other)),
            }
        } else {
            self.package_resolve(specifier, parent)?
        };
        self.finalize_import(location, parent)
    }

    /// `PACKAGE_RESOLVE`: a bare specifier from `base` (the importing file, or
    /// the `package.json` whose `imports` named the package).
    fn package_resolve(&self, specifier: &str, base: &Path) -> Result<Location, ResolveError> {
        if (self.is_native)(specifier) {
            return Ok(Location::Builtin(specifier.to_string()));
        }
        let (name, subpath) = parse_package_name(specifier, base)?;
        let dir = parent_of(base);
        if let Some(package) = package_scope(self.loader, dir, ScopeEnd::Esm)? {
            if let (Some(exports), Some(own)) = (&package.exports, &package.name) {
                if own == name {
                    return self.exports_resolve(&package, exports, &subpath, Some(base));
                }
            }
        }
        for folder in dir.ancestors() {
            let package_dir = normalize(&folder.join("node_modules").join(name));
            if !self.is_dir(&package_dir) {
                continue;
            }
            let package = read_package(self.loader, &package_dir)?
                .unwrap_or_else(|| PackageJson::empty(package_dir));
            if let Some(exports) = &package.exports {
                return self.exports_resolve(&package, exports, &subpath, Some(base));
            }
            if subpath == "." {
                return self.legacy_main(&package, base);
            }
            return Ok(Location::File(package.url().join(&subpath)?));
        }
        Err(ResolveError::coded(
            "ERR_MODULE_NOT_FOUND",
            format!(
                "Cannot find package '{name}' imported from {}",
                base.display()
            ),
        ))
    }

    /// `LEGACY_MAIN_RESOLVE`: a package without `exports` imported by name.
    fn legacy_main(&self, package: &PackageJson, base: &Path) -> Result<Location, ResolveError> {
        let found = |path: &Path| Location::File(FileUrl::from_path(path));
        let mut main_shown = None;
        if let Some(main) = &package.main {
            let main_path = package.url().join(&format!("./{main}"))?.path_string();
            for ext in ["", ".js", ".json", "/index.js", "/index.json"] {
                let candidate = format!("{main_path}{ext}");
                let candidate_path = normalize(Path::new(&candidate));
                if !candidate.ends_with('/') && self.is_file(&candidate_path) {
                    return Ok(found(&candidate_path));
                }
            }
            main_shown = Some(main_path);
        }
        for index in INDEX_FILES {
            let candidate = package.dir.join(index);
            if self.is_file(&candidate) {
                return Ok(found(&candidate));
            }
        }
        let shown = main_shown
            .unwrap_or_else(|| package.dir.join("index.js").to_string_lossy().into_owned());
        Err(ResolveError::coded(
            "ERR_MODULE_NOT_FOUND",
            format!(
                "Cannot find package '{shown}' imported from {}",
                base.display()
            ),
        ))
    }

    /// `finalizeResolution`: the file must exist and not be a directory.
    fn finalize_import(&self, location: Location, base: &Path) -> Result<Resolved, ResolveError> {
        let url = match location {
            Location::Builtin(name) => return Ok(Resolved::Native(name)),
            Location::File(url) => url,
        };
        if url.has_encoded_separator() {
            return Err(ResolveError::coded(
                "ERR_INVALID_MODULE_SPECIFIER",
                format!(
                    "Invalid module \"{}\" must not include encoded \"/\" or \"\\\" characters imported from {}",
                    url.0,
                    base.display()
                ),
            ));
        }
        let path = url.path_string();
        let file = normalize(Path::new(&path));
        // Node stats the last character of a path ending in `/`, that is `/`:
        // a directory, whatever the path names.
        if path.ends_with('/') || self.is_dir(&file) {
            return Err(ResolveError::coded(
                "ERR_UNSUPPORTED_DIR_IMPORT",
                format!(
                    "Directory import '{path}' is not supported resolving ES modules imported from {}",
                    base.display()
                ),
            ));
        }
        if !self.is_file(&file) {
            return Err(ResolveError::coded(
                "ERR_MODULE_NOT_FOUND",
                format!(
                    "Cannot find module '{path}' imported from {}",
                    base.display()
                ),
            ));
        }
        Ok(Resolved::File(self.loader.canonical(&file)))
    }

    /// What `require` would have found for a failed import, worded as Node's
    /// `resolveAsCommonJS` does (relative to the importer, inside its package,
    /// or as the path).
    fn commonjs_hint(&self, specifier: &str, parent: &Path) -> Option<String> {
        let specifier = match specifier.strip_prefix("file:") {
            Some(rest) if specifier.starts_with("file://") => {
                let url = FileUrl::parse(rest).ok()?;
                if url.has_encoded_separator() {
                    return None;
                }
                url.path_string()
            }
            _ => specifier.to_string(),
        };
        if (self.is_native)(&specifier) || specifier.starts_with("node:") {
            return None;
        }
        let found = self.require_lookup(&specifier, parent, false).ok()??;
        let found = self.loader.canonical(&found);
        let found_text = found.to_string_lossy().into_owned();
        let hint = if is_relative_specifier(&specifier) {
            let parent_url = FileUrl::from_path(parent);
            let parent_dir = &parent_url.0[..parent_url.0.rfind('/').unwrap_or(0)];
            let relative = posix_relative(parent_dir, &FileUrl::from_path(&found).0);
            if relative.starts_with("../") {
                relative
            } else {
                format!("./{relative}")
            }
        } else if !specifier.is_empty() && !specifier.starts_with(['/', '.']) {
            let package = specifier.split('/').next().unwrap_or("");
            let needle = format!("/node_modules/{package}/");
            match found_text.rfind(&needle) {
                Some(i) => {
                    let inside: Vec<String> = found_text[i + needle.len()..]
                        .split('/')
                        .map(encode_uri_component)
                        .collect();
                    format!("{package}/{}", inside.join("/"))
                }
                None => FileUrl::from_path(&found).href(),
            }
        } else {
            found_text
        };
        (hint != specifier).then_some(hint)
    }

    // ---- CommonJS

    /// `Module._resolveFilename` after the built-ins. `full` is false for the
    /// import hint, which Node computes with a parent that has no file name:
    /// no `imports`, no self-reference.
    fn require_lookup(
        &self,
        request: &str,
        parent: &Path,
        full: bool,
    ) -> Result<Option<PathBuf>, ResolveError> {
        let dir = parent_of(parent);
        if full && request.starts_with('#') {
            let scope = package_scope(self.loader, dir, ScopeEnd::CommonJs)?;
            if scope.is_some_and(|p| p.imports.is_some()) {
                return match self.imports_resolve(request, parent) {
                    Ok(location) => self.finalize_require(location, Some(parent)).map(Some),
                    Err(e) if e.code() == Some("ERR_MODULE_NOT_FOUND") => Err(cannot_find(request)),
                    Err(e) => Err(e),
                };
            }
        }
        if full {
            if let Some(found) = self.try_self(request, parent)? {
                return Ok(Some(found));
            }
        }
        self.find_path(request, dir)
    }

    /// `trySelf`: a package requiring itself by its `name`, through its `exports`.
    fn try_self(&self, request: &str, parent: &Path) -> Result<Option<PathBuf>, ResolveError> {
        let Some(package) = package_scope(self.loader, parent_of(parent), ScopeEnd::CommonJs)?
        else {
            return Ok(None);
        };
        let (Some(exports), Some(name)) = (&package.exports, &package.name) else {
            return Ok(None);
        };
        let expansion = if request == name {
            ".".to_string()
        } else if let Some(rest) = request
            .strip_prefix(name.as_str())
            .filter(|r| r.starts_with('/'))
        {
            format!(".{rest}")
        } else {
            return Ok(None);
        };
        match self.exports_resolve(&package, exports, &expansion, Some(parent)) {
            Ok(location) => self.finalize_require(location, Some(parent)).map(Some),
            Err(e) if e.code() == Some("ERR_MODULE_NOT_FOUND") => Err(cannot_find(request)),
            Err(e) => Err(e),
        }
    }

    /// `finalizeEsmResolution`: an `exports` / `imports` result must be a file.
    fn finalize_require(
        &self,
        location: Location,
        parent: Option<&Path>,
    ) -> Result<PathBuf, ResolveError> {
        let url = match location {
            Location::File(url) => url,
            // Node turns the `node:` URL into a path, and fails.
            Location::Builtin(_) => {
                return Err(ResolveError::coded(
                    "ERR_INVALID_URL_SCHEME",
                    "The URL must be of scheme file".to_string(),
                ))
            }
        };
        if url.has_encoded_separator() {
            let imported =
                parent.map_or(String::new(), |p| format!(" imported from {}", p.display()));
            return Err(ResolveError::coded(
                "ERR_INVALID_MODULE_SPECIFIER",
                format!(
                    "Invalid module \"{}\" must not include encoded \"/\" or \"\\\" characters{imported}",
                    url.href()
                ),
            ));
        }
        let filename = url.path_string();
        let file = normalize(Path::new(&filename));
        if !filename.ends_with('/') && self.is_file(&file) {
            return Ok(file);
        }
        Err(cannot_find(&filename))
    }

    /// `Module._findPath` over the lookup paths of `request` from `dir`.
    fn find_path(&self, request: &str, dir: &Path) -> Result<Option<PathBuf>, ResolveError> {
        let absolute = request.starts_with('/');
        let relative = !absolute && is_commonjs_relative(request);
        let paths: Vec<PathBuf> = if absolute {
            vec![PathBuf::new()]
        } else if relative {
            vec![dir.to_path_buf()]
        } else {
            dir.ancestors()
                .filter(|d| d.file_name() != Some(OsStr::new("node_modules")))
                .map(|d| d.join("node_modules"))
                .collect()
        };
        let trailing_slash = has_trailing_slash(request);
        for current in paths {
            // Node skips every lookup folder that does not exist; jsbox only
            // skips missing `node_modules` folders, so that a loader that
            // knows files but not folders still serves relative requests.
            if !absolute && !relative && !self.is_dir(&current) {
                continue;
            }
            if !absolute {
                if let Some(found) = self.resolve_exports(&current, request)? {
                    return Ok(Some(found));
                }
            }
            let base_path = normalize(&current.join(request));
            if !trailing_slash {
                if self.is_file(&base_path) {
                    return Ok(Some(base_path));
                }
                if let Some(found) = self.try_extensions(&base_path) {
                    return Ok(Some(found));
                }
            }
            if self.is_dir(&base_path) {
                if let Some(found) = self.try_package(&base_path)? {
                    return Ok(Some(found));
                }
            }
        }
        Ok(None)
    }

    /// `resolveExports`: `node_modules/<name>` with an `exports` field.
    fn resolve_exports(
        &self,
        node_modules: &Path,
        request: &str,
    ) -> Result<Option<PathBuf>, ResolveError> {
        let Some((name, rest)) = exports_pattern(request) else {
            return Ok(None);
        };
        let Some(package) = read_package(self.loader, &normalize(&node_modules.join(name)))? else {
            return Ok(None);
        };
        let Some(exports) = &package.exports else {
            return Ok(None);
        };
        match self.exports_resolve(&package, exports, &format!(".{rest}"), None) {
            Ok(location) => self.finalize_require(location, None).map(Some),
            Err(e) if e.code() == Some("ERR_MODULE_NOT_FOUND") => Err(cannot_find(request)),
            Err(e) => Err(e),
        }
    }

    /// `tryExtensions`: `base` plus each of [`EXTENSIONS`].
    fn try_extensions(&self, base: &Path) -> Option<PathBuf> {
        EXTENSIONS.iter().find_map(|ext| {
            let mut candidate = base.as_os_str().to_os_string();
            candidate.push(ext);
            let candidate = PathBuf::from(candidate);
            self.is_file(&candidate).then_some(candidate)
        })
    }

    /// `tryPackage`: a directory's `main`, then its index files. A `main` that
    /// names nothing when there is no index either is an error, not a miss.
    fn try_package(&self, dir: &Path) -> Result<Option<PathBuf>, ResolveError> {
        let main = read_package(self.loader, dir)?
            .and_then(|p| p.main)
            .filter(|m| !m.is_empty());
        let index = dir.join("index");
        let Some(main) = main else {
            return Ok(self.try_extensions(&index));
        };
        let filename = normalize(&dir.join(&main));
        if self.is_file(&filename) {
            return Ok(Some(filename));
        }
        if let Some(found) = self
            .try_extensions(&filename)
            .or_else(|| self.try_extensions(&filename.join("index")))
            .or_else(|| self.try_extensions(&index))
        {
            return Ok(Some(found));
        }
        Err(ResolveError::coded(
            "MODULE_NOT_FOUND",
            format!(
                "Cannot find module '{}'. Please verify that the package.json has a valid \"main\" entry",
                filename.display()
            ),
        ))
    }
}

/// `parsePackageName`: the package name and the `.`-prefixed subpath
/// (`.`, `./sub/file`, or `./` for `pkg/`).
fn parse_package_name<'s>(
    specifier: &'s str,
    base: &Path,
) -> Result<(&'s str, String), ResolveError> {
    let (name, _) = split_package(specifier);
    let scope_without_name = specifier.starts_with('@') && !specifier.contains('/');
    if scope_without_name || name.starts_with('.') || name.contains(['%', '\\']) {
        return Err(ResolveError::coded(
            "ERR_INVALID_MODULE_SPECIFIER",
            format!(
                "Invalid module \"{specifier}\" is not a valid package name imported from {}",
                base.display()
            ),
        ));
    }
    Ok((name, format!(".{}", &specifier[name.len()..])))
}

/// The `MODULE_NOT_FOUND` that Node raises itself (no require stack).
fn cannot_find(what: &str) -> ResolveError {
    ResolveError::coded("MODULE_NOT_FOUND", format!("Cannot find module '{what}'"))
}

fn unsupported_scheme(supported: &str, scheme: &str) -> ResolveError {
    ResolveError::coded(
        "ERR_UNSUPPORTED_ESM_URL_SCHEME",
        format!(
            "Only URLs with a scheme in: {supported} are supported by the default ESM loader. \
             Received protocol '{}:'",
            scheme.to_ascii_lowercase()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::{FsLoader, MemoryLoader};

    fn no_native(_: &str) -> bool {
        false
    }

    fn node_native(name: &str) -> bool {
        matches!(name, "fs" | "fs/promises" | "path")
    }

    fn file(loader: &MemoryLoader, request: &str, from: &str) -> Result<Resolved, ResolveError> {
        resolve(loader, &no_native, request, Path::new(from))
    }

    fn req(loader: &MemoryLoader, request: &str, parent: &str) -> Result<Resolved, ResolveError> {
        resolve_require(loader, &node_native, request, Path::new(parent))
    }

    fn imp(loader: &MemoryLoader, specifier: &str, parent: &str) -> Result<Resolved, ResolveError> {
        resolve_import(loader, &node_native, specifier, Path::new(parent))
    }

    fn found(path: &str) -> Result<Resolved, ResolveError> {
        Ok(Resolved::File(path.into()))
    }

    fn coded(code: &'static str, message: &str) -> Result<Resolved, ResolveError> {
        Err(ResolveError::Coded {
            code,
            message: message.to_string(),
        })
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

    #[test]
    fn require_tries_js_then_json_but_never_cjs_or_mjs() {
        let loader = MemoryLoader::new()
            .with("app/both.js", "")
            .with("app/both.json", "{}")
            .with("app/data.json", "{}")
            .with("app/only.cjs", "")
            .with("app/only.mjs", "");
        assert_eq!(
            req(&loader, "./both", "/app/main.js"),
            found("/app/both.js")
        );
        assert_eq!(
            req(&loader, "./data", "/app/main.js"),
            found("/app/data.json")
        );
        assert_eq!(
            req(&loader, "./only", "/app/main.js"),
            Err(ResolveError::NotFound)
        );
        assert_eq!(
            req(&loader, "./only.cjs", "/app/main.js"),
            found("/app/only.cjs")
        );
        assert_eq!(
            req(&loader, "/app/both", "/elsewhere/x.js"),
            found("/app/both.js")
        );
    }

    #[test]
    fn require_directories_use_main_then_index() {
        let loader = MemoryLoader::new()
            .with("d/main-file/package.json", r#"{"main": "src/start"}"#)
            .with("d/main-file/src/start.js", "")
            .with("d/main-dir/package.json", r#"{"main": "src"}"#)
            .with("d/main-dir/src/index.json", "{}")
            .with("d/bad-main/package.json", r#"{"main": "nope.js"}"#)
            .with("d/bad-main-index/package.json", r#"{"main": "nope.js"}"#)
            .with("d/bad-main-index/index.js", "")
            .with("d/empty-main/package.json", r#"{"main": ""}"#)
            .with("d/empty-main/index.json", "{}")
            .with("d/empty/README", "");
        let from = "/main.js";
        assert_eq!(
            req(&loader, "./d/main-file", from),
            found("/d/main-file/src/start.js")
        );
        assert_eq!(
            req(&loader, "./d/main-dir/", from),
            found("/d/main-dir/src/index.json")
        );
        assert_eq!(
            req(&loader, "./d/bad-main", from),
            coded(
                "MODULE_NOT_FOUND",
                "Cannot find module '/d/bad-main/nope.js'. Please verify that the package.json \
                 has a valid \"main\" entry"
            )
        );
        assert_eq!(
            req(&loader, "./d/bad-main-index", from),
            found("/d/bad-main-index/index.js")
        );
        assert_eq!(
            req(&loader, "./d/empty-main", from),
            found("/d/empty-main/index.json")
        );
        assert_eq!(req(&loader, "./d/empty", from), Err(ResolveError::NotFound));
        // `.` and a trailing slash only allow a directory.
        let loader = loader.with("x.js", "").with("x/index.js", "");
        assert_eq!(req(&loader, "./x", from), found("/x.js"));
        assert_eq!(req(&loader, "./x/", from), found("/x/index.js"));
        assert_eq!(req(&loader, ".", "/x/a.js"), found("/x/index.js"));
    }

    #[test]
    fn require_walks_node_modules_up_from_the_parent() {
        let loader = MemoryLoader::new()
            .with("node_modules/p/index.js", "")
            .with("a/node_modules/p/index.js", "")
            .with("a/b/c/main.js", "");
        assert_eq!(
            req(&loader, "p", "/a/b/c/main.js"),
            found("/a/node_modules/p/index.js")
        );
        assert_eq!(
            req(&loader, "p", "/main.js"),
            found("/node_modules/p/index.js")
        );
        assert_eq!(req(&loader, "q", "/a/main.js"), Err(ResolveError::NotFound));
        assert_eq!(
            req(&loader, "fs", "/a/main.js"),
            Ok(Resolved::Native("fs".into()))
        );
        assert_eq!(
            req(&loader, "node:fs", "/a/main.js"),
            Ok(Resolved::Native("fs".into()))
        );
        assert_eq!(
            req(&loader, "node:nope", "/a/main.js"),
            Err(ResolveError::UnknownBuiltin)
        );
    }

    #[test]
    fn conditions_match_in_the_key_order_of_the_exports_object() {
        let loader = MemoryLoader::new()
            .with(
                "node_modules/p/package.json",
                r#"{"exports": {
                    ".": {"default": "./default.js", "require": "./require.js", "import": "./import.mjs"},
                    "./first": {"import": "./import.mjs", "require": "./require.js", "default": "./default.js"},
                    "./nested": {"node": {"import": "./import.mjs", "require": "./require.js"}},
                    "./none": {"browser": "./browser.js"}
                }}"#,
            )
            .with("node_modules/p/default.js", "")
            .with("node_modules/p/require.js", "")
            .with("node_modules/p/import.mjs", "");
        assert_eq!(
            req(&loader, "p", "/m.js"),
            found("/node_modules/p/default.js")
        );
        assert_eq!(
            imp(&loader, "p", "/m.mjs"),
            found("/node_modules/p/default.js")
        );
        assert_eq!(
            req(&loader, "p/first", "/m.js"),
            found("/node_modules/p/require.js")
        );
        assert_eq!(
            imp(&loader, "p/first", "/m.mjs"),
            found("/node_modules/p/import.mjs")
        );
        assert_eq!(
            req(&loader, "p/nested", "/m.js"),
            found("/node_modules/p/require.js")
        );
        assert_eq!(
            imp(&loader, "p/nested", "/m.mjs"),
            found("/node_modules/p/import.mjs")
        );
        assert_eq!(
            req(&loader, "p/none", "/m.js"),
            Err(ResolveError::NotExported {
                message: "Package subpath './none' is not defined by \"exports\" in \
                          /node_modules/p/package.json"
                    .to_string()
            })
        );
    }

    #[test]
    fn exports_sugar_forms_all_mean_the_main_entry() {
        let loader = MemoryLoader::new()
            .with(
                "node_modules/s/package.json",
                r#"{"main": "wrong.js", "exports": "./entry.js"}"#,
            )
            .with("node_modules/s/entry.js", "")
            .with("node_modules/a/package.json", r#"{"exports": ["./a.js"]}"#)
            .with("node_modules/a/a.js", "")
            .with(
                "node_modules/c/package.json",
                r#"{"exports": {"import": "./i.mjs", "require": "./r.cjs"}}"#,
            )
            .with("node_modules/c/i.mjs", "")
            .with("node_modules/c/r.cjs", "")
            .with(
                "node_modules/m/package.json",
                r#"{"exports": {"./a": "./a.js", "b": "./b.js"}}"#,
            );
        assert_eq!(
            req(&loader, "s", "/m.js"),
            found("/node_modules/s/entry.js")
        );
        assert_eq!(req(&loader, "a", "/m.js"), found("/node_modules/a/a.js"));
        assert_eq!(req(&loader, "c", "/m.js"), found("/node_modules/c/r.cjs"));
        assert_eq!(imp(&loader, "c", "/m.mjs"), found("/node_modules/c/i.mjs"));
        assert!(matches!(
            req(&loader, "c/x", "/m.js"),
            Err(ResolveError::NotExported { .. })
        ));
        assert_eq!(
            req(&loader, "m/a", "/m.js"),
            coded(
                "ERR_INVALID_PACKAGE_CONFIG",
                "Invalid package config /node_modules/m/package.json. \"exports\" cannot contain \
                 some keys starting with '.' and some not. The exports object must either be an \
                 object of package subpath keys or an object of main entry condition name keys only."
            )
        );
    }

    #[test]
    fn subpath_patterns_pick_the_most_specific_key() {
        let loader = MemoryLoader::new()
            .with(
                "node_modules/p/package.json",
                r#"{"exports": {
                    "./*": "./lib/*.js",
                    "./features/*.js": "./feat/*.js",
                    "./features/private/*": null,
                    "./features/x.js": "./feat/exact-x.js",
                    "./data/*": "./data/*"
                }}"#,
            )
            .with("node_modules/p/lib/a.js", "")
            .with("node_modules/p/lib/deep/b.js", "")
            .with("node_modules/p/feat/y.js", "")
            .with("node_modules/p/feat/exact-x.js", "")
            .with("node_modules/p/data/with space.json", "");
        assert_eq!(
            req(&loader, "p/a", "/m.js"),
            found("/node_modules/p/lib/a.js")
        );
        assert_eq!(
            req(&loader, "p/deep/b", "/m.js"),
            found("/node_modules/p/lib/deep/b.js")
        );
        assert_eq!(
            req(&loader, "p/features/y.js", "/m.js"),
            found("/node_modules/p/feat/y.js")
        );
        assert_eq!(
            imp(&loader, "p/features/x.js", "/m.mjs"),
            found("/node_modules/p/feat/exact-x.js")
        );
        assert_eq!(
            req(&loader, "p/features/private/z.js", "/m.js"),
            Err(ResolveError::NotExported {
                message: "Package subpath './features/private/z.js' is not defined by \"exports\" \
                          in /node_modules/p/package.json"
                    .to_string()
            })
        );
        // The `*` match is a URL path: `%20` decodes, `..` segments are refused.
        assert_eq!(
            imp(&loader, "p/data/with%20space.json", "/m.mjs"),
            found("/node_modules/p/data/with space.json")
        );
        assert_eq!(
            req(&loader, "p/a/../../x", "/m.js"),
            coded(
                "ERR_INVALID_MODULE_SPECIFIER",
                "Invalid module \"./a/../../x\" request is not a valid match in pattern \"./*\" \
                 for the \"exports\" resolution of /node_modules/p/package.json"
            )
        );
        assert_eq!(
            req(&loader, "p/missing", "/m.js"),
            coded(
                "MODULE_NOT_FOUND",
                "Cannot find module '/node_modules/p/lib/missing.js'"
            )
        );
        assert_eq!(
            imp(&loader, "p/missing", "/m.mjs"),
            coded(
                "ERR_MODULE_NOT_FOUND",
                "Cannot find module '/node_modules/p/lib/missing.js' imported from /m.mjs"
            )
        );
    }

    #[test]
    fn pattern_keys_rank_as_node_ranks_them() {
        assert_eq!(pattern_key_compare("", "./*"), 1);
        assert_eq!(pattern_key_compare("./*", "./features/*"), 1);
        assert_eq!(pattern_key_compare("./features/*", "./*"), -1);
        assert_eq!(pattern_key_compare("./a/*", "./a/*.js"), 1);
        let keys = ["./*", "./a/*", "./a/*.js", "./b"];
        assert_eq!(
            best_pattern(keys.into_iter(), "./a/x.js"),
            Some(("./a/*.js", "x"))
        );
        assert_eq!(
            best_pattern(keys.into_iter(), "./a/x.ts"),
            Some(("./a/*", "x.ts"))
        );
        assert_eq!(best_pattern(keys.into_iter(), "./c"), Some(("./*", "c")));
        assert_eq!(best_pattern(["./a/*"].into_iter(), "./a/"), None);
    }

    #[test]
    fn invalid_targets_and_array_fallbacks() {
        let loader = MemoryLoader::new()
            .with(
                "node_modules/p/package.json",
                r#"{"exports": {
                    ".": "main.js",
                    "./up": "./../x.js",
                    "./nm": "./node_modules/x.js",
                    "./array": ["invalid:x", "./ok.js"],
                    "./array-null": [null, "./ok.js"],
                    "./array-bad": ["../a.js", "b.js"],
                    "./number": 5,
                    "./numeric": {"0": "./ok.js"}
                }}"#,
            )
            .with("node_modules/p/ok.js", "");
        assert_eq!(
            req(&loader, "p", "/m.js"),
            coded(
                "ERR_INVALID_PACKAGE_TARGET",
                "Invalid \"exports\" main target \"main.js\" defined in the package config \
                 /node_modules/p/package.json; targets must start with \"./\""
            )
        );
        assert_eq!(
            imp(&loader, "p/up", "/m.mjs"),
            coded(
                "ERR_INVALID_PACKAGE_TARGET",
                "Invalid \"exports\" target \"./../x.js\" defined for './up' in the package config \
                 /node_modules/p/package.json imported from /m.mjs"
            )
        );
        assert!(matches!(
            req(&loader, "p/nm", "/m.js"),
            Err(ResolveError::Coded {
                code: "ERR_INVALID_PACKAGE_TARGET",
                ..
            })
        ));
        assert_eq!(
            req(&loader, "p/array", "/m.js"),
            found("/node_modules/p/ok.js")
        );
        assert_eq!(
            req(&loader, "p/array-null", "/m.js"),
            found("/node_modules/p/ok.js")
        );
        assert_eq!(
            req(&loader, "p/array-bad", "/m.js"),
            coded(
                "ERR_INVALID_PACKAGE_TARGET",
                "Invalid \"exports\" target \"b.js\" defined for './array-bad' in the package \
                 config /node_modules/p/package.json; targets must start with \"./\""
            )
        );
        assert_eq!(
            req(&loader, "p/number", "/m.js"),
            coded(
                "ERR_INVALID_PACKAGE_TARGET",
                "Invalid \"exports\" target \"5\" defined for './number' in the package config \
                 /node_modules/p/package.json; targets must start with \"./\""
            )
        );
        assert_eq!(
            imp(&loader, "p/numeric", "/m.mjs"),
            coded(
                "ERR_INVALID_PACKAGE_CONFIG",
                "Invalid package config /node_modules/p/package.json while importing \
                 file:///m.mjs. \"exports\" cannot contain numeric property keys."
            )
        );
    }

    fn imports_loader() -> MemoryLoader {
        MemoryLoader::new()
            .with(
                "app/package.json",
                r##"{"imports": {
                    "#util": "./lib/util.js",
                    "#cond": {"import": "./lib/c.mjs", "require": "./lib/c.cjs"},
                    "#lib/*": "./lib/*",
                    "#lib/private/*": null,
                    "#dep": "dep",
                    "#dep/*": "dep/*",
                    "#fs": "fs",
                    "#up": "../x.js"
                }}"##,
            )
            .with("app/lib/util.js", "")
            .with("app/lib/c.mjs", "")
            .with("app/lib/c.cjs", "")
            .with("app/lib/private/s.js", "")
            .with(
                "app/node_modules/dep/package.json",
                r#"{"main": "main.js"}"#,
            )
            .with("app/node_modules/dep/main.js", "")
            .with("app/node_modules/dep/sub.js", "")
            .with("app/src/main.js", "")
    }

    #[test]
    fn require_honours_package_imports() {
        let loader = imports_loader();
        let from = "/app/src/main.js";
        assert_eq!(req(&loader, "#util", from), found("/app/lib/util.js"));
        assert_eq!(req(&loader, "#cond", from), found("/app/lib/c.cjs"));
        assert_eq!(
            req(&loader, "#lib/util.js", from),
            found("/app/lib/util.js")
        );
        assert_eq!(
            req(&loader, "#dep", from),
            found("/app/node_modules/dep/main.js")
        );
        assert_eq!(
            req(&loader, "#dep/sub.js", from),
            found("/app/node_modules/dep/sub.js")
        );
        assert_eq!(
            req(&loader, "#lib/private/s.js", from),
            coded(
                "ERR_PACKAGE_IMPORT_NOT_DEFINED",
                "Package import specifier \"#lib/private/s.js\" is not defined in package \
                 /app/package.json imported from /app/src/main.js"
            )
        );
        assert_eq!(
            req(&loader, "#up", from),
            coded(
                "ERR_INVALID_PACKAGE_TARGET",
                "Invalid \"imports\" target \"../x.js\" defined for '#up' in the package config \
                 /app/package.json imported from /app/src/main.js"
            )
        );
        assert_eq!(
            req(&loader, "#lib/nope.js", from),
            coded("MODULE_NOT_FOUND", "Cannot find module '/app/lib/nope.js'")
        );
        // Without an `imports` field `#x` is an ordinary (missing) package name.
        let plain = MemoryLoader::new().with("package.json", "{}");
        assert_eq!(req(&plain, "#x", "/m.js"), Err(ResolveError::NotFound));
        // `resolve` only knows the folder: Node's messages name `[eval]`.
        assert_eq!(
            resolve(&loader, &no_native, "#nope", Path::new("/app")),
            coded(
                "ERR_PACKAGE_IMPORT_NOT_DEFINED",
                "Package import specifier \"#nope\" is not defined in package /app/package.json \
                 imported from /app/[eval]"
            )
        );
    }

    #[test]
    fn import_honours_package_imports() {
        let loader = imports_loader();
        let from = "/app/src/main.mjs";
        assert_eq!(imp(&loader, "#cond", from), found("/app/lib/c.mjs"));
        assert_eq!(imp(&loader, "#fs", from), Ok(Resolved::Native("fs".into())));
        assert_eq!(
            imp(&loader, "#dep", from),
            found("/app/node_modules/dep/main.js")
        );
        // No "Did you mean" here: Node's hint comes from a `require` that
        // ignores `imports`.
        assert_eq!(
            imp(&loader, "#dep/sub", from),
            coded(
                "ERR_MODULE_NOT_FOUND",
                "Cannot find module '/app/node_modules/dep/sub' imported from /app/src/main.mjs"
            )
        );
        assert_eq!(
            imp(&loader, "#", from),
            coded(
                "ERR_INVALID_MODULE_SPECIFIER",
                "Invalid module \"#\" is not a valid internal imports specifier name imported \
                 from /app/src/main.mjs"
            )
        );
        assert_eq!(
            imp(&loader, "#x", "/elsewhere/m.mjs"),
            coded(
                "ERR_PACKAGE_IMPORT_NOT_DEFINED",
                "Package import specifier \"#x\" is not defined imported from /elsewhere/m.mjs"
            )
        );
    }

    #[test]
    fn packages_refer_to_themselves_by_name() {
        let loader = MemoryLoader::new()
            .with(
                "app/package.json",
                r#"{"name": "@me/app", "exports": {".": "./main.js", "./sub/*": "./lib/*.js", "./hidden/*": null}}"#,
            )
            .with("app/main.js", "")
            .with("app/lib/a.js", "")
            .with("plain/package.json", r#"{"name": "plain", "main": "main.js"}"#)
            .with("plain/main.js", "");
        assert_eq!(
            req(&loader, "@me/app", "/app/lib/a.js"),
            found("/app/main.js")
        );
        assert_eq!(
            req(&loader, "@me/app/sub/a", "/app/main.js"),
            found("/app/lib/a.js")
        );
        assert_eq!(
            imp(&loader, "@me/app/sub/a", "/app/x.mjs"),
            found("/app/lib/a.js")
        );
        assert_eq!(
            req(&loader, "@me/app/hidden/a", "/app/main.js"),
            Err(ResolveError::NotExported {
                message: "Package subpath './hidden/a' is not defined by \"exports\" in \
                          /app/package.json imported from /app/main.js"
                    .to_string()
            })
        );
        // No `exports`: no self-reference.
        assert_eq!(
            req(&loader, "plain", "/plain/main.js"),
            Err(ResolveError::NotFound)
        );
    }

    #[test]
    fn import_names_files_exactly() {
        let loader = MemoryLoader::new()
            .with("app/main.mjs", "")
            .with("app/lib/a.js", "")
            .with("app/lib/with space.js", "")
            .with("app/dir/index.js", "")
            .with("app/empty/README", "");
        let from = "/app/main.mjs";
        assert_eq!(imp(&loader, "./lib/a.js", from), found("/app/lib/a.js"));
        assert_eq!(imp(&loader, "/app/lib/a.js", from), found("/app/lib/a.js"));
        assert_eq!(
            imp(&loader, "./lib/a.js?v=1#top", from),
            found("/app/lib/a.js")
        );
        assert_eq!(
            imp(&loader, "./lib/%2e%2e/lib/a.js", from),
            found("/app/lib/a.js")
        );
        assert_eq!(
            imp(&loader, "./lib/with%20space.js", from),
            found("/app/lib/with space.js")
        );
        assert_eq!(
            imp(&loader, "./lib/a", from),
            coded(
                "ERR_MODULE_NOT_FOUND",
                "Cannot find module '/app/lib/a' imported from /app/main.mjs\n\
                 Did you mean to import \"./lib/a.js\"?"
            )
        );
        assert_eq!(
            imp(&loader, "./dir", from),
            coded(
                "ERR_UNSUPPORTED_DIR_IMPORT",
                "Directory import '/app/dir' is not supported resolving ES modules imported \
                 from /app/main.mjs\nDid you mean to import \"./dir/index.js\"?"
            )
        );
        assert_eq!(
            imp(&loader, "./empty", from),
            coded(
                "ERR_UNSUPPORTED_DIR_IMPORT",
                "Directory import '/app/empty' is not supported resolving ES modules imported \
                 from /app/main.mjs"
            )
        );
        assert_eq!(
            imp(&loader, "./nope/", from),
            coded(
                "ERR_UNSUPPORTED_DIR_IMPORT",
                "Directory import '/app/nope/' is not supported resolving ES modules imported \
                 from /app/main.mjs"
            )
        );
        assert_eq!(
            imp(&loader, "../app/lib/a", from),
            coded(
                "ERR_MODULE_NOT_FOUND",
                "Cannot find module '/app/lib/a' imported from /app/main.mjs\n\
                 Did you mean to import \"./lib/a.js\"?"
            )
        );
        assert_eq!(
            imp(&loader, "./lib/p%2Fx.js", from),
            coded(
                "ERR_INVALID_MODULE_SPECIFIER",
                "Invalid module \"/app/lib/p%2Fx.js\" must not include encoded \"/\" or \"\\\" \
                 characters imported from /app/main.mjs"
            )
        );
    }

    #[test]
    fn import_understands_file_urls_builtins_and_other_schemes() {
        let loader = MemoryLoader::new().with("a b/x.js", "");
        let from = "/main.mjs";
        assert_eq!(imp(&loader, "file:///a%20b/x.js", from), found("/a b/x.js"));
        assert_eq!(
            imp(&loader, "file://localhost/a%20b/x.js", from),
            found("/a b/x.js")
        );
        assert_eq!(
            imp(&loader, "file:///a%20b/x", from),
            coded(
                "ERR_MODULE_NOT_FOUND",
                "Cannot find module '/a b/x' imported from /main.mjs\n\
                 Did you mean to import \"/a b/x.js\"?"
            )
        );
        assert_eq!(
            imp(&loader, "file://host/x.js", from),
            coded(
                "ERR_INVALID_FILE_URL_HOST",
                "File URL host must be \"localhost\" or empty on linux"
            )
        );
        assert_eq!(
            imp(&loader, "node:fs", from),
            Ok(Resolved::Native("fs".into()))
        );
        assert_eq!(imp(&loader, "fs", from), Ok(Resolved::Native("fs".into())));
        assert_eq!(
            imp(&loader, "node:nope", from),
            Err(ResolveError::UnknownBuiltin)
        );
        assert_eq!(
            imp(&loader, "https://example.com/x.js", from),
            coded(
                "ERR_UNSUPPORTED_ESM_URL_SCHEME",
                "Only URLs with a scheme in: file, data, and node are supported by the default \
                 ESM loader. Received protocol 'https:'"
            )
        );
        assert!(matches!(
            imp(&loader, "data:text/javascript,1", from),
            Err(ResolveError::Coded {
                code: "ERR_UNSUPPORTED_ESM_URL_SCHEME",
                ..
            })
        ));
    }

    #[test]
    fn import_resolves_packages_without_exports_by_legacy_main() {
        let loader = MemoryLoader::new()
            .with(
                "node_modules/legacy/package.json",
                r#"{"main": "lib/main"}"#,
            )
            .with("node_modules/legacy/lib/main.js", "")
            .with("node_modules/legacy/other.js", "")
            .with("node_modules/index-only/index.json", "{}")
            .with("node_modules/bad/package.json", r#"{"main": "nope"}"#)
            .with("node_modules/empty/package.json", "{}")
            .with("node_modules/@s/p/package.json", r#"{"main": "m.js"}"#)
            .with("node_modules/@s/p/m.js", "");
        let from = "/src/main.mjs";
        assert_eq!(
            imp(&loader, "legacy", from),
            found("/node_modules/legacy/lib/main.js")
        );
        assert_eq!(
            imp(&loader, "legacy/other.js", from),
            found("/node_modules/legacy/other.js")
        );
        assert_eq!(
            imp(&loader, "index-only", from),
            found("/node_modules/index-only/index.json")
        );
        assert_eq!(imp(&loader, "@s/p", from), found("/node_modules/@s/p/m.js"));
        assert_eq!(
            imp(&loader, "legacy/other", from),
            coded(
                "ERR_MODULE_NOT_FOUND",
                "Cannot find module '/node_modules/legacy/other' imported from /src/main.mjs\n\
                 Did you mean to import \"legacy/other.js\"?"
            )
        );
        assert_eq!(
            imp(&loader, "bad", from),
            coded(
                "ERR_MODULE_NOT_FOUND",
                "Cannot find package '/node_modules/bad/nope' imported from /src/main.mjs"
            )
        );
        assert_eq!(
            imp(&loader, "empty", from),
            coded(
                "ERR_MODULE_NOT_FOUND",
                "Cannot find package '/node_modules/empty/index.js' imported from /src/main.mjs"
            )
        );
        assert_eq!(
            imp(&loader, "nope/x", from),
            coded(
                "ERR_MODULE_NOT_FOUND",
                "Cannot find package 'nope' imported from /src/main.mjs"
            )
        );
        assert_eq!(
            imp(&loader, "@s", from),
            coded(
                "ERR_INVALID_MODULE_SPECIFIER",
                "Invalid module \"@s\" is not a valid package name imported from /src/main.mjs"
            )
        );
    }

    #[test]
    fn formats_follow_extension_then_package_type() {
        let loader = MemoryLoader::new()
            .with("esm/package.json", r#"{"type": "module"}"#)
            .with("esm/a.js", "")
            .with("esm/node_modules/dep/a.js", "")
            .with("cjs/package.json", r#"{"type": "commonjs"}"#)
            .with("cjs/a.js", "")
            .with("none/a.js", "");
        let format = |path: &str| format_of(&loader, Path::new(path));
        assert_eq!(format("/esm/a.js"), Ok(Format::Module));
        assert_eq!(format("/esm/sub/b.js"), Ok(Format::Module));
        assert_eq!(format("/esm/b.cjs"), Ok(Format::CommonJs));
        assert_eq!(format("/esm/noext"), Ok(Format::Module));
        assert_eq!(format("/esm/data.json"), Ok(Format::Json));
        // A package's scope ends at `node_modules`.
        assert_eq!(format("/esm/node_modules/dep/a.js"), Ok(Format::CommonJs));
        assert_eq!(format("/cjs/a.js"), Ok(Format::CommonJs));
        assert_eq!(format("/cjs/a.mjs"), Ok(Format::Module));
        assert_eq!(format("/none/a.js"), Ok(Format::CommonJs));
    }

    #[test]
    fn url_paths_join_like_whatwg_urls() {
        let base = FileUrl::from_path(Path::new("/a b/c/main.mjs"));
        assert_eq!(base.0, "/a%20b/c/main.mjs");
        let join = |input: &str| base.join(input).map(|u| u.0);
        assert_eq!(join("./x.js"), Ok("/a%20b/c/x.js".to_string()));
        assert_eq!(join("../x.js"), Ok("/a%20b/x.js".to_string()));
        assert_eq!(join(".."), Ok("/a%20b/".to_string()));
        assert_eq!(join("./d/."), Ok("/a%20b/c/d/".to_string()));
        assert_eq!(join("/../../x"), Ok("/x".to_string()));
        assert_eq!(join("./x y.js?q#h"), Ok("/a%20b/c/x%20y.js".to_string()));
        assert_eq!(join(".\\x.js"), Ok("/a%20b/c/x.js".to_string()));
        assert_eq!(
            base.join("./x%20y.js").map(|u| u.path_string()),
            Ok("/a b/c/x y.js".to_string())
        );
        assert_eq!(FileUrl::from_path(Path::new("/50%/é")).0, "/50%25/%C3%A9");
        assert_eq!(posix_relative("/a/b", "/a/c/d.js"), "../c/d.js");
        assert_eq!(posix_relative("/a", "/a/d.js"), "d.js");
    }

    #[test]
    fn commonjs_request_shapes() {
        assert_eq!(exports_pattern("p"), Some(("p", "")));
        assert_eq!(exports_pattern("p/a/b"), Some(("p", "/a/b")));
        assert_eq!(exports_pattern("@s/p/x"), Some(("@s/p", "/x")));
        assert_eq!(exports_pattern("@s"), Some(("@s", "")));
        assert_eq!(exports_pattern("./p"), None);
        assert_eq!(exports_pattern("p%20"), None);
        assert!(is_commonjs_relative(".."));
        assert!(is_commonjs_relative("..x"));
        assert!(!is_commonjs_relative(".x"));
        assert!(has_trailing_slash("a/.."));
        assert!(!has_trailing_slash("a.."));
    }

    /// `tests/fixtures/resolve`: every case of `cases.txt` gives what Node 20
    /// printed in `expected.txt` (see `gen_expected.mjs`).
    #[test]
    fn node_fixture() {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = std::fs::canonicalize(manifest.join("tests/fixtures/resolve")).unwrap();
        let root = dir.to_string_lossy().into_owned();
        let root_url = FileUrl::from_path(&dir).0;
        let cases = std::fs::read_to_string(dir.join("cases.txt")).unwrap();
        let expected = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
        let is_native = |name: &str| node_native(name);
        let mut actual = Vec::new();
        for line in cases
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
        {
            let fields: Vec<&str> = line.split('\t').collect();
            let [mode, raw, parent_rel] = fields[..] else {
                panic!("bad case line {line:?}");
            };
            let specifier = raw.replace("<FIXTURE>", &root);
            let parent = dir.join(parent_rel);
            let outcome = if mode == "require" {
                resolve_require(&FsLoader, &is_native, &specifier, &parent)
            } else {
                resolve_import(&FsLoader, &is_native, &specifier, &parent)
            };
            let result = match outcome {
                Ok(Resolved::File(path)) => {
                    let relative = path
                        .strip_prefix(&dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    if mode == "require" {
                        format!("file {relative}")
                    } else {
                        let format = match format_of(&FsLoader, &path).unwrap() {
                            Format::CommonJs => "commonjs",
                            Format::Module => "module",
                            Format::Json => "json",
                        };
                        format!("file {relative} ({format})")
                    }
                }
                Ok(Resolved::Native(name)) => format!("builtin {name}"),
                Err(error) => {
                    let (code, message) = match error {
                        // What jsbox's require adds, as Node does.
                        ResolveError::NotFound => (
                            "MODULE_NOT_FOUND",
                            format!(
                                "Cannot find module '{specifier}'\nRequire stack:\n- {}",
                                parent.display()
                            ),
                        ),
                        ResolveError::UnknownBuiltin => (
                            "ERR_UNKNOWN_BUILTIN_MODULE",
                            format!("No such built-in module: {specifier}"),
                        ),
                        ResolveError::NotExported { message } => {
                            ("ERR_PACKAGE_PATH_NOT_EXPORTED", message)
                        }
                        ResolveError::InvalidPackage { path, message } => (
                            "ERR_INVALID_PACKAGE_CONFIG",
                            format!("{}: {message}", path.display()),
                        ),
                        ResolveError::Coded { code, message } => (code, message),
                    };
                    format!("error {code} {}", json_string(&message))
                }
            };
            let result = result
                .replace(&root, "<FIXTURE>")
                .replace(&root_url, "<FIXTURE>");
            actual.push(format!("{mode}\t{raw}\t{parent_rel}\t{result}"));
        }
        let expected: Vec<&str> = expected.lines().collect();
        let mismatches: Vec<String> = actual
            .iter()
            .zip(&expected)
            .filter(|(a, e)| a != e)
            .map(|(a, e)| format!("jsbox: {a}\nnode:  {e}"))
            .collect();
        assert!(
            mismatches.is_empty(),
            "{} mismatches:\n{}",
            mismatches.len(),
            mismatches.join("\n\n")
        );
        assert_eq!(actual.len(), expected.len(), "one line per case");
    }
}
