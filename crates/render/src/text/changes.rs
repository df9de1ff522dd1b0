//! The section "Changes since version X": the headline numbers that moved and the inputs that
//! changed.

use overhang_model::changes::{ChangeKind, InputChange};
use overhang_model::load::{ASSESSMENT_FILE, ENHANCEMENTS_FILE};
use overhang_model::results::Changes;

use super::{AttributionText, ChangesText, MetricChangeText};
use crate::format::{
    TEXT_CHANGED, attribution_rows, attribution_sentence, capitalise, input_item, input_value,
    metric_value, plural,
};

/// One changed input as a line: `item: old → new`; a change to long text says so without
/// quoting the texts, and an added or removed record gives what names it.
fn input_change_line(c: &InputChange) -> String {
    let item = input_item(c);
    let value = |v: &Option<_>| v.as_ref().map(input_value);
    match (c.kind, value(&c.old), value(&c.new)) {
        (ChangeKind::Changed, _, _) if c.long_text => format!("{item}: {TEXT_CHANGED}"),
        (ChangeKind::Changed, Some(o), Some(n)) => format!("{item}: {o} → {n}"),
        (ChangeKind::Added, _, Some(n)) if !c.long_text => format!("{item} added: {n}"),
        (ChangeKind::Removed, Some(o), _) if !c.long_text => format!("{item} removed: {o}"),
        (kind, _, _) => format!("{item} {}", kind.name()),
    }
}

/// Whether the section leaves a change out: the report's version is in the section's title,
/// and the author's note on the changes is the section's first paragraph.
fn shown_elsewhere(c: &InputChange) -> bool {
    c.file == ASSESSMENT_FILE
        && c.record == "report"
        && ["version", "changes"].contains(&c.field.as_str())
}

/// The changed inputs, one line each, except that the evidence rows added make one line that
/// names them.
fn input_lines(changes: &[&InputChange]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut added = Vec::new();
    for c in changes {
        if c.file == ENHANCEMENTS_FILE && c.field.is_empty() && c.kind == ChangeKind::Added {
            added.push(c.record.as_str());
        } else {
            lines.push(input_change_line(c));
        }
    }
    match added[..] {
        [] => {}
        [id] => lines.push(format!("{ENHANCEMENTS_FILE}, row {id} added")),
        _ => lines.push(format!(
            "{ENHANCEMENTS_FILE}: {} rows added: {}",
            added.len(),
            added.join(", ")
        )),
    }
    lines
}

