//! A min-cost flow network on flat arrays, and its DIMACS min-cost-flow text form.

use std::io::{BufRead, Write};

/// A min-cost flow problem: node supplies (positive) and demands (negative) that sum to zero, and arcs with a
/// capacity and a cost per unit. Every lower bound is zero.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Network {
    /// Supply of each node; demands are negative.
    pub supply: Vec<i64>,
    /// Tail of each arc.
    pub from: Vec<u32>,
    /// Head of each arc.
    pub to: Vec<u32>,
    /// Capacity of each arc (≥ 0).
    pub capacity: Vec<i64>,
    /// Cost per unit of flow on each arc.
    pub cost: Vec<i64>,
}

impl Network {
    /// A network of `nodes` nodes with no supply and no arcs.
    pub fn with_nodes(nodes: usize) -> Network {
        Network { supply: vec![0; nodes], ..Network::default() }
    }

    /// Adds an arc and returns its index.
    pub fn add_arc(&mut self, from: usize, to: usize, capacity: i64, cost: i64) -> usize {
        self.from.push(from as u32);
        self.to.push(to as u32);
        self.capacity.push(capacity);
        self.cost.push(cost);
        self.from.len() - 1
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.supply.len()
    }

    /// Number of arcs.
    pub fn arc_count(&self) -> usize {
        self.from.len()
    }

    /// Cost of a flow, exactly.
    pub fn cost_of(&self, flow: &[i64]) -> i128 {
        flow.iter().zip(&self.cost).map(|(&f, &c)| i128::from(f) * i128::from(c)).sum()
    }

    /// Writes the network in DIMACS min-cost-flow format (`p min`, `n`, `a` lines; nodes numbered from 1).
    pub fn write_dimacs(&self, out: &mut dyn Write, comment: &str) -> std::io::Result<()> {
        for line in comment.lines() {
            writeln!(out, "c {line}")?;
        }
        writeln!(out, "p min {} {}", self.node_count(), self.arc_count())?;
        for (i, &s) in self.supply.iter().enumerate() {
            if s != 0 {
                writeln!(out, "n {} {s}", i + 1)?;
            }
        }
        for e in 0..self.arc_count() {
            writeln!(out, "a {} {} 0 {} {}", self.from[e] + 1, self.to[e] + 1, self.capacity[e], self.cost[e])?;
        }
        Ok(())
    }

    /// Reads a DIMACS min-cost-flow file. Lower bounds must be zero.
    pub fn read_dimacs(input: impl BufRead) -> Result<Network, String> {
        let mut net: Option<Network> = None;
        for (i, line) in input.lines().enumerate() {
            let line = line.map_err(|e| format!("line {}: {e}", i + 1))?;
            let words: Vec<&str> = line.split_whitespace().collect();
            let bad = |what: &str| format!("line {}: {what}: {line:?}", i + 1);
            let num = |k: usize| -> Result<i64, String> {
                words.get(k).and_then(|w| w.parse::<i64>().ok()).ok_or_else(|| bad("expected a number"))
            };
            match words.first().copied() {
                None | Some("c") => {}
                Some("p") if words.get(1) == Some(&"min") => {
                    let nodes = usize::try_from(num(2)?).map_err(|_| bad("node count"))?;
                    net = Some(Network::with_nodes(nodes));
                }
                Some("n") => {
                    let n = net.as_mut().ok_or_else(|| bad("'n' before 'p min'"))?;
                    let slot = usize::try_from(num(1)? - 1).ok().and_then(|k| n.supply.get_mut(k));
                    *slot.ok_or_else(|| bad("node id out of range"))? = num(2)?;
                }
                Some("a") => {
                    let n = net.as_mut().ok_or_else(|| bad("'a' before 'p min'"))?;
                    let (from, to, low, cap, cost) = (num(1)?, num(2)?, num(3)?, num(4)?, num(5)?);
                    let nodes = n.node_count() as i64;
                    if !(1..=nodes).contains(&from) || !(1..=nodes).contains(&to) || low != 0 || cap < 0 {
                        return Err(bad("arc out of range or with a lower bound"));
                    }
                    n.add_arc(from as usize - 1, to as usize - 1, cap, cost);
                }
                Some(_) => return Err(bad("unknown line type")),
            }
        }
        net.ok_or_else(|| "no 'p min' line".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimacs_round_trip() {
        let mut net = Network::with_nodes(3);
        net.supply = vec![5, 0, -5];
        net.add_arc(0, 1, 4, -3);
        net.add_arc(1, 2, 10, 0);
        net.add_arc(0, 2, 5, 0);
        let mut text = Vec::new();
        net.write_dimacs(&mut text, "test\nnetwork").unwrap();
        let back = Network::read_dimacs(&text[..]).unwrap();
        assert_eq!(back, net);
        assert!(Network::read_dimacs(&b"p min 2 1\na 1 3 0 1 1\n"[..]).is_err());
    }
}
