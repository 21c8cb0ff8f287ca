//! `dcat`: one DCAT 3 / ADMS record per release, as JSON-LD and Turtle, carrying the fields the
//! UK cross-government metadata exchange model requires of a `Dataset` and a `Distribution`
//! (co-cddo/ukgov-metadata-exchange-model), so that the Data Marketplace can ingest it.
//!
//! A release is a `dcat:Dataset` whose distributions are the version's downloads. What is not
//! in the standard is stated here once: a published standard is `OPEN` and `OFFICIAL`, and
//! releases come when they are ready (`freq:irregular`). What the standard lacks (an owner's
//! e-mail address, a licence) is a [`Loss`], never an invented value. docs/export.md lists
//! where each field comes from.

use norm_model::ElementPath;
use norm_model::model::{StandardMeta, StandardStatus};
use serde_json::Value;

use crate::catalogue::Release;
use crate::rdf::{self, Node, Term};
use crate::{Export, Loss};

/// The dataset's access rights: a published standard is open to all.
pub const ACCESS_RIGHTS: &str = "OPEN";
/// The security classification of published information.
pub const SECURITY_CLASSIFICATION: &str = "OFFICIAL";
/// Releases come when a change is ready, not on a schedule.
pub const UPDATE_FREQUENCY: &str = "freq:irregular";
/// The longest `rdfs:comment` (the model's `summary`) may be.
const SUMMARY_CHARS: usize = 250;

/// The properties the metadata model requires of a `Dataset` (its `CataloguedResource` slots
/// marked `required`, and `updateFrequency`), as the compact IRIs this record uses.
pub const REQUIRED_DATASET: &[&str] = &[
    "dct:accessRights",
    "dcat:contactPoint",
    "dct:creator",
    "dct:description",
    "dct:identifier",
    "dct:license",
    "dct:modified",
    "dct:publisher",
    "ukgov:securityClassification",
    "dct:title",
    "dcat:version",
    "dct:accrualPeriodicity",
];

/// The properties the metadata model requires of a `Distribution`.
pub const REQUIRED_DISTRIBUTION: &[&str] = &[
    "dct:identifier",
    "dct:license",
    "dcat:mediaType",
    "dct:title",
];

/// The properties the metadata model requires of a `ContactPoint`.
pub const REQUIRED_CONTACT: &[&str] = &["vcard:fn", "vcard:hasEmail"];

/// The file names of a release's record under its `downloads/` folder: JSON-LD and Turtle.
pub fn file_names(id: &str, version: &str) -> [String; 2] {
    [
        format!("{id}-{version}.dcat.jsonld"),
        format!("{id}-{version}.dcat.ttl"),
    ]
}

/// The ADMS status of a lifecycle stage (<http://purl.org/adms/status/>).
pub fn adms_status(status: StandardStatus) -> &'static str {
    match status {
        StandardStatus::Draft | StandardStatus::Consultation => {
            "http://purl.org/adms/status/UnderDevelopment"
        }
        StandardStatus::Active => "http://purl.org/adms/status/Completed",
        StandardStatus::Deprecated => "http://purl.org/adms/status/Deprecated",
        StandardStatus::Retired => "http://purl.org/adms/status/Withdrawn",
    }
}

/// The address of a licence named as format.md asks (an SPDX-style identifier), or the
/// licence itself when it is already a web address.
pub fn licence_url(licence: &str) -> String {
    match licence {
        "OGL-UK-3.0" => {
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/".to_owned()
        }
        l if norm_model::url::web(l).is_some() => l.to_owned(),
        l => format!("https://spdx.org/licenses/{l}.html"),
    }
}

/// What a record is built from: the release's metadata, its place on the site, and where the
/// site is.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The standard's metadata as released.
    pub meta: &'a StandardMeta,
    /// The release: version, date, previous version, pages and downloads (hrefs relative to
    /// the site's root). Its `dcat` is not read.
    pub release: &'a Release,
    /// The site's published address (`https://…/`), so that every IRI is absolute; empty when
    /// unknown, and then IRIs are relative to the site's root.
    pub base_url: &'a str,
}

