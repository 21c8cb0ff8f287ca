//! The SQL of validation rules (`check` and `select`): parsing, the normal form that the diff
//! compares, and the tables and columns a rule names. One parser, `sqlparser` with its generic
//! dialect, so that lint, diff and the site agree on what a rule's SQL is.

use std::collections::{BTreeSet, HashMap};
use std::ops::ControlFlow;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use sqlparser::ast::{
    Expr, Ident, ObjectName, Query, Select, SelectItem, Statement, TableFactor, Visit, Visitor,
};
use sqlparser::dialect::GenericDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, Tokenizer};

use crate::model::RuleSql;

/// Deepest nesting of expressions accepted: deep enough for any real rule, shallow enough that
/// a pathological one cannot exhaust the stack.
const RECURSION_LIMIT: usize = 64;

/// Why a rule's SQL does not parse, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlError {
    /// What is wrong, in the parser's words (without its position suffix).
    pub message: String,
    /// Byte offset into the SQL text of the place the parser stopped.
    pub offset: usize,
}

/// A rule's SQL, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// A `check`: one boolean expression.
    Check(Box<Expr>),
    /// A `select`: one query.
    Select(Box<Query>),
}

/// Parses a rule's SQL: a `check` must be one expression, a `select` one query.
pub fn parse(sql: RuleSql<'_>) -> Result<Parsed, SqlError> {
    let text = sql.text();
    let dialect = GenericDialect {};
    let error = |e: ParserError| from_parser_error(text, e);
    let mut parser = Parser::new(&dialect)
        .with_recursion_limit(RECURSION_LIMIT)
        .try_with_sql(text)
        .map_err(error)?;
    let parsed = match sql {
        RuleSql::Check(_) => Parsed::Check(Box::new(parser.parse_expr().map_err(error)?)),
        RuleSql::Select(_) => match parser.parse_statement().map_err(error)? {
            Statement::Query(query) => Parsed::Select(query),
            _ => {
                return Err(SqlError {
                    message: "a `select` must be a query (SELECT ...)".into(),
                    offset: 0,
                });
            }
        },
    };
    // A trailing semicolon is harmless; anything else after the expression or query is not.
    while parser.consume_token(&Token::SemiColon) {}
    let next = parser.peek_token();
    if next.token != Token::EOF {
        return Err(SqlError {
            message: format!(
                "expected the end of the {}, found {}",
                sql.key(),
                next.token
            ),
            offset: offset_of(text, next.span.start.line, next.span.start.column),
        });
    }
    Ok(parsed)
}

/// What lint and diff read from one rule's SQL: whether it parses, the names it uses, and its
/// normal form.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The tables and columns it names, or why it does not parse.
    pub names: Result<Names, SqlError>,
    /// Its normal form ([`normalise`]).
    pub normal: String,
}

/// Distinct texts remembered before the memo starts afresh: far more than any repository's
/// rules over all their revisions, so only a long `norm serve` session ever reaches it.
const MEMO_LIMIT: usize = 50_000;

/// One map for `check`s and one for `select`s, keyed by text, so a look-up borrows the text.
type Memo = Mutex<[HashMap<String, Arc<Analysis>>; 2]>;

static MEMO: LazyLock<Memo> = LazyLock::new(Memo::default);

/// The [`Analysis`] of a rule's SQL, made once per text in a process. The same rule's SQL
/// recurs unchanged in every revision that `norm diff`, `norm check` and `norm build` load
/// (a site with ten years of SSDA903 lints and compares each of its three hundred rules in
/// every year), and parsing was most of a cold site build's work.
pub fn analyse(sql: RuleSql<'_>) -> Arc<Analysis> {
    let kind = usize::from(matches!(sql, RuleSql::Select(_)));
    let memo = || MEMO.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(found) = memo()[kind].get(sql.text()) {
        return found.clone();
    }
    // Made outside the lock, so two threads never wait on each other's parsing; when both
    // make the same text, the results are equal and either is kept.
    let text = sql.text();
    let analysis = Arc::new(match parse(sql) {
        Ok(parsed) => Analysis {
            names: Ok(parsed.names(text)),
            normal: match parsed {
                Parsed::Check(expr) => expr.to_string(),
                Parsed::Select(query) => query.to_string(),
            },
        },
        Err(error) => Analysis {
            names: Err(error),
            normal: normalise_tokens(text),
        },
    });
    let mut memo = memo();
    let texts = &mut memo[kind];
    if texts.len() >= MEMO_LIMIT {
        texts.clear();
    }
    texts.insert(text.to_owned(), analysis.clone());
    analysis
}

/// The SQL in a normal form, so that reformatting (line breaks, indentation, the case of
/// keywords) compares equal: the parsed tree printed back, or, when the SQL does not parse,
/// its tokens with keywords in upper case, one space apart.
pub fn normalise(sql: RuleSql<'_>) -> String {
    analyse(sql).normal.clone()
}

