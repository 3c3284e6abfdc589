//! The named exports `import` offers for a CommonJS file, found as Node finds
//! them: by reading the source, never by running it (an ES module's imports
//! must be known before any module runs).
//!
//! Recognised, as Node's lexer recognises them: `exports.name = ...`,
//! `module.exports.name = ...`, `exports['name'] = ...`,
//! `Object.defineProperty(exports, 'name', ...)` (also on `module.exports`),
//! `module.exports = { a, b: c, 'd': e, ...spread }` (shorthand and
//! identifier values; the scan stops at the first other form), and
//! `module.exports = require('specifier')`, a re-export whose names are
//! added by the caller.

/// What the source shows about its exports.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct CjsExports {
    /// Export names, in order of first appearance, without duplicates.
    pub(crate) names: Vec<String>,
    /// Specifiers of `module.exports = require(...)` re-exports.
    pub(crate) reexports: Vec<String>,
}

/// The most export names taken from one file (a module can declare only so
/// many bindings).
pub(crate) const MAX_NAMES: usize = 10_000;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Str(String),
    Punct(char),
}

/// Splits `source` into identifiers, string literals and punctuation,
/// skipping comments, template literals, regular expressions and numbers.
fn tokens(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '\'' || c == '"' {
            let mut text = String::new();
            i += 1;
            while i < chars.len() && chars[i] != c && chars[i] != '\n' {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    i += 1;
                }
                text.push(chars[i]);
                i += 1;
            }
            i += 1;
            out.push(Token::Str(text));
        } else if c == '`' {
            i = skip_template(&chars, i + 1, 0);
            out.push(Token::Str(String::new()));
        } else if c == '/' && regex_allowed(out.last()) {
            i = skip_regex(&chars, i + 1);
            out.push(Token::Str(String::new()));
        } else if c == '_' || c == '$' || c.is_alphabetic() {
            let start = i;
            while i < chars.len()
                && (chars[i] == '_' || chars[i] == '$' || chars[i].is_alphanumeric())
            {
                i += 1;
            }
            out.push(Token::Ident(chars[start..i].iter().collect()));
        } else if c.is_ascii_digit() {
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '.' || chars[i] == '_')
            {
                i += 1;
            }
            out.push(Token::Str(String::new()));
        } else {
            out.push(Token::Punct(c));
            i += 1;
        }
    }
    out
}

/// How deep templates nested in substitutions are followed; past it, the rest
/// of the source is skipped (its names are not found, nothing fails).
const TEMPLATE_DEPTH: usize = 64;

