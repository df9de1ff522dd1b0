//! The Monte Carlo engine of overhang: composability aggregation across enhancement
//! categories, post-release uplift on the horizon grid, threshold crossing, and sensitivity.
