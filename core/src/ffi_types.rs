//! How core types that are not our own cross the UniFFI boundary.

/// Timestamps are `java.time.Instant` in Kotlin and `Date` in Swift.
type DateTimeUtc = chrono::DateTime<chrono::Utc>;
uniffi::custom_type!(DateTimeUtc, std::time::SystemTime, { remote });

/// Calendar dates (a posting's start and expiry) are ISO 8601 strings on the wire;
/// `uniffi.toml` maps them to `java.time.LocalDate` in Kotlin.
type NaiveDate = chrono::NaiveDate;
uniffi::custom_type!(NaiveDate, String, {
    remote,
    lower: |date| date.to_string(),
    try_lift: |text| Ok(text.parse::<chrono::NaiveDate>()?),
});

/// A queued write's arguments (`Queued.args`, the replica's send queue) are JSON text.
type JsonValue = serde_json::Value;
uniffi::custom_type!(JsonValue, String, {
    remote,
    lower: |value| value.to_string(),
    try_lift: |text| Ok(serde_json::from_str(&text)?),
});
