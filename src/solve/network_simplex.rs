//! Primal network simplex for min-cost flow, exact in integers.
//!
//! # Method
//! The basis is a spanning tree rooted at an extra node. It starts strongly feasible: every node hangs from the
//! root by an artificial arc, `node → root` at cost 0 for a supply node and `root → node` at cost `M` for a demand
//! node, where `M = (nodes + 1)·(max |cost| + 1)` is larger than the cost of any simple path, so an optimum uses no
//! artificial flow whenever a feasible flow exists. `M` and every potential are checked to fit an `i64` with room
//! to spare; costs of whole flows are summed in `i128`.
//!
//! Each pivot picks an entering arc by block search (the most negative reduced cost within a block of about
//! √arcs / 10 arcs, scanning on from where the last search stopped), finds the cycle it closes through the apex of
//! the two tree paths, and removes the last blocking arc met when walking the cycle from the apex along its
//! orientation. That leaving rule keeps the tree strongly feasible, which rules out cycling on degenerate
//! pivots (Cunningham 1976). The tree is held as parent pointers, subtree sizes and child lists; the apex is
//! found by climbing from the smaller subtree. After a pivot the cut-off subtree is re-hung along the reversed
//! stem, subtree sizes are corrected along the two paths to the apex, and the potentials of whichever side of
//! the tree is smaller are shifted (potentials only matter up to a constant).
//!
//! Complexity: each pivot costs O(cycle + moved subtree + block); the number of pivots is not polynomially
//! bounded in theory but is small in practice on transportation networks.
//!
//! Reference: R. K. Ahuja, T. L. Magnanti, J. B. Orlin, *Network Flows*, 1993, ch. 11.

use super::network::Network;

/// Why a flow problem has no optimum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowError {
    /// Supplies and demands do not balance, or no flow meets them within the capacities.
    Infeasible,
    /// Costs or supplies are too large to be handled exactly in 64-bit integers.
    TooLarge(String),
    /// A negative capacity or an arc naming a node that does not exist.
    Malformed(String),
}

impl std::fmt::Display for FlowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FlowError::Infeasible => write!(f, "no feasible flow"),
            FlowError::TooLarge(why) | FlowError::Malformed(why) => write!(f, "{why}"),
        }
    }
}

/// An optimal flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowSolution {
    /// Flow on each arc of the network.
    pub flow: Vec<i64>,
    /// Total cost, exactly.
    pub cost: i128,
    /// Node potentials proving optimality: reduced costs `cost + π(from) − π(to)` are ≥ 0 on arcs below
    /// capacity and ≤ 0 on arcs with flow.
    pub potential: Vec<i64>,
    /// Number of pivots made.
    pub pivots: u64,
}

const NONE: u32 = u32::MAX;
const LOWER: i8 = 1;
const UPPER: i8 = -1;
const TREE: i8 = 0;

/// A node of the spanning tree.
#[derive(Debug, Clone, Copy)]
struct TreeNode {
    /// Potential.
    pi: i64,
    parent: u32,
    /// The tree arc to the parent.
    pred: u32,
    /// Number of nodes in the subtree rooted here.
    size: u32,
    first_child: u32,
    next_sibling: u32,
    prev_sibling: u32,
    /// Whether the arc to the parent points up (from the node to its parent).
    up: bool,
}

impl TreeNode {
    /// A node without children under `parent`, not yet joined by an arc.
    fn leaf(parent: usize) -> TreeNode {
        TreeNode {
            pi: 0,
            parent: parent as u32,
            pred: NONE,
            size: 1,
            first_child: NONE,
            next_sibling: NONE,
            prev_sibling: NONE,
            up: false,
        }
    }
}

#[derive(Clone)]
struct Simplex {
    node_count: usize,
    from: Vec<u32>,
    to: Vec<u32>,
    cap: Vec<i64>,
    cost: Vec<i64>,
    flow: Vec<i64>,
    state: Vec<i8>,
    /// The spanning tree, one record per node (the root last), kept together so that walking a subtree touches
    /// one cache line per node.
    nodes: Vec<TreeNode>,
    block: usize,
    next_arc: usize,
    stack: Vec<u32>,
    /// The stem of the last pivot, reused between pivots.
    stem: Vec<u32>,
}

/// Solves `net` to optimality. Networks shaped like the engine's relaxation start from [`hub_start`]'s basis,
/// any other from the artificial one.
pub fn solve(net: &Network) -> Result<FlowSolution, FlowError> {
    solve_with(net, &star_candidates(net))
}

/// [`solve`] with the star start's candidates computed beforehand ([`star_candidates`]).
pub fn solve_with(net: &Network, candidates: &[u32]) -> Result<FlowSolution, FlowError> {
    let mut s = Simplex::new(net, 0)?;
    if let Some(start) = hub_start_with(net, candidates) {
        s.start_from_star(net, &start);
    }
    let pivots = s.optimise()?;
    if !s.is_feasible() {
        return Err(FlowError::Infeasible);
    }
    let m = net.arc_count();
    let flow = s.flow[..m].to_vec();
    let cost = net.cost_of(&flow);
    let potential = s.nodes[..s.node_count].iter().map(|node| node.pi).collect();
    Ok(FlowSolution { flow, cost, potential, pivots })
}

