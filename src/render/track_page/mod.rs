//! track.html, the page of `track`: headline figures as of the date given, the follow-up list, donors and their
//! offers, every need (those with money open first) and the awards whose need or offer is not in the batch. The
//! frame, styles, script and escaping are the match page's; a pure function of the follow-up, its record, the
//! batch (titles), the reference tables (names) and the language.

mod accounts;
mod headline;
mod lists;

use crate::catalog::Reference;
use crate::lang::Lang;
use crate::model::{Batch, Need, Requester};
use crate::report::Word;
use crate::track::record::TrackInfo;
use crate::track::{Track, TrackWord};

use super::page::{PageFrame, Section, render_page};
use super::parts::{input_fact, labelled};

/// Everything the track page is made of.
#[derive(Debug, Clone, Copy)]
pub struct TrackPage<'a> {
    /// The follow-up.
    pub track: &'a Track,
    /// track.json's content.
    pub info: &'a TrackInfo,
    /// The batch (titles, requesters).
    pub batch: &'a Batch,
    /// Reference tables (country names).
    pub reference: &'a Reference,
    /// The page's language.
    pub lang: Lang,
}

/// The page of a follow-up.
pub fn render_track_page(page: &TrackPage<'_>) -> String {
    let (lang, info) = (page.lang, page.info);
    let tw = |w: TrackWord| w.text(lang);
    let facts = vec![
        labelled(lang, tw(TrackWord::AsOf), &info.options.as_of),
        labelled(lang, tw(TrackWord::LedgerFile), input_fact(&info.inputs.ledger, lang)),
        labelled(lang, Word::NeedsFile.text(lang), input_fact(&info.inputs.needs, lang)),
        labelled(lang, Word::OffersFile.text(lang), input_fact(&info.inputs.offers, lang)),
        format!("poa-match {}", info.version),
    ];
    let sections = vec![
        Section::new("headline", Word::Headline, lang, headline::headline(page)),
        track_section("followup", TrackWord::FollowUps, lang, lists::followups(page)),
        track_section("donors", TrackWord::Donors, lang, accounts::donors(page)),
        track_section("needs", TrackWord::Needs, lang, accounts::needs(page)),
        track_section("unmatched", TrackWord::Unmatched, lang, lists::unmatched(page)),
        track_section("about", TrackWord::About, lang, lists::about(page)),
    ];
    let frame = PageFrame {
        lang,
        title: tw(TrackWord::Title),
        lead: tw(TrackWord::Lead),
        facts: &facts,
        footer: tw(TrackWord::Footer),
    };
    render_page(&frame, &sections)
}

fn track_section(id: &'static str, word: TrackWord, lang: Lang, body: super::Html) -> Section {
    Section { id, heading: word.text(lang).to_string(), body }
}

impl<'a> TrackPage<'a> {
    /// A donor's name: the donor table's, else the country's for a State's code, else the code as written.
    fn donor_name(&self, donor: &'a str) -> &'a str {
        self.reference.donor_name(donor, self.lang.code()).unwrap_or(donor)
    }

    /// A requester's name: the country's name for a State, the organisation's code otherwise.
    fn requester_name(&self, need: Option<&'a Need>, code: &'a str) -> &'a str {
        match need.map(|n| &n.requester) {
            Some(Requester::State(c)) => self.reference.country(*c).short_name(self.lang.code()),
            _ => code,
        }
    }
}

#[cfg(test)]
mod tests;
