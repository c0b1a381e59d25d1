//! The envelope around every stored value: a format tag, the schema version the value was
//! written with, a CRC32 of the payload, then the bincode payload. bincode is not
//! self-describing, so the version tag is what lets a newer build read an older value (through
//! a migration) instead of misreading it.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;

/// The first byte of every value: "liaison, bincode payload".
pub const FORMAT_TAG: u8 = 0xB1;
/// The schema this build writes. v2: an item's whole history is one value (`History`); v4:
/// the operation log (payloads as in v3); v6: histories' groups packed (payloads as in v5).
pub const SCHEMA_VERSION: u16 = 6;
/// The oldest schema whose payloads this build reads as its own. v6 changed how the groups
/// of histories are stored (`records::packed`), not a value, so its step need not re-tag
/// every envelope (the log's sealed groups included) as earlier steps did.
pub(super) const SAME_PAYLOADS_SINCE: u16 = 5;
/// Tag, version, CRC32.
pub(super) const HEADER_LEN: usize = 1 + 2 + 4;

fn config() -> bincode::config::Configuration {
    bincode::config::standard()
}

pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let payload = bincode::serde::encode_to_vec(value, config())
        .expect("encoding plain data into a Vec cannot fail");
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.push(FORMAT_TAG);
    out.extend_from_slice(&SCHEMA_VERSION.to_be_bytes());
    out.extend_from_slice(&crc32fast::hash(&payload).to_be_bytes());
    out.extend_from_slice(&payload);
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    TooShort {
        len: usize,
    },
    UnknownFormat {
        tag: u8,
    },
    /// Written by a newer build of liaison than this one.
    NewerVersion {
        found: u16,
        supported: u16,
    },
    /// Written with a schema version that has no migration (never released).
    UnknownVersion {
        found: u16,
    },
    Checksum {
        stored: u32,
        computed: u32,
    },
    Payload {
        message: String,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::TooShort { len } => write!(f, "value is only {len} bytes long"),
            DecodeError::UnknownFormat { tag } => write!(f, "unknown format tag 0x{tag:02x}"),
            DecodeError::NewerVersion { found, supported } => write!(
                f,
                "written by a newer liaison (schema v{found}; this build reads up to v{supported})"
            ),
            DecodeError::UnknownVersion { found } => write!(f, "unknown schema v{found}"),
            DecodeError::Checksum { stored, computed } => write!(
                f,
                "checksum mismatch (stored {stored:08x}, computed {computed:08x}): the bytes were damaged"
            ),
            DecodeError::Payload { message } => write!(f, "cannot decode: {message}"),
        }
    }
}