/// A first basis shaped as a tree around one hub node, with some arcs starting at capacity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarStart {
    /// The node every other node hangs from, directly or through transit nodes.
    pub hub: usize,
    /// For each node, the arc that joins it to its parent: the hub, or for a transit node another transit node
    /// nearer the hub (ignored for the hub).
    pub star_arc: Vec<u32>,
    /// Arcs that start at their capacity.
    pub saturated: Vec<usize>,
}

/// A good first basis for two-level networks such as the engine's relaxation: one hub with all the demand,
/// supply nodes with an arc into the hub, and transit nodes that reach the hub through a chain of transit nodes
/// (the search network's award chains) or directly. Arcs from supply nodes to transit nodes are placed whole,
/// cheapest first, wherever the supply node still has all of the arc's capacity to send and every arc on the
/// transit node's way to the hub more than that room left. Starting there saves most of the pivots that the
/// artificial start needs to reach a similar flow. `None` when the network has another shape.
pub fn hub_start(net: &Network) -> Option<StarStart> {
    hub_start_with(net, &star_candidates(net))
}

/// The node with all the demand, if exactly one node has demand.
fn hub_of(net: &Network) -> Option<usize> {
    let mut hubs = (0..net.node_count()).filter(|&u| net.supply[u] < 0);
    let hub = hubs.next()?;
    if hubs.next().is_some() {
        return None;
    }
    Some(hub)
}

/// The arcs [`hub_start`] tries to place whole, in the order it tries them: from supply nodes to transit nodes,
/// cheapest first. They depend only on the network's supplies and costs, so a caller that solves one network
/// under many capacities (the Monte Carlo draws of a scenario) sorts them once and passes them to
/// [`hub_start_with`].
pub fn star_candidates(net: &Network) -> Vec<u32> {
    let Some(hub) = hub_of(net) else { return Vec::new() };
    let mut candidates: Vec<u32> = (0..net.arc_count() as u32)
        .filter(|&e| {
            let (from, to) = (net.from[e as usize] as usize, net.to[e as usize] as usize);
            from != hub && to != hub && net.supply[to] == 0 && net.supply[from] > 0 && net.cost[e as usize] < 0
        })
        .collect();
    candidates.sort_by_key(|&e| (net.cost[e as usize], e));
    candidates
}

/// [`hub_start`] with its candidates computed beforehand ([`star_candidates`] of a network with the same
/// supplies and costs).
pub fn hub_start_with(net: &Network, candidates: &[u32]) -> Option<StarStart> {
    let n = net.node_count();
    let hub = hub_of(net)?;
    // Parent arcs: a supply node's widest arc into the hub; a transit node's widest arc into the hub or into
    // another transit node.
    let mut star_arc = vec![u32::MAX; n];
    for e in 0..net.arc_count() {
        let (from, to) = (net.from[e] as usize, net.to[e] as usize);
        let fits = to == hub || (net.supply[from] == 0 && net.supply[to] == 0);
        if from != hub && from != to && fits {
            let best = star_arc[from];
            if best == u32::MAX || net.capacity[e] > net.capacity[best as usize] {
                star_arc[from] = e as u32;
            }
        }
    }
    if (0..n).any(|u| u != hub && star_arc[u] == u32::MAX) {
        return None;
    }
    let parent = |u: usize| net.to[star_arc[u] as usize] as usize;
    // Transit chains must end at the hub (no cycle): a node's depth is at most the number of nodes.
    let mut depth = vec![u32::MAX; n];
    depth[hub] = 0;
    let mut path = Vec::new();
    for u in 0..n {
        let mut v = u;
        while depth[v] == u32::MAX {
            if path.len() > n {
                return None;
            }
            path.push(v);
            v = parent(v);
        }
        while let Some(w) = path.pop() {
            depth[w] = depth[v] + 1;
            v = w;
        }
    }
    let mut left: Vec<i64> = net.supply.clone();
    // What each parent arc can still take.
    let mut room: Vec<i64> = (0..n).map(|u| if u == hub { 0 } else { net.capacity[star_arc[u] as usize] }).collect();
    let mut saturated = Vec::new();
    for &e in candidates {
        let e = e as usize;
        let (from, to, cap) = (net.from[e] as usize, net.to[e] as usize, net.capacity[e]);
        if cap == 0 || cap > left[from] {
            continue;
        }
        let mut v = to;
        let mut fits = true;
        while v != hub {
            fits &= cap < room[v];
            v = parent(v);
        }
        if fits {
            left[from] -= cap;
            let mut v = to;
            while v != hub {
                room[v] -= cap;
                v = parent(v);
            }
            saturated.push(e);
        }
    }
    // A node may have parallel arcs into the hub (the search network splits a need's bypass into a free part and
    // a "must" part): whatever the parent arc cannot carry goes on the others, placed whole.
    for e in 0..net.arc_count() {
        let (from, to) = (net.from[e] as usize, net.to[e] as usize);
        if to == hub && from != hub && star_arc[from] as usize != e {
            let cap = net.capacity[e];
            if cap > 0 && left[from] - cap >= 0 && left[from] > net.capacity[star_arc[from] as usize] {
                left[from] -= cap;
                saturated.push(e);
            }
        }
    }
    Some(StarStart { hub, star_arc, saturated })
}

