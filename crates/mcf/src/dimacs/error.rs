//! Why the DIMACS reader refuses a file: one typed error, with the line to blame when there is one.

/// A DIMACS min-cost-flow file the reader refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DimacsError {
    /// The line to blame, counted from 1; `None` when no single line is (no `p` line, unbalanced supplies).
    pub line: Option<usize>,
    /// What is wrong.
    pub kind: DimacsErrorKind,
}

/// What is wrong with a DIMACS file. Fields are named `tail`, `head`, `lower bound`, `capacity` and `cost` on
/// `a` lines, `node` and `supply` on `n` lines, `node count` and `arc count` on the `p` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DimacsErrorKind {
    /// The input could not be read.
    Read(String),
    /// The file has no `p` line.
    MissingProblem,
    /// A second `p` line; the first is on line `first`.
    DuplicateProblem {
        /// Line of the first `p` line.
        first: usize,
    },
    /// A `p` line for another problem than `min`.
    ProblemType(String),
    /// An `n` or `a` line before the `p` line.
    BeforeProblem(char),
    /// A line that is not a `c`, `p`, `n` or `a` line.
    UnknownLine(String),
    /// A line with another number of fields than its type has (the type letter counts as one).
    FieldCount {
        /// The line type.
        line_type: char,
        /// Fields it must have.
        expected: usize,
        /// Fields it has.
        found: usize,
    },
    /// A field that is not an integer.
    NotAnInteger {
        /// The field's name.
        field: &'static str,
        /// The field as written (its first 40 characters).
        text: String,
    },
    /// An integer too large for 64 bits.
    Overflow {
        /// The field's name.
        field: &'static str,
        /// The field as written (its first 40 characters).
        text: String,
    },
    /// A negative node or arc count on the `p` line.
    NegativeCount {
        /// `node count` or `arc count`.
        field: &'static str,
        /// The count.
        value: i64,
    },
    /// More nodes than the solver's 32-bit indices allow, or than memory holds.
    TooManyNodes(i64),
    /// A node id outside `1..=nodes`.
    NodeOutOfRange {
        /// The field's name.
        field: &'static str,
        /// The id.
        node: i64,
        /// The node count of the `p` line.
        nodes: usize,
    },
    /// A second `n` line for one node; the first is on line `first`.
    DuplicateSupply {
        /// The node id, from 1.
        node: i64,
        /// Line of the first `n` line for it.
        first: usize,
    },
    /// A negative capacity.
    NegativeCapacity(i64),
    /// A negative lower bound.
    NegativeLower(i64),
    /// A lower bound above the arc's capacity.
    LowerAboveCapacity {
        /// The lower bound.
        lower: i64,
        /// The capacity.
        capacity: i64,
    },
    /// An `a` line beyond the arc count of the `p` line.
    TooManyArcs {
        /// The arc count of the `p` line.
        declared: u64,
    },
    /// Fewer `a` lines than the `p` line declares (blamed on the `p` line).
    TooFewArcs {
        /// The arc count of the `p` line.
        declared: u64,
        /// The `a` lines found.
        found: u64,
    },
    /// Supplies that do not sum to zero.
    Unbalanced {
        /// The sum of the positive supplies.
        supply: i128,
        /// The sum of the demands, as a positive number.
        demand: i128,
    },
}

impl std::error::Error for DimacsError {}

impl std::fmt::Display for DimacsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        write!(f, "{}", self.kind)
    }
}

impl std::fmt::Display for DimacsErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use DimacsErrorKind::*;
        match self {
            Read(why) => write!(f, "cannot read: {why}"),
            MissingProblem => write!(f, "no 'p min NODES ARCS' line"),
            DuplicateProblem { first } => write!(f, "a second 'p' line (the first is on line {first})"),
            ProblemType(found) => write!(f, "problem type {found:?} where 'min' was expected"),
            BeforeProblem(t) => write!(f, "an '{t}' line before the 'p' line"),
            UnknownLine(found) => write!(f, "unknown line type {found:?} (expected c, p, n or a)"),
            FieldCount { line_type, expected, found } => {
                write!(f, "'{line_type}' lines have {expected} fields, this one has {found}")
            }
            NotAnInteger { field, text } => write!(f, "{field} {text:?} is not an integer"),
            Overflow { field, text } => write!(f, "{field} {text:?} does not fit in 64 bits"),
            NegativeCount { field, value } => write!(f, "{field} {value} is negative"),
            TooManyNodes(nodes) => write!(f, "{nodes} nodes are too many"),
            NodeOutOfRange { field, node, nodes } => write!(f, "{field} {node} is outside 1..={nodes}"),
            DuplicateSupply { node, first } => {
                write!(f, "a second 'n' line for node {node} (the first is on line {first})")
            }
            NegativeCapacity(cap) => write!(f, "capacity {cap} is negative"),
            NegativeLower(lower) => write!(f, "lower bound {lower} is negative"),
            LowerAboveCapacity { lower, capacity } => write!(f, "lower bound {lower} is above capacity {capacity}"),
            TooManyArcs { declared } => write!(f, "more 'a' lines than the {declared} arcs of the 'p' line"),
            TooFewArcs { declared, found } => write!(f, "the 'p' line declares {declared} arcs, the file has {found}"),
            Unbalanced { supply, demand } => {
                write!(f, "supplies do not balance demands: total supply {supply}, total demand {demand}")
            }
        }
    }
}
