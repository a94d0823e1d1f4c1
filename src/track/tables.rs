//! The five tables of `track`, each a header and one row builder: track_needs, track_offers, track_donors,
//! track_followup and track_unmatched (docs/spec.md §9 lists their columns). Dates are `YYYY-MM-DD`, a date or a
//! count that does not apply is blank, and money is whole dollars.

use crate::io::outputs::{Cell, Table, int, text};
use crate::model::Date;

use super::Track;
use super::accounts::{DonorAccount, NeedAccount, OfferAccount, Unmatched};
use super::followup::FollowUp;
use super::sums::StatusSums;

/// track_needs.csv's columns.
pub const NEEDS_HEADER: [&str; 14] = [
    "need_id",
    "requester",
    "priority",
    "start_latest",
    "requested_usd",
    "proposed_usd",
    "pledged_usd",
    "committed_usd",
    "disbursed_usd",
    "open_usd",
    "state",
    "awards",
    "declined_usd",
    "cancelled_usd",
];

/// track_offers.csv's columns.
pub const OFFERS_HEADER: [&str; 12] = [
    "offer_id",
    "donor",
    "envelope_usd",
    "proposed_usd",
    "pledged_usd",
    "committed_usd",
    "disbursed_usd",
    "left_usd",
    "over_committed",
    "awards",
    "declined_usd",
    "cancelled_usd",
];

/// track_donors.csv's columns.
pub const DONORS_HEADER: [&str; 13] = [
    "donor",
    "offers",
    "envelope_usd",
    "proposed_usd",
    "pledged_usd",
    "committed_usd",
    "disbursed_usd",
    "left_usd",
    "over_committed",
    "offers_over_committed",
    "awards",
    "declined_usd",
    "cancelled_usd",
];

/// track_followup.csv's columns.
pub const FOLLOWUP_HEADER: [&str; 9] =
    ["kind", "award_id", "need_id", "offer_id", "donor", "status", "amount_usd", "date", "days"];

/// track_unmatched.csv's columns.
pub const UNMATCHED_HEADER: [&str; 9] =
    ["award_id", "missing", "round", "need_id", "offer_id", "amount_usd", "status", "status_date", "ledger_line"];

fn date(d: Option<Date>) -> Cell {
    text(d.map_or_else(String::new, |d| d.to_string()))
}

fn flag(on: bool) -> Cell {
    text(if on { "true" } else { "false" })
}

/// proposed, pledged, committed and disbursed dollars.
fn four_sums(s: &StatusSums) -> [Cell; 4] {
    [int(s.proposed), int(s.pledged), int(s.committed), int(s.disbursed)]
}

/// awards, declined and cancelled dollars: the columns after the ones every reader wants.
fn tail_sums(s: &StatusSums) -> [Cell; 3] {
    [int(s.awards as i128), int(s.declined), int(s.cancelled)]
}

fn need_row(n: &NeedAccount) -> Vec<Cell> {
    let mut row = vec![text(&n.need_id), text(&n.requester), int(n.priority), date(n.start_latest), int(n.requested)];
    row.extend(four_sums(&n.sums));
    row.extend([int(n.open()), text(n.state().as_str())]);
    row.extend(tail_sums(&n.sums));
    row
}

fn offer_row(o: &OfferAccount) -> Vec<Cell> {
    let mut row = vec![text(&o.offer_id), text(&o.donor), int(o.envelope)];
    row.extend(four_sums(&o.sums));
    row.extend([int(o.left()), flag(o.left() < 0)]);
    row.extend(tail_sums(&o.sums));
    row
}

fn donor_row(d: &DonorAccount) -> Vec<Cell> {
    let mut row = vec![text(&d.donor), int(d.offers as i128), int(d.envelope)];
    row.extend(four_sums(&d.sums));
    row.extend([int(d.left()), flag(d.left() < 0), int(d.offers_over as i128)]);
    row.extend(tail_sums(&d.sums));
    row
}

fn followup_row(f: &FollowUp) -> Vec<Cell> {
    vec![
        text(f.kind.as_str()),
        text(&f.award_id),
        text(&f.need_id),
        text(&f.offer_id),
        text(&f.donor),
        text(f.status.map_or("", |s| s.as_str())),
        int(f.amount),
        date(f.date),
        f.days.map_or_else(|| text(""), int),
    ]
}

fn unmatched_row(u: &Unmatched) -> Vec<Cell> {
    vec![
        text(&u.award_id),
        text(u.kind.as_str()),
        text(&u.round),
        text(&u.need_id),
        text(&u.offer_id),
        int(u.amount),
        text(u.status.as_str()),
        date(u.status_date),
        int(u.line as i128),
    ]
}

fn table<R>(name: &'static str, header: &[&'static str], rows: &[R], row: fn(&R) -> Vec<Cell>) -> Table {
    Table { name, header: header.to_vec(), rows: rows.iter().map(row).collect() }
}

/// The stem of the workbook that holds the five tables with `--format xlsx` (track.xlsx).
pub const WORKBOOK: &str = "track";

/// The file stems of the five tables of a follow-up, in the order they are written.
pub const TABLES: [&str; 5] = ["track_needs", "track_offers", "track_donors", "track_followup", "track_unmatched"];

/// The five tables, in the order they are listed.
pub fn tables(track: &Track) -> Vec<Table> {
    let [needs, offers, donors, followup, unmatched] = TABLES;
    vec![
        table(needs, &NEEDS_HEADER, &track.needs, need_row),
        table(offers, &OFFERS_HEADER, &track.offers, offer_row),
        table(donors, &DONORS_HEADER, &track.donors, donor_row),
        table(followup, &FOLLOWUP_HEADER, &track.followups, followup_row),
        table(unmatched, &UNMATCHED_HEADER, &track.unmatched, unmatched_row),
    ]
}