pub(super) fn changes_text(c: &Changes, version: &str) -> ChangesText {
    // A number this version adds (a new scope, a new policy answer) did not move: it is
    // counted, not listed, so the table shows what a reader of the previous version must
    // revise.
    let added = c
        .metrics
        .iter()
        .filter(|m| m.old.is_none() && m.new.is_some())
        .count();
    // A fitted slope describes the evidence, not the forecast: not a headline number.
    let moved: Vec<(&str, MetricChangeText)> = c
        .metrics
        .iter()
        .filter(|m| m.old.is_some() && !m.id.starts_with("fits."))
        .map(|m| {
            (
                m.id.as_str(),
                MetricChangeText {
                    label: m.label.clone(),
                    old: metric_value(m.unit, m.old),
                    new: metric_value(m.unit, m.new),
                },
            )
        })
        // Formatting can hide a movement too small to show; such rows say nothing to a reader.
        .filter(|(_, m)| m.old != m.new)
        .collect();
    let all_moved = moved.len();
    // The table gives the medians; results.json and overhang diff give every number.
    let metrics: Vec<MetricChangeText> = moved
        .into_iter()
        .filter(|(id, _)| id.contains(".uplift.") && id.rsplit('.').next() == Some("p50"))
        .map(|(_, m)| m)
        .collect();
    let shown: Vec<&InputChange> = c.inputs.iter().filter(|i| !shown_elsewhere(i)).collect();
    let inputs = input_lines(&shown);
    let changed_inputs = shown.len();
    let mut overview = match (changed_inputs, all_moved) {
        (_, m) if !c.inputs_compared => format!(
            "The inputs of version {} cannot be read by this version of overhang, so the \
             inputs that changed are not listed; {} moved.",
            c.since,
            plural(m, "headline number", "headline numbers")
        ),
        (0, 0) => "No input changed and no headline number moved.".to_owned(),
        (i, 0) => format!(
            "{} changed; no headline number moved at the precision shown.",
            capitalise(&plural(i, "input", "inputs"))
        ),
        (0, m) => format!(
            "No input changed; {} moved.",
            plural(m, "headline number", "headline numbers")
        ),
        (i, m) => format!(
            "{} changed and {} moved.",
            capitalise(&plural(i, "input", "inputs")),
            plural(m, "headline number", "headline numbers")
        ),
    };
    if all_moved > metrics.len() {
        overview = format!(
            "{overview} The table gives the {} that moved; results.json and overhang diff give \
             every one.",
            plural(metrics.len(), "median uplift", "median uplifts")
        );
    }
    if added > 0 {
        overview = format!(
            "{overview} {} new in this version, with no counterpart in version {}; results.json \
             lists {}.",
            capitalise(&plural(added, "headline number is", "headline numbers are")),
            c.since,
            if added == 1 { "it" } else { "them" }
        );
    }
    ChangesText {
        title: format!("Changes since version {}", c.since),
        since: c.since.clone(),
        version: version.to_owned(),
        old_label: format!("Version {}", c.since),
        new_label: if c.since == version {
            "This draft".to_owned()
        } else {
            format!("Version {version}")
        },
        text: c.text.clone(),
        metrics,
        inputs,
        overview,
        attribution: c.attribution.as_ref().map(|a| AttributionText {
            sentence: attribution_sentence(a),
            rows: attribution_rows(a),
        }),
    }
}

#[cfg(test)]
mod tests {
    use overhang_model::changes::Value;
    use overhang_model::results::MetricUnit;

    use super::*;

