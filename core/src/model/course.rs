//! What the inbox says about a course: the courses domain sends these notices, the inbox keeps
//! them.

use serde::{Deserialize, Serialize};

/// What an inbox notification about a course says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CourseNotice {
    Confirmed,
    Waitlisted,
    /// A place is offered until the notification's `until`.
    PlaceOffered,
    OfferExpired,
    RegistrationCancelled,
    CourseCancelled,
    /// A session starts at `until`.
    SessionReminder,
    /// A session moved or was cancelled.
    SessionChanged,
}
