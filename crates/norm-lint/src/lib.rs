//! Lint rules for norm standards.
//!
//! Each rule is one file under `rules/`, declared with [`declare_rule!`]: its id, default
//! severity, the version it first appeared in, and a doc comment that is the user-facing page
//! (`norm rules ID`). [`rules::REGISTRY`] lists them. Rules report [`Finding`]s that point into
//! the loaded files by [`Location`]; [`lint`] applies the configuration and resolves locations to
//! file, line and column.

use std::collections::BTreeMap;

use rayon::prelude::*;

use norm_model::config::{Extends, Level};

use norm_model::{
    Catalog, Config, Diagnostic, ElementPath, FileId, LoaderRule, Location, Severity, Trees,
};

pub mod docs;
pub mod json;
pub mod rules;

/// Static description of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    /// Kebab-case id, equal to the rule's file stem.
    pub id: &'static str,
    /// Severity when the configuration does not say otherwise.
    pub default: Severity,
    /// Whether `extends: recommended` turns the rule on.
    pub recommended: bool,
    /// The norm version that introduced the rule.
    pub since: &'static str,
    /// The rule's documentation, in Markdown (`## What it does`, `## Why is this bad?`,
    /// `## Example`).
    pub docs: &'static str,
}

impl RuleMeta {
    /// The first sentence of the "What it does" section.
    pub fn summary(&self) -> String {
        norm_model::first_sentence(self.docs)
    }
}

/// A finding of a rule, before configuration and position are applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Where it is.
    pub location: Location,
    /// The element concerned.
    pub path: Option<ElementPath>,
    /// What is wrong.
    pub message: String,
    /// A suggested fix.
    pub help: Option<String>,
}

impl Finding {
    /// A finding at `location` about element `path`.
    pub fn new(location: Location, path: ElementPath, message: impl Into<String>) -> Self {
        Finding {
            location,
            path: Some(path),
            message: message.into(),
            help: None,
        }
    }

    /// Adds a suggested fix.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Work shared by the rules of one run: computed once, on first use.
#[derive(Default)]
pub struct Shared {
    regexes: std::sync::Mutex<std::collections::HashMap<String, Option<regex::Regex>>>,
}

/// What a rule checks: the catalog, and the rule's options from `norm.yaml`.
pub struct Context<'a> {
    /// The loaded standards.
    pub catalog: &'a Catalog,
    /// Work shared with the other rules of the run.
    pub shared: &'a Shared,
    /// The rule's `options` (empty when none are set).
    pub options: &'a serde_json::Map<String, serde_json::Value>,
    /// Where the rule's setting is in `norm.yaml`, to report bad options there.
    pub setting: Option<Location>,
}

impl<'a> Context<'a> {
    /// `pattern` compiled, once per run; `None` when it does not compile.
    pub fn regex(&self, pattern: &str) -> Option<regex::Regex> {
        let mut cache = self
            .shared
            .regexes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache
            .entry(pattern.to_owned())
            .or_insert_with(|| regex::Regex::new(pattern).ok())
            .clone()
    }

    /// The string option `key`, when set.
    pub fn option_str(&self, key: &str) -> Option<&str> {
        self.options.get(key).and_then(serde_json::Value::as_str)
    }

    /// The location of option `key` in `norm.yaml`.
    pub fn option_location(&self, key: &str) -> Option<Location> {
        self.setting
            .clone()
            .map(|l| l.key("options").key(key.to_owned()))
    }
}

/// A lint rule.
pub trait Rule: RuleDecl + Sync {
    /// Checks the catalog and appends findings.
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// A rule's declaration; [`declare_rule!`] implements it.
pub trait RuleDecl {
    /// The rule's declaration.
    fn meta(&self) -> &'static RuleMeta;
}

/// Declares a rule: a unit struct carrying the doc comment, and its [`RuleMeta`] as `META`.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            id: $id:literal,
            severity: $severity:ident,
            recommended: $recommended:literal,
            since: $since:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            /// This rule's declaration.
            pub const META: $crate::RuleMeta = $crate::RuleMeta {
                id: $id,
                default: norm_model::Severity::$severity,
                recommended: $recommended,
                since: $since,
                docs: concat!($($doc, "\n"),*),
            };
        }

        impl $crate::RuleDecl for $name {
            fn meta(&self) -> &'static $crate::RuleMeta {
                &Self::META
            }
        }
    };
}

/// The result of a lint run.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Report {
    /// Every diagnostic, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// How many are errors.
    pub errors: usize,
    /// How many are warnings.
    pub warnings: usize,
}

