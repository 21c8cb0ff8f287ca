#![allow(clippy::unwrap_used)]

use serde_json::json;

use super::*;
use crate::catalogue::Download;

fn meta(extra: Value) -> StandardMeta {
    let mut base = json!({
        "id": "ssd",
        "title": "Standard Safeguarding Dataset",
        "version": "1.2.0",
        "status": "active",
        "summary": "Child-level social care data.",
        "description": "The dataset \"SSD\".\n\nSecond paragraph.\n",
        "owner": { "name": "Data to Insight", "url": "https://example.org/d2i", "email": "standards@example.org" },
        "licence": "OGL-UK-3.0",
    });
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() {
            base.as_object_mut().unwrap().remove(k);
        } else {
            base[k] = v.clone();
        }
    }
    serde_json::from_value(base).unwrap()
}

fn release() -> Release {
    Release {
        version: "1.2.0".into(),
        title: "Standard Safeguarding Dataset".into(),
        status: "active".into(),
        owner: Some("Data to Insight".into()),
        date: Some("2026-03-01".into()),
        previous: Some("1.1.0".into()),
        href: "ssd/1.2.0/index.html".into(),
        search: "ssd/1.2.0/search.json".into(),
        downloads: vec![Download {
            title: "Data dictionary".into(),
            href: "ssd/1.2.0/downloads/ssd-1.2.0-data-dictionary.csv".into(),
            media_type: "text/csv".into(),
        }],
        dcat: crate::catalogue::Record::default(),
    }
}

#[test]
fn a_release_fills_every_field_the_metadata_model_requires() {
    let (meta, release) = (meta(json!({})), release());
    let input = Input {
        meta: &meta,
        release: &release,
        base_url: "https://example.org/std/",
    };
    let (record, losses) = jsonld(&input);
    assert_eq!(losses, []);
    assert_eq!(missing_required(&record), []);
    let dataset = &record["@graph"][0];
    assert_eq!(dataset["@id"], "https://example.org/std/ssd/1.2.0/");
    assert_eq!(dataset["dcat:version"], "1.2.0");
    assert_eq!(
        dataset["adms:status"]["@id"],
        "http://purl.org/adms/status/Completed"
    );
    assert_eq!(
        dataset["dcat:previousVersion"]["@id"],
        "https://example.org/std/ssd/1.1.0/"
    );
    assert_eq!(
        dataset["dct:issued"],
        json!({ "@value": "2026-03-01", "@type": "xsd:date" })
    );
    assert_eq!(dataset["dct:publisher"]["@id"], "https://example.org/d2i");
    let distribution = &record["@graph"][3];
    assert_eq!(
        distribution["dcat:mediaType"]["@id"],
        "https://www.iana.org/assignments/media-types/text/csv"
    );
    assert_eq!(
        distribution["dcat:downloadURL"]["@id"],
        "https://example.org/std/ssd/1.2.0/downloads/ssd-1.2.0-data-dictionary.csv"
    );
}

#[test]
fn what_the_standard_lacks_is_a_loss_not_an_invented_value() {
    let meta = meta(json!({
        "owner": { "name": "Ofsted" },
        "licence": null,
        "description": null,
        "summary": null,
    }));
    let mut release = release();
    release.date = None;
    let input = Input {
        meta: &meta,
        release: &release,
        base_url: "",
    };
    let (record, losses) = jsonld(&input);
    let messages: Vec<&str> = losses.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(messages.len(), 4, "{messages:?}");
    for word in ["description", "date", "licence", "email"] {
        assert!(
            messages.iter().any(|m| m.contains(word)),
            "{word}: {messages:?}"
        );
    }
    assert!(
        losses
            .iter()
            .all(|l| l.path == ElementPath::standard("ssd"))
    );
    let mut missing: Vec<&str> = missing_required(&record).iter().map(|m| m.1).collect();
    missing.sort_unstable();
    assert_eq!(
        missing,
        [
            "dct:description",
            "dct:license",
            "dct:license",
            "dct:modified",
            "vcard:hasEmail"
        ]
    );
    // Without a published address, IRIs are relative to the site's root.
    assert_eq!(record["@graph"][0]["@id"], "ssd/1.2.0/");
}

#[test]
fn the_download_files_lead_back_to_the_site_root_and_say_the_same_in_both_forms() {
    let (meta, release) = (meta(json!({})), release());
    let input = Input {
        meta: &meta,
        release: &release,
        base_url: "",
    };
    let export = export(&input);
    let names: Vec<&str> = export.files.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(names, ["ssd-1.2.0.dcat.jsonld", "ssd-1.2.0.dcat.ttl"]);
    let doc: Value = serde_json::from_slice(&export.files[0].1).unwrap();
    assert_eq!(doc["@context"]["@base"], "../../../");
    let turtle = String::from_utf8(export.files[1].1.clone()).unwrap();
    assert!(turtle.starts_with("@base <../../../> .\n"), "{turtle}");
    assert!(
        turtle
            .contains("dct:description \"The dataset \\\"SSD\\\".\\n\\nSecond paragraph.\"@en-GB"),
        "{turtle}"
    );
    assert!(
        turtle.contains("dcat:previousVersion <ssd/1.1.0/>"),
        "{turtle}"
    );
}

#[test]
fn statuses_and_licences_map_to_their_vocabularies() {
    assert!(adms_status(StandardStatus::Consultation).ends_with("UnderDevelopment"));
    assert!(adms_status(StandardStatus::Retired).ends_with("Withdrawn"));
    assert!(licence_url("OGL-UK-3.0").contains("open-government-licence/version/3"));
    assert_eq!(
        licence_url("CC-BY-4.0"),
        "https://spdx.org/licenses/CC-BY-4.0.html"
    );
    assert_eq!(
        licence_url("https://example.org/l"),
        "https://example.org/l"
    );
}

#[test]
fn a_standard_outside_a_build_is_described_by_its_metadata() {
    let meta = meta(json!({}));
    let release = release_of(&meta);
    assert_eq!(release.version, "1.2.0");
    assert_eq!(release.href, "ssd/1.2.0/index.html");
    let input = Input {
        meta: &meta,
        release: &release,
        base_url: "https://example.org/",
    };
    let (record, losses) = jsonld(&input);
    assert_eq!(
        record["@graph"][0]["dct:title"]["@value"],
        "Standard Safeguarding Dataset"
    );
    let messages: Vec<&str> = losses.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("no date"), "{messages:?}");
}

#[test]
fn an_email_that_is_not_an_address_is_named_as_such_and_not_written() {
    let meta = meta(json!({ "owner": { "name": "Ofsted", "email": "ask the team" } }));
    let release = release();
    let input = Input {
        meta: &meta,
        release: &release,
        base_url: "",
    };
    let (record, losses) = jsonld(&input);
    let messages: Vec<&str> = losses.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "the owner's `email` (`ask the team`) is not an e-mail address, which the metadata \
          model's contact point requires (correct `owner.email` in standard.yaml)"
        ]
    );
    let missing: Vec<&str> = missing_required(&record).iter().map(|m| m.1).collect();
    assert_eq!(missing, ["vcard:hasEmail"]);
}
