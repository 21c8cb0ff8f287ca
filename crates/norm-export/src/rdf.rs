//! A small RDF graph and its two serialisations, JSON-LD and Turtle, so that one description
//! of a record gives both files and they cannot say different things.

use serde_json::{Map, Value, json};

/// The prefixes both serialisations declare: `(prefix, namespace)`.
pub(crate) const PREFIXES: &[(&str, &str)] = &[
    ("adms", "http://www.w3.org/ns/adms#"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dct", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("freq", "http://purl.org/cld/freq/"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    (
        "ukgov",
        "https://w3id.org/co-cddo/ukgov-metadata-exchange-model/",
    ),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// The object of a statement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Term {
    /// An IRI, absolute or relative to the document's base.
    Iri(String),
    /// A compact IRI with one of [`PREFIXES`], such as `freq:irregular`.
    Curie(&'static str),
    /// A blank node, by its label in the document.
    Blank(&'static str),
    /// Text in British English.
    Text(String),
    /// A plain string (an identifier, a version, a code).
    Plain(String),
    /// An `xsd:date`.
    Date(String),
}

/// One subject and its statements.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// The subject: an IRI or a blank node.
    pub(crate) id: Term,
    /// Its `rdf:type`s, as compact IRIs.
    pub(crate) types: Vec<&'static str>,
    /// `(predicate as a compact IRI, object)`, in the order written.
    pub(crate) props: Vec<(&'static str, Term)>,
}

impl Node {
    pub(crate) fn new(id: Term, types: &[&'static str]) -> Node {
        Node {
            id,
            types: types.to_vec(),
            props: Vec::new(),
        }
    }

    pub(crate) fn put(&mut self, predicate: &'static str, object: Term) -> &mut Node {
        self.props.push((predicate, object));
        self
    }
}

/// The language of every text literal.
const LANG: &str = "en-GB";

fn jsonld_term(term: &Term) -> Value {
    match term {
        Term::Iri(iri) => json!({ "@id": iri }),
        Term::Curie(c) => json!({ "@id": c }),
        Term::Blank(b) => json!({ "@id": format!("_:{b}") }),
        Term::Text(t) => json!({ "@value": t, "@language": LANG }),
        Term::Plain(t) => Value::from(t.clone()),
        Term::Date(d) => json!({ "@value": d, "@type": "xsd:date" }),
    }
}

fn jsonld_id(term: &Term) -> Value {
    jsonld_term(term).get("@id").cloned().unwrap_or(Value::Null)
}

/// The graph as JSON-LD 1.1: a context with the prefixes (and `@base` when `base` is not
/// empty) and the nodes in `@graph`.
pub(crate) fn jsonld(nodes: &[Node], base: &str) -> Value {
    let mut context: Map<String, Value> = PREFIXES
        .iter()
        .map(|(p, ns)| ((*p).to_owned(), Value::from(*ns)))
        .collect();
    if !base.is_empty() {
        context.insert("@base".into(), base.into());
    }
    let graph: Vec<Value> = nodes
        .iter()
        .map(|n| {
            let mut obj = Map::new();
            obj.insert("@id".into(), jsonld_id(&n.id));
            obj.insert("@type".into(), n.types.clone().into());
            for (p, o) in &n.props {
                let value = jsonld_term(o);
                match obj.get_mut(*p) {
                    Some(Value::Array(list)) => list.push(value),
                    Some(one) => *one = Value::Array(vec![one.take(), value]),
                    None => {
                        obj.insert((*p).to_owned(), value);
                    }
                }
            }
            Value::Object(obj)
        })
        .collect();
    json!({ "@context": context, "@graph": graph })
}

/// `text` as a Turtle string literal: long strings keep their line breaks.
fn turtle_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An IRI between angle brackets, with the characters Turtle forbids there escaped.
fn turtle_iri(iri: &str) -> String {
    let mut out = String::from("<");
    for c in iri.chars() {
        if c <= ' ' || "<>\"{}|^`\\".contains(c) {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.push('>');
    out
}

fn turtle_term(term: &Term) -> String {
    match term {
        Term::Iri(iri) => turtle_iri(iri),
        Term::Curie(c) => (*c).to_owned(),
        Term::Blank(b) => format!("_:{b}"),
        Term::Text(t) => format!("{}@{LANG}", turtle_string(t)),
        Term::Plain(t) => turtle_string(t),
        Term::Date(d) => format!("{}^^xsd:date", turtle_string(d)),
    }
}

/// The graph as Turtle, with `@base` when `base` is not empty.
pub(crate) fn turtle(nodes: &[Node], base: &str) -> String {
    let mut out = String::new();
    if !base.is_empty() {
        out.push_str(&format!("@base {} .\n", turtle_iri(base)));
    }
    for (p, ns) in PREFIXES {
        out.push_str(&format!("@prefix {p}: {} .\n", turtle_iri(ns)));
    }
    for n in nodes {
        out.push('\n');
        out.push_str(&turtle_term(&n.id));
        let mut lines = vec![format!("a {}", n.types.join(", "))];
        lines.extend(
            n.props
                .iter()
                .map(|(p, o)| format!("{p} {}", turtle_term(o))),
        );
        out.push_str("\n    ");
        out.push_str(&lines.join(" ;\n    "));
        out.push_str(" .\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_iris_are_escaped_for_turtle() {
        assert_eq!(
            turtle_string("say \"hi\"\\\nnext"),
            "\"say \\\"hi\\\"\\\\\\nnext\""
        );
        assert_eq!(turtle_iri("a b<c>"), "<a%20b%3Cc%3E>");
    }

    #[test]
    fn repeated_predicates_become_lists_in_jsonld() {
        let mut n = Node::new(Term::Iri("x".into()), &["dcat:Dataset"]);
        n.put("dcat:distribution", Term::Iri("a".into()))
            .put("dcat:distribution", Term::Iri("b".into()))
            .put("dct:title", Term::Text("T".into()));
        let doc = jsonld(&[n], "");
        assert_eq!(
            doc["@graph"][0]["dcat:distribution"],
            json!([{ "@id": "a" }, { "@id": "b" }])
        );
        assert_eq!(
            doc["@graph"][0]["dct:title"],
            json!({ "@value": "T", "@language": "en-GB" })
        );
        assert!(doc["@context"].get("@base").is_none());
    }
}
