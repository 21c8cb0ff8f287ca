//! `norm import xsd`: an XML Schema (the CIN census, one a year) read into entities.
//!
//! The nesting of the XML becomes tables. Each top-level element of complex type is an entity;
//! inside it, a complex element that occurs at most once is flattened into the entity that holds
//! it (its fields join the parent's, and the report says so), and one that may repeat becomes a
//! child entity with a reference to its parent. XML rows have no keys, so a parent gets a key
//! field `<parent>_id` and each child a field pointing at it. Simple elements and attributes
//! are fields: built-in types map to norm types, `minOccurs` to `required`, `maxOccurs` to
//! `multiple`, facets to constraints, and enumerations (labelled by `xs:documentation`) to code
//! lists named after their simple type.
//!
//! `xs:include`, `xs:import` and `xs:redefine` are refused: resolving them would mean reading
//! other files, perhaps over the network, and the CIN schemas are each one self-contained file.
//! A document type declaration is refused too (`roxmltree` does so), which rules out entity
//! expansion attacks.

mod types;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use norm_model::FieldType;
use norm_model::model::Constraints;
use roxmltree::{Document, Node};

use crate::common::{self, Names};
use crate::source::read_text;
use crate::yearly;
use crate::{ImportError, Imported, Note, Place, Revision};

const XS: &str = "http://www.w3.org/2001/XMLSchema";

/// How deep elements may nest, and complex types contain one another: far more than any real
/// schema, and little enough that reading one never exhausts the stack.
const MAX_NESTING: usize = 100;

/// What this format reads, for messages.
const WHAT: &str = "XML Schema";

/// Imports the last schema given (a folder stands for its `*.xsd` files by year).
pub fn import(sources: &[PathBuf]) -> Result<Imported, ImportError> {
    let files = yearly::yearly_files(sources, &["xsd"], WHAT)?;
    let last = files.last().ok_or_else(|| yearly::no_sources(WHAT))?;
    read_schema(last)
}

/// One revision per schema, in the order given (a folder: by the year in the file names).
pub fn history(sources: &[PathBuf]) -> Result<Vec<Revision>, ImportError> {
    yearly::yearly_files(sources, &["xsd"], WHAT)?
        .iter()
        .map(|path| {
            Ok(Revision {
                label: yearly::revision_label(path),
                imported: read_schema(path)?,
            })
        })
        .collect()
}

