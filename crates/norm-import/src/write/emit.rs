//! YAML text from a [`Value`] tree, formatted like the hand-written files of `standards/`: block
//! mappings in the model's key order, short lists of scalars in flow style (`[a, b]`), small
//! mappings of bare words in flow style (`{ max_length: 48 }`), multi-line text as literal block
//! scalars, long single-line text folded at 100 columns, and quotes only where YAML would read
//! the text as something else. Codes and examples are always quoted, as curators write them.

use super::value::Value;

/// The column the writer keeps lines within where it can.
const WIDTH: usize = 100;

/// Keys whose scalar values are always quoted: a code such as `"01"` or an example such as
/// `"2025-05-14"` is data, and quoting all of them keeps a list from mixing styles.
const ALWAYS_QUOTED: &[&str] = &["code", "examples"];

/// How a scalar is written where it appears.
#[derive(Clone, Copy)]
struct Context {
    /// Inside `[...]` or `{...}`: no block scalars, and `,[]{}` need quotes.
    flow: bool,
    /// Under one of [`ALWAYS_QUOTED`].
    quoted: bool,
}

/// The YAML document of a top-level mapping, after the `modeline` comment line.
pub(crate) fn document(modeline: &str, value: &Value) -> String {
    let mut out = format!("{modeline}\n");
    match value {
        Value::Map(entries) => block_map(&mut out, 0, entries, false),
        other => {
            out.push_str(&scalar(other, 0, 0, Context::block(false)));
            out.push('\n');
        }
    }
    out
}

impl Context {
    fn block(quoted: bool) -> Context {
        Context {
            flow: false,
            quoted,
        }
    }
}

/// Whether a value is left out: the model's defaults are absent keys.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Seq(items) => items.is_empty(),
        Value::Map(entries) => entries.is_empty(),
        _ => false,
    }
}

fn block_map(out: &mut String, indent: usize, entries: &[(String, Value)], quoted: bool) {
    let pad = " ".repeat(indent);
    for (key, value) in entries.iter().filter(|(_, v)| !is_empty(v)) {
        let key_text = scalar(&Value::String(key.clone()), 0, 0, Context::block(false));
        let quoted = quoted || ALWAYS_QUOTED.contains(&key.as_str());
        let prefix = format!("{pad}{key_text}: ");
        match value {
            Value::Seq(items) => {
                match flow(value, quoted).filter(|f| prefix.len() + f.len() <= WIDTH) {
                    Some(f) => out.push_str(&format!("{prefix}{f}\n")),
                    None => {
                        out.push_str(&format!("{pad}{key_text}:\n"));
                        block_seq(out, indent + 2, items, quoted);
                    }
                }
            }
            Value::Map(inner) => {
                match flow_map(inner).filter(|f| prefix.len() + f.len() <= WIDTH) {
                    Some(f) => out.push_str(&format!("{prefix}{f}\n")),
                    None => {
                        out.push_str(&format!("{pad}{key_text}:\n"));
                        block_map(out, indent + 2, inner, quoted);
                    }
                }
            }
            _ => {
                let text = scalar(value, indent, prefix.len(), Context::block(quoted));
                out.push_str(&prefix);
                out.push_str(&text);
                out.push('\n');
            }
        }
    }
}

fn block_seq(out: &mut String, indent: usize, items: &[Value], quoted: bool) {
    let pad = " ".repeat(indent);
    for item in items {
        let nested = match item {
            Value::Map(entries) if !entries.is_empty() => {
                let mut inner = String::new();
                block_map(&mut inner, indent + 2, entries, quoted);
                Some(inner)
            }
            Value::Seq(inner_items) if !inner_items.is_empty() => {
                match flow(item, quoted).filter(|f| indent + 2 + f.len() <= WIDTH) {
                    Some(f) => {
                        out.push_str(&format!("{pad}- {f}\n"));
                        continue;
                    }
                    None => {
                        let mut inner = String::new();
                        block_seq(&mut inner, indent + 2, inner_items, quoted);
                        Some(inner)
                    }
                }
            }
            _ => None,
        };
        match nested {
            // The first line of the nested block goes on the `- ` line.
            Some(inner) => {
                out.push_str(&pad);
                out.push_str("- ");
                out.push_str(&inner[indent + 2..]);
            }
            None => {
                let text = scalar(item, indent, indent + 2, Context::block(quoted));
                out.push_str(&format!("{pad}- {text}\n"));
            }
        }
    }
}

/// A sequence of scalars (or of such sequences) in flow style.
fn flow(value: &Value, quoted: bool) -> Option<String> {
    let context = Context { flow: true, quoted };
    match value {
        Value::Seq(items) => {
            let parts = items
                .iter()
                .map(|item| match item {
                    Value::Seq(_) => flow(item, quoted),
                    Value::Map(_) => None,
                    _ => Some(scalar(item, 0, 0, context)),
                })
                .collect::<Option<Vec<_>>>()?;
            Some(format!("[{}]", parts.join(", ")))
        }
        _ => None,
    }
}

