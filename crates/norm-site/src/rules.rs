//! The contexts of validation rules: the rules page of a version, grouped by entity, and the
//! rules listed against each field of an entity page.

use std::collections::BTreeMap;

use norm_model::catalog::Standard;
use norm_model::model::{Relation, Rule, RuleSeverity};

use crate::context::{Link, Links, RuleGroupView, RuleView, Tag, VersionBuilder, rule_anchor};

/// The validation rules about each field of `standard`, by (entity, field), each linked to its
/// entry on the rules page.
pub(crate) fn by_field(
    standard: &Standard,
    links: &Links,
) -> BTreeMap<(String, String), Vec<Link>> {
    let mut out: BTreeMap<(String, String), Vec<Link>> = BTreeMap::new();
    for rule in &standard.rules {
        let rule = &rule.value;
        let Some(entity) = &rule.entity else {
            continue;
        };
        for field in &rule.fields {
            out.entry((entity.clone(), field.clone()))
                .or_default()
                .push(Link {
                    label: format!(
                        "{}: {}",
                        rule.code,
                        rule.title.as_deref().unwrap_or_default()
                    ),
                    href: Some(links.rule(standard.id(), &rule.code)),
                });
        }
    }
    out
}

/// Orders rule codes as people read them: `101` before `1001`, `503A` after `503`.
fn code_order(code: &str) -> (usize, &str) {
    let digits = code.chars().take_while(char::is_ascii_digit).count();
    (if digits == 0 { usize::MAX } else { digits }, code)
}

impl VersionBuilder<'_> {
    /// The context of the rules page: the standard's rules grouped by the entity they report
    /// on, entities in the order of the standard, rules in code order.
    pub fn rules(&self) -> Vec<RuleGroupView> {
        let mut by_entity: BTreeMap<&str, Vec<&Rule>> = BTreeMap::new();
        for rule in &self.standard.rules {
            let entity = rule.value.entity.as_deref().unwrap_or_default();
            by_entity.entry(entity).or_default().push(&rule.value);
        }
        let known = self.standard.entities.iter().map(|e| e.value.name.as_str());
        let order: Vec<&str> = known
            .filter(|e| by_entity.contains_key(e))
            .chain(
                by_entity
                    .keys()
                    .copied()
                    .filter(|e| self.standard.entity(e).is_none()),
            )
            .collect();
        order
            .into_iter()
            .map(|entity| {
                let mut rules = by_entity.remove(entity).unwrap_or_default();
                rules.sort_by(|a, b| code_order(&a.code).cmp(&code_order(&b.code)));
                let page = self.standard.entity(entity);
                RuleGroupView {
                    entity: Link {
                        label: page
                            .and_then(|e| e.value.title.clone())
                            .unwrap_or_else(|| entity.to_owned()),
                        href: page.map(|_| self.links.field(self.standard.id(), entity, None)),
                    },
                    anchor: format!("entity-{entity}"),
                    rules: rules.into_iter().map(|r| self.rule_view(r)).collect(),
                }
            })
            .collect()
    }

    fn rule_view(&self, rule: &Rule) -> RuleView {
        let id = self.standard.id();
        let entity = rule.entity.as_deref().unwrap_or_default();
        let has_field = |f: &str| {
            self.standard
                .entity(entity)
                .is_some_and(|e| e.value.fields.iter().any(|x| x.name == f))
        };
        let sql = rule.sql();
        RuleView {
            code: rule.code.clone(),
            anchor: rule_anchor(&rule.code),
            title: rule.title.clone().unwrap_or_default(),
            description_html: crate::context::html(rule.description.as_deref()),
            severity: match rule.severity.unwrap_or(RuleSeverity::Error) {
                RuleSeverity::Error => Tag {
                    text: "error".into(),
                    colour: "red",
                },
                RuleSeverity::Query => Tag {
                    text: "query".into(),
                    colour: "yellow",
                },
            },
            status: Tag::new(rule.status.unwrap_or_default().as_str()),
            deprecation: crate::context::deprecation(rule.deprecation.as_ref(), |r| {
                self.standard.rule(r).map(|_| Link {
                    label: r.to_owned(),
                    href: Some(self.links.rule(id, r)),
                })
            }),
            fields: rule
                .fields
                .iter()
                .map(|f| Link {
                    label: f.clone(),
                    href: has_field(f).then(|| self.links.field(id, entity, Some(f))),
                })
                .collect(),
            sql_kind: sql.map_or("check", |s| s.key()),
            sql: sql
                .map(|s| s.text().trim_end().to_owned())
                .unwrap_or_default(),
            unexpressed: rule.unexpressed.clone(),
            stage: rule.stage.filter(|s| *s != 1),
            since: rule.since.clone(),
            mappings: rule
                .mappings
                .iter()
                .map(|m| {
                    let target =
                        m.to.clone()
                            .or_else(|| m.external.clone())
                            .unwrap_or_default();
                    match m.relation {
                        Relation::Exact => target,
                        other => format!("{target} ({})", crate::context::relation_words(other)),
                    }
                })
                .collect(),
            renamed_from: rule.renamed_from.clone(),
        }
    }
}
