//! The section "Changes since version X": the headline numbers that moved and the inputs that
//! changed.

use overhang_model::results::{Changes, InputChange};

use super::{ChangesText, MetricChangeText};
use crate::format::{capitalise, metric_value, plural};

/// One changed input as a line: `item: old → new`.
fn input_change_line(c: &InputChange) -> String {
    match (&c.old, &c.new) {
        (Some(o), Some(n)) => format!("{}: {o} → {n}", c.item),
        (None, Some(n)) => format!("{} added: {n}", c.item),
        (Some(o), None) => format!("{} removed: {o}", c.item),
        (None, None) => format!("{} {}", c.item, c.kind),
    }
}

/// The changed inputs, one line each, except that the rows added to one input (evidence rows,
/// say) make one line that names them.
fn input_lines(changes: &[InputChange]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut added: Vec<(String, Vec<String>)> = Vec::new();
    for c in changes {
        let row = c
            .item
            .split_once('.')
            .filter(|(_, id)| c.kind == "added" && !id.contains('.'));
        match row {
            Some((table, id)) if table == "evidence" => {
                match added.iter_mut().find(|(t, _)| t == table) {
                    Some((_, ids)) => ids.push(id.to_owned()),
                    None => added.push((table.to_owned(), vec![id.to_owned()])),
                }
            }
            _ => lines.push(input_change_line(c)),
        }
    }
    for (table, ids) in added {
        lines.push(if ids.len() == 1 {
            format!("{table}.{} added", ids[0])
        } else {
            format!("{table}: {} rows added: {}", ids.len(), ids.join(", "))
        });
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
    let metrics: Vec<MetricChangeText> = c
        .metrics
        .iter()
        .filter(|m| m.old.is_some())
        .map(|m| MetricChangeText {
            label: m.label.clone(),
            old: metric_value(m.unit, m.old),
            new: metric_value(m.unit, m.new),
        })
        .collect();
    // Formatting can hide a movement too small to show; such rows say nothing to a reader.
    let metrics: Vec<MetricChangeText> = metrics.into_iter().filter(|m| m.old != m.new).collect();
    let inputs = input_lines(&c.inputs);
    let changed_inputs = c.inputs.len();
    let mut overview = match (changed_inputs, metrics.len()) {
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
    }
}

#[cfg(test)]
mod tests {
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
                metric("a", MetricUnit::Multiplier, Some(12.57), Some(21.2)),
                // 12.61x and 12.64x both read 13x: not shown as a movement.
                metric("b", MetricUnit::Multiplier, Some(12.61), Some(12.64)),
                metric("c", MetricUnit::Probability, Some(0.5), None),
                metric("d", MetricUnit::OomPerYear, Some(0.1), Some(0.126)),
            ],
            inputs: vec![InputChange {
                kind: "changed".to_owned(),
                item: "categories.tool_use.elicited".to_owned(),
                old: Some("1.2 to 8".to_owned()),
                new: Some("1.5 to 9".to_owned()),
            }],
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
        assert_eq!(
            rows,
            [
                ("a", "13x", "21x"),
                ("c", "50%", "–"),
                ("d", "0.10 OOM/year", "0.13 OOM/year")
            ]
        );
        assert_eq!(
            t.inputs,
            ["categories.tool_use.elicited: 1.2 to 8 → 1.5 to 9"]
        );
        assert_eq!(
            t.overview,
            "One input changed and three headline numbers moved."
        );
        // Numbers new in this version are counted, not listed; added rows make one line.
        let mut grown = c.clone();
        grown
            .metrics
            .push(metric("e", MetricUnit::Probability, None, Some(0.4)));
        for id in ["x", "y"] {
            grown.inputs.push(InputChange {
                kind: "added".to_owned(),
                item: format!("evidence.{id}"),
                old: None,
                new: Some(format!("row {id}")),
            });
        }
        let t = changes_text(&grown, "0.1.1");
        assert_eq!(t.metrics.len(), 3);
        assert_eq!(
            t.overview,
            "Three inputs changed and three headline numbers moved. One headline number is new \
             in this version, with no counterpart in version 0.1.0; results.json lists it."
        );
        assert_eq!(t.inputs[1], "evidence: 2 rows added: x, y");
    }
}
