//! The keys a model value sets, read from its derived `Serialize` without writing the values
//! out: serialising an entity to find its keys wrote every one of its fields too, only to drop
//! them, and every format asks for every element's keys.

use serde::Serialize;
use serde::ser::{self, Impossible, SerializeStruct, Serializer};

/// The keys `value` sets, as serde writes them (defaults left out), sorted; `status: active`,
/// the default every format assumes, is left out too. Empty for a value that is not a struct.
pub fn set_keys(value: &impl Serialize) -> Vec<&'static str> {
    let mut keys = Keys(Vec::new());
    if value.serialize(&mut keys).is_err() {
        return Vec::new();
    }
    keys.0.sort_unstable();
    keys.0
}

/// The keys met so far.
struct Keys(Vec<&'static str>);

/// What a value that is not a struct gives.
#[derive(Debug)]
struct NotAStruct;

impl std::fmt::Display for NotAStruct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a struct")
    }
}

impl std::error::Error for NotAStruct {}

impl ser::Error for NotAStruct {
    fn custom<T: std::fmt::Display>(_: T) -> NotAStruct {
        NotAStruct
    }
}

/// Every serializer method but `serialize_struct`, each refusing.
macro_rules! refuse {
    ($($method:ident($($ty:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $ty),*) -> Result<(), NotAStruct> {
            Err(NotAStruct)
        })*
    };
}

impl Serializer for &mut Keys {
    type Ok = ();
    type Error = NotAStruct;
    type SerializeSeq = Impossible<(), NotAStruct>;
    type SerializeTuple = Impossible<(), NotAStruct>;
    type SerializeTupleStruct = Impossible<(), NotAStruct>;
    type SerializeTupleVariant = Impossible<(), NotAStruct>;
    type SerializeMap = Impossible<(), NotAStruct>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), NotAStruct>;

    refuse! {
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32),
        serialize_i64(i64), serialize_u8(u8), serialize_u16(u16), serialize_u32(u32),
        serialize_u64(u64), serialize_f32(f32), serialize_f64(f64), serialize_char(char),
        serialize_str(&str), serialize_bytes(&[u8]), serialize_none(), serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), NotAStruct> {
        Err(NotAStruct)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), NotAStruct> {
        Err(NotAStruct)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), NotAStruct> {
        Err(NotAStruct)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotAStruct> {
        Err(NotAStruct)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotAStruct> {
        Err(NotAStruct)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotAStruct> {
        Err(NotAStruct)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotAStruct> {
        Err(NotAStruct)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotAStruct> {
        Err(NotAStruct)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, NotAStruct> {
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotAStruct> {
        Err(NotAStruct)
    }
}

impl SerializeStruct for &mut Keys {
    type Ok = ();
    type Error = NotAStruct;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), NotAStruct> {
        // Only the status is looked at, and it is one word.
        let default_status =
            key == "status" && serde_json::to_value(value).is_ok_and(|v| v == "active");
        if !default_status {
            self.0.push(key);
        }
        Ok(())
    }

    fn end(self) -> Result<(), NotAStruct> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use norm_model::model::{Entity, Field, Status};

    use super::*;

    /// The keys as serialising the value whole gives them, `status: active` left out.
    fn written(value: &impl Serialize) -> Vec<String> {
        let serde_json::Value::Object(map) = serde_json::to_value(value).unwrap() else {
            panic!("not an object");
        };
        map.into_iter()
            .filter(|(k, v)| !(k == "status" && v == "active"))
            .map(|(k, _)| k)
            .collect()
    }

    #[test]
    fn the_keys_are_those_serde_writes_sorted_without_the_default_status() {
        let field: Field = serde_json::from_value(
            serde_json::json!({"name": "pers_dob", "type": "date", "status": "deprecated"}),
        )
        .unwrap();
        let entity: Entity = serde_json::from_value(serde_json::json!({
            "name": "person", "title": "Person", "status": "active",
            "fields": [{"name": "pers_dob"}],
        }))
        .unwrap();
        for keys in [
            (set_keys(&field), written(&field)),
            (set_keys(&entity), written(&entity)),
        ] {
            assert_eq!(keys.0, keys.1);
        }
        assert_eq!(set_keys(&entity), ["fields", "name", "title"]);
        assert_eq!(field.status, Some(Status::Deprecated));
        assert!(set_keys(&field).contains(&"status"));
        assert!(set_keys(&"not a struct").is_empty());
    }
}
