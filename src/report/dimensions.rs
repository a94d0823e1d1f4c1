//! The dimensions results are broken down by (summary.csv's `dimension` column, the page's coverage charts, a
//! study's groups), and the rule that puts a need in its M49 region.

use std::fmt;

use crate::catalog::{AreaKind, Reference};
use crate::model::{Need, Requester};

/// A breakdown of the summary, in the order summary.csv lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dimension {
    /// The one row of all needs.
    Total,
    /// By the need's primary commitment.
    Commitment,
    /// By that commitment's first theme.
    Theme,
    /// By the requester's M49 region.
    Region,
    /// By donor (envelopes and what they give).
    Donor,
    /// By the requester's LDC, LLDC and SIDS groups (a need counts in each group of its requester; docs/spec.md
    /// §10).
    Group,
    /// How concentrated the allocation is on few requesters (docs/spec.md §10): the share of the five largest
    /// (key `top5`: requested_usd is the total allocated, allocated_usd what the five receive) and the Herfindahl
    /// index (key `herfindahl`: the sum of the requesters' squared allocations over the square of the total, the
    /// two amounts that give the coverage column the index exactly); its `needs` column counts requesters (the
    /// five largest, or all that receive money).
    Concentration,
}

impl Dimension {
    /// The spelling in summary.csv and in the page's `data-dimension` attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Total => "total",
            Dimension::Commitment => "commitment",
            Dimension::Theme => "theme",
            Dimension::Region => "region",
            Dimension::Donor => "donor",
            Dimension::Group => "group",
            Dimension::Concentration => "concentration",
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The M49 region (Africa, Americas, Asia, Europe, Oceania) a need is counted under: the requester's, or for a
/// regional organisation the region containing its area.
pub fn need_region(need: &Need, reference: &Reference) -> Option<u16> {
    match &need.requester {
        Requester::State(c) => reference.country(*c).region_code,
        Requester::RegionalOrg(_) => need.region.and_then(|r| {
            reference
                .areas()
                .iter()
                .find(|a| a.m49 != 1 && a.kind == AreaKind::Region && reference.area_within(r, a.m49))
                .map(|a| a.m49)
        }),
    }
}