    #[test]
    fn changes_show_only_movements_a_reader_can_see() {
        use overhang_model::results::MetricChange;
        let metric = |id: &str, unit, old, new| MetricChange {
            id: id.to_owned(),
            label: id.to_owned(),
            unit,
            old,
            new,
        };
        let c = Changes {
            since: "0.1.0".to_owned(),
            text: None,
            metrics: vec![
                metric(
                    "s.uplift.12m.p50",
                    MetricUnit::Multiplier,
                    Some(12.57),
                    Some(21.2),
                ),
                // 12.61x and 12.64x both read 13x: not shown as a movement.
                metric(
                    "s.uplift.60m.p50",
                    MetricUnit::Multiplier,
                    Some(12.61),
                    Some(12.64),
                ),
                // Moved, counted, but not a median: results.json gives it.
                metric("s.p.4x.12m", MetricUnit::Probability, Some(0.5), None),
                // A fitted slope is not a headline number: neither counted nor shown.
                metric(
                    "fits.data.slope",
                    MetricUnit::OomPerYear,
                    Some(0.1),
                    Some(0.126),
                ),
            ],
            inputs: vec![
                change("categories.tool_use", "elicited", "1.2 to 8", "1.5 to 9"),
                // In the title and the author's note: not listed again.
                change("report", "version", "0.1.0", "0.1.1"),
            ],
            inputs_compared: true,
            attribution: None,
        };
        let t = changes_text(&c, "0.1.1");
        assert_eq!(t.title, "Changes since version 0.1.0");
        assert_eq!(
            (t.old_label.as_str(), t.new_label.as_str()),
            ("Version 0.1.0", "Version 0.1.1")
        );
        // A draft of the published version's number compares with that version.
        let draft = changes_text(&c, "0.1.0");
        assert_eq!(draft.new_label, "This draft");
        let rows: Vec<(&str, &str, &str)> = t
            .metrics
            .iter()
            .map(|m| (m.label.as_str(), m.old.as_str(), m.new.as_str()))
            .collect();
        assert_eq!(rows, [("s.uplift.12m.p50", "13x", "21x")]);
        assert_eq!(
            t.inputs,
            ["assessment.toml, categories.tool_use.elicited: 1.2 to 8 → 1.5 to 9"]
        );
        assert_eq!(
            t.overview,
            "One input changed and two headline numbers moved. The table gives the one median \
             uplift that moved; results.json and overhang diff give every one."
        );
        // Numbers new in this version are counted, not listed; added rows make one line.
        let mut grown = c.clone();
        grown
            .metrics
            .push(metric("e", MetricUnit::Probability, None, Some(0.4)));
        for id in ["x", "y"] {
            grown.inputs.push(InputChange {
                file: ENHANCEMENTS_FILE.to_owned(),
                record: id.to_owned(),
                field: String::new(),
                kind: ChangeKind::Added,
                old: None,
                new: Some(Value::Text(format!("row {id}"))),
                long_text: false,
            });
        }
        let t = changes_text(&grown, "0.1.1");
        assert_eq!(t.metrics.len(), 1);
        assert_eq!(
            t.overview,
            "Three inputs changed and two headline numbers moved. The table gives the one median \
             uplift that moved; results.json and overhang diff give every one. One headline \
             number is new in this version, with no counterpart in version 0.1.0; results.json \
             lists it."
        );
        assert_eq!(t.inputs[1], "enhancements.csv: 2 rows added: x, y");

        // Inputs that cannot be compared are not reported as unchanged.
        let unread = Changes {
            inputs: Vec::new(),
            inputs_compared: false,
            attribution: None,
            ..c.clone()
        };
        let t = changes_text(&unread, "0.1.1");
        assert!(t.inputs.is_empty());
        assert!(
            t.overview.starts_with(
                "The inputs of version 0.1.0 cannot be read by this version of overhang"
            ),
            "{}",
            t.overview
        );
    }

    fn change(record: &str, field: &str, old: &str, new: &str) -> InputChange {
        InputChange {
            file: ASSESSMENT_FILE.to_owned(),
            record: record.to_owned(),
            field: field.to_owned(),
            kind: ChangeKind::Changed,
            old: Some(Value::Text(old.to_owned())),
            new: Some(Value::Text(new.to_owned())),
            long_text: false,
        }
    }

    #[test]
    fn long_text_is_listed_as_changed_without_the_texts() {
        let note = |s: &str| Some(Value::Text(s.to_owned()));
        let notes = InputChange {
            file: ENHANCEMENTS_FILE.to_owned(),
            record: "gsm8k_verifiers".to_owned(),
            field: "notes".to_owned(),
            kind: ChangeKind::Changed,
            old: note("Sec. 6 Conclusion: the old reading"),
            new: note("Sec. 6 Conclusion: the new reading"),
            long_text: true,
        };
        let scaling = InputChange {
            file: "scaling.csv".to_owned(),
            record: "PaLM / GSM8K / PaLM 62B".to_owned(),
            field: "compute".to_owned(),
            old: Some(Value::Number(2.9e24)),
            new: Some(Value::Number(3e24)),
            ..notes.clone()
        };
        let scaling = InputChange {
            long_text: false,
            ..scaling
        };
        let rationale = InputChange {
            kind: ChangeKind::Added,
            old: None,
            ..change("categories.data", "rationale", "", "A reason")
        };
        let rationale = InputChange {
            long_text: true,
            ..rationale
        };
        assert_eq!(
            input_lines(&[&notes, &scaling, &rationale]),
            [
                "enhancements.csv, row gsm8k_verifiers, notes: text changed",
                "scaling.csv, row PaLM / GSM8K / PaLM 62B, compute: 2.9e24 → 3e24",
                "assessment.toml, categories.data.rationale added",
            ]
        );
    }
}