/// A network simplex that keeps its basis between solves, so a series of problems that differ only in arc costs
/// (branch and bound expresses every decision as a cost) re-optimises from the last optimal tree: a cost change
/// leaves the flow feasible, so only the pivots that the change calls for are made.
#[derive(Clone)]
pub struct WarmSimplex {
    inner: Simplex,
}

impl WarmSimplex {
    /// Prepares `net`; `max_cost` bounds the absolute value of any cost that [`WarmSimplex::set_cost`] will set.
    pub fn new(net: &Network, max_cost: i64) -> Result<WarmSimplex, FlowError> {
        WarmSimplex::with_candidates(net, max_cost, &star_candidates(net))
    }

    /// [`WarmSimplex::new`] with the star start's candidates computed beforehand ([`star_candidates`]).
    pub fn with_candidates(net: &Network, max_cost: i64, candidates: &[u32]) -> Result<WarmSimplex, FlowError> {
        let mut inner = Simplex::new(net, max_cost)?;
        if let Some(start) = hub_start_with(net, candidates) {
            inner.start_from_star(net, &start);
        }
        Ok(WarmSimplex { inner })
    }

    /// Changes the cost of arc `e` (takes effect at the next [`WarmSimplex::optimise`]). The potentials follow
    /// at once, and only where they must: a tree arc's change shifts the subtree below it, any other arc's
    /// change moves nothing (a branch-and-bound node changes a handful of arcs, and recomputing every potential
    /// for each re-solve was 6 % of the sample's draws).
    pub fn set_cost(&mut self, e: usize, cost: i64) {
        let delta = cost - self.inner.cost[e];
        if delta != 0 {
            self.inner.cost[e] = cost;
            self.inner.tree_cost_changed(e, delta);
        }
    }

    /// The current cost of arc `e`.
    pub fn cost(&self, e: usize) -> i64 {
        self.inner.cost[e]
    }

    /// Re-optimises from the current basis; `Err(Infeasible)` when no flow meets the supplies.
    pub fn optimise(&mut self) -> Result<u64, FlowError> {
        let pivots = self.inner.optimise()?;
        if self.inner.is_feasible() { Ok(pivots) } else { Err(FlowError::Infeasible) }
    }

    /// The flow on arc `e`.
    pub fn flow(&self, e: usize) -> i64 {
        self.inner.flow[e]
    }

    /// Number of arcs of the network.
    pub fn arc_count(&self) -> usize {
        self.inner.real_arcs()
    }
}

impl Simplex {
    fn new(net: &Network, extra_max_cost: i64) -> Result<Simplex, FlowError> {
        let n = net.node_count();
        let m = net.arc_count();
        if n >= NONE as usize - 1 || m + n >= NONE as usize {
            return Err(FlowError::TooLarge("too many nodes or arcs".into()));
        }
        for e in 0..m {
            if net.capacity[e] < 0 {
                return Err(FlowError::Malformed(format!("arc {} has negative capacity", e + 1)));
            }
            if net.from[e] as usize >= n || net.to[e] as usize >= n {
                return Err(FlowError::Malformed(format!("arc {} names a node that does not exist", e + 1)));
            }
        }
        let balance: i128 = net.supply.iter().map(|&s| i128::from(s)).sum();
        if balance != 0 {
            return Err(FlowError::Infeasible);
        }
        let total_supply: i128 = net.supply.iter().filter(|&&s| s > 0).map(|&s| i128::from(s)).sum();
        let limit = i128::from(i64::MAX / 8);
        if total_supply >= limit {
            return Err(FlowError::TooLarge(format!("total supply {total_supply} is too large")));
        }
        let max_cost = net.cost.iter().map(|c| i128::from(c.unsigned_abs())).max().unwrap_or(0);
        let max_cost = max_cost.max(i128::from(extra_max_cost.unsigned_abs()));
        let art_cost = (n as i128 + 1) * (max_cost + 1);
        // Potentials are sums of at most `n` arc costs plus two artificial costs: bounded by 3·M.
        if art_cost >= limit / 3 {
            return Err(FlowError::TooLarge(format!("costs up to {max_cost} on {n} nodes are too large")));
        }
        let art_cost = art_cost as i64;
        let infinite = total_supply as i64 + 1;

        let root = n;
        let arcs = m + n;
        let mut s = Simplex {
            node_count: n,
            from: Vec::with_capacity(arcs),
            to: Vec::with_capacity(arcs),
            cap: Vec::with_capacity(arcs),
            cost: Vec::with_capacity(arcs),
            flow: vec![0; arcs],
            state: vec![LOWER; arcs],
            nodes: vec![TreeNode::leaf(root); n + 1],
            // A tenth of √arcs: on the transportation networks of this engine the pivot count hardly depends on the
            // block, so smaller blocks mean less pricing per pivot (see BENCHMARKS.md). At least 64: on small
            // networks re-solved many times (branch and bound on a Monte Carlo draw) tiny blocks cost extra pivots
            // (the sample's draws: 777 draws/s with 16, 942 with 64, 736 with 128).
            block: ((arcs as f64).sqrt() as usize / 10).max(64),
            next_arc: 0,
            stack: Vec::new(),
            stem: Vec::new(),
        };
        // An arc without capacity can never carry flow: it is left out of pricing for good (state 0, like a tree
        // arc; it never enters, so nothing else reads its state).
        for (state, &cap) in s.state.iter_mut().zip(&net.capacity) {
            if cap == 0 {
                *state = TREE;
            }
        }
        s.from.extend_from_slice(&net.from);
        s.to.extend_from_slice(&net.to);
        s.cap.extend_from_slice(&net.capacity);
        s.cost.extend_from_slice(&net.cost);
        for u in 0..n {
            let a = m + u;
            let supply = net.supply[u];
            if supply >= 0 {
                s.from.push(u as u32);
                s.to.push(root as u32);
                s.cost.push(0);
                s.flow[a] = supply;
                s.nodes[u].up = true;
            } else {
                s.from.push(root as u32);
                s.to.push(u as u32);
                s.cost.push(art_cost);
                s.flow[a] = -supply;
                s.nodes[u].pi = art_cost;
            }
            s.cap.push(infinite);
            s.state[a] = TREE;
            s.nodes[u].pred = a as u32;
        }
        s.nodes[root].parent = NONE;
        s.nodes[root].size = (n + 1) as u32;
        for u in (0..n).rev() {
            s.attach(u, root);
        }
        Ok(s)
    }

