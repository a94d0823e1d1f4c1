//! The strict DIMACS reader: every line is checked as it is read, and the first fault is reported with its line.
//! It reads bytes, not text, so a comment in any encoding passes and any input, valid or not, gets an answer
//! rather than a panic.

use std::io::BufRead;
use std::num::IntErrorKind;

use super::{DimacsError, DimacsErrorKind as Kind};
use crate::Network;

/// Most fields a line may have (an `a` line's six); more are counted, not kept.
const FIELDS: usize = 6;
/// Characters of a field quoted in an error.
const QUOTED: usize = 40;
/// Most nodes accepted: the solver indexes nodes and arcs in 32 bits, two entries per node in its max-flow.
const MAX_NODES: i64 = (u32::MAX / 2) as i64;
/// Most arcs reserved ahead from the `p` line's count, so that a file declaring more than it holds cannot make
/// the reader take more memory than the file's arcs need.
const RESERVED_ARCS: u64 = 1 << 20;

impl Network {
    /// Reads a DIMACS min-cost-flow file, strictly: blank lines and lines whose first field starts with `c` are
    /// skipped; there must be exactly one `p min NODES ARCS` line, before any `n ID SUPPLY` or `a TAIL HEAD LOWER
    /// CAPACITY COST` line; every line has exactly its fields, each an integer in 64 bits; node ids lie in
    /// `1..=NODES`, no node has two `n` lines, `0 ≤ LOWER ≤ CAPACITY`, the file has exactly `ARCS` arcs and
    /// supplies sum to zero. Anything else is a [`DimacsError`] naming the line to blame.
    pub fn read_dimacs(mut input: impl BufRead) -> Result<Network, DimacsError> {
        let mut reader = Reader::default();
        let mut buf = Vec::new();
        let mut number = 0;
        loop {
            buf.clear();
            let read = input
                .read_until(b'\n', &mut buf)
                .map_err(|e| DimacsError { line: Some(number + 1), kind: Kind::Read(e.to_string()) })?;
            if read == 0 {
                break;
            }
            number += 1;
            reader.line(&Line::split(number, &buf))?;
        }
        reader.finish()
    }
}

/// One line's fields.
struct Line<'a> {
    number: usize,
    fields: [&'a [u8]; FIELDS],
    /// Fields on the line, all counted, even those beyond [`FIELDS`].
    count: usize,
}

impl<'a> Line<'a> {
    fn split(number: usize, bytes: &'a [u8]) -> Line<'a> {
        let mut line = Line { number, fields: [&[]; FIELDS], count: 0 };
        for field in bytes.split(|b| b.is_ascii_whitespace()).filter(|f| !f.is_empty()) {
            if line.count < FIELDS {
                line.fields[line.count] = field;
            }
            line.count += 1;
        }
        line
    }

    fn error(&self, kind: Kind) -> DimacsError {
        DimacsError { line: Some(self.number), kind }
    }

    fn expect_fields(&self, line_type: char, expected: usize) -> Result<(), DimacsError> {
        if self.count == expected {
            Ok(())
        } else {
            Err(self.error(Kind::FieldCount { line_type, expected, found: self.count }))
        }
    }

    /// Field `k` as an integer.
    fn int(&self, k: usize, field: &'static str) -> Result<i64, DimacsError> {
        let bytes = self.fields[k];
        match std::str::from_utf8(bytes).map(str::parse::<i64>) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) if matches!(e.kind(), IntErrorKind::PosOverflow | IntErrorKind::NegOverflow) => {
                Err(self.error(Kind::Overflow { field, text: quote(bytes) }))
            }
            _ => Err(self.error(Kind::NotAnInteger { field, text: quote(bytes) })),
        }
    }
}

/// The start of a field, for an error message.
fn quote(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).chars().take(QUOTED).collect()
}

/// What has been read so far.
#[derive(Default)]
struct Reader {
    net: Option<Network>,
    /// Line of the `p` line.
    problem_line: usize,
    declared_arcs: u64,
    /// Line of each node's `n` line, 0 for none yet.
    supply_line: Vec<usize>,
}

impl Reader {
    fn line(&mut self, line: &Line) -> Result<(), DimacsError> {
        if line.count == 0 || line.fields[0].starts_with(b"c") {
            return Ok(());
        }
        match line.fields[0] {
            b"p" => self.problem(line),
            b"n" => self.supply(line),
            b"a" => self.arc(line),
            other => Err(line.error(Kind::UnknownLine(quote(other)))),
        }
    }

