//! Keeps the declarations in `src/generated.rs` (written by codegen/emit_rust.py)
//! exactly in sync with `include/plexauth/plexauth.h`: the same functions with
//! the same parameter and return types, and the same enum values. The header is
//! parsed here on its own (not with the generator's parser), so a generator bug
//! is caught too. Also checks that a wrong declaration is caught, and the
//! loaded library.

use std::collections::BTreeMap;
use std::ffi::CStr;
use std::path::PathBuf;

use plexauth_sys::*;

fn header_path() -> PathBuf {
    match std::env::var_os("PLEXAUTH_HEADER") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../include/plexauth/plexauth.h"),
    }
}

fn generated_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/generated.rs")
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Removes /* */ and // comments.
fn strip_comments(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("/*") {
            rest = r.split_once("*/").map_or("", |(_, after)| after);
            out.push(' ');
        } else if let Some(r) = rest.strip_prefix("//") {
            rest = r.split_once('\n').map_or("", |(_, after)| after);
            out.push('\n');
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Splits `a, b(c, d), e` at top-level commas; drops empty trailing parts.
fn split_top(s: &str) -> Vec<String> {
    let (mut parts, mut depth, mut cur) = (Vec::new(), 0i32, String::new());
    for c in s.chars() {
        match c {
            '(' | '<' => depth += 1,
            ')' | '>' if !cur.ends_with('-') => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts.into_iter().map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|p| !p.is_empty()).collect()
}

/// Maps a C type (without the parameter name) to the Rust spelling used in generated.rs.
fn c_type_to_rust(ty: &str) -> String {
    let ty = ty.trim();
    if ty.contains("(*") {
        // The only inline function-pointer parameter is `void (*destroy)(void *user_data)`.
        assert!(ty.starts_with("void (*") && ty.ends_with("(void *user_data)"), "unexpected fn pointer {ty}");
        return "plexauth_destroy_fn".into();
    }
    let stars = ty.matches('*').count();
    let cleaned = ty.replace('*', " ");
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let is_const = words.first() == Some(&"const");
    let base = words.iter().find(|w| **w != "const").copied().unwrap_or("");
    let base = match base {
        "char" => "c_char",
        "int" => "c_int",
        "unsigned" => "c_uint",
        "int64_t" => "i64",
        "size_t" => "usize",
        "double" => "f64",
        "void" => "c_void",
        other => other,
    };
    let mut out = String::new();
    for level in 0..stars {
        // `const T **` is not used by the header; const applies to the innermost level.
        out.push_str(if is_const && level == stars - 1 { "*const " } else { "*mut " });
    }
    out.push_str(base);
    out
}

/// Drops the parameter name from a C parameter declaration.
fn c_param_type(param: &str) -> String {
    if param.contains("(*") || param == "void" {
        return param.to_string();
    }
    let name_start = param.rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
    param[..name_start].trim().to_string()
}

type Sig = (String, Vec<String>);

fn header_functions(header: &str) -> BTreeMap<String, Sig> {
    let text = strip_comments(header);
    let mut out = BTreeMap::new();
    for decl in text.split("PLEXAUTH_API").skip(1) {
        let decl = decl.split(';').next().unwrap();
        if decl.contains('#') || !decl.contains('(') {
            continue; // the export-macro definitions and the preprocessor lines after them
        }
        let open = decl.find('(').unwrap();
        let head = decl[..open].trim();
        let name_start = head.rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
        let name = head[name_start..].to_string();
        let ret = head[..name_start].trim();
        let ret = if ret == "void" { String::new() } else { c_type_to_rust(ret) };
        let inner = &decl[open + 1..decl.rfind(')').unwrap()];
        let params = split_top(inner)
            .iter()
            .filter(|p| p.as_str() != "void")
            .map(|p| c_type_to_rust(&c_param_type(p)))
            .collect();
        out.insert(name, (ret, params));
    }
    out
}

fn rust_functions(src: &str) -> BTreeMap<String, Sig> {
    let text = strip_comments(src);
    let block = text.split("extern \"C\" {").nth(1).expect("extern block");
    let mut out = BTreeMap::new();
    for decl in block.split("pub fn ").skip(1) {
        let decl = decl.split(';').next().unwrap();
        let open = decl.find('(').unwrap();
        let name = decl[..open].trim().to_string();
        let close = decl.rfind(')').unwrap();
        let params = split_top(&decl[open + 1..close])
            .iter()
            .map(|p| p.split_once(':').expect("name: type").1.trim().to_string())
            .collect();
        let ret = decl[close + 1..].trim().trim_start_matches("->").trim().to_string();
        out.insert(name, (ret, params));
    }
    out
}

fn enum_values(text: &str, prefix: &str) -> BTreeMap<String, i64> {
    let text = strip_comments(text);
    let mut out = BTreeMap::new();
    for (i, _) in text.match_indices(prefix) {
        let rest = &text[i..];
        let name_end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        let name = &rest[..name_end];
        // C: `NAME = 3,`   Rust: `NAME: plexauth_status = 3;`
        let after = rest[name_end..].trim_start();
        let after = match after.strip_prefix(':') {
            Some(a) => a.split_once('=').map_or("", |(_, v)| v),
            None => after.strip_prefix('=').unwrap_or(""),
        };
        let digits: String = after.trim_start().chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            out.insert(name.to_string(), digits.parse().unwrap());
        }
    }
    out
}

/// Every difference between the header's functions and the Rust declarations.
fn differences(header: &BTreeMap<String, Sig>, rust: &BTreeMap<String, Sig>) -> Vec<String> {
    let mut out = Vec::new();
    for (name, sig) in header {
        match rust.get(name) {
            None => out.push(format!("{name}: declared in the header, missing in Rust")),
            Some(r) if r != sig => out.push(format!("{name}: Rust {r:?}, header {sig:?}")),
            Some(_) => {}
        }
    }
    out.extend(rust.keys().filter(|k| !header.contains_key(*k)).map(|k| format!("{k}: not in the header")));
    out
}

#[test]
fn every_function_matches_the_header() {
    let header = header_functions(&read(header_path()));
    let rust = rust_functions(&read(generated_path()));
    assert!(header.len() > 190, "parsed only {} functions from the header", header.len());
    let diff = differences(&header, &rust);
    assert!(diff.is_empty(), "the Rust declarations differ from the header:\n{}", diff.join("\n"));
}

#[test]
fn a_wrong_declaration_fails_the_comparison() {
    let header = header_functions(&read(header_path()));
    let text = read(generated_path());

    // One parameter type changed in the declarations' text: `const char *` written as `char *`.
    let right = "pub fn plexauth_error_message(err: *const plexauth_error) -> *const c_char;";
    assert!(text.contains(right), "the declaration to mutate is not in generated.rs");
    let wrong = text.replace(right, "pub fn plexauth_error_message(err: *mut plexauth_error) -> *const c_char;");
    let diff = differences(&header, &rust_functions(&wrong));
    assert_eq!(diff.len(), 1, "{diff:?}");
    assert!(diff[0].starts_with("plexauth_error_message: "), "{diff:?}");

    // A wrong return type, a missing function, an extra parameter and a function the header lacks.
    let mut rust = rust_functions(&text);
    rust.get_mut("plexauth_status_name").unwrap().0 = "*mut c_char".into();
    rust.remove("plexauth_client_ping");
    rust.get_mut("plexauth_pong_pong").unwrap().1.push("c_int".into());
    rust.insert("plexauth_not_in_the_header".into(), (String::new(), Vec::new()));
    let diff = differences(&header, &rust);
    let names: Vec<&str> = diff.iter().map(|d| d.split(':').next().unwrap()).collect();
    assert_eq!(
        names,
        ["plexauth_client_ping", "plexauth_pong_pong", "plexauth_status_name", "plexauth_not_in_the_header"],
        "{diff:#?}"
    );
}

#[test]
fn enum_values_match_the_header() {
    let header = read(header_path());
    let lib = read(generated_path());
    for prefix in ["PLEXAUTH_E_", "PLEXAUTH_OK", "PLEXAUTH_LOG_"] {
        let h = enum_values(&header, prefix);
        assert!(!h.is_empty(), "no {prefix} values found in the header");
        assert_eq!(enum_values(&lib, prefix), h, "{prefix}* values (left: generated.rs, right: header)");
    }
    assert!(enum_values(&header, "PLEXAUTH_E_").len() >= 16);
}

#[test]
fn version_constants_match_the_header() {
    let header = read(header_path());
    let define = |name: &str| -> String {
        let line = header.lines().find(|l| l.starts_with(&format!("#define {name} "))).unwrap();
        line.split_whitespace().nth(2).unwrap().trim_matches('"').to_string()
    };
    assert_eq!(define("PLEXAUTH_VERSION_MAJOR"), PLEXAUTH_VERSION_MAJOR.to_string());
    assert_eq!(define("PLEXAUTH_VERSION_MINOR"), PLEXAUTH_VERSION_MINOR.to_string());
    assert_eq!(define("PLEXAUTH_VERSION_PATCH"), PLEXAUTH_VERSION_PATCH.to_string());
    assert_eq!(define("PLEXAUTH_VERSION_STRING"), PLEXAUTH_VERSION_STRING);
    assert_eq!(define("PLEXAUTH_CLIENT_ID_MAX"), PLEXAUTH_CLIENT_ID_MAX.to_string());
    assert_eq!(define("PLEXAUTH_LOOP_THREAD"), PLEXAUTH_LOOP_THREAD.to_string());
    assert_eq!(define("PLEXAUTH_LOOP_EXTERNAL"), PLEXAUTH_LOOP_EXTERNAL.to_string());
    assert_eq!(define("PLEXAUTH_LOCATION_LOCAL"), PLEXAUTH_LOCATION_LOCAL.to_string());
    assert_eq!(define("PLEXAUTH_LOCATION_REMOTE"), PLEXAUTH_LOCATION_REMOTE.to_string());
    assert_eq!(define("PLEXAUTH_LOCATION_RELAY"), PLEXAUTH_LOCATION_RELAY.to_string());
}

#[test]
fn loaded_library_agrees_on_status_names_and_version() {
    let expected = [
        (PLEXAUTH_OK, "ok"),
        (PLEXAUTH_E_INVALID_ARGUMENT, "invalid_argument"),
        (PLEXAUTH_E_BAD_REQUEST, "bad_request"),
        (PLEXAUTH_E_UNAUTHORIZED, "unauthorized"),
        (PLEXAUTH_E_TWO_FACTOR_REQUIRED, "two_factor_required"),
        (PLEXAUTH_E_RATE_LIMITED, "rate_limited"),
        (PLEXAUTH_E_HTTP, "http_error"),
        (PLEXAUTH_E_TRANSPORT, "transport"),
        (PLEXAUTH_E_TIMEOUT, "timeout"),
        (PLEXAUTH_E_CANCELLED, "cancelled"),
        (PLEXAUTH_E_MALFORMED_RESPONSE, "malformed_response"),
        (PLEXAUTH_E_OUT_OF_MEMORY, "out_of_memory"),
        (PLEXAUTH_E_TLS, "tls"),
        (PLEXAUTH_E_RESPONSE_TOO_LARGE, "response_too_large"),
        (PLEXAUTH_E_SIGN_IN_THROTTLED, "sign_in_throttled"),
        (PLEXAUTH_E_CALLBACK, "callback_error"),
        (PLEXAUTH_E_INTERNAL, "internal"),
        (999, "unknown"),
    ];
    for (status, name) in expected {
        let got = unsafe { CStr::from_ptr(plexauth_status_name(status)) };
        assert_eq!(got.to_str().unwrap(), name, "plexauth_status_name({status})");
    }
    let (mut major, mut minor, mut patch) = (-1, -1, -1);
    let v = unsafe { CStr::from_ptr(plexauth_version(&mut major, &mut minor, &mut patch)) };
    assert_eq!(v.to_str().unwrap(), format!("{major}.{minor}.{patch}"));
    assert_eq!(major, PLEXAUTH_VERSION_MAJOR, "ABI major of the loaded library");
}

#[test]
fn null_handles_are_accepted_where_the_header_says_so() {
    unsafe {
        assert_eq!(plexauth_error_status(std::ptr::null()), PLEXAUTH_E_INVALID_ARGUMENT);
        assert_eq!(CStr::from_ptr(plexauth_error_message(std::ptr::null())).to_bytes(), b"");
        plexauth_error_free(std::ptr::null_mut());
        plexauth_client_free(std::ptr::null_mut());
        plexauth_config_free(std::ptr::null_mut());
        let mut out = 0i64;
        assert_eq!(plexauth_account_id(std::ptr::null(), &mut out), 0);
        assert_eq!(plexauth_config_set_client_id(std::ptr::null_mut(), c"x".as_ptr()), PLEXAUTH_E_INVALID_ARGUMENT);
    }
}
