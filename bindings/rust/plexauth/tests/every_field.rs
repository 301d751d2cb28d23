//! The every-field fixture (tests/fixtures/every_field.json, written by codegen
//! from api.py): for each result model, a body with a distinct value in every
//! field. Each body is served through the fake and every row's value is read
//! back through the public model, so a field added to api.py is tested here
//! without a new line. `generated/mod.rs` turns a model into a Value keyed by
//! wire name; this file only walks it.

mod common;
#[rustfmt::skip] // written by codegen/emit_rust.py
mod generated;

use std::collections::BTreeSet;

use common::*;
use serde_json::{json, Value};

fn fixture() -> serde_json::Map<String, Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests/fixtures/every_field.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    match serde_json::from_str(&text).expect("the fixture is JSON") {
        Value::Object(map) => map,
        other => panic!("the fixture is not an object: {other}"),
    }
}

/// The value at a dotted path with indexes, e.g. `pastSubscriptions[0].billing.paymentMethodId`.
fn walk<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |v, part| match part.split_once('[') {
        Some((name, index)) => v.get(name)?.get(index.trim_end_matches(']').parse::<usize>().ok()?),
        None => v.get(part),
    })
}

/// The paths of every leaf (scalar, array of scalars, empty array) below `v`.
fn leaves(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    let join = |name: &str| if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") };
    match v {
        Value::Object(map) => map.iter().for_each(|(k, v)| leaves(v, &join(k), out)),
        Value::Array(items) if items.iter().any(Value::is_object) => {
            for (i, item) in items.iter().enumerate() {
                leaves(item, &format!("{prefix}[{i}]"), out);
            }
        }
        _ => {
            out.insert(prefix.to_string());
        }
    }
}

/// `got` is what the row says: for a list (or a count, in the JSON) its length, else the value.
fn matches(kind: &str, got: &Value, want: &Value) -> bool {
    match (kind, got) {
        ("list_len" | "count", Value::Array(items)) => Some(items.len() as u64) == want.as_u64(),
        _ => got == want,
    }
}

#[test]
fn every_field_of_every_result_model_reaches_the_rust_model() {
    let fixture = fixture();
    assert!(fixture.len() >= 4, "the fixture has {} models", fixture.len());
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    for (model, case) in &fixture {
        let (path, operation) = (case["path"].as_str().unwrap(), case["operation"].as_str().unwrap());
        fake.faults(path, json!([{"status": case["status"], "body": case["body"].to_string()}]));
        let (value, json_text, debug) =
            generated::call(&client, operation).unwrap_or_else(|e| panic!("{model}: {operation} failed: {e}"));
        let json: Value = serde_json::from_str(&json_text).unwrap_or_else(|e| panic!("{model}: json(): {e}"));

        let rows = case["fields"].as_array().unwrap();
        let mut covered = BTreeSet::new();
        for row in rows {
            let (path, kind, want) = (row["path"].as_str().unwrap(), row["kind"].as_str().unwrap(), &row["value"]);
            let got = walk(&value, path).unwrap_or_else(|| panic!("{model}: no field at {path} in {value:#}"));
            assert!(matches(kind, got, want), "{model}.{path}: the model has {got}, the fixture {want}");
            let in_json = walk(&json, path).unwrap_or_else(|| panic!("{model}: json() lacks {path}: {json_text}"));
            assert!(matches(kind, in_json, want), "{model}.{path}: json() has {in_json}, the fixture {want}");
            covered.insert(path.to_string());

            // Debug shows every string field but the secrets.
            let secret = generated::SECRETS.contains(&(row["model"].as_str().unwrap(), row["wire"].as_str().unwrap()));
            if let Some(text) = want.as_str() {
                assert_eq!(debug.contains(text), !secret, "{model}.{path} (secret: {secret}) in Debug: {debug}");
            }
        }
        let mut all = BTreeSet::new();
        leaves(&value, "", &mut all);
        // A row covers its path and, for a json field, what is inside it.
        let is_covered = |leaf: &String| covered.iter().any(|c| leaf == c || leaf.starts_with(&format!("{c}.")));
        let untested: Vec<_> = all.iter().filter(|leaf| !is_covered(leaf)).collect();
        assert!(untested.is_empty(), "{model}: fields the fixture gives no value: {untested:?}");
    }
}

#[test]
fn the_fixture_walk_finds_a_wrong_value() {
    // The checks above can fail: a value the model does not hold is reported.
    let v = json!({"a": {"b": [{"c": 1}, {"c": 2}]}, "s": ["x"]});
    assert_eq!(walk(&v, "a.b[1].c"), Some(&json!(2)));
    assert!(!matches("int", walk(&v, "a.b[0].c").unwrap(), &json!(2)));
    assert!(matches("list_len", walk(&v, "a.b").unwrap(), &json!(2)));
    assert_eq!(walk(&v, "a.missing"), None);
    let mut all = BTreeSet::new();
    leaves(&v, "", &mut all);
    assert_eq!(all.into_iter().collect::<Vec<_>>(), ["a.b[0].c", "a.b[1].c", "s"]);
}
