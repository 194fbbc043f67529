//! The field names an argument struct reads, found by deserializing it from a recorder that
//! offers every field and notes the leaves (the names serde_qs reads, nested as `a[b]` and
//! lists as `a[0]`). Empty leaves walk the whole tree: the argument types are strings, numbers,
//! booleans, options, lists and structs of those.

use crate::server_fns::{Field, Kind};
use serde::de::value::StrDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};

pub(super) fn of<T: DeserializeOwned>() -> Vec<Field> {
    let mut out = Vec::new();
    // An error only stops the walk (at a map or an enum); the names found so far stay.
    let _ = T::deserialize(Names {
        at: String::new(),
        out: &mut out,
    });
    out
}

/// Stops the walk (serde's own error type is enough).
type Stop = de::value::Error;

/// Deserializes the value at `at`, noting it in `out` when it is a leaf.
struct Names<'a> {
    at: String,
    out: &'a mut Vec<Field>,
}

impl Names<'_> {
    fn leaf(self, kind: Kind) {
        if !self.at.is_empty() {
            self.out.push(Field {
                name: self.at,
                kind,
            });
        }
    }
}

macro_rules! leaves {
    ($($method:ident => $kind:ident, $visit:ident($($value:expr)?);)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
            self.leaf(Kind::$kind);
            visitor.$visit($($value)?)
        }
    )*};
}

impl<'de> Deserializer<'de> for Names<'_> {
    type Error = Stop;

    leaves! {
        deserialize_any => Text, visit_str("");
        deserialize_bool => Flag, visit_bool(false);
        deserialize_i8 => Number, visit_i64(0);
        deserialize_i16 => Number, visit_i64(0);
        deserialize_i32 => Number, visit_i64(0);
        deserialize_i64 => Number, visit_i64(0);
        deserialize_u8 => Number, visit_u64(0);
        deserialize_u16 => Number, visit_u64(0);
        deserialize_u32 => Number, visit_u64(0);
        deserialize_u64 => Number, visit_u64(0);
        deserialize_f32 => Number, visit_f64(0.0);
        deserialize_f64 => Number, visit_f64(0.0);
        deserialize_char => Text, visit_char('a');
        deserialize_str => Text, visit_str("");
        deserialize_string => Text, visit_str("");
        deserialize_identifier => Text, visit_str("");
        deserialize_bytes => Text, visit_bytes(b"");
        deserialize_byte_buf => Text, visit_bytes(b"");
        deserialize_unit => Text, visit_unit();
        deserialize_ignored_any => Text, visit_unit();
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        visitor.visit_some(self)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        self.leaf(Kind::Text);
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        let at = format!("{}[0]", self.at);
        visitor.visit_seq(One(Some(Names { at, out: self.out })))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Stop> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Stop> {
        self.leaf(Kind::Text);
        Err(<Stop as de::Error>::custom("a map"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Stop> {
        visitor.visit_map(Members {
            at: self.at,
            fields,
            next: 0,
            out: self.out,
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Stop> {
        self.leaf(Kind::Text);
        Err(<Stop as de::Error>::custom("an enum"))
    }
}

/// A list of one item.
struct One<'a>(Option<Names<'a>>);

impl<'de> SeqAccess<'de> for One<'_> {
    type Error = Stop;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Stop> {
        match self.0.take() {
            Some(names) => seed.deserialize(names).map(Some),
            None => Ok(None),
        }
    }
}

/// A struct's fields, each offered once.
struct Members<'a> {
    at: String,
    fields: &'static [&'static str],
    next: usize,
    out: &'a mut Vec<Field>,
}

impl<'de> MapAccess<'de> for Members<'_> {
    type Error = Stop;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Stop> {
        let Some(&name) = self.fields.get(self.next) else {
            return Ok(None);
        };
        let key: StrDeserializer<'_, Stop> = name.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Stop> {
        let name = self.fields[self.next];
        self.next += 1;
        let at = if self.at.is_empty() {
            name.to_owned()
        } else {
            format!("{}[{name}]", self.at)
        };
        seed.deserialize(Names {
            at,
            out: &mut *self.out,
        })
    }
}