/// Splits and verifies the envelope; returns the schema version and the payload.
pub fn open_envelope(bytes: &[u8]) -> Result<(u16, &[u8]), DecodeError> {
    if bytes.len() < HEADER_LEN {
        return Err(DecodeError::TooShort { len: bytes.len() });
    }
    if bytes[0] != FORMAT_TAG {
        return Err(DecodeError::UnknownFormat { tag: bytes[0] });
    }
    let version = u16::from_be_bytes([bytes[1], bytes[2]]);
    let stored = u32::from_be_bytes([bytes[3], bytes[4], bytes[5], bytes[6]]);
    let payload = &bytes[HEADER_LEN..];
    let computed = crc32fast::hash(payload);
    if stored != computed {
        return Err(DecodeError::Checksum { stored, computed });
    }
    if version > SCHEMA_VERSION {
        return Err(DecodeError::NewerVersion {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok((version, payload))
}

pub fn decode_payload<T: DeserializeOwned>(payload: &[u8]) -> Result<T, DecodeError> {
    let (value, used) =
        bincode::serde::decode_from_slice(payload, config()).map_err(|e| DecodeError::Payload {
            message: e.to_string(),
        })?;
    if used != payload.len() {
        return Err(DecodeError::Payload {
            message: format!("{} trailing bytes", payload.len() - used),
        });
    }
    Ok(value)
}

/// Decodes a value written by this schema version. Older versions go through the migration
/// step of their record type (`migrate`), which is handed the old payload.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    decode_payload(current_payload(bytes)?)
}

/// Decodes only the first value of the payload of a value written by this schema version,
/// after verifying the whole envelope (tag, version, CRC); the bytes after it are left
/// unread. For a struct, that first value is its first field: the search reads an item's
/// responses (`History::responses`) without decoding its events.
pub fn decode_leading<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    let payload = current_payload(bytes)?;
    let (value, _) =
        bincode::serde::decode_from_slice(payload, config()).map_err(|e| DecodeError::Payload {
            message: e.to_string(),
        })?;
    Ok(value)
}

pub(super) fn current_payload(bytes: &[u8]) -> Result<&[u8], DecodeError> {
    let (version, payload) = open_envelope(bytes)?;
    if !(SAME_PAYLOADS_SINCE..=SCHEMA_VERSION).contains(&version) {
        return Err(DecodeError::UnknownVersion { found: version });
    }
    Ok(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_header() {
        let value = ("中山生物工程有限公司".to_string(), 42u32, Some(7i64));
        let bytes = encode(&value);
        assert_eq!(bytes[0], FORMAT_TAG);
        assert_eq!(u16::from_be_bytes([bytes[1], bytes[2]]), SCHEMA_VERSION);
        let back: (String, u32, Option<i64>) = decode(&bytes).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn a_flipped_byte_is_caught_by_the_checksum() {
        let mut bytes = encode(&"弘景光电".to_string());
        let last = bytes.len() - 1;
        bytes[last] ^= 0x40;
        assert!(matches!(
            decode::<String>(&bytes),
            Err(DecodeError::Checksum { .. })
        ));
    }

    #[test]
    fn bad_headers_are_named() {
        assert_eq!(
            decode::<u32>(&[FORMAT_TAG, 0]),
            Err(DecodeError::TooShort { len: 2 })
        );
        let mut bytes = encode(&1u32);
        bytes[0] = b'{';
        assert_eq!(
            decode::<u32>(&bytes),
            Err(DecodeError::UnknownFormat { tag: b'{' })
        );
        let mut newer = encode(&1u32);
        newer[1..3].copy_from_slice(&(SCHEMA_VERSION + 1).to_be_bytes());
        assert!(matches!(
            decode::<u32>(&newer),
            Err(DecodeError::NewerVersion { .. })
        ));
        let mut old = encode(&1u32);
        old[1..3].copy_from_slice(&0u16.to_be_bytes());
        assert_eq!(
            decode::<u32>(&old),
            Err(DecodeError::UnknownVersion { found: 0 })
        );
    }

    #[test]
    fn the_leading_value_is_read_alone_and_the_envelope_still_verified() {
        #[derive(serde::Serialize)]
        struct Both {
            first: String,
            rest: Vec<(u64, String)>,
        }
        let both = Both {
            first: "已受理\n".into(),
            rest: vec![(7, "批复".into()), (8, "下达".into())],
        };
        let bytes = encode(&both);
        assert_eq!(decode_leading::<String>(&bytes).unwrap(), "已受理\n");
        // `decode` wants the whole payload.
        assert!(matches!(
            decode::<String>(&bytes),
            Err(DecodeError::Payload { .. })
        ));
        let mut damaged = bytes.clone();
        *damaged.last_mut().unwrap() ^= 0x01;
        assert!(matches!(
            decode_leading::<String>(&damaged),
            Err(DecodeError::Checksum { .. })
        ));
        let mut old = bytes.clone();
        old[1..3].copy_from_slice(&(SAME_PAYLOADS_SINCE - 1).to_be_bytes());
        assert!(matches!(
            decode_leading::<String>(&old),
            Err(DecodeError::UnknownVersion { .. })
        ));
        // A value of a schema whose payloads are this one's reads as it is.
        let mut same = bytes;
        same[1..3].copy_from_slice(&SAME_PAYLOADS_SINCE.to_be_bytes());
        assert_eq!(decode_leading::<String>(&same).unwrap(), "已受理\n");
    }

    #[test]
    fn a_payload_of_the_wrong_shape_is_refused() {
        let bytes = encode(&(1u8, 2u8, 3u8));
        assert!(matches!(
            decode::<u8>(&bytes),
            Err(DecodeError::Payload { .. })
        ));
        let bytes = encode(&"text".to_string());
        assert!(matches!(
            decode::<(String, String)>(&bytes),
            Err(DecodeError::Payload { .. })
        ));
    }
}
