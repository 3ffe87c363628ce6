//! Sorted byte ranges where Obsidian syntax is not recognized: code, math, HTML, comments.

use std::ops::Range;

/// Non-overlapping ranges sorted by start, merged when they touch.
#[derive(Clone, Debug, Default)]
pub(crate) struct Zones {
    ranges: Vec<Range<usize>>,
}

impl Zones {
    /// Builds the set from ranges in any order, merging overlaps.
    pub(crate) fn new(mut ranges: Vec<Range<usize>>) -> Zones {
        ranges.retain(|r| r.start < r.end);
        // Ranges mostly arrive in document order, so this sort is nearly free.
        ranges.sort_unstable_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        Zones { ranges: merged }
    }

    pub(crate) fn ranges(&self) -> &[Range<usize>] {
        &self.ranges
    }

    /// Whether `pos` lies inside a zone.
    pub(crate) fn contains(&self, pos: usize) -> bool {
        let i = self.ranges.partition_point(|r| r.end <= pos);
        self.ranges.get(i).is_some_and(|r| r.start <= pos)
    }

    /// Whether any zone shares a byte with `range`.
    pub(crate) fn overlaps(&self, range: Range<usize>) -> bool {
        let i = self.ranges.partition_point(|r| r.end <= range.start);
        self.ranges.get(i).is_some_and(|r| r.start < range.end)
    }

    /// A forward-only reader for positions visited in increasing order.
    pub(crate) fn cursor(&self) -> ZoneCursor<'_> {
        ZoneCursor {
            ranges: &self.ranges,
            next: 0,
        }
    }
}

/// Answers "is this position in a zone?" in amortized constant time for increasing positions.
pub(crate) struct ZoneCursor<'a> {
    ranges: &'a [Range<usize>],
    next: usize,
}

impl ZoneCursor<'_> {
    /// The end of the zone containing `pos`, if any. Positions must not decrease.
    pub(crate) fn zone_end(&mut self, pos: usize) -> Option<usize> {
        while self.next < self.ranges.len() && self.ranges[self.next].end <= pos {
            self.next += 1;
        }
        let r = self.ranges.get(self.next)?;
        (r.start <= pos).then_some(r.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_and_queries() {
        let zones = Zones::new(vec![10..20, 0..5, 15..25, 30..30, 25..27]);
        assert_eq!(zones.ranges(), &[0..5, 10..27]);
        assert!(zones.contains(0));
        assert!(!zones.contains(5));
        assert!(zones.contains(26));
        assert!(!zones.contains(27));
        assert!(zones.overlaps(4..6));
        assert!(!zones.overlaps(5..10));
        assert!(zones.overlaps(9..11));
        let mut cursor = zones.cursor();
        assert_eq!(cursor.zone_end(1), Some(5));
        assert_eq!(cursor.zone_end(7), None);
        assert_eq!(cursor.zone_end(12), Some(27));
        assert_eq!(cursor.zone_end(40), None);
    }
}