/// Reads one schema file.
fn read_schema(path: &Path) -> Result<Imported, ImportError> {
    let text = read_text(path)?;
    let doc = Document::parse(&text).map_err(|e| {
        let pos = e.pos();
        ImportError {
            place: Place::Line {
                file: path.to_path_buf(),
                line: pos.row as usize,
                column: Some(pos.col as usize),
            },
            message: match e {
                roxmltree::Error::DtdDetected => "a document type declaration (`<!DOCTYPE`) is \
                                                  not read: remove it"
                    .to_owned(),
                _ => {
                    let text = e.to_string();
                    let suffix = format!(" at {}:{}", pos.row, pos.col);
                    let text = text.strip_suffix(&suffix).unwrap_or(&text);
                    format!("not well-formed XML: {text}")
                }
            },
        }
    })?;
    // Depths in document order, each from its parent's, so that no walk here recurses.
    let mut depths = vec![0usize; doc.descendants().count() + 1];
    for node in doc.descendants().filter(Node::is_element) {
        let parent = node.parent().map_or(0, |p| depths[p.id().get_usize()]);
        depths[node.id().get_usize()] = parent + 1;
        if parent + 1 > MAX_NESTING {
            return Err(too_deep(path, &doc, node));
        }
    }
    let schema = doc.root_element();
    if !is_xs(schema, "schema") {
        return Err(ImportError {
            place: place(path, &doc, schema),
            message: "the root element is not `xs:schema`: this is not an XML Schema".to_owned(),
        });
    }
    let mut reader = Reader {
        path,
        doc: &doc,
        out: Imported {
            standard: yearly::standard(&[path.to_path_buf()]),
            entities: Vec::new(),
            codelists: Vec::new(),
            notes: Vec::new(),
        },
        complex: BTreeMap::new(),
        simple: BTreeMap::new(),
        elements: BTreeMap::new(),
        entity_names: Names::default(),
        list_names: Names::default(),
        named_lists: BTreeMap::new(),
        open: Vec::new(),
    };
    for child in schema.children().filter(Node::is_element) {
        let name = child.attribute("name").unwrap_or_default();
        match child.tag_name().name() {
            "include" | "import" | "redefine" => {
                return Err(ImportError {
                    place: place(path, &doc, child),
                    message: format!(
                        "`xs:{}` of `{}` is not followed: norm reads one self-contained schema \
                         file; merge the parts into one file",
                        child.tag_name().name(),
                        child.attribute("schemaLocation").unwrap_or("(no location)")
                    ),
                });
            }
            "complexType" => {
                reader.complex.insert(name, child);
            }
            "simpleType" => {
                reader.simple.insert(name, child);
            }
            "element" => {
                reader.elements.insert(name, child);
            }
            _ => {}
        }
    }
    let referenced: Vec<&str> = schema
        .descendants()
        .filter(|n| is_xs(*n, "element"))
        .filter_map(|n| n.attribute("ref"))
        .map(local)
        .collect();
    let roots: Vec<Node> = schema
        .children()
        .filter(|n| is_xs(*n, "element"))
        .filter(|n| !referenced.contains(&n.attribute("name").unwrap_or_default()))
        .collect();
    for root in roots {
        match reader.complex_of(root) {
            Some(complex) => {
                reader.entity(root, complex, None)?;
            }
            None => reader.note(
                root,
                "not-mapped",
                "a top-level element of simple type holds no table: not kept".to_owned(),
            ),
        }
    }
    Ok(reader.out)
}

fn too_deep(path: &Path, doc: &Document, node: Node) -> ImportError {
    ImportError {
        place: place(path, doc, node),
        message: format!("nested more than {MAX_NESTING} levels deep: not read"),
    }
}

fn is_xs(node: Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(XS)
}

/// The local part of a qualified name such as `xs:date`.
fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn place(path: &Path, doc: &Document, node: Node) -> Place {
    let pos = doc.text_pos_at(node.range().start);
    Place::Line {
        file: path.to_path_buf(),
        line: pos.row as usize,
        column: Some(pos.col as usize),
    }
}

/// The text of a node's `xs:annotation/xs:documentation` children, joined.
fn documentation(node: Node) -> Option<String> {
    let text: Vec<String> = node
        .children()
        .filter(|n| is_xs(*n, "annotation"))
        .flat_map(|a| a.children().filter(|n| is_xs(*n, "documentation")))
        .filter_map(|d| d.text())
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        .collect();
    (!text.is_empty()).then(|| text.join(" "))
}

/// The names taken by an entity's fields.
fn field_names(entity: &norm_model::Entity) -> Names {
    let mut names = Names::default();
    for field in &entity.fields {
        names.claim(field.name.clone());
    }
    names
}

/// How often an element occurs: `(minOccurs >= 1, maxOccurs > 1)`.
fn occurs(node: Node) -> (bool, bool) {
    let min = node.attribute("minOccurs").unwrap_or("1") != "0";
    let max = node
        .attribute("maxOccurs")
        .is_some_and(|m| m == "unbounded" || m.parse::<u64>().is_ok_and(|n| n > 1));
    (min, max)
}

struct Reader<'a, 'input> {
    path: &'a Path,
    doc: &'a Document<'input>,
    out: Imported,
    complex: BTreeMap<&'a str, Node<'a, 'input>>,
    simple: BTreeMap<&'a str, Node<'a, 'input>>,
    elements: BTreeMap<&'a str, Node<'a, 'input>>,
    entity_names: Names,
    list_names: Names,
    /// The code list made for each named simple type, so that every field of the type shares it.
    named_lists: BTreeMap<&'a str, String>,
    /// Complex types being read, to stop at a type that contains itself.
    open: Vec<Node<'a, 'input>>,
}

