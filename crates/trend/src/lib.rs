//! Trend fitting for overhang: CEG against date by OLS, WLS and Theil–Sen with a seeded
//! bootstrap, running-best frontiers, and the growth distributions the projection uses.
