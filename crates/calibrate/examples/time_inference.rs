//! How long the inference adds to a build: loads an inputs folder, runs `calibrate()` with its
//! `[inference]` enabled and with it disabled, and prints the median wall time of each over
//! `RUNS` repetitions and their difference (the inference, the influence of every study, the
//! vague-prior posteriors and the backtest, on rayon's threads).
//!
//! `cargo run --release -p overhang-calibrate --example time_inference -- inputs 11`

use std::time::Instant;

use overhang_model::{InputFiles, SourceFile, load};

fn read(dir: &str, name: &str) -> Option<SourceFile> {
    let bytes = std::fs::read(format!("{dir}/{name}")).ok()?;
    Some(SourceFile {
        name: name.to_owned(),
        bytes,
    })
}

#[expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark prints its figures"
)]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).map_or("inputs", String::as_str);
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(11);
    let mut files = InputFiles::new(Vec::new(), Vec::new());
    let (Some(a), Some(e)) = (read(dir, "assessment.toml"), read(dir, "enhancements.csv")) else {
        eprintln!("{dir}: expected assessment.toml and enhancements.csv");
        std::process::exit(66);
    };
    files.assessment = a;
    files.enhancements = e;
    files.scaling = read(dir, "scaling.csv");
    files.composability = read(dir, "composability.csv");
    files.policies = read(dir, "policies.toml");
    let loaded = match load(&files) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{dir}: {} diagnostics", e.diagnostics.len());
            std::process::exit(65);
        }
    };
    let median = |enabled: bool| {
        let mut times: Vec<f64> = (0..runs)
            .map(|_| {
                let mut a = loaded.assessment.clone();
                if let Some(i) = a.inference.as_mut() {
                    i.enabled = enabled;
                }
                let t = Instant::now();
                let diags = overhang_calibrate::calibrate(&mut a, &files);
                let s = t.elapsed().as_secs_f64();
                assert!(!diags.iter().any(overhang_model::Diagnostic::is_error));
                s
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[times.len() / 2]
    };
    // The phases apart: the posteriors (with influence and vague priors), then the backtest.
    let mut a = loaded.assessment.clone();
    let _ = overhang_calibrate::calibrate(&mut a, &files);
    let phase = |f: &dyn Fn()| {
        let mut times: Vec<f64> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[times.len() / 2]
    };
    let infer = phase(&|| {
        let _ = overhang_calibrate::infer::infer_assessment(&a);
    });
    let backtest = phase(&|| {
        let _ = overhang_calibrate::infer::backtest_assessment(&a, None);
    });
    println!("{dir}: the posteriors {infer:.3} s, the backtest {backtest:.3} s");
    let off = median(false);
    let on = median(true);
    println!(
        "{dir}: calibrate() median of {runs} runs on {} threads: {:.3} s with the inference, \
         {:.3} s without; the inference adds {:.3} s",
        rayon::current_num_threads(),
        on,
        off,
        on - off
    );
}
