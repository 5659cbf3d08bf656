//! The directory's classifications as HSDS taxonomy terms (attributes), and back.

use super::document::{Attribute, TaxonomyTerm};
use super::ids;
use crate::groups::model::{Accessibility, GroupAudience, GroupFormat, GroupStatus};

/// The attribute code of the accessibility notes (their text is the attribute's value).
pub(crate) const NOTES: &str = "notes";
/// The place attribute's code of a confidential meeting place (the value is its country).
pub(crate) const CONFIDENTIAL: &str = "confidential";

/// The taxonomies the directory writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Taxonomy {
    Topic,
    Keyword,
    Audience,
    Format,
    Status,
    Accessibility,
    Place,
    Region,
}

const TAXONOMIES: [(Taxonomy, &str); 8] = [
    (Taxonomy::Topic, "trialog:topic"),
    (Taxonomy::Keyword, "trialog:keyword"),
    (Taxonomy::Audience, "trialog:audience"),
    (Taxonomy::Format, "trialog:format"),
    (Taxonomy::Status, "trialog:status"),
    (Taxonomy::Accessibility, "trialog:accessibility"),
    (Taxonomy::Place, "trialog:place"),
    (Taxonomy::Region, "trialog:region"),
];

impl Taxonomy {
    pub(crate) fn name(self) -> &'static str {
        TAXONOMIES.iter().find(|(t, _)| *t == self).map(|(_, n)| *n).unwrap_or("trialog")
    }

    /// The directory's taxonomy of this name; `None` for another directory's.
    pub(crate) fn named(name: &str) -> Option<Taxonomy> {
        TAXONOMIES.iter().find(|(_, n)| *n == name).map(|(t, _)| *t)
    }
}

/// The attribute linking term `code` of `taxonomy` to the record `link_id`.
pub(crate) fn attribute(
    link_id: &str,
    entity: &str,
    index: usize,
    taxonomy: Taxonomy,
    code: &str,
    value: Option<String>,
) -> Attribute {
    let term_id = ids::child(taxonomy.name(), code, 0);
    Attribute {
        id: ids::child(link_id, "attribute", index),
        link_id: Some(link_id.to_string()),
        link_entity: Some(entity.to_string()),
        taxonomy_term_id: Some(term_id.clone()),
        value,
        taxonomy_term: Some(TaxonomyTerm {
            id: term_id,
            code: Some(code.to_string()),
            name: code.replace('_', " "),
            taxonomy: Some(taxonomy.name().to_string()),
        }),
    }
}

const AUDIENCES: [(GroupAudience, &str); 3] =
    [(GroupAudience::Affected, "affected"), (GroupAudience::Relatives, "relatives"), (GroupAudience::Both, "both")];
const FORMATS: [(GroupFormat, &str); 3] =
    [(GroupFormat::Online, "online"), (GroupFormat::InPerson, "in_person"), (GroupFormat::Both, "both")];
const STATUSES: [(GroupStatus, &str); 5] = [
    (GroupStatus::Founding, "founding"),
    (GroupStatus::Active, "active"),
    (GroupStatus::Full, "full"),
    (GroupStatus::Paused, "paused"),
    (GroupStatus::Ended, "ended"),
];
const ACCESSIBILITY: [(Accessibility, &str, &str); 6] = [
    (Accessibility::StepFree, "step_free", "Step-free access"),
    (Accessibility::AccessibleToilet, "accessible_toilet", "Accessible toilet"),
    (Accessibility::HearingLoop, "hearing_loop", "Hearing loop"),
    (Accessibility::SignLanguage, "sign_language", "Sign language"),
    (Accessibility::EasyLanguage, "easy_language", "Easy language"),
    (Accessibility::ChildCare, "child_care", "Child care"),
];

fn code_of<T: PartialEq + Copy>(table: &[(T, &'static str)], value: T) -> &'static str {
    table.iter().find(|(v, _)| *v == value).map(|(_, c)| *c).unwrap_or("")
}

fn value_of<T: Copy>(table: &[(T, &'static str)], code: &str) -> Option<T> {
    table.iter().find(|(_, c)| *c == code).map(|(v, _)| *v)
}

pub(crate) fn audience_code(v: GroupAudience) -> &'static str {
    code_of(&AUDIENCES, v)
}

pub(crate) fn audience(code: &str) -> Option<GroupAudience> {
    value_of(&AUDIENCES, code)
}

pub(crate) fn format_code(v: GroupFormat) -> &'static str {
    code_of(&FORMATS, v)
}

pub(crate) fn format(code: &str) -> Option<GroupFormat> {
    value_of(&FORMATS, code)
}

pub(crate) fn status_code(v: GroupStatus) -> &'static str {
    code_of(&STATUSES, v)
}

pub(crate) fn status(code: &str) -> Option<GroupStatus> {
    value_of(&STATUSES, code)
}

pub(crate) fn accessibility_code(v: Accessibility) -> &'static str {
    ACCESSIBILITY.iter().find(|(a, _, _)| *a == v).map(|(_, c, _)| *c).unwrap_or("")
}

pub(crate) fn accessibility_words(v: Accessibility) -> &'static str {
    ACCESSIBILITY.iter().find(|(a, _, _)| *a == v).map(|(_, _, w)| *w).unwrap_or("")
}

/// The vocabulary entry of a code or of its words ("step_free", "Step-free access").
pub(crate) fn accessibility(text: &str) -> Option<Accessibility> {
    let t = text.trim();
    ACCESSIBILITY.iter().find(|(_, c, w)| *c == t || w.eq_ignore_ascii_case(t)).map(|(a, _, _)| *a)
}

/// The known codes of a taxonomy, for error messages.
pub(crate) fn codes(taxonomy: Taxonomy) -> String {
    let list: Vec<&str> = match taxonomy {
        Taxonomy::Audience => AUDIENCES.iter().map(|(_, c)| *c).collect(),
        Taxonomy::Format => FORMATS.iter().map(|(_, c)| *c).collect(),
        Taxonomy::Status => STATUSES.iter().map(|(_, c)| *c).collect(),
        Taxonomy::Accessibility => ACCESSIBILITY.iter().map(|(_, c, _)| *c).chain([NOTES]).collect(),
        Taxonomy::Place => vec![CONFIDENTIAL],
        Taxonomy::Topic | Taxonomy::Keyword | Taxonomy::Region => vec![],
    };
    list.join(", ")
}
