//! `norm rules [ID]`.

use std::io::Write;

use anyhow::{Result, bail};
use norm_lint::rules;

use crate::Outcome;
use norm_cli::cli::{RulesArgs, RulesFormat};

pub fn run(args: &RulesArgs, out: &mut impl Write) -> Result<Outcome> {
    let mut all: Vec<_> = rules::all().collect();
    all.sort_by_key(|m| m.id);
    if let Some(id) = &args.rule {
        let Some(meta) = all.iter().find(|m| m.id == id) else {
            let ids: Vec<&str> = all.iter().map(|m| m.id).collect();
            match norm_model::yaml::did_you_mean(id, &ids) {
                Some(s) => bail!("no rule `{id}`; did you mean `{s}`?"),
                None => bail!("no rule `{id}`; `norm rules` lists them"),
            }
        };
        all = vec![*meta];
    }
    match args.format {
        RulesFormat::Json => {
            let value: Vec<_> = all
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "id": m.id,
                        "severity": m.default,
                        "recommended": m.recommended,
                        "since": m.since,
                        "summary": m.summary(),
                        "docs": m.docs,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &value)?;
            writeln!(out)?;
        }
        RulesFormat::Text if args.rule.is_some() => {
            write!(out, "{}", norm_lint::docs::page(all[0]))?;
        }
        RulesFormat::Text => {
            let width = all.iter().map(|m| m.id.len()).max().unwrap_or(0);
            for m in &all {
                writeln!(
                    out,
                    "{:width$}  {:7}  {}",
                    m.id,
                    m.default.as_str(),
                    m.summary()
                )?;
            }
        }
    }
    Ok(Outcome::Clean)
}