/// What a simple type says about its values.
#[derive(Default)]
struct Simple {
    field_type: Option<FieldType>,
    constraints: Constraints,
    codelist: Option<String>,
}

impl<'a, 'input> Reader<'a, 'input> {
    fn note(&mut self, node: Node, kind: &'static str, message: String) {
        let place = place(self.path, self.doc, node);
        self.out.notes.push(Note {
            place,
            kind,
            message,
        });
    }

    /// The declaration an `xs:element ref="..."` stands for, or the element itself.
    fn resolve(&self, element: Node<'a, 'input>) -> Node<'a, 'input> {
        element
            .attribute("ref")
            .and_then(|r| self.elements.get(local(r)).copied())
            .unwrap_or(element)
    }

    /// The complex type of an element declaration, named or inline.
    fn complex_of(&self, element: Node<'a, 'input>) -> Option<Node<'a, 'input>> {
        let element = self.resolve(element);
        match element.attribute("type") {
            Some(t) => self.complex.get(local(t)).copied(),
            None => element.children().find(|n| is_xs(*n, "complexType")),
        }
    }

    /// Makes an entity for `element`, a child of `parent` when given, and returns its index.
    fn entity(
        &mut self,
        element: Node<'a, 'input>,
        complex: Node<'a, 'input>,
        parent: Option<usize>,
    ) -> Result<usize, ImportError> {
        let element = self.resolve(element);
        let source = element.attribute("name").unwrap_or("unnamed");
        let (name, _) = self.entity_names.claim(common::name_of(source));
        let mut entity = common::entity(name);
        entity.description = documentation(element).or_else(|| documentation(complex));
        let index = self.out.entities.len();
        self.out.entities.push(entity);
        if let Some(parent) = parent {
            let key = self.key_of(parent, element);
            let parent_name = self.out.entities[parent].name.clone();
            let mut field = common::typed_field(key.clone(), None, FieldType::String);
            field.required = true;
            field.references = Some(format!("{parent_name}.{key}"));
            self.out.entities[index].fields.push(field);
        }
        self.fill(complex, index, true)?;
        Ok(index)
    }

    /// The key field of a parent entity, made on first use (at `node`, the first repeated
    /// child): XML nests a child in its parent, a table needs a value to point at.
    fn key_of(&mut self, entity: usize, node: Node) -> String {
        if let Some(key) = self.out.entities[entity].primary_key.first() {
            return key.clone();
        }
        let target = &self.out.entities[entity];
        let wanted = format!("{}_id", target.name);
        let (key, renamed) = field_names(target).claim(wanted.clone());
        if renamed {
            self.note(
                node,
                "name-taken",
                format!("the key `{wanted}` added for the children is taken: named `{key}`"),
            );
        }
        let mut field = common::typed_field(key.clone(), None, FieldType::String);
        field.required = true;
        field.description = Some(
            "Identifies the record; added on import, as the XML nests its children in it."
                .to_owned(),
        );
        let target = &mut self.out.entities[entity];
        target.fields.insert(0, field);
        target.primary_key = vec![key.clone()];
        key
    }

    /// Adds the content of a complex type to `entity`. `required` is false inside an optional
    /// or flattened-choice wrapper, whose fields cannot be required of every row.
    fn fill(
        &mut self,
        complex: Node<'a, 'input>,
        entity: usize,
        required: bool,
    ) -> Result<(), ImportError> {
        if self.open.contains(&complex) {
            self.note(
                complex,
                "not-mapped",
                "the type contains itself: the inner copy is not read again".to_owned(),
            );
            return Ok(());
        }
        if self.open.len() >= MAX_NESTING {
            return Err(too_deep(self.path, self.doc, complex));
        }
        self.open.push(complex);
        for node in complex.children().filter(Node::is_element) {
            self.particle(node, entity, required)?;
        }
        self.open.pop();
        Ok(())
    }

