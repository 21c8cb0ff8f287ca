//! Simple types: built-in types, named restrictions and their facets, enumerations as code
//! lists.

use norm_model::model::Constraints;
use norm_model::{CodeList, FieldType};
use roxmltree::Node;

use super::{Reader, Simple, documentation, is_xs, local};
use crate::common;

impl<'a, 'input> Reader<'a, 'input> {
    /// A `type="..."` of a simple element: a built-in type or a named simple type.
    pub(super) fn named_type(&mut self, decl: Node<'a, 'input>, type_name: &str) -> Simple {
        if let Some(simple) = self.simple.get(local(type_name)).copied() {
            return self.simple_type(simple, None);
        }
        Simple {
            field_type: Some(self.builtin(decl, local(type_name))),
            ..Simple::default()
        }
    }

    pub(super) fn builtin(&mut self, node: Node, name: &str) -> FieldType {
        match name {
            "string" | "normalizedString" | "token" | "NMTOKEN" | "Name" | "NCName" | "ID"
            | "language" | "anyURI" => FieldType::String,
            "date" => FieldType::Date,
            "dateTime" => FieldType::Datetime,
            "time" => FieldType::Time,
            "gYear" => FieldType::Year,
            "gYearMonth" => FieldType::YearMonth,
            "boolean" => FieldType::Boolean,
            "decimal" | "float" | "double" => FieldType::Decimal,
            "integer" | "int" | "long" | "short" | "byte" | "nonNegativeInteger"
            | "positiveInteger" | "negativeInteger" | "nonPositiveInteger" | "unsignedInt"
            | "unsignedLong" | "unsignedShort" | "unsignedByte" => FieldType::Integer,
            other => {
                self.note(
                    node,
                    "type-read-as",
                    format!("type `{other}` read as string"),
                );
                FieldType::String
            }
        }
    }

    /// Reads a simple type's restriction, following named bases (such as `nonEmptyString`)
    /// down to a built-in type and gathering their facets. Enumerations become a code list,
    /// named after the type when it has a name (so fields of one type share it) and after
    /// `element` when it is inline.
    pub(super) fn simple_type(&mut self, node: Node<'a, 'input>, element: Option<&str>) -> Simple {
        let mut simple = Simple::default();
        let mut codes = Vec::new();
        let mut current = Some(node);
        let mut depth = 0;
        while let Some(simple_type) = current.take() {
            depth += 1;
            let Some(restriction) = simple_type.children().find(|n| is_xs(*n, "restriction"))
            else {
                self.note(
                    simple_type,
                    "type-read-as",
                    "a list or union type read as string".to_owned(),
                );
                break;
            };
            if codes.is_empty() {
                codes = self.facets(restriction, &mut simple.constraints);
            } else {
                self.facets(restriction, &mut simple.constraints);
            }
            let base = restriction.attribute("base").map(local).unwrap_or("string");
            match self.simple.get(base).copied() {
                Some(next) if depth < 16 => current = Some(next),
                Some(_) => {}
                None => simple.field_type = Some(self.builtin(restriction, base)),
            }
        }
        if !codes.is_empty() {
            simple.codelist = Some(self.codelist(node, element, codes));
        }
        simple
    }

    /// The facets of a restriction: constraints set in `constraints` (the first, most derived,
    /// value wins), the enumeration's codes returned.
    fn facets(
        &mut self,
        restriction: Node,
        constraints: &mut Constraints,
    ) -> Vec<norm_model::Code> {
        let mut codes = Vec::new();
        for facet in restriction.children().filter(Node::is_element) {
            let value = facet.attribute("value").unwrap_or_default();
            let number = value.parse::<f64>().ok();
            let count = value.parse::<u64>().ok();
            let facet_name = facet.tag_name().name();
            match facet_name {
                "enumeration" => codes.push(common::code(value.to_owned(), documentation(facet))),
                "length" => {
                    constraints.min_length = constraints.min_length.or(count);
                    constraints.max_length = constraints.max_length.or(count);
                }
                "minLength" => constraints.min_length = constraints.min_length.or(count),
                "maxLength" => constraints.max_length = constraints.max_length.or(count),
                "minInclusive" => constraints.minimum = constraints.minimum.or(number),
                "maxInclusive" => constraints.maximum = constraints.maximum.or(number),
                "minExclusive" => {
                    constraints.exclusive_minimum = constraints.exclusive_minimum.or(number);
                }
                "maxExclusive" => {
                    constraints.exclusive_maximum = constraints.exclusive_maximum.or(number);
                }
                "pattern" if constraints.pattern.is_none() => {
                    constraints.pattern = Some(value.to_owned());
                }
                "annotation" => {}
                other => self.note(
                    facet,
                    "not-mapped",
                    format!("facet `{other}` has no constraint in the standard: not kept"),
                ),
            }
        }
        codes
    }

    fn codelist(
        &mut self,
        node: Node<'a, 'input>,
        element: Option<&str>,
        codes: Vec<norm_model::Code>,
    ) -> String {
        let type_name = node.attribute("name");
        if let Some(existing) = type_name.and_then(|t| self.named_lists.get(t)) {
            return existing.clone();
        }
        let base = match type_name {
            Some(t) => {
                let snake = common::name_of(t);
                match snake.strip_suffix("type").map(|s| s.trim_end_matches('_')) {
                    Some(stem) if !stem.is_empty() => stem.to_owned(),
                    _ => snake,
                }
            }
            None => common::name_of(element.unwrap_or("codes")),
        };
        let (name, _) = self.list_names.claim(base);
        let mut list: CodeList = common::closed_list(name.clone(), codes);
        list.description = documentation(node);
        self.out.codelists.push(list);
        if let Some(t) = type_name {
            self.named_lists.insert(t, name.clone());
        }
        name
    }
}
