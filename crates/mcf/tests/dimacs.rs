//! The DIMACS reader and writer: each error the reader gives, with its line and its exact message; what it
//! accepts; the writer's round trip on random networks, lower bounds included; and no panic on any input.

// Only the oracle's DIMACS reader is used here.
#[allow(dead_code)]
mod oracle;

use std::io::{BufReader, Read};

use mcf::{DimacsError, DimacsErrorKind, Network};
use oracle::parse_dimacs;
use proptest::prelude::*;

fn read(text: &[u8]) -> Result<Network, DimacsError> {
    Network::read_dimacs(text)
}

#[test]
fn each_error_names_its_line_and_says_what_is_wrong() {
    let cases: &[(&[u8], Option<usize>, &str)] = &[
        (b"", None, "no 'p min NODES ARCS' line"),
        (b"c only a comment\n", None, "no 'p min NODES ARCS' line"),
        (b"a 1 2 0 1 1\n", Some(1), "an 'a' line before the 'p' line"),
        (b"c\nn 1 5\np min 2 0\n", Some(2), "an 'n' line before the 'p' line"),
        (b"p min 2 0\np min 2 0\n", Some(2), "a second 'p' line (the first is on line 1)"),
        (b"p max 2 0\n", Some(1), "problem type \"max\" where 'min' was expected"),
        (b"p\n", Some(1), "'p' lines have 4 fields, this one has 1"),
        (b"p min 2\n", Some(1), "'p' lines have 4 fields, this one has 3"),
        (b"p min 2 0 0\n", Some(1), "'p' lines have 4 fields, this one has 5"),
        (b"p min 2 0\nn 1 5 0\n", Some(2), "'n' lines have 3 fields, this one has 4"),
        (b"p min 2 1\na 1 2 0 1\n", Some(2), "'a' lines have 6 fields, this one has 5"),
        (b"p min 2 1\na 1 2 0 1 1 7 8\n", Some(2), "'a' lines have 6 fields, this one has 8"),
        (b"p min x 0\n", Some(1), "node count \"x\" is not an integer"),
        (b"p min 2 1e3\n", Some(1), "arc count \"1e3\" is not an integer"),
        (b"p min -2 0\n", Some(1), "node count -2 is negative"),
        (b"p min 2 -1\n", Some(1), "arc count -1 is negative"),
        (b"p min 5000000000 0\n", Some(1), "5000000000 nodes are too many"),
        (b"p min 2 0\nn 1 five\n", Some(2), "supply \"five\" is not an integer"),
        (b"p min 2 1\na 1 2 0 1.5 0\n", Some(2), "capacity \"1.5\" is not an integer"),
        (b"p min 2 1\na 1 2 0 \xff 0\n", Some(2), "capacity \"\u{fffd}\" is not an integer"),
        (
            b"p min 2 1\na 1 2 0 1 99999999999999999999\n",
            Some(2),
            "cost \"99999999999999999999\" does not fit in 64 bits",
        ),
        (
            b"p min 2 1\na 1 2 -9223372036854775809 1 0\n",
            Some(2),
            "lower bound \"-9223372036854775809\" does not fit in 64 bits",
        ),
        (b"p min 2 0\nn 3 1\n", Some(2), "node 3 is outside 1..=2"),
        (b"p min 2 1\na 0 2 0 1 0\n", Some(2), "tail 0 is outside 1..=2"),
        (b"p min 2 1\na 1 3 0 1 0\n", Some(2), "head 3 is outside 1..=2"),
        (b"p min 2 0\nn 1 5\nn 2 -5\nn 1 5\n", Some(4), "a second 'n' line for node 1 (the first is on line 2)"),
        (b"p min 2 1\na 1 2 0 -1 0\n", Some(2), "capacity -1 is negative"),
        (b"p min 2 1\na 1 2 -1 3 0\n", Some(2), "lower bound -1 is negative"),
        (b"p min 2 1\na 1 2 4 3 0\n", Some(2), "lower bound 4 is above capacity 3"),
        (b"p min 2 1\na 1 2 0 1 0\na 2 1 0 1 0\n", Some(3), "more 'a' lines than the 1 arcs of the 'p' line"),
        (b"c x\np min 2 2\na 1 2 0 1 0\n", Some(2), "the 'p' line declares 2 arcs, the file has 1"),
        (b"p min 2 0\nn 1 5\nn 2 -4\n", None, "supplies do not balance demands: total supply 5, total demand 4"),
        (b"p min 2 0\nx 1\n", Some(2), "unknown line type \"x\" (expected c, p, n or a)"),
    ];
    for &(text, line, message) in cases {
        let err = read(text).expect_err(&String::from_utf8_lossy(text));
        assert_eq!(err.line, line, "{text:?}");
        assert_eq!(err.kind.to_string(), message, "{text:?}");
        let shown = match line {
            Some(k) => format!("line {k}: {message}"),
            None => message.to_string(),
        };
        assert_eq!(err.to_string(), shown);
    }
    // The kinds carry the figures, for a program to use.
    let err = read(b"p min 2 0\nn 1 5\nn 2 -4\n").unwrap_err();
    assert_eq!(err.kind, DimacsErrorKind::Unbalanced { supply: 5, demand: 4 });
    let err = read(b"p min 2 1\na 1 2 4 3 0\n").unwrap_err();
    assert_eq!(err.kind, DimacsErrorKind::LowerAboveCapacity { lower: 4, capacity: 3 });
}

