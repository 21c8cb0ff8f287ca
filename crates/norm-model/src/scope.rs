//! Loading part of a repository: the standards that a question about one standard needs.
//!
//! `norm diff --standard X` reports on X alone, but X's references resolve into other
//! standards, and the impact of X's changes reaches the standards that point into X. Parsing
//! the other ninety-odd standards of a large repository is most of the work of a diff, so the
//! comparison loads only [`needed_for`] X. The test is textual, on the raw files: a standard
//! is pointed at only by writing its id and a `/` (`csc-codes/sex`, `ssd/ssd_person.pers_id`)
//! or, in `requires`, its id and a `:`. A textual test may keep a standard that is not needed,
//! never drop one that is: an id can only be named by writing it.

use std::collections::BTreeSet;

use crate::catalog::Blob;

/// The standard folder a blob belongs to, `standards/<dir>/...`.
fn dir_of(blob: &Blob) -> Option<&str> {
    let rest = blob.path.strip_prefix("standards/")?;
    rest.split_once('/').map(|(dir, _)| dir)
}

/// The standards a comparison of `standard` needs from `blobs`: itself; every standard its
/// files name (its `requires`, the targets of its references, code lists and mappings); and
/// every standard whose files name it (its dependents, for impact). Sorted.
pub fn needed_for(blobs: &[Blob], standard: &str) -> BTreeSet<String> {
    let dirs: BTreeSet<&str> = blobs.iter().filter_map(dir_of).collect();
    let mut needed = BTreeSet::from([standard.to_owned()]);
    let into_standard = format!("{standard}/");
    for blob in blobs {
        let Some(dir) = dir_of(blob) else { continue };
        // A file that is not UTF-8 loads as an error and names nothing.
        let Ok(text) = std::str::from_utf8(&blob.bytes) else {
            continue;
        };
        if dir == standard {
            let meta = blob.path.ends_with("/standard.yaml");
            needed.extend(
                dirs.iter()
                    .filter(|d| {
                        text.contains(&format!("{d}/")) || (meta && text.contains(&format!("{d}:")))
                    })
                    .map(|d| (*d).to_owned()),
            );
        } else if !needed.contains(dir) && text.contains(&into_standard) {
            needed.insert(dir.to_owned());
        }
    }
    needed
}

/// Keeps the blobs of `standards` and every blob outside `standards/` (`norm.yaml`).
pub fn retain_standards(blobs: &mut Vec<Blob>, standards: &BTreeSet<String>) {
    blobs.retain(|b| dir_of(b).is_none_or(|d| standards.contains(d)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob(path: &str, text: &str) -> Blob {
        Blob {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn repository() -> Vec<Blob> {
        vec![
            blob("norm.yaml", "site: { title: T }\n"),
            blob(
                "standards/codes/standard.yaml",
                "id: codes\nversion: 1.0.0\n",
            ),
            blob(
                "standards/codes/codelists/sex.yaml",
                "name: sex\ncodes: []\n",
            ),
            blob(
                "standards/ssd/standard.yaml",
                "id: ssd\nversion: 1.0.0\nrequires:\n  codes: \"^1.0\"\n",
            ),
            blob(
                "standards/ssd/entities/person.yaml",
                "name: person\nfields:\n  - { name: sex, type: code, codelist: codes/sex }\n  - { name: id, type: string, mappings: [{ to: census/child.id }] }\n",
            ),
            blob(
                "standards/census/standard.yaml",
                "id: census\nversion: 1.0.0\n",
            ),
            blob(
                "standards/census/entities/child.yaml",
                "name: child\nfields:\n  - { name: id, type: string }\n",
            ),
            blob(
                "standards/extract/standard.yaml",
                "id: extract\nversion: 1.0.0\nrequires: { ssd: \"^1.0\" }\n",
            ),
            blob(
                "standards/extract/entities/row.yaml",
                "name: row\nfields:\n  - { name: person, type: string, references: ssd/person.id }\n",
            ),
            blob(
                "standards/unrelated/standard.yaml",
                "id: unrelated\nversion: 1.0.0\n",
            ),
        ]
    }

    #[test]
    fn a_standard_needs_what_it_names_and_what_names_it() {
        let needed = needed_for(&repository(), "ssd");
        let names: Vec<&str> = needed.iter().map(String::as_str).collect();
        // codes: required and used; census: a mapping's target; extract: a dependent.
        assert_eq!(names, ["census", "codes", "extract", "ssd"]);
    }

    #[test]
    fn a_standard_named_by_no_one_needs_only_itself() {
        let needed = needed_for(&repository(), "unrelated");
        assert_eq!(needed, BTreeSet::from(["unrelated".to_owned()]));
    }

    #[test]
    fn retaining_keeps_the_configuration() {
        let mut blobs = repository();
        retain_standards(&mut blobs, &BTreeSet::from(["codes".to_owned()]));
        let paths: Vec<&str> = blobs.iter().map(|b| b.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "norm.yaml",
                "standards/codes/standard.yaml",
                "standards/codes/codelists/sex.yaml"
            ]
        );
    }
}
