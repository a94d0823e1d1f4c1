//! One pivot: the cycle that the entering arc closes, the flow pushed round it, the arc that leaves (the rule
//! that keeps the tree strongly feasible), and the tree re-hung and re-priced around the exchange.

use super::{LOWER, NONE, Simplex, TREE, UPPER};

impl Simplex {
    /// Brings `entering` (which prices out) into the basis: pushes as much flow round its cycle as the cycle
    /// allows, and if a tree arc blocks, exchanges it for `entering` and restores sizes, child lists and
    /// potentials. The exchange is done in place, touching only the cycle and the side of the tree that moves.
    pub(super) fn pivot(&mut self, entering: usize) {
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
        let mut cycle = 1u64;
        let mut u = a;
        while u != join {
            cycle += 1;
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
            cycle += 1;
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

        // The cycle is walked twice (to find the leaving arc, then to push the flow).
        self.operations += 2 * cycle;
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
        self.operations += self.stem.len() as u64;

        // Give the entering arc zero reduced cost: shift the moved subtree by sigma, or, if it is the larger part,
        // everything else by −sigma.
        let target =
            if self.nodes[u_in].up { self.pi[v_in] - self.cost[entering] } else { self.pi[v_in] + self.cost[entering] };
        let sigma = target - self.pi[u_in];
        let root = self.node_count;
        let (start, shift, skip) =
            if 2 * moved as usize <= self.node_count + 1 { (u_in, sigma, NONE) } else { (root, -sigma, u_in as u32) };
        self.shift_subtree(start, shift, skip);
        // Shifting the larger side moves the root's potential; keep potentials near zero so they cannot drift
        // towards overflow over millions of pivots.
        if self.pi[root].unsigned_abs() > 1 << 52 {
            let offset = self.pi[root];
            for pi in &mut self.pi {
                *pi -= offset;
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
}
