//! The DIMACS writer.

use std::io::Write;

use crate::Network;

impl Network {
    /// Writes the network in DIMACS min-cost-flow format: each line of `comment` as a `c` line, then `p min NODES
    /// ARCS`, an `n ID SUPPLY` line for each node with a non-zero supply, and one `a TAIL HEAD LOWER CAPACITY
    /// COST` line per arc in arc order, nodes numbered from 1. [`Network::read_dimacs`] reads it back to the same
    /// network when the network is one it accepts (valid and balanced). Fails with
    /// [`std::io::ErrorKind::InvalidInput`] if the arc vectors differ in length.
    pub fn write_dimacs(&self, out: &mut dyn Write, comment: &str) -> std::io::Result<()> {
        let m = self.arc_count();
        if [self.to.len(), self.lower.len(), self.capacity.len(), self.cost.len()].iter().any(|&l| l != m) {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "the arc vectors differ in length"));
        }
        for line in comment.lines() {
            writeln!(out, "c {line}")?;
        }
        writeln!(out, "p min {} {m}", self.node_count())?;
        for (i, &s) in self.supply.iter().enumerate() {
            if s != 0 {
                writeln!(out, "n {} {s}", i + 1)?;
            }
        }
        for e in 0..m {
            writeln!(
                out,
                "a {} {} {} {} {}",
                u64::from(self.from[e]) + 1,
                u64::from(self.to[e]) + 1,
                self.lower[e],
                self.capacity[e],
                self.cost[e]
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_comments_supplies_and_arcs_in_order() {
        let mut net = Network::with_nodes(2);
        net.supply = vec![3, -3];
        net.add_arc(0, 1, 7, -2);
        net.add_bounded_arc(1, 0, 1, 2, 5);
        let mut text = Vec::new();
        net.write_dimacs(&mut text, "one\ntwo").unwrap();
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "c one\nc two\np min 2 2\nn 1 3\nn 2 -3\na 1 2 0 7 -2\na 2 1 1 2 5\n"
        );
        net.lower.pop();
        assert!(net.write_dimacs(&mut Vec::new(), "").is_err());
    }
}
