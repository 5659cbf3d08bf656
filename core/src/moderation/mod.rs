//! Moderation and safety. The text checker — watched words ([`words`]) and crisis resources
//! ([`resources`]) — stands on its own, without the forums, so that every place people write
//! (forum posts, counselling enquiries) is checked the same way.

pub mod resources;
pub mod words;

pub use resources::{CrisisResource, EVERYWHERE, country_of, resources_for};
pub use words::{ANY_LANGUAGE, MAX_PATTERN, TextCheck, WatchedWord, WordAction, WordList, WordMatch, default_words};
