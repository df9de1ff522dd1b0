//! The toy family through the whole path from CSV text: the model loads enhancements.csv and
//! scaling.csv, [`calibrate`] derives every `derive` row into the assessment, and its
//! problems come back as located diagnostics.

use overhang_calibrate::calibrate;
use overhang_model::{Assessment, Ceg, Censoring, Diagnostic, InputFiles, load};

use overhang_testkit::{ROUNDING, ULPS, assert_close};

const ENHANCEMENTS: &str = "id,name,category,benchmark,ceg,date,source,evidence,notes\n\
    lifted,Lifted to 35,scaffolding,bench,derive,2023-01,a table,measured,\n\
    beyond,Lifted to 45,scaffolding,bench,derive,2023-06,a table,measured,\n\
    typed,A bound as written,scaffolding,bench,>= 14,2024-01,a paper,primary,\n";

const SCALING: &str = "family,model,compute,benchmark,score,enhancement,source,notes\n\
    toy,Toy 1e20,1e20,bench,10,,a table,\n\
    toy,Toy 1e21,1e21,bench,20,,a table,\n\
    toy,Toy 1e22,1e22,bench,30,,a table,\n\
    toy,Toy 1e23,1e23,bench,40,,a table,\n\
    toy,Toy 1e21 lifted,1e21,bench,35,lifted,a table,\n\
    toy,Toy 1e21 beyond,1e21,bench,45,beyond,a table,\n";

fn assessment_toml() -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../model/tests/fixtures/good/base/assessment.toml"
    );
    std::fs::read(path).expect("the model's base fixture")
}

fn calibrated(enhancements: &str, scaling: &str) -> (Assessment, Vec<Diagnostic>, InputFiles) {
    let files = InputFiles::new(assessment_toml(), enhancements).with_scaling(scaling);
    let mut a = load(&files)
        .unwrap_or_else(|e| panic!("{:#?}", e.diagnostics))
        .assessment;
    let diags = calibrate(&mut a, &files);
    (a, diags, files)
}

#[test]
fn the_toy_family_derives_from_csv_text() {
    let (a, diags, _) = calibrated(ENHANCEMENTS, SCALING);
    assert!(diags.is_empty(), "{diags:#?}");
    let lifted = &a.evidence[0];
    assert_close!(
        lifted.ceg.estimate().unwrap().central(),
        31.622_776_601_683_793,
        ROUNDING.relative(),
        "lifted"
    );
    assert_eq!(lifted.ceg.censoring(), Some(Censoring::None));
    let d = lifted.derivation().expect("derived");
    assert_eq!((d.line, d.base.len()), (6, 4));
    assert_eq!(d.method, "interpolation");
    assert_eq!(
        d.base.iter().map(|p| p.line).collect::<Vec<_>>(),
        [2, 3, 4, 5]
    );
    assert!(d.logistic.is_some());

    let beyond = &a.evidence[1];
    assert_eq!(beyond.ceg.censoring(), Some(Censoring::Lower));
    assert_close!(
        beyond.ceg.estimate().unwrap().central(),
        100.0,
        ULPS.relative(),
        "beyond"
    );
    assert_eq!(beyond.ceg_as_written(), "derive");

    // A bound written in the row stays as written.
    let typed = &a.evidence[2];
    assert!(matches!(typed.ceg, Ceg::Written { .. }), "{:?}", typed.ceg);
    assert_eq!(
        (
            typed.ceg.censoring(),
            typed.ceg.estimate().map(overhang_model::Estimate::central)
        ),
        (Some(Censoring::Lower), Some(14.0))
    );
}

#[test]
fn calibration_problems_point_at_file_line_and_column() {
    // The measurement names a typo, so `lifted` has none: two errors, one in each file.
    let scaling = SCALING.replacen(",lifted,", ",lifted_,", 1);
    let (a, diags, files) = calibrated(ENHANCEMENTS, &scaling);
    let located: Vec<(&str, usize, usize, &str)> = diags
        .iter()
        .map(|d| (d.file.as_str(), d.line, d.column, d.field.as_str()))
        .collect();
    assert_eq!(
        located,
        [
            ("enhancements.csv", 2, 39, "row 1, column ceg"),
            ("scaling.csv", 6, 35, "row 5, column enhancement"),
        ],
        "{diags:#?}"
    );
    assert!(diags.iter().all(Diagnostic::is_error));
    assert_eq!(diags[1].hint.as_deref(), Some("did you mean `lifted`?"));
    let text = files.text("scaling.csv").unwrap();
    assert_eq!(&text[diags[1].span.clone().unwrap()], "lifted_");
    // The row without a measurement waits for a derivation that never came.
    assert_eq!(a.evidence[0].ceg, Ceg::Pending);
}