/// Lints a catalog: its load diagnostics plus every enabled rule, with the levels and
/// suppressions of `norm.yaml`.
pub fn lint(catalog: &Catalog) -> Report {
    lint_at(catalog, Severity::Info)
}

/// The errors of [`lint`], exactly as it reports them, without running the rules set to warn
/// or locating their findings: for a caller that only counts a revision's errors (`norm diff`
/// reports both sides' counts, and the site compares every release). A rule's findings do not
/// depend on which other rules run, so these are the same diagnostics. Unused suppressions
/// are warnings, and not looked for.
pub fn errors(catalog: &Catalog) -> Report {
    lint_at(catalog, Severity::Error)
}

/// The diagnostics of severity `least` and above.
fn lint_at(catalog: &Catalog, least: Severity) -> Report {
    let config = catalog.config();
    let lint_config = config.lint.clone().unwrap_or_default();
    let wanted = |d: &Diagnostic| d.severity >= least;
    let mut diagnostics: Vec<Diagnostic> = catalog
        .diagnostics
        .iter()
        .chain(&config_diagnostics(catalog, &config))
        .filter(|d| wanted(d))
        .cloned()
        .collect();

    let enabled: Vec<(&dyn Rule, Severity)> = rules::REGISTRY
        .iter()
        .filter_map(|rule| {
            let meta = rule.meta();
            let severity = match lint_config.rules.get(meta.id).and_then(|s| s.level()) {
                Some(Level::Error) => Some(Severity::Error),
                Some(Level::Warn) => Some(Severity::Warning),
                Some(Level::Off) => None,
                None => match lint_config.extends {
                    Extends::All => Some(meta.default),
                    Extends::Recommended if meta.recommended => Some(meta.default),
                    Extends::Recommended | Extends::None => None,
                },
            };
            severity.filter(|s| *s >= least).map(|s| (*rule, s))
        })
        .collect();

    let no_options = serde_json::Map::new();
    let shared = Shared::default();
    let found: Vec<(&'static str, Severity, Finding)> = enabled
        .par_iter()
        .flat_map_iter(|(rule, severity)| {
            let id = rule.meta().id;
            let cx = Context {
                catalog,
                shared: &shared,
                options: lint_config
                    .rules
                    .get(id)
                    .and_then(|s| s.options())
                    .unwrap_or(&no_options),
                setting: catalog
                    .config
                    .as_ref()
                    .map(|c| Location::file(c.file).key("lint").key("rules").key(id)),
            };
            let mut findings = Vec::new();
            rule.check(&cx, &mut findings);
            findings.into_iter().map(move |f| (id, *severity, f))
        })
        .collect();
    let found = locate(catalog, found);
    let mut used = vec![false; lint_config.allow.len()];
    let allow_paths: Vec<Option<ElementPath>> = lint_config
        .allow
        .iter()
        .map(|a| a.path.parse().ok())
        .collect();
    for d in found {
        let allowed = lint_config
            .allow
            .iter()
            .zip(&allow_paths)
            .position(|(a, p)| a.rule == d.rule && p.is_some() && d.path == *p);
        match allowed {
            Some(i) => used[i] = true,
            None => diagnostics.push(d),
        }
    }
    // A file that did not load may hold the very finding a suppression is for (rules such as
    // unused-codelist say nothing until every entity loads), so no suppression is called
    // unused until every file loads.
    let unread = [LoaderRule::SyntaxError, LoaderRule::UnreadableFile].map(LoaderRule::as_str);
    let all_loaded = !catalog.diagnostics.iter().any(|d| unread.contains(&d.rule));
    let warnings = Severity::Warning >= least;
    if let Some(doc) = catalog.config.as_ref().filter(|_| all_loaded && warnings) {
        for (i, allow) in lint_config.allow.iter().enumerate() {
            if !used[i] {
                diagnostics.push(Diagnostic {
                    severity: Severity::Warning,
                    span: catalog
                        .locate(&Location::file(doc.file).key("lint").key("allow").index(i)),
                    help: Some("remove the suppression, or correct its rule or path".into()),
                    ..Diagnostic::error(
                        "unused-allow",
                        catalog.file(doc.file).path.clone(),
                        format!(
                            "suppression of `{}` at `{}` matches no finding",
                            allow.rule, allow.path
                        ),
                    )
                });
            }
        }
    }

    // Files that could not be read or parsed come first: what follows may follow from them,
    // and a curator fixes them first.
    diagnostics.sort_by(|a, b| {
        let unparsed = |d: &Diagnostic| !unread.contains(&d.rule);
        (unparsed(a), a.sort_key()).cmp(&(unparsed(b), b.sort_key()))
    });
    diagnostics.dedup();
    let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
    Report {
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        diagnostics,
    }
}

/// The findings as diagnostics, each file with findings parsed once (in parallel), and its tree
/// dropped as soon as its findings are located.
fn locate(catalog: &Catalog, found: Vec<(&'static str, Severity, Finding)>) -> Vec<Diagnostic> {
    let mut by_file: BTreeMap<FileId, Vec<(&'static str, Severity, Finding)>> = BTreeMap::new();
    for f in found {
        by_file.entry(f.2.location.file).or_default().push(f);
    }
    by_file
        .into_par_iter()
        .flat_map_iter(|(file, findings)| {
            let mut trees = Trees::new(catalog);
            let path = &catalog.file(file).path;
            findings
                .into_iter()
                .map(|(rule, severity, f)| Diagnostic {
                    rule,
                    severity,
                    span: trees.locate(&f.location),
                    file: path.clone(),
                    message: f.message,
                    path: f.path,
                    help: f.help,
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Rule ids in `lint.rules` that no rule has.
fn config_diagnostics(catalog: &Catalog, config: &Config) -> Vec<Diagnostic> {
    let (Some(doc), Some(lint)) = (&catalog.config, &config.lint) else {
        return Vec::new();
    };
    let ids: Vec<&str> = rules::all_ids().collect();
    let file = catalog.file(doc.file);
    lint.rules
        .keys()
        .filter(|id| !ids.contains(&id.as_str()))
        .map(|id| {
            let span = Trees::new(catalog)
                .root(doc.file)
                .and_then(|r| r.get("lint"))
                .and_then(|l| l.get("rules"))
                .and_then(|r| r.entry(id))
                .map(|(k, _)| k.span);
            Diagnostic::error(
                "unknown-rule",
                file.path.clone(),
                format!("unknown rule `{id}`"),
            )
            .at(span)
            .with_help(Some(match norm_model::yaml::did_you_mean(id, &ids) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "`norm rules` lists the rules".into(),
            }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use norm_model::Severity;

    use crate::rules::test_support::catalog;

    /// Lints `files` both ways, asserts that the errors agree, and returns the whole report
    /// and the rules of the errors.
    fn both_ways(files: &[(&str, &str)]) -> (super::Report, Vec<&'static str>) {
        let catalog = catalog(files);
        let whole = super::lint(&catalog);
        let errors = super::errors(&catalog);
        let whole_errors: Vec<_> = whole
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert_eq!(errors.diagnostics.iter().collect::<Vec<_>>(), whole_errors);
        assert_eq!(errors.errors, whole.errors);
        assert_eq!(errors.warnings, 0);
        let rules = errors.diagnostics.iter().map(|d| d.rule).collect();
        (whole, rules)
    }

    #[test]
    fn errors_alone_are_the_errors_of_the_whole_lint() {
        let files = [
            (
                "norm.yaml",
                "lint:\n  extends: all\n  rules: { no-such-rule: error, missing-title: error }\n  \
                 allow:\n    - rule: missing-description\n      path: demo/entities/person\n      \
                 reason: Described elsewhere.\n    - rule: missing-title\n      path: demo/entities/nowhere\n      \
                 reason: Matches nothing.\n",
            ),
            (
                "standards/demo/standard.yaml",
                "id: demo\ntitle: Demo\nversion: 1.0.0\n",
            ),
            (
                "standards/demo/entities/person.yaml",
                "name: person\nfields:\n  - name: person_id\n    primary_key: true\n  \
                 - name: ethnicity\n    codelist: nowhere\n",
            ),
        ];
        // Errors of an error rule and of a rule raised to error; warnings, among them an unused
        // suppression, left out.
        let (whole, rules) = both_ways(&files);
        for rule in ["dangling-reference", "missing-title"] {
            assert!(rules.contains(&rule), "{rule} missing from {rules:?}");
        }
        assert!(whole.warnings > 0, "{:?}", whole.diagnostics);
        assert!(whole.diagnostics.iter().any(|d| d.rule == "unused-allow"));
        // With a file that does not parse, the loader's error too.
        let mut files = files.to_vec();
        files.push(("standards/demo/entities/broken.yaml", "name: [unclosed\n"));
        let (_, rules) = both_ways(&files);
        assert!(rules.contains(&"syntax-error"), "{rules:?}");
    }
}
