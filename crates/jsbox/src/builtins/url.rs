//! The native half of `URL` and `URLSearchParams` (`js/prelude/url.js`):
//! WHATWG URL parsing and `application/x-www-form-urlencoded`, by the `url`
//! and `form_urlencoded` crates.
//!
//! Every function is stateless (no closure captures anything); like every
//! binding, it is made the first time a runtime needs it (heap images do not
//! hold it). The `url` crate works in host memory: every string from
//! JavaScript is refused past [`MAX_INPUT`] UTF-16 units before it is
//! converted (the JavaScript side checks first and throws Node's errors; the
//! checks here only keep the host safe), and every result is bounded by a small multiple of its input (percent-encoding at most
//! triples a byte).

use rquickjs::{Ctx, Function, Object, Value};
use url::Url;

type JsResult<T> = rquickjs::Result<T>;

/// The longest string (in UTF-16 units) any function here accepts: 32 MiB.
pub(crate) const MAX_INPUT: usize = 32 << 20;

/// Components in the order [`components`] lists them.
const SETTERS: i32 = 10;

/// A JS string argument as a Rust string, or `None` when it is not a string
/// or is longer than [`MAX_INPUT`].
fn bounded(value: &Value<'_>) -> Option<String> {
    let string = value.as_string()?;
    // SAFETY: the value is a live string of its context.
    let len = unsafe { string_len(value) };
    if len > MAX_INPUT {
        return None;
    }
    string.to_string().ok()
}

/// The length in UTF-16 units of a JS string, read without converting it.
///
/// # Safety
/// `value` must be a live string.
unsafe fn string_len(value: &Value<'_>) -> usize {
    let ctx = value.ctx().as_raw().as_ptr();
    let mut len: i64 = 0;
    let atom = rquickjs::qjs::JS_NewAtom(ctx, c"length".as_ptr());
    let got = rquickjs::qjs::JS_GetProperty(ctx, value.as_raw(), atom);
    rquickjs::qjs::JS_FreeAtom(ctx, atom);
    if rquickjs::qjs::JS_ToInt64(ctx, &mut len, got) < 0 {
        rquickjs::qjs::JS_FreeValue(ctx, got);
        return usize::MAX;
    }
    rquickjs::qjs::JS_FreeValue(ctx, got);
    usize::try_from(len).unwrap_or(usize::MAX)
}

/// The URL standard's origin. A `blob:` URL has its inner URL's origin only
/// when that is `http:` or `https:` (the `url` crate also takes other
/// schemes' origins); Node follows the standard.
fn origin(url: &Url) -> String {
    if url.scheme() == "blob" {
        let inner = Url::parse(url.path()).ok();
        if !inner.is_some_and(|inner| matches!(inner.scheme(), "http" | "https")) {
            return "null".to_owned();
        }
    }
    url::quirks::origin(url)
}

/// `href, origin, protocol, username, password, host, hostname, port,
/// pathname, search, hash`, and whether the URL has an authority (`//`).
fn components(url: &Url) -> Vec<String> {
    use url::quirks as q;
    vec![
        q::href(url).to_owned(),
        origin(url),
        q::protocol(url).to_owned(),
        q::username(url).to_owned(),
        q::password(url).to_owned(),
        q::host(url).to_owned(),
        q::hostname(url).to_owned(),
        q::port(url).to_owned(),
        q::pathname(url).to_owned(),
        q::search(url).to_owned(),
        q::hash(url).to_owned(),
        if url.has_authority() { "1" } else { "" }.to_owned(),
    ]
}

fn parse(input: &str, base: Option<&str>) -> Option<Url> {
    let mut url = match base {
        Some(base) => Url::parse(base).ok()?.join(input).ok()?,
        None => Url::parse(input).ok()?,
    };
    normalize_drive(&mut url);
    Some(url)
}

/// The WHATWG parser turns a `file:` URL's leading Windows drive letter
/// `C|` into `C:`, as Node (ada) does; the `url` crate keeps the `|`.
fn normalize_drive(url: &mut Url) {
    if url.scheme() != "file" {
        return;
    }
    let path = url.path();
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 3
        && bytes[0] == b'/'
        && bytes[1].is_ascii_alphabetic()
        && bytes[2] == b'|'
        && (bytes.len() == 3 || bytes[3] == b'/');
    if drive {
        use url::Position;
        let fixed = format!(
            "{}/{}:{}{}",
            &url[..Position::BeforePath],
            char::from(bytes[1]),
            &path[3..],
            &url[Position::AfterPath..]
        );
        if let Ok(parsed) = Url::parse(&fixed) {
            *url = parsed;
        }
    }
}

/// Applies setter `which` (1..=10, in [`components`] order from protocol;
/// 0 is `href`) to the URL `href`. `None` when `href` does not parse or an
/// `href` setter gets an invalid URL; other setters ignore invalid values.
fn set(href: &str, which: i32, value: &str) -> Option<Url> {
    use url::quirks as q;
    let mut url = Url::parse(href).ok()?;
    match which {
        0 => return parse(value, None),
        2 if q::set_protocol(&mut url, value).is_err() => {
            return Some(to_file(&url, value).unwrap_or(url));
        }
        3 => {
            let _ = q::set_username(&mut url, value);
        }
        4 => {
            let _ = q::set_password(&mut url, value);
        }
        5 => {
            let _ = q::set_host(&mut url, value);
        }
        6 => {
            let _ = q::set_hostname(&mut url, value);
        }
        7 => {
            let _ = q::set_port(&mut url, value);
        }
        8 => q::set_pathname(&mut url, value),
        9 => q::set_search(&mut url, value),
        SETTERS => q::set_hash(&mut url, value),
        _ => {}
    }
    normalize_drive(&mut url);
    Some(url)
}

