//! The minijinja templates and their escaping.
//!
//! Each template's output format has its own auto-escape: `.typ.j2` escapes typst markup,
//! `.md.j2` escapes Markdown, `.html.j2` escapes HTML text and attribute values, `.cff.j2`
//! writes YAML double-quoted strings. Values reach typst as
//! JSON, not through these templates, so the typst escape is the second line of defence: a
//! string interpolated by mistake still cannot become markup or code.

use std::fmt::Write as _;

use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, Value};

/// Every template, by name, embedded at build time.
pub(crate) const TEMPLATES: [(&str, &str); 4] = [
    (
        "report.typ.j2",
        include_str!("../../../report/templates/report.typ.j2"),
    ),
    (
        "summary.md.j2",
        include_str!("../../../report/templates/summary.md.j2"),
    ),
    (
        "report.html.j2",
        include_str!("../../../report/templates/report.html.j2"),
    ),
    (
        "CITATION.cff.j2",
        include_str!("../../../report/templates/CITATION.cff.j2"),
    ),
];

/// Escapes text for typst markup: every ASCII punctuation character is backslash-escaped
/// (typst reads `\` followed by any character as that character), and line breaks become
/// spaces (a backslash before a line break would be a forced break).
pub(crate) fn escape_typst_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A typst string literal (with quotes) holding `text` exactly.
pub(crate) fn typst_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Escapes text for a GitHub-flavoured Markdown table cell or sentence.
pub(crate) fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.chars().enumerate() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' | '$' => {
                out.push('\\');
                out.push(c);
            }
            // A list or heading marker only matters at the start of a value.
            '-' | '+' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for HTML, in element content and in quoted attribute values alike: the five
/// characters with a meaning in markup become character references, and control characters
/// other than line breaks and tabs are dropped (HTML forbids most of them).
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A YAML double-quoted scalar; JSON string syntax is a subset of it.
pub(crate) fn yaml_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

fn formatter(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    let escape: fn(&str) -> String = match state.auto_escape() {
        AutoEscape::Custom(name) if name == "typst" => escape_typst_markup,
        AutoEscape::Custom(name) if name == "markdown" => escape_markdown,
        AutoEscape::Custom(name) if name == "html" => escape_html,
        AutoEscape::Custom(name) if name == "yaml" => yaml_string,
        _ => |s: &str| s.to_owned(),
    };
    if value.is_undefined() || value.is_none() {
        return Err(Error::new(
            ErrorKind::UndefinedError,
            "a template printed a missing value",
        ));
    }
    let text = if value.is_safe() {
        value.to_string()
    } else if let Some(s) = value.as_str() {
        escape(s)
    } else if value.is_number() || value.kind() == minijinja::value::ValueKind::Bool {
        value.to_string()
    } else {
        escape(&value.to_string())
    };
    out.write_str(&text).map_err(Error::from)
}

/// The environment with every template loaded.
pub(crate) fn environment() -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    // Block tags take their own line, so the rendered files read like hand-written ones.
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()?,
    );
    env.set_auto_escape_callback(|name| {
        let format = if name.ends_with(".typ.j2") {
            "typst"
        } else if name.ends_with(".md.j2") {
            "markdown"
        } else if name.ends_with(".html.j2") {
            "html"
        } else if name.ends_with(".cff.j2") {
            "yaml"
        } else {
            return AutoEscape::None;
        };
        AutoEscape::Custom(format.into())
    });
    env.set_formatter(formatter);
    env.add_filter("typst_str", |s: String| {
        Value::from_safe_string(typst_string(&s))
    });
    env.add_filter("yaml_str", |s: String| {
        Value::from_safe_string(yaml_string(&s))
    });
    for (name, text) in TEMPLATES {
        env.add_template(name, text)?;
    }
    Ok(env)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typst_markup_escaping_neutralises_every_markup_character() {
        assert_eq!(
            escape_typst_markup("#panic(\"x\") $x^2$ *b* _i_ @ref <l> \\ [ ] //"),
            "\\#panic\\(\\\"x\\\"\\) \\$x\\^2\\$ \\*b\\* \\_i\\_ \\@ref \\<l\\> \\\\ \\[ \\] \\/\\/"
        );
        assert_eq!(escape_typst_markup("a\nb"), "a b");
        assert_eq!(escape_typst_markup("Größe 3x"), "Größe 3x");
    }

    #[test]
    fn typst_strings_round_trip_quotes_and_backslashes() {
        assert_eq!(typst_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(typst_string("x\ny\u{1}"), "\"x\\ny\\u{1}\"");
    }

    #[test]
    fn markdown_escaping_keeps_tables_intact() {
        assert_eq!(escape_markdown("a|b"), "a\\|b");
        assert_eq!(escape_markdown("[x](y)"), "\\[x\\](y)");
        assert_eq!(escape_markdown("- item"), "\\- item");
        assert_eq!(escape_markdown("3.1x to 9.8x"), "3.1x to 9.8x");
        assert_eq!(escape_markdown("<script>&"), "\\<script\\>&amp;");
    }

    #[test]
    fn html_escaping_neutralises_markup_in_text_and_attributes() {
        assert_eq!(
            escape_html("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape_html("a\u{1}b\nc"), "ab\nc");
        assert_eq!(escape_html("Größe ≥ 3x"), "Größe ≥ 3x");
    }

    #[test]
    fn yaml_strings_are_quoted() {
        assert_eq!(yaml_string("a: \"b\"\n"), r#""a: \"b\"\n""#);
    }

    #[test]
    fn the_typst_formatter_escapes_strings_and_leaves_numbers() {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Custom("typst".into()));
        env.set_formatter(formatter);
        env.add_filter("typst_str", |s: String| {
            Value::from_safe_string(typst_string(&s))
        });
        let out = env
            .render_str(
                "{{ s }} {{ n }} {{ s | typst_str }}",
                minijinja::context! { s => "#read(\"/etc/passwd\")", n => 3 },
            )
            .unwrap();
        assert_eq!(
            out,
            "\\#read\\(\\\"\\/etc\\/passwd\\\"\\) 3 \"#read(\\\"/etc/passwd\\\")\""
        );
    }

    #[test]
    fn a_missing_value_is_an_error_not_an_empty_string() {
        let env = environment().unwrap();
        let out = env.render_str("{{ nothing }}", minijinja::context! {});
        assert!(out.is_err());
    }
}
