//! Synthetic vaults for benchmarks and large-scale tests: N notes of realistic size and link density.
