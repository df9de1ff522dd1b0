//! Rendering for overhang: deterministic SVG charts, the typst report compiled in-process to
//! PDF, and the Markdown summary for pull requests.
