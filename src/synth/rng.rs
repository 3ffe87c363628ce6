//! A small deterministic PRNG (splitmix64 streams) so generated vaults are reproducible.

// Integer-only draws keep vaults identical across platforms.
#[derive(Clone)]
pub(crate) struct Rng(u64);

pub(crate) const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Streams: independent generators derived from one seed.
pub(crate) const STREAM_PLAN: u64 = 1;
pub(crate) const STREAM_NOTE: u64 = 2;

impl Rng {
    /// The generator of one stream for one item (a note), independent of all others.
    pub(crate) fn derive(seed: u64, stream: u64, item: u64) -> Rng {
        Rng(mix64(
            seed ^ mix64(stream.wrapping_mul(GOLDEN) ^ mix64(item)),
        ))
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix64(self.0)
    }

    /// Uniform in `0..n`; `n` must not be 0.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        // 53 random bits as a float in [0, 1): exact, so the same on every platform.
        ((self.next_u64() >> 11) as f64) * (1.0 / (1u64 << 53) as f64) < p
    }

    pub(crate) fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    /// An index in `0..n` skewed towards 0 (about a third of draws land in the first 4%),
    /// like word frequencies or the popularity of notes.
    pub(crate) fn skewed(&mut self, n: usize) -> usize {
        let a = self.below(n);
        let b = self.below(n);
        let c = self.below(n);
        a.min(b).min(c)
    }
}
