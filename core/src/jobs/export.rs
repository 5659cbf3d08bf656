//! Export in schema.org `JobPosting` form (JSON-LD), the vocabulary search engines and job
//! aggregators read.

use serde_json::{Map, Value, json};

use super::model::{Contract, Job, Location, PayUnit};
use crate::orgs::Organisation;

/// A posting as a schema.org `JobPosting` object.
pub fn job_posting_json_ld(job: &Job, org: &Organisation) -> Value {
    let mut out = Map::new();
    out.insert("@context".into(), json!("https://schema.org/"));
    out.insert("@type".into(), json!("JobPosting"));
    out.insert("identifier".into(), json!({"@type": "PropertyValue", "name": org.name, "value": job.id.to_string()}));
    out.insert("title".into(), json!(job.title));
    out.insert("description".into(), json!(job.description));
    if let Some(published) = job.published_at {
        out.insert("datePosted".into(), json!(published.date_naive().to_string()));
    }
    if let Some(expires) = job.expires_on {
        out.insert("validThrough".into(), json!(format!("{expires}T23:59:59Z")));
    }
    out.insert("employmentType".into(), json!(employment_type(job.contract)));
    out.insert("hiringOrganization".into(), organisation(org));
    location(job, &mut out);
    if let Some(pay) = &job.pay {
        let mut value = json!({"@type": "QuantitativeValue", "unitText": unit_text(pay.unit), "minValue": pay.min});
        if let Some(max) = pay.max {
            value["maxValue"] = json!(max);
        }
        out.insert("baseSalary".into(), json!({"@type": "MonetaryAmount", "currency": pay.currency, "value": value}));
        if let (Some(agreement), group) = (&pay.agreement, &pay.group) {
            let text = group.as_ref().map_or_else(|| agreement.clone(), |g| format!("{agreement} {g}"));
            out.insert("salaryCurrency".into(), json!(pay.currency));
            out.insert("incentiveCompensation".into(), json!(format!("Collective agreement: {text}")));
        }
    }
    out.insert("workHours".into(), json!(format!("{}–{} hours per week", job.hours.min, job.hours.max)));
    out.insert("inLanguage".into(), json!(job.languages.join(", ")));
    if let Some(starts) = job.starts_on {
        out.insert("jobStartDate".into(), json!(starts.to_string()));
    }
    out.insert("totalJobOpenings".into(), json!(job.openings));
    out.insert("qualifications".into(), json!(qualification(job)));
    if let Some(contact) = &job.contact {
        out.insert("applicationContact".into(), json!({"@type": "ContactPoint", "description": contact}));
    }
    Value::Object(out)
}

fn employment_type(contract: Contract) -> &'static str {
    match contract {
        Contract::Permanent => "FULL_TIME",
        Contract::FixedTerm => "TEMPORARY",
        Contract::MiniJob => "PART_TIME",
        Contract::Freelance => "CONTRACTOR",
        Contract::Placement => "INTERN",
        Contract::Volunteer => "VOLUNTEER",
    }
}

fn unit_text(unit: PayUnit) -> &'static str {
    match unit {
        PayUnit::Hour => "HOUR",
        PayUnit::Month => "MONTH",
        PayUnit::Year => "YEAR",
    }
}

fn organisation(org: &Organisation) -> Value {
    let mut value = json!({"@type": "Organization", "name": org.name});
    if let Some(site) = &org.website {
        value["sameAs"] = json!(site);
    }
    value
}

fn location(job: &Job, out: &mut Map<String, Value>) {
    match &job.location {
        Location::Remote => {
            out.insert("jobLocationType".into(), json!("TELECOMMUTE"));
        }
        Location::OnSite { coordinates, place, postcode, country } => {
            let mut address = json!({"@type": "PostalAddress"});
            if let Some(place) = place {
                address["addressLocality"] = json!(place);
            }
            if let Some(postcode) = postcode {
                address["postalCode"] = json!(postcode);
            }
            if let Some(country) = country {
                address["addressCountry"] = json!(country);
            }
            let geo = json!({"@type": "GeoCoordinates", "latitude": coordinates.latitude, "longitude": coordinates.longitude});
            out.insert("jobLocation".into(), json!({"@type": "Place", "address": address, "geo": geo}));
        }
    }
}

fn qualification(job: &Job) -> &'static str {
    match job.requirement {
        super::ExInRequirement::None => "Open to everyone; lived experience welcome",
        super::ExInRequirement::TrainingAccepted => "EX-IN training completed or in progress",
        super::ExInRequirement::CertificateRequired => "EX-IN certificate",
    }
}
