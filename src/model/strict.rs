//! Reading JSON input as the records' types, strictly. serde's derived structs
//! also take a JSON array, by position (`{"title": ["a", "b"]}` would be read
//! as `{"title": {"zh": "a", "en": "b"}}`): input through this deserializer
//! must give an object wherever a record has one, so a value of the wrong JSON
//! type is refused, with its field named (by `serde_path_to_error` around it).

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Unexpected, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::{Map, Value};

/// Deserialises `T` from `v`, naming the field at fault in the error's path.
pub fn from_value<T: de::DeserializeOwned>(v: &Value) -> Result<T, serde_path_to_error::Error<serde_json::Error>> {
    serde_path_to_error::deserialize(Strict(v))
}

/// A JSON value read strictly.
#[derive(Clone, Copy)]
pub struct Strict<'a>(pub &'a Value);

fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (_, Some(i), _) => Unexpected::Signed(i),
            (_, _, Some(f)) => Unexpected::Float(f),
            _ => Unexpected::Other("number"),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

impl<'de> Deserializer<'de> for Strict<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => visitor.visit_u64(u),
                (_, Some(i)) => visitor.visit_i64(i),
                _ => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visitor.visit_seq(Seq(items.iter())),
            Value::Object(map) => visitor.visit_map(Fields::new(map)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Fields::new(map)),
            other => Err(de::Error::invalid_type(unexpected(other), &visitor)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            // Unit variants, as the records use them (`"published"`).
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            other => other.deserialize_enum(name, variants, visitor),
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

struct Seq<'a>(std::slice::Iter<'a, Value>);

impl<'de> SeqAccess<'de> for Seq<'de> {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Self::Error> {
        self.0.next().map(|v| seed.deserialize(Strict(v))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Fields<'a> {
    iter: serde_json::map::Iter<'a>,
    value: Option<&'a Value>,
}

impl<'a> Fields<'a> {
    fn new(map: &'a Map<String, Value>) -> Self {
        Fields { iter: map.iter(), value: None }
    }
}

impl<'de> MapAccess<'de> for Fields<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Self::Error> {
        match self.iter.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(de::value::BorrowedStrDeserializer::new(k)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Self::Error> {
        let v = self.value.take().ok_or_else(|| de::Error::custom("a value without its key"))?;
        seed.deserialize(Strict(v))
    }
}

/// Reads a merged document back as an input form, naming the field of any mismatch.
pub fn from_value_with_path<T: serde::de::DeserializeOwned>(
    v: serde_json::Value,
) -> Result<T, crate::model::validation::ValidationErrors> {
    from_value(&v).map_err(|e| {
        let field = e.path().to_string();
        crate::model::validation::ValidationErrors::single(
            if field == "." { "body".into() } else { field },
            e.into_inner().to_string(),
        )
    })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::from_value;
    use crate::model::artefact::ArtefactInput;
    use crate::model::common::LocalText;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Shape {
        name: LocalText,
        #[serde(default)]
        tags: Vec<String>,
        count: Option<u32>,
    }

    #[test]
    fn objects_where_a_record_has_one_and_nothing_else() {
        let ok: Shape = from_value(&json!({"name": {"zh": "书"}, "tags": ["a"], "count": 2})).unwrap();
        assert_eq!(ok.name.zh.as_deref(), Some("书"));
        assert_eq!(ok.count, Some(2));
        let e = from_value::<Shape>(&json!({"name": ["a", "b"]})).unwrap_err();
        assert_eq!(e.path().to_string(), "name");
        assert!(e.to_string().contains("invalid type: sequence"), "{e}");
        assert!(from_value::<Shape>(&json!({"name": {"zh": 5}})).is_err());
        assert!(from_value::<Shape>(&json!({"name": {}, "count": "2"})).is_err());
        assert!(from_value::<Shape>(&json!({"name": {}, "count": -1})).is_err());
    }

    #[test]
    fn a_record_reads_as_serde_json_reads_it_when_the_types_are_right() {
        let v = json!({"accession_number": "2023.15.1", "title": {"zh": "村饮图"}, "status": "published",
            "dimensions": "纵23.7厘米", "date": "约1923年", "quantity": {"count": 1, "unit": "件"}});
        let strict: ArtefactInput = from_value(&v).unwrap();
        let loose: ArtefactInput = serde_json::from_value(v).unwrap();
        assert_eq!(serde_json::to_value(strict).unwrap(), serde_json::to_value(loose).unwrap());
        let e = from_value::<ArtefactInput>(&json!({"title": ["a", "b"]})).unwrap_err();
        assert_eq!(e.path().to_string(), "title");
    }
}