/// Skips a template literal body (after the opening backtick), `${...}`
/// substitutions included; returns the index after the closing backtick.
fn skip_template(chars: &[char], mut i: usize, depth: usize) -> usize {
    if depth > TEMPLATE_DEPTH {
        return chars.len();
    }
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '`' => return i + 1,
            '$' if chars.get(i + 1) == Some(&'{') => {
                let mut braces = 1;
                i += 2;
                while i < chars.len() && braces > 0 {
                    match chars[i] {
                        '{' => braces += 1,
                        '}' => braces -= 1,
                        '`' => {
                            i = skip_template(chars, i + 1, depth + 1);
                            continue;
                        }
                        '\'' | '"' => {
                            let quote = chars[i];
                            i += 1;
                            while i < chars.len() && chars[i] != quote && chars[i] != '\n' {
                                if chars[i] == '\\' {
                                    i += 1;
                                }
                                i += 1;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    i
}

/// Skips a regular expression literal (after the opening slash).
fn skip_regex(chars: &[char], mut i: usize) -> usize {
    let mut in_class = false;
    while i < chars.len() && chars[i] != '\n' {
        match chars[i] {
            '\\' => i += 1,
            '[' => in_class = true,
            ']' => in_class = false,
            '/' if !in_class => {
                i += 1;
                while i < chars.len() && chars[i].is_alphabetic() {
                    i += 1;
                }
                return i;
            }
            _ => {}
        }
        i += 1;
    }
    i
}

/// Whether a `/` after `previous` starts a regular expression (rather than a
/// division): at the start, after punctuation other than `)` and `]`, or after
/// a keyword that precedes expressions.
fn regex_allowed(previous: Option<&Token>) -> bool {
    match previous {
        None => true,
        Some(Token::Punct(c)) => !matches!(c, ')' | ']' | '}'),
        Some(Token::Ident(word)) => matches!(
            word.as_str(),
            "return"
                | "typeof"
                | "instanceof"
                | "in"
                | "of"
                | "new"
                | "delete"
                | "void"
                | "throw"
                | "case"
                | "do"
                | "else"
                | "yield"
                | "await"
        ),
        Some(Token::Str(_)) => false,
    }
}

fn is_ident(token: Option<&Token>, word: &str) -> bool {
    matches!(token, Some(Token::Ident(w)) if w == word)
}

fn is_punct(token: Option<&Token>, c: char) -> bool {
    matches!(token, Some(Token::Punct(p)) if *p == c)
}

/// Reads `source` for the exports Node would find.
pub(crate) fn detect(source: &str) -> CjsExports {
    let tokens = tokens(source);
    let mut found = CjsExports::default();
    let mut seen = std::collections::HashSet::new();
    let mut add = |name: &str, found: &mut CjsExports| {
        if name != "__esModule" && found.names.len() < MAX_NAMES && seen.insert(name.to_string()) {
            found.names.push(name.to_string());
        }
    };
    let at = |i: usize| tokens.get(i);
    let mut i = 0;
    while i < tokens.len() {
        // Where an `exports` object expression starts and ends here, if one does.
        let exports_end = if is_ident(at(i), "module")
            && is_punct(at(i + 1), '.')
            && is_ident(at(i + 2), "exports")
            && !is_punct(i.checked_sub(1).and_then(at), '.')
        {
            Some(i + 3)
        } else if is_ident(at(i), "exports") && !is_punct(i.checked_sub(1).and_then(at), '.') {
            Some(i + 1)
        } else {
            None
        };
        if let Some(end) = exports_end {
            // exports.name =   /   exports['name'] =
            let name = match (at(end), at(end + 1), at(end + 2), at(end + 3)) {
                (Some(Token::Punct('.')), Some(Token::Ident(name)), next, after)
                    if is_assignment(next, after) =>
                {
                    Some(name.clone())
                }
                (Some(Token::Punct('[')), Some(Token::Str(name)), Some(Token::Punct(']')), _)
                    if is_assignment(at(end + 3), at(end + 4)) =>
                {
                    Some(name.clone())
                }
                _ => None,
            };
            if let Some(name) = name {
                add(&name, &mut found);
            } else if end == i + 3 && is_assignment(at(end), at(end + 1)) {
                // module.exports = ...
                let value = end + 1;
                if is_ident(at(value), "require")
                    && is_punct(at(value + 1), '(')
                    && is_punct(at(value + 3), ')')
                {
                    if let Some(Token::Str(specifier)) = at(value + 2) {
                        if !found.reexports.contains(specifier) {
                            found.reexports.push(specifier.clone());
                        }
                    }
                } else if is_punct(at(value), '{') {
                    let keys = object_literal_keys(&tokens[value + 1..]);
                    for key in keys {
                        add(&key, &mut found);
                    }
                }
            }
            i = end;
            continue;
        }
        // Object.defineProperty(exports, 'name'   /   (module.exports, 'name'
        if is_ident(at(i), "Object")
            && is_punct(at(i + 1), '.')
            && is_ident(at(i + 2), "defineProperty")
            && is_punct(at(i + 3), '(')
        {
            let target = i + 4;
            let after_target = if is_ident(at(target), "exports") {
                Some(target + 1)
            } else if is_ident(at(target), "module")
                && is_punct(at(target + 1), '.')
                && is_ident(at(target + 2), "exports")
            {
                Some(target + 3)
            } else {
                None
            };
            if let Some(comma) = after_target {
                if is_punct(at(comma), ',') {
                    if let Some(Token::Str(name)) = at(comma + 1) {
                        let name = name.clone();
                        add(&name, &mut found);
                    }
                }
            }
        }
        i += 1;
    }
    found
}

/// `=` that is not `==` or `=>`.
fn is_assignment(token: Option<&Token>, next: Option<&Token>) -> bool {
    is_punct(token, '=') && !is_punct(next, '=') && !is_punct(next, '>')
}

/// The keys of `{ a, b: c, 'd': e, ...f }` (tokens after the brace), stopping
/// at the first entry of another form.
fn object_literal_keys(tokens: &[Token]) -> Vec<String> {
    let mut keys = Vec::new();
    let mut add = |key: &str| keys.push(key.to_string());
    let mut i = 0;
    loop {
        if is_punct(tokens.get(i), '.')
            && is_punct(tokens.get(i + 1), '.')
            && is_punct(tokens.get(i + 2), '.')
        {
            // A spread: its names are not known without running the code.
            if !matches!(tokens.get(i + 3), Some(Token::Ident(_))) {
                return keys;
            }
            i += 4;
        } else {
            let key = match tokens.get(i) {
                Some(Token::Ident(name)) | Some(Token::Str(name)) if !name.is_empty() => name,
                _ => return keys,
            };
            match tokens.get(i + 1) {
                Some(Token::Punct(',')) | Some(Token::Punct('}'))
                    if matches!(tokens.get(i), Some(Token::Ident(_))) =>
                {
                    add(key);
                    i += 1;
                }
                Some(Token::Punct(':')) if matches!(tokens.get(i + 2), Some(Token::Ident(_))) => {
                    if !matches!(
                        tokens.get(i + 3),
                        Some(Token::Punct(',')) | Some(Token::Punct('}'))
                    ) {
                        return keys;
                    }
                    add(key);
                    i += 3;
                }
                _ => return keys,
            }
        }
        match tokens.get(i) {
            Some(Token::Punct(',')) => i += 1,
            _ => return keys,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(source: &str) -> Vec<String> {
        detect(source).names
    }

    #[test]
    fn finds_the_forms_nodes_lexer_finds() {
        assert_eq!(
            names("exports.a = 1; exports.b = function () {};"),
            ["a", "b"]
        );
        assert_eq!(
            names("module.exports.c = 1; exports['d-e'] = 2;"),
            ["c", "d-e"]
        );
        assert_eq!(
            names("Object.defineProperty(exports, 'f', { get() {} }); Object.defineProperty(module.exports, \"g\", {});"),
            ["f", "g"]
        );
        assert_eq!(
            names("module.exports = { h, i: j, 'k': l, ...m, n }"),
            ["h", "i", "k", "n"]
        );
        // The scan of a literal stops at a value of another form.
        assert_eq!(names("module.exports = { o, p: function () {}, q }"), ["o"]);
        assert_eq!(
            detect("module.exports = require('./other')").reexports,
            ["./other"]
        );
    }

    #[test]
    fn ignores_comparisons_comments_strings_and_other_objects() {
        assert!(names("if (exports.a == 1) {} // exports.b = 1\n/* exports.c = 1 */ 'exports.d = 1'; x.exports.e = 1;").is_empty());
        assert!(names("const re = /exports.f = 1/; const t = `exports.g = ${1}`;").is_empty());
        assert!(names("Object.defineProperty(exports, '__esModule', { value: true })").is_empty());
        assert_eq!(names("exports.a = 1; exports.a = 2;"), ["a"]);
    }
}
