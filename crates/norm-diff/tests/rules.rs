//! Every change rule against every old/new fixture pair: one snapshot per rule shows all its
//! results, so a rule that fires where it should not shows up in review.

// A test fails loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use norm_diff::{Options, diff, rules};

#[test]
fn each_rule_over_all_pairs() {
    let mut results: Vec<(String, norm_diff::Change)> = Vec::new();
    for pair in support::pairs() {
        let (old, new) = support::load_pair(&pair);
        let name = pair.file_stem().unwrap().to_string_lossy().into_owned();
        for sd in diff(&old, &new, &Options::default()).standards {
            results.extend(sd.changes.into_iter().map(|c| (name.clone(), c)));
        }
    }
    let mut silent = Vec::new();
    for meta in rules::all() {
        let lines: Vec<String> = results
            .iter()
            .filter(|(_, c)| c.rule == meta.id)
            .map(|(pair, c)| {
                let bump = if c.proposed {
                    "none (proposed)".to_owned()
                } else {
                    format!("{:?}", c.bump).to_lowercase()
                };
                format!("{pair}: {} [{bump}] {}", c.path, c.message)
            })
            .collect();
        if lines.is_empty() && meta.id != "unclassified" {
            silent.push(meta.id);
        }
        insta::assert_snapshot!(format!("rule__{}", meta.id), lines.join("\n"));
    }
    assert!(
        silent.is_empty(),
        "rules that no pair exercises: {silent:?}"
    );
}