/// The `protocol` setter's change from a special scheme to `file`, which
/// the `url` crate refuses when the URL has a host (WHATWG allows it when
/// the URL has no credentials and no port).
fn to_file(url: &Url, value: &str) -> Option<Url> {
    let scheme = value.split(':').next()?;
    if !scheme.eq_ignore_ascii_case("file")
        || !url.is_special()
        || url.scheme() == "file"
        || !url.username().is_empty()
        || url.password().is_some()
        || url.port().is_some()
    {
        return None;
    }
    let rest = &url.as_str()[url.scheme().len()..];
    Url::parse(&format!("file{rest}")).ok()
}

/// A host as the `hostname` setter of a special URL makes it (IPv4 forms
/// normalized, IDNA applied), or `None` when that setter refuses it.
fn host_of(domain: &str) -> Option<Url> {
    let mut url = Url::parse("ws://x/").ok()?;
    url::quirks::set_hostname(&mut url, domain).ok()?;
    Some(url)
}

/// Builds the binding: `parse(input, base?)`, `canParse(input, base?)`,
/// `set(href, which, value)`, `formParse(query)`, `formSerialize(pairs)`,
/// `domainToASCII(domain)`, `domainToUnicode(domain)`.
pub(crate) fn binding<'js>(ctx: &Ctx<'js>) -> JsResult<Object<'js>> {
    let b = Object::new(ctx.clone())?;
    b.set(
        "parse",
        Function::new(
            ctx.clone(),
            |input: Value<'js>, base: Value<'js>| -> Option<Vec<String>> {
                let input = bounded(&input)?;
                let base = if base.is_undefined() {
                    None
                } else {
                    Some(bounded(&base)?)
                };
                parse(&input, base.as_deref()).map(|url| components(&url))
            },
        )?,
    )?;
    b.set(
        "canParse",
        Function::new(ctx.clone(), |input: Value<'js>, base: Value<'js>| -> bool {
            let Some(input) = bounded(&input) else {
                return false;
            };
            let base = if base.is_undefined() {
                None
            } else {
                match bounded(&base) {
                    Some(base) => Some(base),
                    None => return false,
                }
            };
            parse(&input, base.as_deref()).is_some()
        })?,
    )?;
    b.set(
        "set",
        Function::new(
            ctx.clone(),
            |href: Value<'js>, which: i32, value: Value<'js>| -> Option<Vec<String>> {
                let href = bounded(&href)?;
                let value = bounded(&value)?;
                set(&href, which, &value).map(|url| components(&url))
            },
        )?,
    )?;
    b.set(
        "formParse",
        Function::new(ctx.clone(), |query: Value<'js>| -> Option<Vec<String>> {
            let query = bounded(&query)?;
            let mut out = Vec::new();
            for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
                out.push(key.into_owned());
                out.push(value.into_owned());
            }
            Some(out)
        })?,
    )?;
    b.set(
        "formSerialize",
        Function::new(ctx.clone(), |pairs: Vec<Value<'js>>| -> Option<String> {
            let mut total = 0usize;
            let mut strings = Vec::with_capacity(pairs.len());
            for pair in &pairs {
                let string = bounded(pair)?;
                total = total.saturating_add(string.len());
                if total > MAX_INPUT {
                    return None;
                }
                strings.push(string);
            }
            let mut out = url::form_urlencoded::Serializer::new(String::new());
            for pair in strings.chunks(2) {
                if let [key, value] = pair {
                    out.append_pair(key, value);
                }
            }
            Some(out.finish())
        })?,
    )?;
    b.set(
        "toASCII",
        Function::new(ctx.clone(), |domain: Value<'js>| -> Option<String> {
            Some(url::quirks::domain_to_ascii(&bounded(&domain)?))
        })?,
    )?;
    b.set(
        "domainToASCII",
        Function::new(ctx.clone(), |domain: Value<'js>| -> Option<String> {
            let domain = bounded(&domain)?;
            Some(
                host_of(&domain)
                    .map_or_else(String::new, |url| url::quirks::hostname(&url).to_owned()),
            )
        })?,
    )?;
    b.set(
        "domainToUnicode",
        Function::new(ctx.clone(), |domain: Value<'js>| -> Option<String> {
            let domain = bounded(&domain)?;
            let Some(url) = host_of(&domain) else {
                return Some(String::new());
            };
            Some(match url.host() {
                Some(url::Host::Domain(name)) => url::quirks::domain_to_unicode(name),
                _ => url::quirks::hostname(&url).to_owned(),
            })
        })?,
    )?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setters_keep_urls_valid() {
        let url = set("http://a.b/c?d#e", 7, "99999").expect("valid href");
        assert_eq!(url.as_str(), "http://a.b/c?d#e");
        let url = set("http://a.b/c", 2, "file").expect("valid href");
        assert_eq!(url.as_str(), "file://a.b/c");
        let url = set("http://u@a.b/c", 2, "file").expect("valid href");
        assert_eq!(url.as_str(), "http://u@a.b/c");
        let url = set("http://a.b:81/c", 2, "file:").expect("valid href");
        assert_eq!(url.as_str(), "http://a.b:81/c");
        assert!(set("http://a.b/", 0, "nope").is_none());
        assert!(parse("/x", Some("not a base")).is_none());
        let url = parse("file:///C|/x", None).expect("valid");
        assert_eq!(url.as_str(), "file:///C:/x");
        let url = parse("file:///C|x", None).expect("valid");
        assert_eq!(url.as_str(), "file:///C|x");
    }
}
