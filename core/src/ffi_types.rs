//! How core types that are not our own cross the UniFFI boundary.

/// Timestamps are `java.time.Instant` in Kotlin and `Date` in Swift.
type DateTimeUtc = chrono::DateTime<chrono::Utc>;
uniffi::custom_type!(DateTimeUtc, std::time::SystemTime, { remote });
