//! Pricing: which arc enters the basis. Block search, as in LEMON's network simplex (Király & Kovács 2012): the
//! arcs are scanned in blocks from where the last search stopped, and the most violating arc of the first block
//! that has one enters.

use super::{Simplex, TREE};

impl Simplex {
    /// The block for networks of general shape (several demand nodes: transshipment networks, grids,
    /// assignments): twice √arcs, where LEMON's default is √arcs. The short blocks of [`Simplex::new`] suit the
    /// hub-shaped networks they were measured on, where any improving arc is about as good as the best; on
    /// general networks the arc a short block finds is often a poor one, and the extra pivots cost more than
    /// the longer scans (each pivot walks a cycle and a subtree through the whole tree, in no order the cache
    /// can follow). On generated transshipment networks and square grids of 65 536 nodes, blocks of √arcs to
    /// 3·√arcs took a third to a half of the time of √arcs / 10; between one, two, three and six times √arcs,
    /// instruction and cache-miss counts (cachegrind, 16 384 nodes) were close, two the least over both.
    pub(super) fn general_block(arcs: usize) -> usize {
        (2 * (arcs as f64).sqrt() as usize).max(64)
    }

    /// Block search: the most violating arc of the first block that has one. The scan walks plain slices so that
    /// only the two potential look-ups are checked.
    pub(super) fn find_entering(&mut self) -> Option<usize> {
        // Only the network's own arcs are priced: an artificial arc that is not in the basis is never needed
        // again (the big-M argument: every flow of the network itself is feasible without it, and costs less),
        // so re-solves price fewer arcs.
        let arcs = self.real_arcs();
        let mut best = 0i64;
        let mut best_arc = usize::MAX;
        let mut start = self.next_arc;
        let mut scanned = 0;
        while scanned < arcs {
            let end = (start + self.block).min(arcs);
            let pi = &self.pi;
            let states = &self.state[start..end];
            let ends = self.from[start..end].iter().zip(&self.to[start..end]);
            for (k, ((&state, (&from, &to)), &cost)) in states.iter().zip(ends).zip(&self.cost[start..end]).enumerate()
            {
                if state != TREE {
                    let violation = i64::from(state) * (cost + pi[from as usize] - pi[to as usize]);
                    if violation < best {
                        best = violation;
                        best_arc = start + k;
                    }
                }
            }
            scanned += end - start;
            start = if end == arcs { 0 } else { end };
            if best_arc != usize::MAX {
                self.next_arc = start;
                self.operations += scanned as u64;
                return Some(best_arc);
            }
        }
        self.operations += scanned as u64;
        None
    }
}
