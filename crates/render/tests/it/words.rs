//! One owner of the words: every sentence the PDF prints is also on the web page. The PDF's
//! wording is the reference; report.html.j2 repeats its static prose (section intros, captions,
//! how to read the report), and this catches the two drifting apart.

use crate::fixture;

/// Sentences the page words differently on purpose, with the reason. Each is matched against
/// the PDF's sentence after [`normalise`]. A cross-reference needs none: see [`REFERENCE`].
const EXCEPTIONS: &[(&str, &str)] = &[];

/// How typst writes a reference to a heading (`@fit-methods` is "Section 5.3", an appendix
/// "Section B"); the page links to it by its title instead ("Trend fits and bounds",
/// "Appendix B"), so a reference stands for any words up to [`REFERENCE_WORDS`] characters.
const REFERENCE: &str = "Section";
const REFERENCE_WORDS: usize = 80;

/// Sentences shorter than this are headings, labels and table cells, not prose.
const MIN_WORDS: usize = 12;

/// The page's text: tags dropped, entities decoded.
fn page_text(page: &str) -> String {
    let mut text = String::with_capacity(page.len() / 2);
    let mut rest = page;
    // The style sheet is not words.
    if let (Some(a), Some(b)) = (rest.find("<style>"), rest.find("</style>")) {
        text.push_str(&rest[..a]);
        rest = &rest[b..];
    }
    let mut in_tag = false;
    let mut out = String::new();
    for c in text.chars().chain(rest.chars()) {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
}

/// Decodes the entities minijinja's escaping and the template write.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text reduced to what a reader compares: no whitespace (typst may shape a space apart, and a
/// tag may stand between two words), no soft hyphen, straight quotes, one kind of dash.
fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{ad}')
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{2032}' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{2033}' => '"',
            '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            c => c,
        })
        .collect()
}

/// A normalised sentence cut at its references: the pieces that must appear in order, each
/// within [`REFERENCE_WORDS`] characters of the one before.
fn pieces(sentence: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = sentence;
    while let Some(at) = rest.find(REFERENCE) {
        out.push(&rest[..at]);
        let number = &rest[at + REFERENCE.len()..];
        // "5.3", "B": capitals and digits, with dots between them.
        let mut end = 0;
        let bytes = number.as_bytes();
        while end < bytes.len()
            && (bytes[end].is_ascii_uppercase()
                || bytes[end].is_ascii_digit()
                || (bytes[end] == b'.' && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)))
        {
            end += 1;
        }
        rest = &number[end..];
    }
    out.push(rest);
    out
}

/// Whether `page` holds the pieces of a sentence in order, each close after the one before.
fn holds(page: &str, pieces: &[&str]) -> bool {
    let Some((first, rest)) = pieces.split_first() else {
        return true;
    };
    page.match_indices(first).any(|(at, _)| {
        let mut end = at + first.len();
        rest.iter().all(|piece| {
            let window = &page[end..page.len().min(end + REFERENCE_WORDS + piece.len())];
            window.find(piece).is_some_and(|found| {
                end += found + piece.len();
                true
            })
        })
    })
}

/// The sentences of a paragraph, and their clauses: split after `.`, `!`, `?`, `:` or `;`
/// followed by a space.
fn sentences(paragraph: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    for w in chars.windows(2) {
        let ((_, c), (next_at, next)) = (w[0], w[1]);
        if matches!(c, '.' | '!' | '?' | ':' | ';') && next.is_whitespace() {
            out.push(paragraph[start..next_at].trim());
            start = next_at;
        }
    }
    out.push(paragraph[start..].trim());
    out
}

#[test]
fn every_sentence_of_the_pdf_is_on_the_web_page() {
    let results = fixture::committed();
    let charts = overhang_render::charts(&results);
    let pdf = overhang_render::report_text(&results, &charts).unwrap();
    let page = normalise(&page_text(
        &overhang_render::report_html(&results, &charts).unwrap(),
    ));
    if let Some(dir) = std::env::var_os("OVERHANG_RENDER_DUMP") {
        let dir = std::path::Path::new(&dir);
        std::fs::write(dir.join("report-text.txt"), &pdf).unwrap();
        std::fs::write(dir.join("page-text.txt"), &page).unwrap();
    }
    let mut checked = 0;
    let mut missing = Vec::new();
    for paragraph in pdf.lines() {
        for sentence in sentences(paragraph) {
            if sentence.split_whitespace().count() < MIN_WORDS
                || sentence.contains(overhang_render::FORMULA)
            {
                continue;
            }
            checked += 1;
            let words = normalise(sentence);
            if holds(&page, &pieces(&words))
                || EXCEPTIONS.iter().any(|(s, _)| normalise(s) == words)
            {
                continue;
            }
            missing.push(sentence.to_owned());
        }
    }
    assert!(checked > 100, "only {checked} sentences checked");
    assert!(
        missing.is_empty(),
        "{} of {checked} sentences of the PDF are not on the web page:\n{}",
        missing.len(),
        missing.join("\n\n")
    );
}

#[test]
fn the_page_text_decodes_entities_and_drops_tags() {
    assert_eq!(
        page_text("<p class=\"x\">a &amp; b&#39;s &lt;c&gt; &#x2013;</p><style>p{}</style>").trim(),
        "a & b's <c> \u{2013}"
    );
    assert_eq!(normalise("a \u{2019}b\u{2019} \u{2013} c"), "a'b'-c");
    assert_eq!(sentences("One. Two: three"), ["One.", "Two:", "three"]);
    assert_eq!(
        pieces("see(Section5.3),and(SectionB)."),
        ["see(", "),and(", ")."]
    );
    assert!(holds(
        "see(Trendfits),and(AppendixB).",
        &pieces("see(Section5.3),and(SectionB).")
    ));
    assert!(!holds(
        "see(Trendfits),or(AppendixB).",
        &pieces("see(Section5.3),and(SectionB).")
    ));
}
