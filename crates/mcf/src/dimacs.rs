//! The DIMACS min-cost-flow text form of a [`Network`]: `c` comment lines, one `p min NODES ARCS` line, `n ID
//! SUPPLY` lines for nodes with a non-zero supply and `a FROM TO LOW CAP COST` lines, nodes numbered from 1.
//! Only zero lower bounds are supported, as in [`Network`] itself.

use std::io::{BufRead, Write};

use crate::Network;

impl Network {
    /// Writes the network in DIMACS min-cost-flow format (`p min`, `n`, `a` lines; nodes numbered from 1). Each
    /// line of `comment` becomes a `c` line at the top.
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

    /// Reads a DIMACS min-cost-flow file. Lower bounds must be zero; the error names the offending line.
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

    #[test]
    fn writes_comments_supplies_and_arcs_in_order() {
        let mut net = Network::with_nodes(2);
        net.supply = vec![3, -3];
        net.add_arc(0, 1, 7, -2);
        let mut text = Vec::new();
        net.write_dimacs(&mut text, "one\ntwo").unwrap();
        assert_eq!(String::from_utf8(text).unwrap(), "c one\nc two\np min 2 1\nn 1 3\nn 2 -3\na 1 2 0 7 -2\n");
    }

    #[test]
    fn rejects_what_it_cannot_represent() {
        for (text, why) in [
            ("", "no 'p min' line"),
            ("a 1 2 0 1 1\n", "'a' before 'p min'"),
            ("p min 2 1\na 1 2 1 3 0\n", "lower bound"),
            ("p min 2 1\na 1 2 0 -1 0\n", "lower bound"),
            ("p min 2 0\nn 3 1\n", "node id out of range"),
            ("p min 2 0\nx\n", "unknown line type"),
            ("p min 2 1\na 1 2 0 x 0\n", "expected a number"),
        ] {
            let err = Network::read_dimacs(text.as_bytes()).unwrap_err();
            assert!(err.contains(why), "{text:?}: {err}");
        }
    }
}
