//! CSV files load alike with LF, CRLF and classic Mac OS (CR-only) line endings: the same rows
//! at the same lines, and diagnostics at the line of the field.

use overhang_model::{InputFiles, load};

use crate::{fixtures_dir, read_inputs};

/// Six rows, the last a combination of two rows above it.
fn with_combination() -> InputFiles {
    let files = read_inputs(&fixtures_dir().join("good/base"));
    let csv = String::from_utf8(files.enhancements.bytes.clone()).expect("UTF-8");
    let mut lines: Vec<String> = csv.lines().map(|l| format!("{l},")).collect();
    lines[0] = format!("{}components", lines[0]);
    lines.push(
        "cot_math,Chain-of-thought prompting (fixture),prompting,MATH,3,2024-08,test fixture,\
         assumption,Invented values: a fixture of the loader tests.,"
            .to_owned(),
    );
    lines.push(
        "cot_ttc,Chain of thought with test-time compute (fixture),prompting+solution_choice,\
         MATH,20,2024-08,test fixture,assumption,Invented values: a fixture of the loader tests.,\
         cot_math test_time_compute"
            .to_owned(),
    );
    InputFiles::new(files.assessment.bytes, lines.join("\n") + "\n")
}

/// `files` with enhancements.csv's line ends replaced by `end`.
fn with_line_end(files: &InputFiles, end: &str) -> InputFiles {
    let text = String::from_utf8(files.enhancements.bytes.clone()).expect("UTF-8");
    InputFiles::new(files.assessment.bytes.clone(), text.replace('\n', end))
}

#[test]
fn a_combination_row_loads_alike_with_cr_lf_and_crlf_line_ends() {
    let lf = with_combination();
    let expected: Vec<(String, usize)> = load(&lf)
        .expect("LF")
        .assessment
        .evidence
        .iter()
        .map(|r| (r.id.clone(), r.line))
        .collect();
    assert_eq!(expected.last(), Some(&("cot_ttc".to_owned(), 7)));
    for end in ["\r\n", "\r"] {
        let files = with_line_end(&lf, end);
        let rows: Vec<(String, usize)> = load(&files)
            .unwrap_or_else(|e| panic!("{end:?}: {:?}", e.diagnostics))
            .assessment
            .evidence
            .iter()
            .map(|r| (r.id.clone(), r.line))
            .collect();
        assert_eq!(rows, expected, "{end:?}");
    }
}

#[test]
fn diagnostics_name_the_line_of_the_field_with_any_line_end() {
    let lf = with_combination();
    let text = String::from_utf8(lf.enhancements.bytes.clone()).expect("UTF-8");
    let bad = InputFiles::new(
        lf.assessment.bytes.clone(),
        text.replace("cot_math test_time_compute", "cot_math nowhere"),
    );
    for end in ["\n", "\r\n", "\r"] {
        let files = with_line_end(&bad, end);
        let e = load(&files).expect_err("an unknown component");
        let d: Vec<_> = e.errors().collect();
        assert_eq!(d.len(), 1, "{end:?}: {d:?}");
        assert_eq!(
            (d[0].line, d[0].field.as_str()),
            (7, "row 6, column components"),
            "{end:?}"
        );
        let shown = overhang_model::diagnostic::render(&e.diagnostics, |n| files.text(n));
        assert!(shown.contains("enhancements.csv:7:"), "{end:?}: {shown}");
    }
}

#[test]
fn scaling_rows_have_their_lines_with_cr_line_ends() {
    let files = read_inputs(&fixtures_dir().join("good/base"));
    let scaling = "family,model,compute,benchmark,score,enhancement,source,notes\r\
        toy,Toy 1,1e20,bench,10,,a table,\r\
        toy,Toy 2,1e21,bench,20,,a table,\r\
        \r\
        toy,Toy 3,1e22,bench,x,,a table,\r";
    let e = load(&files.clone().with_scaling(scaling)).expect_err("a score that is no number");
    let d: Vec<_> = e.errors().collect();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].line, d[0].field.as_str()), (5, "row 3, column score"));
    assert_eq!(
        overhang_model::load::csv_field(scaling, 5, "score").map(|(row, s)| (row, &scaling[s])),
        Some((3, "x"))
    );
}
