//! The benchmark's assessment, shared by the criterion bench and the large-run example.

use std::fmt::Write as _;

use overhang_model::{Assessment, InputFiles, load};

/// The benchmark's assessment: the default categories but reasoning, one scenario,
/// largest-first with an uncertain kappa.
pub fn bench_assessment(samples: u64) -> Assessment {
    bench_assessment_with(
        samples,
        "method = \"largest-first\"\nkappa = \"uniform(0.3, 0.9)\"",
    )
}

/// The benchmark's assessment with the given body of `[composability]`.
pub fn bench_assessment_with(samples: u64, composability: &str) -> Assessment {
    let mut toml = format!(
        "[report]\ntitle = \"Bench\"\nversion = \"0.1.0\"\ndate = \"2026-01-01\"\n\
         authors = [\"Bench\"]\nrelease_date = \"2026-01-01\"\n\
         [simulation]\nsamples = {samples}\nseed = 1\n\
         [horizon]\nmonths = 60\nstep_months = 3\n\
         [composability]\n{composability}\n"
    );
    for (id, available, elicited, growth) in [
        ("tool_use", "2 to 20", "1 to 3", "0.02 to 0.25"),
        ("prompting", "1.5 to 10", "1 to 3", "0.01 to 0.15"),
        ("scaffolding", "3 to 30", "1 to 3", "0.03 to 0.3"),
        ("solution_choice", "2 to 20", "1 to 2", "0.02 to 0.25"),
        ("data", "1.5 to 15", "1 to 1.5", "0.02 to 0.25"),
    ] {
        write!(
            toml,
            "[categories.{id}]\nlabel = \"{id}\"\navailable = \"{available}\"\n\
             elicited = \"{elicited}\"\ngrowth = \"{growth}\"\ncap = \"30 to 300\"\n\
             rationale = \"The default inputs' values.\"\n"
        )
        .unwrap();
    }
    for m in [2, 4, 6] {
        write!(
            toml,
            "[[thresholds]]\nlabel = \"{m}x\"\nmultiplier = {m}\npolicy = \"Bench.\"\n"
        )
        .unwrap();
    }
    let files = InputFiles::new(
        toml,
        "id,name,category,benchmark,ceg,date,source,evidence,notes\n\
         r1,Row,scaffolding,,10,2023-10,https://example.org,measured,\n",
    );
    load(&files).expect("bench assessment loads").assessment
}