/// A mapping whose values are all numbers or booleans (`{ max_length: 48 }`), in flow style.
fn flow_map(entries: &[(String, Value)]) -> Option<String> {
    let context = Context {
        flow: true,
        quoted: false,
    };
    let parts = entries
        .iter()
        .filter(|(_, v)| !is_empty(v))
        .map(|(key, value)| match value {
            Value::Bool(_) | Value::Number(_) => {
                Some(format!("{key}: {}", scalar(value, 0, 0, context)))
            }
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    (!parts.is_empty()).then(|| format!("{{ {} }}", parts.join(", ")))
}

/// A scalar as it is written after `column` characters of a line whose block is at `indent`.
fn scalar(value: &Value, indent: usize, column: usize, context: Context) -> String {
    let text = match value {
        Value::Null => return "null".into(),
        Value::Bool(b) => return b.to_string(),
        Value::Number(n) => return n.clone(),
        Value::String(s) => s,
        Value::Seq(_) | Value::Map(_) => return flow(value, context.quoted).unwrap_or_default(),
    };
    if !context.flow && !context.quoted {
        if let Some(block) = literal(text, indent) {
            return block;
        }
        if column + text.chars().count() > WIDTH
            && let Some(folded) = folded(text, indent)
        {
            return folded;
        }
    }
    if !context.quoted && plain(text, context.flow) {
        text.clone()
    } else {
        double_quoted(text)
    }
}

/// Characters YAML treats as line breaks or that a reader would not see.
fn invisible(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Whether `text` can be written without quotes and read back as the same string.
fn plain(text: &str, flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if text.trim() != text || text.contains('\n') || text.chars().any(invisible) {
        return false;
    }
    // `^` is no indicator, but semver ranges (`"^3.0"`) are quoted by habit.
    if "-?:,[]{}#&*!|>'\"%@`^".contains(first)
        || text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || (flow && text.contains([',', '[', ']', '{', '}']))
    {
        return false;
    }
    !looks_typed(text)
}

/// Whether a YAML reader (1.2 core schema, or an older 1.1 one) would read `text` as something
/// other than a string: null, a boolean, a number, a date.
fn looks_typed(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let words = [
        "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf", "+.inf",
        ".nan",
    ];
    if words.contains(&lower.as_str()) {
        return true;
    }
    let digits = lower.trim_start_matches(['-', '+']);
    lower.parse::<f64>().is_ok()
        || digits.starts_with("0x")
        || digits.starts_with("0o")
        || digits.replace('_', "").parse::<f64>().is_ok()
        // A YAML 1.1 date or time (`2025-05-14`, `12:30`), read as a string by norm but not by
        // every tool.
        || (digits.starts_with(|c: char| c.is_ascii_digit())
            && digits.chars().all(|c| c.is_ascii_digit() || "-:.".contains(c))
            && digits.contains(['-', ':']))
}

/// `text` in double quotes, with every character YAML would not keep escaped.
fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if invisible(c) => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Multi-line text as a literal block scalar (`|`), when every character survives one.
fn literal(text: &str, indent: usize) -> Option<String> {
    if !text.contains('\n') || text.trim_matches('\n').is_empty() {
        return None;
    }
    if text.chars().any(|c| invisible(c) && c != '\t') || text.contains('\r') {
        return None;
    }
    let body = text.trim_end_matches('\n');
    let trailing = text.len() - body.len();
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    // Leading spaces on the first line would be read as the block's indentation.
    let first_line = body.trim_start_matches('\n');
    let indicator = if first_line.starts_with([' ', '\t']) {
        "2"
    } else {
        ""
    };
    if first_line.starts_with('\t') {
        return None;
    }
    let pad = " ".repeat(indent + 2);
    let mut out = format!("|{indicator}{chomp}");
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    for _ in 1..trailing {
        out.push('\n');
    }
    Some(out)
}

/// Long single-line text as a folded block scalar (`>-`) wrapped at [`WIDTH`], when folding
/// gives back exactly the same text: words separated by single spaces.
fn folded(text: &str, indent: usize) -> Option<String> {
    if text.contains("  ")
        || text.trim() != text
        || !text.contains(' ')
        || text.chars().any(|c| invisible(c) || c == '\t' || c == '\n')
    {
        return None;
    }
    let pad = " ".repeat(indent + 2);
    let room = WIDTH.saturating_sub(indent + 2).max(20);
    let mut out = String::from(">-");
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > room {
            out.push('\n');
            out.push_str(&pad);
            out.push_str(&line);
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push('\n');
    out.push_str(&pad);
    out.push_str(&line);
    Some(out)
}