    fn problem(&mut self, line: &Line) -> Result<(), DimacsError> {
        if self.net.is_some() {
            return Err(line.error(Kind::DuplicateProblem { first: self.problem_line }));
        }
        if line.count >= 2 && line.fields[1] != b"min" {
            return Err(line.error(Kind::ProblemType(quote(line.fields[1]))));
        }
        line.expect_fields('p', 4)?;
        let (nodes, arcs) = (line.int(2, "node count")?, line.int(3, "arc count")?);
        for (field, value) in [("node count", nodes), ("arc count", arcs)] {
            if value < 0 {
                return Err(line.error(Kind::NegativeCount { field, value }));
            }
        }
        if nodes > MAX_NODES {
            return Err(line.error(Kind::TooManyNodes(nodes)));
        }
        let n = nodes as usize;
        let mut net = Network::default();
        let reserved = net.supply.try_reserve_exact(n).and_then(|()| self.supply_line.try_reserve_exact(n));
        if reserved.is_err() {
            return Err(line.error(Kind::TooManyNodes(nodes)));
        }
        net.supply.resize(n, 0);
        self.supply_line.resize(n, 0);
        let reserve = arcs.unsigned_abs().min(RESERVED_ARCS) as usize;
        net.from.reserve(reserve);
        net.to.reserve(reserve);
        net.lower.reserve(reserve);
        net.capacity.reserve(reserve);
        net.cost.reserve(reserve);
        self.net = Some(net);
        self.problem_line = line.number;
        self.declared_arcs = arcs.unsigned_abs();
        Ok(())
    }

    /// The index of node `id` (numbered from 1), checked against the node count.
    fn node(&self, line: &Line, id: i64, field: &'static str) -> Result<usize, DimacsError> {
        let nodes = self.supply_line.len();
        match usize::try_from(id) {
            Ok(k) if (1..=nodes).contains(&k) => Ok(k - 1),
            _ => Err(line.error(Kind::NodeOutOfRange { field, node: id, nodes })),
        }
    }

    fn supply(&mut self, line: &Line) -> Result<(), DimacsError> {
        if self.net.is_none() {
            return Err(line.error(Kind::BeforeProblem('n')));
        }
        line.expect_fields('n', 3)?;
        let (id, supply) = (line.int(1, "node")?, line.int(2, "supply")?);
        let k = self.node(line, id, "node")?;
        if self.supply_line[k] != 0 {
            return Err(line.error(Kind::DuplicateSupply { node: id, first: self.supply_line[k] }));
        }
        self.supply_line[k] = line.number;
        if let Some(net) = self.net.as_mut() {
            net.supply[k] = supply;
        }
        Ok(())
    }

    fn arc(&mut self, line: &Line) -> Result<(), DimacsError> {
        let Some(arcs) = self.net.as_ref().map(Network::arc_count) else {
            return Err(line.error(Kind::BeforeProblem('a')));
        };
        line.expect_fields('a', 6)?;
        if arcs as u64 >= self.declared_arcs {
            return Err(line.error(Kind::TooManyArcs { declared: self.declared_arcs }));
        }
        let (tail, head) = (line.int(1, "tail")?, line.int(2, "head")?);
        let (lower, capacity, cost) = (line.int(3, "lower bound")?, line.int(4, "capacity")?, line.int(5, "cost")?);
        let (from, to) = (self.node(line, tail, "tail")?, self.node(line, head, "head")?);
        if capacity < 0 {
            return Err(line.error(Kind::NegativeCapacity(capacity)));
        }
        if lower < 0 {
            return Err(line.error(Kind::NegativeLower(lower)));
        }
        if lower > capacity {
            return Err(line.error(Kind::LowerAboveCapacity { lower, capacity }));
        }
        if let Some(net) = self.net.as_mut() {
            net.add_bounded_arc(from, to, lower, capacity, cost);
        }
        Ok(())
    }

    fn finish(self) -> Result<Network, DimacsError> {
        let Some(net) = self.net else { return Err(DimacsError { line: None, kind: Kind::MissingProblem }) };
        let found = net.arc_count() as u64;
        if found != self.declared_arcs {
            let kind = Kind::TooFewArcs { declared: self.declared_arcs, found };
            return Err(DimacsError { line: Some(self.problem_line), kind });
        }
        let supply: i128 = net.supply.iter().filter(|&&s| s > 0).map(|&s| i128::from(s)).sum();
        let demand: i128 = net.supply.iter().filter(|&&s| s < 0).map(|&s| -i128::from(s)).sum();
        if supply != demand {
            return Err(DimacsError { line: None, kind: Kind::Unbalanced { supply, demand } });
        }
        Ok(net)
    }
}
