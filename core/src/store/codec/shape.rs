//! The check that no stored struct skips a field that others follow (`skip_serializing_if` in
//! the middle of a record), which would shift every later field of the compact form. It walks
//! the record through a serializer that writes nothing; debug builds run it on every record
//! [`super::encode`] writes, so the first test that stores such a record fails, naming the field.

use std::fmt::Display;

use serde::ser::{self, Serialize};

/// What went wrong: a field that follows a skipped one.
#[derive(Debug)]
pub(super) struct Shifted(pub String);

impl Display for Shifted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Shifted {}

impl ser::Error for Shifted {
    fn custom<T: Display>(msg: T) -> Self {
        Shifted(msg.to_string())
    }
}

/// Checks `record`: `Err` names the struct and the field that follows a skipped one.
pub(super) fn check<T: Serialize + ?Sized>(record: &T) -> Result<(), Shifted> {
    record.serialize(Walk)
}

/// A serializer that writes nothing and only watches structs' fields.
struct Walk;

/// A struct being walked: its name, and the field skipped last (if one was, since the last
/// field written).
struct Fields {
    name: &'static str,
    skipped: Option<&'static str>,
}

impl Fields {
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Shifted> {
        if let Some(skipped) = self.skipped {
            return Err(Shifted(format!(
                "{}.{key} follows {skipped}, which was skipped (`skip_serializing_if` may only skip trailing fields of a stored record)",
                self.name
            )));
        }
        value.serialize(Walk)
    }
}

macro_rules! nothing {
    ($($method:ident($($arg:ty),*);)*) => {$(
        fn $method(self, $(_: $arg),*) -> Result<(), Shifted> {
            Ok(())
        }
    )*};
}

impl ser::Serializer for Walk {
    type Ok = ();
    type Error = Shifted;
    type SerializeSeq = Walk;
    type SerializeTuple = Walk;
    type SerializeTupleStruct = Walk;
    type SerializeTupleVariant = Walk;
    type SerializeMap = Walk;
    type SerializeStruct = Fields;
    type SerializeStructVariant = Fields;

    nothing! {
        serialize_bool(bool); serialize_i8(i8); serialize_i16(i16); serialize_i32(i32); serialize_i64(i64);
        serialize_i128(i128); serialize_u8(u8); serialize_u16(u16); serialize_u32(u32); serialize_u64(u64);
        serialize_u128(u128); serialize_f32(f32); serialize_f64(f64); serialize_char(char); serialize_str(&str);
        serialize_bytes(&[u8]); serialize_none(); serialize_unit(); serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Shifted> {
        value.serialize(Walk)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Shifted> {
        value.serialize(Walk)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Shifted> {
        value.serialize(Walk)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Walk, Shifted> {
        Ok(Walk)
    }

    fn serialize_tuple(self, _: usize) -> Result<Walk, Shifted> {
        Ok(Walk)
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Walk, Shifted> {
        Ok(Walk)
    }

    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Walk, Shifted> {
        Ok(Walk)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Walk, Shifted> {
        Ok(Walk)
    }

    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Fields, Shifted> {
        Ok(Fields { name, skipped: None })
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Fields, Shifted> {
        Ok(Fields { name, skipped: None })
    }

    fn collect_str<T: Display + ?Sized>(self, _: &T) -> Result<(), Shifted> {
        Ok(())
    }
}

impl ser::SerializeSeq for Walk {
    type Ok = ();
    type Error = Shifted;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Shifted> {
        value.serialize(Walk)
    }
    fn end(self) -> Result<(), Shifted> {
        Ok(())
    }
}

impl ser::SerializeTuple for Walk {
    type Ok = ();
    type Error = Shifted;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Shifted> {
        value.serialize(Walk)
    }
    fn end(self) -> Result<(), Shifted> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Walk {
    type Ok = ();
    type Error = Shifted;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Shifted> {
        value.serialize(Walk)
    }
    fn end(self) -> Result<(), Shifted> {
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Walk {
    type Ok = ();
    type Error = Shifted;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Shifted> {
        value.serialize(Walk)
    }
    fn end(self) -> Result<(), Shifted> {
        Ok(())
    }
}

/// Maps have their keys written, so a missing entry shifts nothing (a struct with a flattened
/// field is written as a map too).
impl ser::SerializeMap for Walk {
    type Ok = ();
    type Error = Shifted;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Shifted> {
        key.serialize(Walk)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Shifted> {
        value.serialize(Walk)
    }
    fn end(self) -> Result<(), Shifted> {
        Ok(())
    }
}

impl ser::SerializeStruct for Fields {
    type Ok = ();
    type Error = Shifted;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Shifted> {
        self.field(key, value)
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), Shifted> {
        self.skipped = Some(key);
        Ok(())
    }
    fn end(self) -> Result<(), Shifted> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for Fields {
    type Ok = ();
    type Error = Shifted;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Shifted> {
        self.field(key, value)
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), Shifted> {
        self.skipped = Some(key);
        Ok(())
    }
    fn end(self) -> Result<(), Shifted> {
        Ok(())
    }
}
