//! A release's entry in `catalogue.json` and its DCAT record: made with the version's other
//! downloads, from the list of downloads its page shows, so that the catalogue and the record
//! name exactly the files the version has.

use norm_export::catalogue;
use norm_export::dcat;
use norm_model::catalog::Standard;
use norm_model::model::StandardStatus;

use crate::context::Download;
use crate::site::date;
use crate::{Site, Version};

/// The entry, DCAT record included, and what the record adds to the version's downloads.
pub(crate) struct Record {
    /// The entry, as `catalogue.json` lists it.
    pub(crate) release: catalogue::Release,
    /// The record's files, named under the version's `downloads/` folder.
    pub(crate) files: Vec<(String, Vec<u8>)>,
    /// Their download links.
    pub(crate) links: Vec<Download>,
    /// What the standard lacks for the record, for the build log (which shows those of each
    /// standard's latest release).
    pub(crate) notes: Vec<String>,
}

impl Site<'_> {
    /// The record of a release whose pages live under `base` and list `downloads`; `None`
    /// for the working tree and for a standard without metadata.
    pub(crate) fn record(
        &self,
        job: &Version,
        standard: &Standard,
        base: &str,
        downloads: &[Download],
    ) -> Option<Record> {
        job.commit.as_ref()?;
        let meta = &*standard.meta.as_ref()?.value;
        let mut release = catalogue::Release {
            version: job.folder.clone(),
            title: meta.title.clone().unwrap_or_else(|| job.standard.clone()),
            status: meta
                .status
                .map_or("active", StandardStatus::as_str)
                .to_owned(),
            owner: meta.owner.as_ref().map(|o| o.name.clone()),
            date: Some(date(job.time)),
            previous: job.previous.as_ref().map(|p| p.version.clone()),
            href: format!("{base}/index.html"),
            search: format!("{base}/search.json"),
            downloads: downloads.iter().map(entry).collect(),
            dcat: catalogue::Record::default(),
        };
        let input = dcat::Input {
            meta,
            release: &release,
            base_url: self.site.base_url.as_deref().unwrap_or_default(),
        };
        let (jsonld, _) = dcat::jsonld(&input);
        let export = dcat::export(&input);
        let notes = export
            .losses
            .iter()
            .map(|l| {
                format!(
                    "{}: the DCAT record of its latest release ({}) lacks a field, until a \
                     release adds it: {}",
                    job.standard, job.folder, l.message
                )
            })
            .collect();
        let links: Vec<Download> = export
            .files
            .iter()
            .map(|(name, _)| {
                let form = if name.ends_with(".ttl") {
                    "Turtle"
                } else {
                    "JSON-LD"
                };
                Download {
                    label: format!("Catalogue record (DCAT), {form}"),
                    format: form,
                    href: format!("{base}/downloads/{name}"),
                }
            })
            .collect();
        release.downloads.extend(links.iter().map(entry));
        release.dcat = catalogue::Record::new(&jsonld);
        Some(Record {
            release,
            files: export.files,
            links,
            notes,
        })
    }
}

/// A download as `catalogue.json` lists it.
fn entry(d: &Download) -> catalogue::Download {
    catalogue::Download {
        title: d.label.clone(),
        href: d.href.clone(),
        media_type: norm_export::media_type(&d.href).to_owned(),
    }
}
