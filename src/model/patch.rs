//! PATCH semantics: each top-level field named replaces the stored one (`null`
//! clears it), except the small objects listed, whose fields merge one level down.

use serde_json::{Map, Value};

/// Applies `patch` to `current`. `merged` names the object fields merged key by key.
pub fn apply(current: &mut Map<String, Value>, patch: &Map<String, Value>, merged: &[&str]) {
    for (key, value) in patch {
        match (value, current.get_mut(key)) {
            (Value::Null, _) => {
                current.remove(key);
            }
            (Value::Object(inner), Some(Value::Object(existing))) if merged.contains(&key.as_str()) => {
                for (k, v) in inner {
                    if v.is_null() {
                        existing.remove(k);
                    } else {
                        existing.insert(k.clone(), v.clone());
                    }
                }
            }
            _ => {
                current.insert(key.clone(), value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn replaces_fields_and_merges_named_objects() {
        let mut cur = json!({"title": {"zh": "甲", "en": "A"}, "materials": ["paper"], "rights": "x", "private": {"storage_location": "Room 1", "internal_notes": "n"}});
        let patch =
            json!({"title": {"en": "B"}, "materials": ["silk"], "rights": null, "private": {"internal_notes": null}});
        super::apply(cur.as_object_mut().unwrap(), patch.as_object().unwrap(), &["title", "private"]);
        assert_eq!(
            cur,
            json!({"title": {"zh": "甲", "en": "B"}, "materials": ["silk"], "private": {"storage_location": "Room 1"}})
        );
    }
}
