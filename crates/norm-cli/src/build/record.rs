//! Each release's catalogue entry and DCAT record: the site gathers the entry
//! ([`Site::release`]), norm-export writes the record, and the site shows and lists both.

use norm_export::dcat;
use norm_model::Catalog;
use norm_site::{Record, Site, Version, VersionData};

/// The record of `version` when it is a release, and what its standard lacks for the DCAT
/// record (the losses, as build warnings).
pub fn make(
    site: &Site<'_>,
    version: &Version,
    data: &VersionData<'_>,
) -> Option<(Record, Vec<String>)> {
    let mut release = site.release(version, data)?;
    let meta = meta(data.catalog, &version.standard)?;
    let input = dcat::Input {
        meta,
        release: &release,
        base_url: site.base_url().unwrap_or_default(),
    };
    let (jsonld, _) = dcat::jsonld(&input);
    let export = dcat::export(&input);
    let warnings = export
        .losses
        .iter()
        .map(|l| {
            // Said once per standard, not once per release: every release lacks the same.
            format!(
                "{}: its releases' DCAT records lack a field: {}",
                version.standard, l.message
            )
        })
        .collect();
    let base = format!("{}/{}/downloads", version.standard, version.folder);
    let files: Vec<(String, String, Vec<u8>)> = export
        .files
        .into_iter()
        .map(|(name, bytes)| {
            let form = if name.ends_with(".ttl") {
                "Turtle"
            } else {
                "JSON-LD"
            };
            (name, format!("Catalogue record (DCAT), {form}"), bytes)
        })
        .collect();
    release
        .downloads
        .extend(files.iter().map(|(name, label, _)| {
            let href = format!("{base}/{name}");
            norm_export::catalogue::Download {
                title: label.clone(),
                media_type: norm_export::catalogue::media_type(&href).to_owned(),
                href,
            }
        }));
    release.dcat = jsonld;
    Some((Record { release, files }, warnings))
}

fn meta<'a>(catalog: &'a Catalog, id: &str) -> Option<&'a norm_model::model::StandardMeta> {
    catalog
        .standards
        .get(id)
        .and_then(|s| s.meta.as_ref())
        .map(|m| &*m.value)
}