/// The catalogue entry of a standard as its metadata says, outside a site build (for `norm
/// export dcat`): its declared version, no date (a loss, unless the caller knows the release
/// commit's) and no downloads, its pages where `norm build` puts them.
pub fn release_of(meta: &StandardMeta) -> Release {
    let version = meta.version.clone().unwrap_or_else(|| "0.0.0".to_owned());
    let base = format!("{}/{version}", meta.id);
    Release {
        title: meta.title.clone().unwrap_or_else(|| meta.id.clone()),
        status: meta
            .status
            .map_or("active", StandardStatus::as_str)
            .to_owned(),
        owner: meta.owner.as_ref().map(|o| o.name.clone()),
        href: format!("{base}/index.html"),
        search: format!("{base}/search.json"),
        version,
        ..Release::default()
    }
}

impl Input<'_> {
    fn iri(&self, href: &str) -> String {
        format!("{}{href}", self.base_url)
    }

    /// The IRI of a version of this standard: its version folder.
    fn version_iri(&self, version: &str) -> String {
        self.iri(&format!("{}/{version}/", self.meta.id))
    }

    fn loss(&self, message: String) -> Loss {
        Loss {
            path: ElementPath::standard(&self.meta.id),
            message,
        }
    }
}

/// The record's nodes (dataset, publisher, contact, distributions) and what the standard
/// lacks for it.
fn graph(input: &Input<'_>) -> (Vec<Node>, Vec<Loss>) {
    let (meta, release) = (input.meta, input.release);
    let mut losses = Vec::new();
    let dataset_iri = input.version_iri(&release.version);
    let mut dataset = Node::new(Term::Iri(dataset_iri.clone()), &["dcat:Dataset"]);
    dataset
        .put("dct:identifier", Term::Plain(dataset_iri))
        .put("dct:title", Term::Text(release.title.clone()))
        .put("dcat:version", Term::Plain(release.version.clone()));
    let description = meta
        .description
        .as_deref()
        .or(meta.summary.as_deref())
        .map(str::trim)
        .filter(|d| !d.is_empty());
    match description {
        Some(d) => {
            dataset.put("dct:description", Term::Text(d.to_owned()));
        }
        None => losses.push(
            input.loss(
                "the standard has no description or summary, which the metadata model's \
             `description` requires"
                    .into(),
            ),
        ),
    }
    if let Some(summary) = meta.summary.as_deref().map(str::trim) {
        let short: String = summary.chars().take(SUMMARY_CHARS).collect();
        dataset.put("rdfs:comment", Term::Text(short));
    }
    let status = meta.status.unwrap_or(StandardStatus::Active);
    dataset
        .put("adms:status", Term::Iri(adms_status(status).to_owned()))
        .put("dct:accessRights", Term::Plain(ACCESS_RIGHTS.into()))
        .put(
            "ukgov:securityClassification",
            Term::Plain(SECURITY_CLASSIFICATION.into()),
        )
        .put("dct:accrualPeriodicity", Term::Curie(UPDATE_FREQUENCY))
        .put("dcat:landingPage", Term::Iri(input.iri(&release.href)));
    if let Some(date) = &release.date {
        dataset
            .put("dct:issued", Term::Date(date.clone()))
            .put("dct:modified", Term::Date(date.clone()));
    } else {
        losses.push(
            input.loss(
                "the release has no date (no release commit), which the metadata model's \
             `modified` requires"
                    .into(),
            ),
        );
    }
    if let Some(previous) = &release.previous {
        dataset.put(
            "dcat:previousVersion",
            Term::Iri(input.version_iri(previous)),
        );
    }
    let licence = meta.licence.as_deref().map(licence_url);
    match &licence {
        Some(l) => {
            dataset.put("dct:license", Term::Iri(l.clone()));
        }
        None => losses.push(
            input.loss("the standard names no `licence`, which the metadata model requires".into()),
        ),
    }
    let mut nodes = Vec::new();
    match &meta.owner {
        Some(owner) => {
            let org_id = owner
                .url
                .as_deref()
                .and_then(norm_model::url::web)
                .map_or(Term::Blank("publisher"), Term::Iri);
            let mut org = Node::new(org_id.clone(), &["foaf:Organization"]);
            org.put("foaf:name", Term::Text(owner.name.clone()));
            let mut contact = Node::new(Term::Blank("contact"), &["vcard:Kind"]);
            contact.put("vcard:fn", Term::Text(owner.name.clone()));
            match owner.email.as_deref().and_then(norm_model::url::mailto) {
                Some(mailto) => {
                    contact.put("vcard:hasEmail", Term::Iri(mailto));
                }
                None => losses.push(input.loss(match owner.email.as_deref() {
                    Some(bad) => format!(
                        "the owner's `email` (`{bad}`) is not an e-mail address, which the \
                         metadata model's contact point requires (correct `owner.email` in \
                         standard.yaml)"
                    ),
                    None => format!(
                        "the owner ({}) has no `email`, which the metadata model's contact \
                         point requires (add `owner.email` to standard.yaml)",
                        owner.name
                    ),
                })),
            }
            dataset
                .put("dct:publisher", org_id.clone())
                .put("dct:creator", org_id)
                .put("dcat:contactPoint", Term::Blank("contact"));
            nodes.push(org);
            nodes.push(contact);
        }
        None => losses.push(
            input.loss(
                "the standard has no `owner`, which the metadata model's publisher, creator and \
             contact point require"
                    .into(),
            ),
        ),
    }
    for d in &release.downloads {
        let url = input.iri(&d.href);
        dataset.put("dcat:distribution", Term::Iri(url.clone()));
        let mut dist = Node::new(Term::Iri(url.clone()), &["dcat:Distribution"]);
        dist.put("dct:identifier", Term::Plain(url.clone()))
            .put("dct:title", Term::Text(d.title.clone()))
            .put("dcat:downloadURL", Term::Iri(url))
            .put(
                "dcat:mediaType",
                Term::Iri(format!(
                    "https://www.iana.org/assignments/media-types/{}",
                    d.media_type
                )),
            );
        if let Some(l) = &licence {
            dist.put("dct:license", Term::Iri(l.clone()));
        }
        nodes.push(dist);
    }
    nodes.insert(0, dataset);
    (nodes, losses)
}

