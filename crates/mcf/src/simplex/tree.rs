//! The spanning tree of the basis: one record per node (parent, tree arc, subtree size, child list, potential)
//! and the walks over it that keep the potentials right. The pivot in [`super::pivot`] changes the tree's shape;
//! everything here reads or shifts potentials along it.

use super::{NONE, Simplex};

/// A node of the spanning tree.
#[derive(Debug, Clone, Copy)]
pub(super) struct TreeNode {
    pub(super) parent: u32,
    /// The tree arc to the parent.
    pub(super) pred: u32,
    /// Number of nodes in the subtree rooted here.
    pub(super) size: u32,
    pub(super) first_child: u32,
    pub(super) next_sibling: u32,
    pub(super) prev_sibling: u32,
    /// Whether the arc to the parent points up (from the node to its parent).
    pub(super) up: bool,
}

impl TreeNode {
    /// A node without children under `parent`, not yet joined by an arc.
    pub(super) fn leaf(parent: usize) -> TreeNode {
        TreeNode {
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

impl Simplex {
    /// Keeps the potentials exact after arc `e`'s cost changed by `delta`: if `e` is a tree arc, everything
    /// below it moves with it (so that its reduced cost stays zero); else nothing changes.
    pub(super) fn tree_cost_changed(&mut self, e: usize, delta: i64) {
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
    pub(super) fn shift_subtree(&mut self, start: usize, shift: i64, skip: u32) {
        self.stack.clear();
        self.stack.push(start as u32);
        while let Some(x) = self.stack.pop() {
            let x = x as usize;
            self.operations += 1;
            self.pi[x] += shift;
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
    pub(super) fn recompute_potentials(&mut self) {
        let root = self.node_count;
        self.pi[root] = 0;
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
            self.pi[x] = if self.nodes[x].up { self.pi[p] - self.cost[arc] } else { self.pi[p] + self.cost[arc] };
            let mut c = self.nodes[x].first_child;
            while c != NONE {
                self.stack.push(c);
                c = self.nodes[c as usize].next_sibling;
            }
        }
    }

    /// Unlinks `x` from its parent's child list (its own parent link is left to the caller).
    pub(super) fn detach(&mut self, x: usize) {
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

    /// Links `x` at the front of `p`'s child list.
    pub(super) fn attach(&mut self, x: usize, p: usize) {
        let first = self.nodes[p].first_child;
        self.nodes[x].next_sibling = first;
        self.nodes[x].prev_sibling = NONE;
        if first != NONE {
            self.nodes[first as usize].prev_sibling = x as u32;
        }
        self.nodes[p].first_child = x as u32;
    }
}