    /// Block search: the most violating arc of the first block that has one. The scan walks plain slices so that
    /// only the two potential look-ups are checked.
    fn find_entering(&mut self) -> Option<usize> {
        // Only the network's own arcs are priced: an artificial arc that is not in the basis is never needed
        // again (the big-M argument: every flow of the network itself is feasible without it, and costs less),
        // so the sample's re-solves price a fifth fewer arcs.
        let arcs = self.real_arcs();
        let mut best = 0i64;
        let mut best_arc = usize::MAX;
        let mut start = self.next_arc;
        let mut scanned = 0;
        while scanned < arcs {
            let end = (start + self.block).min(arcs);
            let nodes = &self.nodes;
            let states = &self.state[start..end];
            let ends = self.from[start..end].iter().zip(&self.to[start..end]);
            for (k, ((&state, (&from, &to)), &cost)) in states.iter().zip(ends).zip(&self.cost[start..end]).enumerate()
            {
                if state != TREE {
                    let violation = i64::from(state) * (cost + nodes[from as usize].pi - nodes[to as usize].pi);
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
                return Some(best_arc);
            }
        }
        None
    }

    /// Replaces the artificial basis by a star around `hub` with the `saturated` arcs at capacity; returns
    /// whether it did (the start must be strongly feasible: arcs toward the hub below capacity, arcs away from
    /// it carrying flow).
    fn start_from_star(&mut self, net: &Network, start: &StarStart) -> bool {
        let (hub, star_arc, saturated) = (start.hub, &start.star_arc, &start.saturated);
        let n = self.node_count;
        let m = net.arc_count();
        if hub >= n || star_arc.len() != n {
            return false;
        }
        let mut balance: Vec<i64> = net.supply.clone();
        let mut is_saturated = vec![false; m];
        for &e in saturated {
            if e >= m || is_saturated[e] {
                return false;
            }
            is_saturated[e] = true;
            balance[net.from[e] as usize] -= net.capacity[e];
            balance[net.to[e] as usize] += net.capacity[e];
        }
        // Parents, and an order in which every node comes after its parent (none if the arcs do not form a tree
        // around the hub).
        let mut parent = vec![NONE; n];
        for u in (0..n).filter(|&u| u != hub) {
            let a = star_arc[u] as usize;
            if a >= m || is_saturated[a] {
                return false;
            }
            let (from, to) = (net.from[a] as usize, net.to[a] as usize);
            parent[u] = if from == u && to != u {
                to as u32
            } else if to == u && from != u {
                from as u32
            } else {
                return false;
            };
        }
        let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
        for u in (0..n).filter(|&u| u != hub) {
            children[parent[u] as usize].push(u as u32);
        }
        let mut order = vec![hub as u32];
        let mut i = 0;
        while i < order.len() {
            order.extend_from_slice(&children[order[i] as usize]);
            i += 1;
        }
        if order.len() != n {
            return false;
        }
        // Flows on the parent arcs, leaves first: each carries what its subtree has left over.
        let mut star_flow = vec![0i64; n];
        let mut at_capacity = vec![false; n];
        for &u in order.iter().rev() {
            let u = u as usize;
            if u == hub {
                continue;
            }
            let a = star_arc[u] as usize;
            let cap = net.capacity[a];
            let ok = if net.from[a] as usize == u {
                star_flow[u] = balance[u];
                // At capacity, the arc starts outside the tree (at its upper bound) and the node hangs from the
                // root by its artificial arc, which carries nothing.
                at_capacity[u] = balance[u] == cap;
                (0..=cap).contains(&balance[u])
            } else {
                star_flow[u] = -balance[u];
                star_flow[u] > 0 && star_flow[u] <= cap
            };
            if !ok {
                return false;
            }
            balance[parent[u] as usize] += balance[u];
        }
        // The start is valid: rebuild flows, states and the tree.
        let root = n;
        for (e, &full) in is_saturated.iter().enumerate() {
            self.flow[e] = if full { net.capacity[e] } else { 0 };
            self.state[e] = if net.capacity[e] == 0 {
                TREE
            } else if full {
                UPPER
            } else {
                LOWER
            };
        }
        for u in 0..n {
            // Artificial arcs stay out of the basis and out of pricing; only the hub's joins it to the root.
            self.flow[m + u] = 0;
            self.state[m + u] = TREE;
        }
        for node in &mut self.nodes {
            *node = TreeNode::leaf(root);
        }
        self.nodes[root].parent = NONE;
        self.nodes[root].size = (n + 1) as u32;
        let hang_from_root = |s: &mut Simplex, u: usize| {
            let art = m + u;
            s.from[art] = u as u32;
            s.to[art] = root as u32;
            s.cost[art] = 0;
            s.nodes[u].parent = root as u32;
            s.nodes[u].pred = art as u32;
            s.nodes[u].up = true;
        };
        hang_from_root(self, hub);
        for &u in &order[1..] {
            let u = u as usize;
            let a = star_arc[u] as usize;
            self.flow[a] = star_flow[u];
            if at_capacity[u] {
                // (An arc without capacity stays out of pricing, as everywhere.)
                self.state[a] = if net.capacity[a] == 0 { TREE } else { UPPER };
                hang_from_root(self, u);
                continue;
            }
            self.state[a] = TREE;
            self.nodes[u].parent = parent[u];
            self.nodes[u].pred = a as u32;
            self.nodes[u].up = net.from[a] as usize == u;
        }
        // Subtree sizes, leaves first, then the child lists and the potentials.
        for &u in order.iter().rev() {
            let u = u as usize;
            let p = self.nodes[u].parent as usize;
            if p != root {
                self.nodes[p].size += self.nodes[u].size;
            }
        }
        for &u in &order {
            let u = u as usize;
            let p = self.nodes[u].parent as usize;
            self.attach(u, p);
        }
        self.recompute_potentials();
        true
    }

    /// The network's own arcs; the artificial ones (one per node) follow them.
    fn real_arcs(&self) -> usize {
        self.from.len() - self.node_count
    }

    fn is_feasible(&self) -> bool {
        self.flow[self.real_arcs()..].iter().all(|&f| f == 0)
    }

    /// Keeps the potentials exact after arc `e`'s cost changed by `delta`: if `e` is a tree arc, everything
    /// below it moves with it (so that its reduced cost stays zero); else nothing changes.
    fn tree_cost_changed(&mut self, e: usize, delta: i64) {
        let (from, to) = (self.from[e] as usize, self.to[e] as usize);
        let is_child_by = |x: usize, p: usize| self.nodes[x].pred as usize == e && self.nodes[x].parent as usize == p;
        let child = if is_child_by(from, to) {
            from
        } else if is_child_by(to, from) {
            to
        } else {
            return;
        };
        // cost + π(from) − π(to) = 0 on the tree arc, the parent's potential fixed.
        let shift = if self.nodes[child].up { -delta } else { delta };
        self.shift_subtree(child, shift, NONE);
    }

    /// Adds `shift` to the potential of every node in the subtree of `start`, except the subtree of `skip`.
    #[inline]
    fn shift_subtree(&mut self, start: usize, shift: i64, skip: u32) {
        self.stack.clear();
        self.stack.push(start as u32);
        while let Some(x) = self.stack.pop() {
            let x = x as usize;
            self.nodes[x].pi += shift;
            let mut c = self.nodes[x].first_child;
            while c != NONE {
                if c != skip {
                    self.stack.push(c);
                }
                c = self.nodes[c as usize].next_sibling;
            }
        }
    }

    /// Computes every potential from the tree (tree arcs get zero reduced cost): for a new tree.
    fn recompute_potentials(&mut self) {
        let root = self.node_count;
        self.nodes[root].pi = 0;
        self.stack.clear();
        let mut c = self.nodes[root].first_child;
        while c != NONE {
            self.stack.push(c);
            c = self.nodes[c as usize].next_sibling;
        }
        while let Some(x) = self.stack.pop() {
            let x = x as usize;
            let arc = self.nodes[x].pred as usize;
            let p = self.nodes[x].parent as usize;
            // cost + π(from) − π(to) = 0 on the tree arc.
            self.nodes[x].pi =
                if self.nodes[x].up { self.nodes[p].pi - self.cost[arc] } else { self.nodes[p].pi + self.cost[arc] };
            let mut c = self.nodes[x].first_child;
            while c != NONE {
                self.stack.push(c);
                c = self.nodes[c as usize].next_sibling;
            }
        }
    }

    fn optimise(&mut self) -> Result<u64, FlowError> {
        let guard = 50 * (self.cost.len() as u64 + 1000) * 64;
        let mut pivots = 0u64;
        while let Some(e) = self.find_entering() {
            self.pivot(e);
            pivots += 1;
            if pivots > guard {
                return Err(FlowError::TooLarge("the simplex did not converge (a bug: please report)".into()));
            }
        }
        Ok(pivots)
    }

    fn pivot(&mut self, entering: usize) {
        // Flow is pushed along the entering arc from `a` to `b`, then back from `b` to `a` through the tree.
        let (a, b) = if self.state[entering] == LOWER {
            (self.from[entering] as usize, self.to[entering] as usize)
        } else {
            (self.to[entering] as usize, self.from[entering] as usize)
        };
        let join = self.apex(a, b);

        // The cycle, oriented from the apex: down the tree to `a`, the entering arc, up from `b`. The leaving
        // arc is the last blocking one in that order: strict comparison on a's side (scanned from `a` upwards),
        // non-strict on b's side (scanned from `b` upwards, so the last found is nearest the apex).
        let mut delta = self.cap[entering];
        let mut leaving = NONE as usize;
        let mut leaving_on_a_side = false;
        let mut u = a;
        while u != join {
            let arc = self.nodes[u].pred as usize;
            let residual = if self.nodes[u].up { self.flow[arc] } else { self.cap[arc] - self.flow[arc] };
            if residual < delta {
                delta = residual;
                leaving = u;
                leaving_on_a_side = true;
            }
            u = self.nodes[u].parent as usize;
        }
        let mut u = b;
        while u != join {
            let arc = self.nodes[u].pred as usize;
            let residual = if self.nodes[u].up { self.cap[arc] - self.flow[arc] } else { self.flow[arc] };
            if residual <= delta {
                delta = residual;
                leaving = u;
                leaving_on_a_side = false;
            }
            u = self.nodes[u].parent as usize;
        }

        if delta > 0 {
            self.flow[entering] += if self.state[entering] == LOWER { delta } else { -delta };
            let mut u = a;
            while u != join {
                let arc = self.nodes[u].pred as usize;
                self.flow[arc] += if self.nodes[u].up { -delta } else { delta };
                u = self.nodes[u].parent as usize;
            }
            let mut u = b;
            while u != join {
                let arc = self.nodes[u].pred as usize;
                self.flow[arc] += if self.nodes[u].up { delta } else { -delta };
                u = self.nodes[u].parent as usize;
            }
        }

        if leaving == NONE as usize {
            // The entering arc itself blocks: it moves to its other bound and the tree stays.
            self.state[entering] = -self.state[entering];
            return;
        }
        let out_arc = self.nodes[leaving].pred as usize;
        self.state[out_arc] = if self.flow[out_arc] == 0 { LOWER } else { UPPER };
        self.state[entering] = TREE;

        let (u_in, v_in) = if leaving_on_a_side { (a, b) } else { (b, a) };
        // The cut-off subtree leaves the path from its old parent to the apex...
        let moved = self.nodes[leaving].size;
        let mut x = self.nodes[leaving].parent as usize;
        while x != join {
            self.nodes[x].size -= moved;
            x = self.nodes[x].parent as usize;
        }
        // ...and joins the path from `v_in` to the apex.
        let mut x = v_in;
        while x != join {
            self.nodes[x].size += moved;
            x = self.nodes[x].parent as usize;
        }

        // Re-hang the cut-off subtree from `v_in`: parent links along the stem u_in → leaving are reversed.
        self.stem.clear();
        let mut child = u_in;
        let mut new_parent = v_in;
        let mut new_pred = entering;
        loop {
            self.stem.push(child as u32);
            let old_parent = self.nodes[child].parent as usize;
            let old_pred = self.nodes[child].pred as usize;
            self.detach(child);
            self.nodes[child].parent = new_parent as u32;
            self.nodes[child].pred = new_pred as u32;
            self.nodes[child].up = self.from[new_pred] as usize == child;
            self.attach(child, new_parent);
            if child == leaving {
                break;
            }
            new_parent = child;
            new_pred = old_pred;
            child = old_parent;
        }
        // Along the reversed stem s0 = u_in, ..., sk = leaving, each node now holds what it held before minus its
        // old child on the stem, plus its new child on the stem; u_in holds the whole moved subtree.
        let mut below = 0;
        for i in (1..self.stem.len()).rev() {
            let (node, old_child) = (self.stem[i] as usize, self.stem[i - 1] as usize);
            let size = self.nodes[node].size - self.nodes[old_child].size + below;
            self.nodes[node].size = size;
            below = size;
        }
        self.nodes[u_in].size = moved;

        // Give the entering arc zero reduced cost: shift the moved subtree by sigma, or, if it is the larger part,
        // everything else by −sigma.
        let target = if self.nodes[u_in].up {
            self.nodes[v_in].pi - self.cost[entering]
        } else {
            self.nodes[v_in].pi + self.cost[entering]
        };
        let sigma = target - self.nodes[u_in].pi;
        let root = self.node_count;
        let (start, shift, skip) =
            if 2 * moved as usize <= self.node_count + 1 { (u_in, sigma, NONE) } else { (root, -sigma, u_in as u32) };
        self.shift_subtree(start, shift, skip);
        // Shifting the larger side moves the root's potential; keep potentials near zero so they cannot drift
        // towards overflow over millions of pivots.
        if self.nodes[root].pi.unsigned_abs() > 1 << 52 {
            let offset = self.nodes[root].pi;
            for node in &mut self.nodes {
                node.pi -= offset;
            }
        }
    }

    /// The apex of the cycle: the deepest common ancestor of `x` and `y`. A node's ancestors hold strictly larger
    /// subtrees, so climbing from the smaller one never passes the apex.
    fn apex(&self, mut x: usize, mut y: usize) -> usize {
        while x != y {
            if self.nodes[x].size < self.nodes[y].size {
                x = self.nodes[x].parent as usize;
            } else {
                y = self.nodes[y].parent as usize;
            }
        }
        x
    }

    fn detach(&mut self, x: usize) {
        let (prev, next) = (self.nodes[x].prev_sibling, self.nodes[x].next_sibling);
        if prev != NONE {
            self.nodes[prev as usize].next_sibling = next;
        } else {
            let p = self.nodes[x].parent as usize;
            self.nodes[p].first_child = next;
        }
        if next != NONE {
            self.nodes[next as usize].prev_sibling = prev;
        }
    }

    fn attach(&mut self, x: usize, p: usize) {
        let first = self.nodes[p].first_child;
        self.nodes[x].next_sibling = first;
        self.nodes[x].prev_sibling = NONE;
        if first != NONE {
            self.nodes[first as usize].prev_sibling = x as u32;
        }
        self.nodes[p].first_child = x as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_optimality(net: &Network, sol: &FlowSolution) {
        let n = net.node_count();
        let mut balance = net.supply.clone();
        for e in 0..net.arc_count() {
            let (f, c) = (sol.flow[e], net.capacity[e]);
            assert!((0..=c).contains(&f), "arc {e} flow {f} cap {c}");
            balance[net.from[e] as usize] -= f;
            balance[net.to[e] as usize] += f;
            let rc = net.cost[e] + sol.potential[net.from[e] as usize] - sol.potential[net.to[e] as usize];
            assert!(!(rc < 0 && f < c || rc > 0 && f > 0), "arc {e} rc {rc} flow {f}/{c}");
        }
        assert_eq!(balance, vec![0; n]);
    }

    #[test]
    fn solves_a_small_transportation_problem() {
        // Two needs (5, 4) and two offers (6, 10) with a sink; values per unit 3 and 2, bypasses at cost 0.
        let mut net = Network::with_nodes(5);
        net.supply = vec![5, 4, 0, 0, -9];
        net.add_arc(0, 2, 5, -3);
        net.add_arc(0, 3, 5, -1);
        net.add_arc(1, 2, 4, -2);
        net.add_arc(2, 4, 6, 0);
        net.add_arc(3, 4, 10, 0);
        net.add_arc(0, 4, 5, 0);
        net.add_arc(1, 4, 4, 0);
        let sol = solve(&net).unwrap();
        // Best: need 0 takes 5 of offer 2 (15), need 1 takes 1 of offer 2 (2); nothing better for need 1.
        assert_eq!(sol.cost, -17);
        check_optimality(&net, &sol);
    }

    /// Solves `net` with [`solve`] (which takes the hub start where it can) and from the artificial start alone,
    /// checks both reach the same optimal cost, and says whether the hub start was really taken.
    fn same_optimum_from_both_starts(net: &Network) -> bool {
        let with_hub = solve(net).unwrap();
        check_optimality(net, &with_hub);
        let mut plain = Simplex::new(net, 0).unwrap();
        plain.optimise().unwrap();
        assert!(plain.is_feasible());
        assert_eq!(with_hub.cost, net.cost_of(&plain.flow[..net.arc_count()]));
        hub_start(net).is_some_and(|start| Simplex::new(net, 0).unwrap().start_from_star(net, &start))
    }

    /// Relaxation-shaped networks (supply nodes, transit nodes, one hub with all demand, bypass arcs): the hub
    /// start and the artificial start reach the same optimum, and the hub start is really taken.
    #[test]
    fn hub_start_reaches_the_same_optimum_as_the_artificial_start() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut started_from_hub = 0;
        for _ in 0..300 {
            let (needs, offers) = (rng.gen_range(1..8), rng.gen_range(1..5));
            let hub = needs + offers;
            let mut net = Network::with_nodes(hub + 1);
            let mut total = 0;
            for n in 0..needs {
                for o in 0..offers {
                    if rng.gen_bool(0.6) {
                        net.add_arc(n, needs + o, rng.gen_range(0..9), -rng.gen_range(1..40));
                    }
                }
            }
            for o in 0..offers {
                net.add_arc(needs + o, hub, rng.gen_range(0..15), 0);
            }
            for n in 0..needs {
                net.supply[n] = rng.gen_range(0..10);
                total += net.supply[n];
            }
            for n in 0..needs {
                // Either a bypass that can hold the whole supply and more, or one exactly at the supply.
                let cap = if rng.gen_bool(0.5) { total + 1 } else { net.supply[n] };
                net.add_arc(n, hub, cap, 0);
            }
            net.supply[hub] = -total;
            started_from_hub += usize::from(same_optimum_from_both_starts(&net) && total > 0);
        }
        assert!(started_from_hub > 200, "{started_from_hub}");
    }

    /// Search-shaped networks: edges enter chain nodes that lead to their offer through chain arcs (and have a
    /// closed arc into the hub), and a need's bypass is split in two parallel arcs. The tree start goes through
    /// the chains, is really taken, and reaches the artificial start's optimum.
    #[test]
    fn tree_start_through_chains_reaches_the_same_optimum() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(12);
        let mut started = 0;
        for _ in 0..300 {
            let (needs, offers) = (rng.gen_range(1..8), rng.gen_range(1..4));
            let hub = needs + offers;
            let mut net = Network::with_nodes(hub + 1);
            // Up to three chain nodes per offer, each leading to the previous one (the first to the offer).
            let mut entries: Vec<usize> = Vec::new();
            for o in 0..offers {
                let mut towards = needs + o;
                entries.push(towards);
                for _ in 0..rng.gen_range(0..3) {
                    let chain = net.node_count();
                    net.supply.push(0);
                    net.add_arc(chain, towards, rng.gen_range(1..12), 0);
                    net.add_arc(chain, hub, 0, 0);
                    entries.push(chain);
                    towards = chain;
                }
            }
            for o in 0..offers {
                net.add_arc(needs + o, hub, rng.gen_range(0..15), 0);
            }
            let mut total = 0;
            for n in 0..needs {
                for &to in &entries {
                    if rng.gen_bool(0.4) {
                        net.add_arc(n, to, rng.gen_range(0..9), -rng.gen_range(1..40));
                    }
                }
                net.supply[n] = rng.gen_range(0..10);
                total += net.supply[n];
            }
            for n in 0..needs {
                let must = rng.gen_range(0..=net.supply[n]);
                net.add_arc(n, hub, net.supply[n] - must, 0);
                net.add_arc(n, hub, must, 0);
            }
            net.supply[hub] = -total;
            started += usize::from(same_optimum_from_both_starts(&net) && total > 0);
        }
        assert!(started > 200, "{started}");
    }