fn normalise_tokens(text: &str) -> String {
    let dialect = GenericDialect {};
    match Tokenizer::new(&dialect, text).tokenize() {
        Ok(tokens) => tokens
            .iter()
            .filter(|t| !matches!(t, Token::Whitespace(_)))
            .map(|t| match t {
                Token::Word(w) if w.quote_style.is_none() && w.keyword != Keyword::NoKeyword => {
                    w.value.to_uppercase()
                }
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" "),
        Err(_) => text.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// A name in a rule's SQL: a table (`previous.episodes`) or a column (`e.decom`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// Its dotted parts, unquoted: `["previous", "episodes"]`, `["e", "decom"]`.
    pub parts: Vec<String>,
    /// Byte offset into the SQL text of its first use.
    pub offset: usize,
}

/// The tables and column names a parsed rule uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    /// Tables read, in first-use order.
    pub tables: Vec<Name>,
    /// Names the query defines itself: common table expressions and aliases of tables,
    /// subqueries and select items. Columns and tables so named are not the standard's.
    pub defined: BTreeSet<String>,
    /// Column references, in first-use order.
    pub columns: Vec<Name>,
}

impl Parsed {
    /// The tables and columns it names; `text` is the SQL it was parsed from.
    pub fn names(&self, text: &str) -> Names {
        let mut collector = Collector {
            text,
            names: Names::default(),
        };
        let _ = match self {
            Parsed::Check(expr) => expr.visit(&mut collector),
            Parsed::Select(query) => query.visit(&mut collector),
        };
        collector.names
    }
}

/// Gathers [`Names`] in one walk of the tree.
struct Collector<'a> {
    text: &'a str,
    names: Names,
}

impl Collector<'_> {
    fn name(&self, idents: &[&Ident]) -> Option<Name> {
        let first = idents.first()?;
        Some(Name {
            parts: idents.iter().map(|i| i.value.clone()).collect(),
            offset: offset_of(self.text, first.span.start.line, first.span.start.column),
        })
    }
}

/// Adds `name` unless a use of the same name is listed already.
fn add(list: &mut Vec<Name>, name: Option<Name>) {
    if let Some(name) = name
        && !list.iter().any(|n| n.parts == name.parts)
    {
        list.push(name);
    }
}

impl Visitor for Collector<'_> {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        for cte in query.with.iter().flat_map(|w| &w.cte_tables) {
            self.names.defined.insert(cte.alias.name.value.clone());
            let columns = cte.alias.columns.iter().map(|c| c.name.value.clone());
            self.names.defined.extend(columns);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<()> {
        for item in &select.projection {
            if let SelectItem::ExprWithAlias { alias, .. } = item {
                self.names.defined.insert(alias.value.clone());
            }
        }
        for window in &select.named_window {
            self.names.defined.insert(window.0.value.clone());
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
        if let TableFactor::Table {
            alias: Some(alias), ..
        }
        | TableFactor::Derived {
            alias: Some(alias), ..
        } = factor
        {
            self.names.defined.insert(alias.name.value.clone());
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_relation(&mut self, name: &ObjectName) -> ControlFlow<()> {
        let idents: Vec<&Ident> = name.0.iter().filter_map(|p| p.as_ident()).collect();
        let name = self.name(&idents);
        add(&mut self.names.tables, name);
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        let name = match expr {
            Expr::Identifier(ident) => self.name(&[ident]),
            Expr::CompoundIdentifier(idents) => self.name(&idents.iter().collect::<Vec<_>>()),
            _ => return ControlFlow::Continue(()),
        };
        add(&mut self.names.columns, name);
        ControlFlow::Continue(())
    }
}

/// The error with its position turned into an offset into `text`. The parser appends
/// " at Line: L, Column: C" to its messages; that suffix is the only place it says where.
fn from_parser_error(text: &str, error: ParserError) -> SqlError {
    let message = match error {
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m,
        ParserError::RecursionLimitExceeded => {
            return SqlError {
                message: format!("nested more than {RECURSION_LIMIT} levels deep"),
                offset: 0,
            };
        }
    };
    match message.rsplit_once(" at Line: ") {
        Some((head, position)) => {
            let mut numbers = position
                .split(", Column: ")
                .map(|n| n.trim().parse::<u64>().unwrap_or(0));
            let line = numbers.next().unwrap_or(0);
            let column = numbers.next().unwrap_or(0);
            SqlError {
                message: head.to_owned(),
                offset: offset_of(text, line, column),
            }
        }
        // Errors at the end of input carry no position: they are at the end of the text.
        None if message.ends_with("found: EOF") => SqlError {
            message: message.replace("found: EOF", "found the end of the SQL"),
            offset: text.trim_end().len(),
        },
        None => SqlError { message, offset: 0 },
    }
}

/// The byte offset of 1-based `line` and character `column` in `text` (0 when out of range).
fn offset_of(text: &str, line: u64, column: u64) -> usize {
    let Some(line_start) = (line >= 1)
        .then(|| {
            let skip = usize::try_from(line - 1).unwrap_or(usize::MAX);
            if skip == 0 {
                Some(0)
            } else {
                text.match_indices('\n').nth(skip - 1).map(|(i, _)| i + 1)
            }
        })
        .flatten()
    else {
        return 0;
    };
    let column = usize::try_from(column.saturating_sub(1)).unwrap_or(0);
    text[line_start..]
        .char_indices()
        .nth(column)
        .map_or(text.len(), |(i, _)| line_start + i)
}

#[cfg(test)]
mod tests;
