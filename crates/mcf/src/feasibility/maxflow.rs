//! A maximum flow by Dinic's algorithm on a residual graph held in compressed rows: blocking flows along the
//! level graph of shortest augmenting paths, found by a depth-first walk with an explicit stack (chains of
//! thousands of nodes would overflow the call stack of a recursive one) that keeps each node's current arc, so a
//! phase scans every arc once plus the length of the paths it augments.

/// A residual graph: position `p` is an arc `tail → head[p]` with `cap[p]` room left, and `rev[p]` the
/// position of its reverse. Node `u`'s arcs are `start[u]..start[u + 1]`.
pub(super) struct Residual {
    start: Vec<u32>,
    head: Vec<u32>,
    cap: Vec<i64>,
    rev: Vec<u32>,
}

/// An arc to add: tail, head, room left, and the flow it already carries (the room of its reverse).
pub(super) struct Arc {
    pub(super) from: u32,
    pub(super) to: u32,
    pub(super) room: i64,
    pub(super) flow: i64,
}

/// "Not reached" in the level graph.
const UNREACHED: u32 = u32::MAX;

impl Residual {
    /// The residual graph on `nodes` nodes of the arcs `arcs()` yields (called twice: once to count each node's
    /// arcs, once to place them, which spares a list of every arc in memory).
    pub(super) fn new<I: Iterator<Item = Arc>>(nodes: usize, arcs: impl Fn() -> I) -> Residual {
        let mut start = vec![0u32; nodes + 1];
        for a in arcs() {
            start[a.from as usize + 1] += 1;
            start[a.to as usize + 1] += 1;
        }
        for u in 0..nodes {
            start[u + 1] += start[u];
        }
        let total = start[nodes] as usize;
        let mut next = start.clone();
        let (mut head, mut cap, mut rev) = (vec![0u32; total], vec![0i64; total], vec![0u32; total]);
        for a in arcs() {
            let (p, q) = (next[a.from as usize], next[a.to as usize]);
            next[a.from as usize] += 1;
            next[a.to as usize] += 1;
            (head[p as usize], cap[p as usize], rev[p as usize]) = (a.to, a.room, q);
            (head[q as usize], cap[q as usize], rev[q as usize]) = (a.from, a.flow, p);
        }
        Residual { start, head, cap, rev }
    }

    fn nodes(&self) -> usize {
        self.start.len() - 1
    }

    /// Augments from `s` to `t` until no path is left; returns the flow added and, for each node, whether it is
    /// still reachable from `s` in the residual graph (the source side of a minimum cut).
    pub(super) fn max_flow(&mut self, s: usize, t: usize) -> (i128, Vec<bool>) {
        let n = self.nodes();
        let mut level = vec![UNREACHED; n];
        let mut current = vec![0u32; n];
        let mut queue = Vec::with_capacity(n);
        let mut path: Vec<u32> = Vec::new();
        let mut total = 0i128;
        while self.levels(s, t, &mut level, &mut queue) {
            current.copy_from_slice(&self.start[..n]);
            total += self.blocking_flow(s, t, &mut level, &mut current, &mut path);
        }
        (total, level.iter().map(|&l| l != UNREACHED).collect())
    }

    /// Breadth-first levels from `s` over arcs with room; whether `t` was reached. Nodes beyond `t`'s level are
    /// left unlabelled, since no shortest path passes them; when `t` is not reached, the labelled nodes are all
    /// those reachable from `s`.
    fn levels(&self, s: usize, t: usize, level: &mut [u32], queue: &mut Vec<u32>) -> bool {
        level.fill(UNREACHED);
        queue.clear();
        level[s] = 0;
        queue.push(s as u32);
        let mut i = 0;
        while i < queue.len() {
            let u = queue[i] as usize;
            i += 1;
            if level[t] != UNREACHED && level[u] >= level[t] {
                break;
            }
            for p in self.start[u] as usize..self.start[u + 1] as usize {
                let v = self.head[p] as usize;
                if self.cap[p] > 0 && level[v] == UNREACHED {
                    level[v] = level[u] + 1;
                    queue.push(v as u32);
                }
            }
        }
        level[t] != UNREACHED
    }

    /// One phase: augmenting paths along the level graph until it holds none. A node found to be a dead end is
    /// taken out of the level graph; after an augmentation the walk resumes at the tail of the first arc it
    /// saturated.
    fn blocking_flow(
        &mut self,
        s: usize,
        t: usize,
        level: &mut [u32],
        current: &mut [u32],
        path: &mut Vec<u32>,
    ) -> i128 {
        let mut total = 0i128;
        path.clear();
        let mut u = s;
        loop {
            if u == t {
                let pushed = path.iter().map(|&p| self.cap[p as usize]).min().unwrap_or(0);
                let mut first_full = path.len();
                for (k, &p) in path.iter().enumerate() {
                    let p = p as usize;
                    self.cap[p] -= pushed;
                    self.cap[self.rev[p] as usize] += pushed;
                    if self.cap[p] == 0 && first_full == path.len() {
                        first_full = k;
                    }
                }
                total += i128::from(pushed);
                path.truncate(first_full);
                u = path.last().map_or(s, |&p| self.head[p as usize] as usize);
                continue;
            }
            let end = self.start[u + 1];
            while current[u] < end {
                let p = current[u] as usize;
                let v = self.head[p] as usize;
                if self.cap[p] > 0 && level[v] == level[u].wrapping_add(1) {
                    break;
                }
                current[u] += 1;
            }
            if current[u] < end {
                let p = current[u];
                path.push(p);
                u = self.head[p as usize] as usize;
            } else {
                // A dead end: no path to `t` passes here in this phase.
                level[u] = UNREACHED;
                let Some(p) = path.pop() else { return total };
                u = self.head[self.rev[p as usize] as usize] as usize;
                current[u] += 1;
            }
        }
    }
}
