//! report.html of `match`: the frame's facts (method, status, inputs) and eight sections, one file each —
//! headline figures, coverage by commitment, theme and region, donors' envelopes (with every offer), needs not
//! fully funded, matches, and what the run used. A pure function of the report rows, the run record, the batch
//! (titles, requesters), the reference tables (titles and names) and the language.

mod about;
mod coverage;
mod donors;
mod headline;
mod matches;
mod needs;

use crate::catalog::Reference;
use crate::lang::Lang;
use crate::model::{Batch, Need, Requester};
use crate::report::words::{method_name, status_name};
use crate::report::{Dimension, MatchReport, RunInfo, Word};

use super::builder::Html;
use super::page::{PageFrame, Section, render_page};
use super::parts::{input_fact, labelled};

/// Everything the match report page is made of.
#[derive(Debug, Clone, Copy)]
pub struct MatchPage<'a> {
    /// The report tables.
    pub report: &'a MatchReport,
    /// run.json's content (timings are not shown).
    pub run: &'a RunInfo,
    /// The batch (titles, requesters, commitments).
    pub batch: &'a Batch,
    /// Reference tables (commitment titles, country and region names).
    pub reference: &'a Reference,
    /// The page's language.
    pub lang: Lang,
}

/// The report page of a match run.
pub fn render_match_page(page: &MatchPage<'_>) -> String {
    let (lang, run) = (page.lang, page.run);
    let facts = vec![
        labelled(lang, Word::Method.text(lang), method_name(run.method, lang)),
        labelled(lang, Word::SolveStatus.text(lang), status_name(run.status, lang)),
        labelled(lang, Word::NeedsFile.text(lang), input_fact(&run.inputs.needs, lang)),
        labelled(lang, Word::OffersFile.text(lang), input_fact(&run.inputs.offers, lang)),
        format!("poa-match {}", run.version),
    ];
    let sections = match_sections(page);
    let frame = PageFrame {
        lang,
        title: Word::MatchTitle.text(lang),
        lead: Word::MatchLead.text(lang),
        facts: &facts,
        footer: Word::MatchFooter.text(lang),
    };
    render_page(&frame, &sections)
}

/// The sections of the match report, in page order.
pub fn match_sections(page: &MatchPage<'_>) -> Vec<Section> {
    let lang = page.lang;
    vec![
        Section::new("headline", Word::Headline, lang, headline::headline(page)),
        Section::new("by-commitment", Word::CoverageByCommitment, lang, coverage::chart(page, Dimension::Commitment)),
        Section::new("by-theme", Word::CoverageByTheme, lang, coverage::chart(page, Dimension::Theme)),
        Section::new("by-region", Word::CoverageByRegion, lang, coverage::chart(page, Dimension::Region)),
        Section::new("fairness", Word::Fairness, lang, coverage::fairness(page)),
        Section::new("donors", Word::DonorEnvelopes, lang, donors::donors(page)),
        Section::new("needs", Word::NeedsNotFunded, lang, needs::needs_short(page)),
        Section::new("matches", Word::MatchesHeading, lang, matches::matches(page)),
        Section::new("about", Word::AboutRun, lang, about::about(page)),
    ]
}

impl<'a> MatchPage<'a> {
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

    /// A commitment's title in the page's language (empty for a code the catalogue does not know).
    fn commitment_title(&self, code: &str) -> &'a str {
        self.reference.commitment_by_code(code).map_or("", |c| self.reference.commitment(c).title(self.lang.code()))
    }

    /// A commitment code with its title as a tooltip.
    fn commitment_cell(&self, h: &mut Html, code: &str) {
        h.open("td", &[("class", "id"), ("data-sort", code)]);
        h.element("code", &[("title", self.commitment_title(code))], code);
        h.close("td");
    }
}

#[cfg(test)]
mod tests;