/// The record as JSON-LD, for `catalogue.json` (IRIs relative to the site's root when the
/// site has no published address), and what the standard lacks for it.
pub fn jsonld(input: &Input<'_>) -> (Value, Vec<Loss>) {
    let (nodes, losses) = graph(input);
    (rdf::jsonld(&nodes, ""), losses)
}

/// The record's two files, named by [`file_names`], for a version's `downloads/` folder:
/// when the site has no published address, `@base` leads from there to the site's root, so
/// relative IRIs mean the same as in `catalogue.json`.
pub fn export(input: &Input<'_>) -> Export {
    let (nodes, losses) = graph(input);
    let base = if input.base_url.is_empty() {
        "../../../"
    } else {
        ""
    };
    let [jsonld_name, turtle_name] = file_names(&input.meta.id, &input.release.version);
    let mut jsonld = serde_json::to_string_pretty(&rdf::jsonld(&nodes, base)).unwrap_or_default();
    jsonld.push('\n');
    Export {
        files: vec![
            (jsonld_name, jsonld.into_bytes()),
            (turtle_name, rdf::turtle(&nodes, base).into_bytes()),
        ],
        losses,
    }
}

/// The required properties `nodes` lack: `(subject, property)`, for the check against the
/// metadata model.
pub fn missing_required(record: &Value) -> Vec<(String, &'static str)> {
    let mut missing = Vec::new();
    for node in record["@graph"].as_array().into_iter().flatten() {
        let types = node["@type"].as_array().cloned().unwrap_or_default();
        let required: &[&str] = if types.contains(&"dcat:Dataset".into()) {
            REQUIRED_DATASET
        } else if types.contains(&"dcat:Distribution".into()) {
            REQUIRED_DISTRIBUTION
        } else if types.contains(&"vcard:Kind".into()) {
            REQUIRED_CONTACT
        } else {
            &[]
        };
        let id = node["@id"].as_str().unwrap_or_default();
        missing.extend(
            required
                .iter()
                .filter(|p| node.get(**p).is_none())
                .map(|p| (id.to_owned(), *p)),
        );
    }
    missing
}

#[cfg(test)]
mod tests;