    #[test]
    fn reports_infeasibility() {
        let mut net = Network::with_nodes(2);
        net.supply = vec![5, -5];
        net.add_arc(0, 1, 3, 1);
        assert_eq!(solve(&net), Err(FlowError::Infeasible));
        net.supply = vec![5, -4];
        assert_eq!(solve(&net), Err(FlowError::Infeasible));
    }

    #[test]
    fn warm_re_solves_after_cost_changes_match_cold_solves() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut checked = 0;
        for _ in 0..200 {
            let n = rng.gen_range(3..12);
            let mut net = Network::with_nodes(n);
            for _ in 0..rng.gen_range(n..4 * n) {
                let (a, b) = (rng.gen_range(0..n), rng.gen_range(0..n));
                if a != b {
                    net.add_arc(a, b, rng.gen_range(0..20), rng.gen_range(-10..10));
                }
            }
            // A path through every node with room for everything keeps each network feasible.
            for u in 1..n {
                net.add_arc(u - 1, u, 1_000, 50);
                net.add_arc(u, u - 1, 1_000, 50);
            }
            let s = rng.gen_range(1..15);
            net.supply[0] += s;
            net.supply[n - 1] -= s;
            let mut warm = WarmSimplex::new(&net, 100).expect("valid");
            warm.optimise().expect("feasible");
            for _ in 0..10 {
                for _ in 0..rng.gen_range(1..4) {
                    let e = rng.gen_range(0..net.arc_count());
                    net.cost[e] = rng.gen_range(-100..100);
                    warm.set_cost(e, net.cost[e]);
                }
                warm.optimise().expect("feasible");
                // The potentials kept up to date equal those recomputed from the tree (up to a constant: only
                // differences are used).
                let relative = |w: &WarmSimplex| -> Vec<i64> {
                    let root = w.inner.nodes[w.inner.node_count].pi;
                    w.inner.nodes.iter().map(|x| x.pi - root).collect()
                };
                let kept = relative(&warm);
                warm.inner.recompute_potentials();
                assert_eq!(kept, relative(&warm));
                let warm_cost: i128 = (0..net.arc_count()).map(|e| i128::from(warm.flow(e) * net.cost[e])).sum();
                assert_eq!(warm_cost, solve(&net).expect("feasible").cost);
                checked += 1;
            }
        }
        assert_eq!(checked, 2_000);
    }

    #[test]
    fn random_networks_are_optimal_by_complementary_slackness() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for _ in 0..300 {
            let n = rng.gen_range(2..12);
            let mut net = Network::with_nodes(n);
            for _ in 0..rng.gen_range(1..40) {
                let (a, b) = (rng.gen_range(0..n), rng.gen_range(0..n));
                if a != b {
                    net.add_arc(a, b, rng.gen_range(0..20), rng.gen_range(-10..10));
                }
            }
            for _ in 0..3 {
                let (a, b) = (rng.gen_range(0..n), rng.gen_range(0..n));
                let s = rng.gen_range(0..15);
                net.supply[a] += s;
                net.supply[b] -= s;
            }
            match solve(&net) {
                Ok(sol) => check_optimality(&net, &sol),
                Err(FlowError::Infeasible) => {}
                Err(e) => panic!("{e}"),
            }
        }
    }
}
