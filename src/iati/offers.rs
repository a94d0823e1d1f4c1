//! A taken activity as candidate offers.csv rows: one per recipient share.
//!
//! IATI says who gives, how much is left, where and when; it does not say which commitments, themes or kinds of
//! help the money is for, nor a cap, a floor or the implementers allowed. Those columns stay blank (no
//! restriction), and each row's `notes` say where it came from and what to review before matching. `offer_id` is
//! the activity's `iati-identifier` itself, with the recipient after a colon when the activity gives several rows
//! (`GB-GOV-1-300123:UGA`, `GB-GOV-1-300123:M49-202`), so every row traces back to its activity without a column
//! that offers.csv does not have.

use std::fmt::Write as _;

use super::select::{Recipient, Taken, recipient_words};
use crate::catalog::Reference;
use crate::model::{Offer, OfferId};

/// Where an activity was read.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The file as the user named it.
    pub file: &'a str,
    /// 1-based line of `<iati-activity>`.
    pub line: u64,
}

/// The offers of a taken activity, in the order of its shares.
pub fn offers_of(taken: &Taken, source: Source<'_>, reference: &Reference) -> Vec<Offer> {
    let several = taken.shares.len() > 1;
    taken
        .shares
        .iter()
        .map(|share| {
            let id = match (several, share.recipient) {
                (false, _) | (true, Recipient::Anywhere) => taken.identifier.clone(),
                (true, Recipient::Country(c)) => format!("{}:{}", taken.identifier, reference.country(c).alpha3),
                (true, Recipient::Area(m49)) => format!("{}:M49-{m49}", taken.identifier),
            };
            let mut offer = Offer::unrestricted(OfferId(id), taken.donor.code.clone(), share.amount);
            offer.donor_type = taken.donor.donor_type;
            match share.recipient {
                Recipient::Anywhere => {}
                Recipient::Country(c) => offer.countries_include = vec![c],
                Recipient::Area(m49) => offer.regions_m49 = vec![m49],
            }
            offer.window_start = taken.window_start;
            offer.window_end = taken.window_end;
            offer.title = taken.title.clone();
            offer.notes = notes(taken, share.recipient, share.percent, source, reference);
            offer
        })
        .collect()
}

fn notes(
    taken: &Taken,
    recipient: Recipient,
    percent: super::codes::Decimal,
    source: Source<'_>,
    reference: &Reference,
) -> String {
    let mut notes = format!(
        "From IATI activity {} ({}, line {}), {} {}. ",
        taken.identifier,
        source.file,
        source.line,
        taken.donor.source.words(),
        taken.donor.reference
    );
    let _ = write!(notes, "This row: {} {}% of the money left. ", recipient_words(recipient, reference), percent);
    let _ = write!(notes, "Money: {}. ", taken.detail);
    notes.push_str("IATI gives no commitments, themes, kinds, caps or implementers: set them before matching.");
    // The file name and the title come from the user: keep the cell one line of printable text.
    notes.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}