    fn particle(
        &mut self,
        node: Node<'a, 'input>,
        entity: usize,
        required: bool,
    ) -> Result<(), ImportError> {
        match node.tag_name().name() {
            "sequence" | "all" => {
                let (min, _) = occurs(node);
                for child in node.children().filter(Node::is_element) {
                    self.particle(child, entity, required && min)?;
                }
            }
            "choice" => {
                self.note(
                    node,
                    "flattened",
                    "a choice: each of its branches is read as an optional field".to_owned(),
                );
                for child in node.children().filter(Node::is_element) {
                    self.particle(child, entity, false)?;
                }
            }
            "element" => self.element(node, entity, required)?,
            "attribute" => {
                let attribute_required = node.attribute("use") == Some("required");
                self.simple_field(node, entity, required && attribute_required, false);
            }
            "complexContent" | "simpleContent" => self.content(node, entity, required)?,
            "annotation" => {}
            other => self.note(
                node,
                "not-mapped",
                format!("`xs:{other}` has no place in the standard: not kept"),
            ),
        }
        Ok(())
    }

    /// `xs:complexContent` or `xs:simpleContent` with an extension or restriction of a base.
    fn content(
        &mut self,
        node: Node<'a, 'input>,
        entity: usize,
        required: bool,
    ) -> Result<(), ImportError> {
        for derivation in node.children().filter(Node::is_element) {
            let base = derivation.attribute("base").map(local);
            if let Some(base) = base.and_then(|b| self.complex.get(b).copied()) {
                self.fill(base, entity, required)?;
            } else if node.tag_name().name() == "simpleContent" {
                self.note(
                    node,
                    "flattened",
                    "an element with text and attributes: the text is not kept, the \
                     attributes are fields"
                        .to_owned(),
                );
            }
            self.fill(derivation, entity, required)?;
        }
        Ok(())
    }

    fn element(
        &mut self,
        node: Node<'a, 'input>,
        entity: usize,
        required: bool,
    ) -> Result<(), ImportError> {
        let (min, repeated) = occurs(node);
        let Some(complex) = self.complex_of(node) else {
            self.simple_field(node, entity, required && min, repeated);
            return Ok(());
        };
        let name = self.resolve(node).attribute("name").unwrap_or("unnamed");
        if repeated {
            self.entity(node, complex, Some(entity))?;
        } else {
            let into = self.out.entities[entity].name.clone();
            self.note(
                node,
                "flattened",
                format!("`{name}` occurs at most once: its fields are read into `{into}`"),
            );
            self.fill(complex, entity, required && min)?;
        }
        Ok(())
    }

    /// A field for a simple element or an attribute.
    fn simple_field(
        &mut self,
        node: Node<'a, 'input>,
        entity: usize,
        required: bool,
        multiple: bool,
    ) {
        let decl = self.resolve(node);
        let source = decl.attribute("name").unwrap_or("unnamed");
        let simple = match decl.attribute("type") {
            Some(t) => self.named_type(decl, t),
            None => match decl.children().find(|n| is_xs(*n, "simpleType")) {
                Some(inline) => self.simple_type(inline, Some(source)),
                None => Simple::default(),
            },
        };
        let (name, renamed) =
            field_names(&self.out.entities[entity]).claim(common::name_of(source));
        if renamed {
            self.note(
                decl,
                "name-taken",
                format!("`{source}` gives a name already taken in its entity: named `{name}`"),
            );
        }
        let field_type = if simple.codelist.is_some() {
            FieldType::Code
        } else {
            simple.field_type.unwrap_or(FieldType::String)
        };
        let mut field = common::typed_field(name, Some(source.to_owned()), field_type);
        field.description = documentation(decl);
        field.required = required;
        field.multiple = multiple;
        field.codelist = simple.codelist;
        field.constraints =
            (simple.constraints != Constraints::default()).then_some(simple.constraints);
        self.out.entities[entity].fields.push(field);
    }
}