#[test]
fn a_failing_input_is_an_error_with_its_line() {
    struct Failing(usize);
    impl Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let text = b"p min 1 0\n";
            if self.0 >= text.len() {
                return Err(std::io::Error::other("the disk is gone"));
            }
            let n = (text.len() - self.0).min(buf.len());
            buf[..n].copy_from_slice(&text[self.0..self.0 + n]);
            self.0 += n;
            Ok(n)
        }
    }
    let err = Network::read_dimacs(BufReader::new(Failing(0))).unwrap_err();
    assert_eq!(err.to_string(), "line 2: cannot read: the disk is gone");
}

#[test]
fn accepts_comments_blank_lines_any_spacing_zero_supplies_and_lower_bounds() {
    let text = b"c a network\r\n\r\np min 3 2\ncomments may be glued to their c\n  n\t1   4 \nn 2 0\n\
                 n 3 -4\na 1 2 1 4 -2\r\n a 2 3 0 5 0\nc the end";
    let net = read(text).unwrap();
    let mut want = Network::with_nodes(3);
    want.supply = vec![4, 0, -4];
    want.add_bounded_arc(0, 1, 1, 4, -2);
    want.add_arc(1, 2, 5, 0);
    assert_eq!(net, want);
    // What lower bounds force is counted in the flow and the cost, on the file's own arcs.
    let sol = mcf::solve(&net).unwrap();
    assert_eq!((sol.flow, sol.cost), (vec![4, 4], -8));
}

/// A balanced network whose arcs satisfy `0 ≤ lower ≤ capacity`, with numbers over the whole range of `i64`
/// where the format allows.
fn arbitrary_network() -> impl Strategy<Value = Network> {
    (1usize..8).prop_flat_map(|n| {
        let arc = (0..n, 0..n, 0i64..=i64::MAX, any::<i64>(), prop::bool::ANY);
        let moves = proptest::collection::vec((0..n, 0..n, 0i64..=i64::MAX / 16), 0..6);
        (moves, proptest::collection::vec(arc, 0..20)).prop_map(move |(moves, arcs)| {
            let mut net = Network::with_nodes(n);
            for (a, b, amount) in moves {
                net.supply[a] += amount;
                net.supply[b] -= amount;
            }
            for (a, b, cap, cost, bounded) in arcs {
                let lower = if bounded { cost.rem_euclid(cap.max(1)).min(cap) } else { 0 };
                net.add_bounded_arc(a, b, lower, cap, cost);
            }
            net
        })
    })
}

/// Lines of DIMACS-like tokens, valid and not, to reach the reader's every check.
fn dimacs_like() -> impl Strategy<Value = Vec<u8>> {
    let token = prop::sample::select(vec![
        "p",
        "min",
        "max",
        "n",
        "a",
        "c",
        "0",
        "1",
        "2",
        "3",
        "-1",
        "5",
        "-5",
        "99999999999999999999",
        "x",
        "\u{ff}",
        "",
    ]);
    let line = proptest::collection::vec(token, 0..8).prop_map(|t| t.join(" "));
    proptest::collection::vec(line, 0..8).prop_map(|lines| {
        let mut text = lines.join("\n").into_bytes();
        text.push(b'\n');
        text
    })
}

proptest! {
    #[test]
    fn the_writer_round_trips_what_the_reader_accepts(net in arbitrary_network(), comment in "[ -~\\n]{0,40}") {
        let mut text = Vec::new();
        net.write_dimacs(&mut text, &comment).unwrap();
        prop_assert_eq!(&read(&text).unwrap(), &net);
        prop_assert_eq!(&parse_dimacs(std::str::from_utf8(&text).unwrap()), &net);
    }

    #[test]
    fn no_input_makes_the_reader_panic(text in prop_oneof![dimacs_like(), proptest::collection::vec(any::<u8>(), 0..200)]) {
        if let Ok(net) = read(&text) {
            let mut again = Vec::new();
            net.write_dimacs(&mut again, "").unwrap();
            prop_assert_eq!(&read(&again).unwrap(), &net);
            let _ = mcf::solve(&net);
        }
    }
}
