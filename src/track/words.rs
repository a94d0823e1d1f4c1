//! Every label of the track page and the summary, in English and Chinese, looked up by a typed key as in
//! `report::words` (which this module cannot read: the two sit side by side). Labels the match page already has
//! (need, offer, donor, requested) come from there; the page picks each from where it lives.

use crate::lang::Lang;
use crate::model::AwardStatus;

use super::accounts::{NeedState, UnmatchedKind};
use super::followup::FollowUpKind;

/// A label, heading or sentence of the track outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrackWord {
    /// The page's title.
    Title,
    /// The paragraph under the title.
    Lead,
    /// The last line of the page.
    Footer,
    /// "As of"
    AsOf,
    /// "Proposals followed up after"
    StaleAfter,
    /// "days"
    Days,
    /// "Ledger"
    LedgerFile,
    /// The follow-up list's heading.
    FollowUps,
    /// The donors section's heading.
    Donors,
    /// The needs section's heading.
    Needs,
    /// The unmatched awards' heading.
    Unmatched,
    /// The about section's heading.
    About,
    /// "Fully met"
    NeedsMet,
    /// "Partly met"
    NeedsPartly,
    /// "Open"
    NeedsOpen,
    /// "Proposed"
    Proposed,
    /// "Pledged"
    Pledged,
    /// "Committed"
    Committed,
    /// "Disbursed"
    Disbursed,
    /// "Still open"
    StillOpen,
    /// "In envelopes"
    Envelopes,
    /// "Proposed (USD)"
    ProposedUsd,
    /// "Pledged (USD)"
    PledgedUsd,
    /// "Committed (USD)"
    CommittedUsd,
    /// "Disbursed (USD)"
    DisbursedUsd,
    /// "Still open (USD)"
    OpenUsd,
    /// "Left (USD)"
    LeftUsd,
    /// "State"
    State,
    /// "Follow-up"
    Kind,
    /// "Award"
    Award,
    /// "Date"
    Date,
    /// "Days"
    DaysCol,
    /// "Status"
    Status,
    /// "Round"
    Round,
    /// "Missing"
    Missing,
    /// "Latest start"
    StartLatest,
    /// "Ledger line"
    LedgerLine,
    /// "Awards with the need not in the batch"
    NeedNotInBatchCount,
    /// "Awards with the offer not in the batch"
    OfferNotInBatchCount,
    /// "Offers over-committed"
    OffersOver,
    /// The note over the follow-up list.
    FollowUpNote,
    /// "Nothing to follow up."
    NoFollowUps,
    /// The note over the needs table.
    NeedsNote,
    /// The note over the unmatched awards.
    UnmatchedNote,
    /// "Every award's need and offer are in the batch."
    NoUnmatched,
    /// The note under the donors table.
    OverNote,
    /// "over-committed", the badge of an envelope below zero.
    OverBadge,
    /// The note of the about section.
    AboutNote,
}

impl TrackWord {
    /// The word in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        let (en, zh) = self.spellings();
        lang.pick(en, zh)
    }

    /// (English, Chinese).
    fn spellings(self) -> (&'static str, &'static str) {
        match self {
            TrackWord::Title => ("PoA/ITI assistance follow-up", "《行动纲领》和《国际追查文书》援助后续跟踪"),
            TrackWord::Lead => (
                "What became of each request and each envelope, from the ledger of awards, as of the date given.",
                "根据资助记录，截至所给日期，各项援助请求和各笔资金的落实情况。",
            ),
            TrackWord::Footer => (
                "Written by poa-match track. The figures are those of track_needs.csv, track_offers.csv, \
                 track_donors.csv, track_followup.csv, track_unmatched.csv and track.json in the same folder.",
                "由 poa-match track 生成。各项数字与同一文件夹中的 track_needs.csv、track_offers.csv、\
                 track_donors.csv、track_followup.csv、track_unmatched.csv 和 track.json 一致。",
            ),
            TrackWord::AsOf => ("As of", "截至"),
            TrackWord::StaleAfter => ("Proposals followed up after", "提议跟进期限"),
            TrackWord::Days => ("days", "天"),
            TrackWord::LedgerFile => ("Ledger", "资助记录"),
            TrackWord::FollowUps => ("To follow up", "待跟进事项"),
            TrackWord::Donors => ("Donors and offers", "捐助方与提议"),
            TrackWord::Needs => ("Needs", "需求"),
            TrackWord::Unmatched => ("Awards not matched to the batch", "未能对应本批次的资助"),
            TrackWord::About => ("About this follow-up", "关于本次跟踪"),
            TrackWord::NeedsMet => ("Fully met", "已全额落实"),
            TrackWord::NeedsPartly => ("Partly met", "部分落实"),
            TrackWord::NeedsOpen => ("Open", "未落实"),
            TrackWord::Proposed => ("Proposed", "已提议"),
            TrackWord::Pledged => ("Pledged", "已认捐"),
            TrackWord::Committed => ("Committed", "已承付"),
            TrackWord::Disbursed => ("Disbursed", "已支付"),
            TrackWord::StillOpen => ("Still open", "尚缺"),
            TrackWord::Envelopes => ("In envelopes", "资金总额"),
            TrackWord::ProposedUsd => ("Proposed (USD)", "已提议（美元）"),
            TrackWord::PledgedUsd => ("Pledged (USD)", "已认捐（美元）"),
            TrackWord::CommittedUsd => ("Committed (USD)", "已承付（美元）"),
            TrackWord::DisbursedUsd => ("Disbursed (USD)", "已支付（美元）"),
            TrackWord::OpenUsd => ("Still open (USD)", "尚缺（美元）"),
            TrackWord::LeftUsd => ("Left (USD)", "剩余（美元）"),
            TrackWord::State => ("State", "落实情况"),
            TrackWord::Kind => ("Follow-up", "跟进事项"),
            TrackWord::Award => ("Award", "资助"),
            TrackWord::Date => ("Date", "日期"),
            TrackWord::DaysCol => ("Days", "天数"),
            TrackWord::Status => ("Status", "状态"),
            TrackWord::Round => ("Round", "轮次"),
            TrackWord::Missing => ("Missing", "缺失"),
            TrackWord::StartLatest => ("Latest start", "最迟开始日期"),
            TrackWord::LedgerLine => ("Ledger line", "记录行号"),
            TrackWord::NeedNotInBatchCount => ("Awards whose need is not in the batch", "需求不在本批次中的资助"),
            TrackWord::OfferNotInBatchCount => ("Awards whose offer is not in the batch", "提议不在本批次中的资助"),
            TrackWord::OffersOver => ("Offers over-committed", "超额承付的提议"),
            TrackWord::FollowUpNote => (
                "Oldest first within each kind. Days are counted from the date shown to the as-of date.",
                "各类事项内按时间由久到近排列。天数为所示日期至截至日期的天数。",
            ),
            TrackWord::NoFollowUps => ("Nothing to follow up.", "没有待跟进事项。"),
            TrackWord::NeedsNote => (
                "Needs with money still open come first, the largest amount first; then the needs fully met. \
                 Pledged, committed and disbursed money counts as met; a proposal does not.",
                "尚有资金缺口的需求排在前面，缺口大者在先；其后为已全额落实的需求。已认捐、已承付和已支付的资金\
                 计为落实；提议不计。",
            ),
            TrackWord::UnmatchedNote => (
                "An award whose offer is not in the batch still counts for its need; one whose need is not in the \
                 batch still counts against its offer. Check these ids for typing errors.",
                "提议不在本批次中的资助仍计入其需求；需求不在本批次中的资助仍计入其提议。请核对这些编号是否有误。",
            ),
            TrackWord::NoUnmatched => {
                ("Every award's need and offer are in the batch.", "所有资助的需求和提议均在本批次中。")
            }
            TrackWord::OverNote => (
                "An envelope left below zero holds more pledged, committed and disbursed money in the ledger than \
                 it has: check the ledger.",
                "剩余为负数的资金在资助记录中的认捐、承付和支付总额超过了其资金总额：请核对资助记录。",
            ),
            TrackWord::OverBadge => ("over-committed", "超额承付"),
            TrackWord::AboutNote => (
                "The date is an argument, never the clock: the same inputs and options give the same page, byte \
                 for byte.",
                "日期由参数给定，而非取自系统时钟：相同的输入和选项生成逐字节相同的页面。",
            ),
        }
    }
}

/// A follow-up kind in words.
pub fn followup_kind_name(kind: FollowUpKind, lang: Lang) -> &'static str {
    match kind {
        FollowUpKind::StaleProposal => lang.pick("Proposal not pledged", "提议未获认捐"),
        FollowUpKind::UndisbursedCommitment => lang.pick("Commitment not disbursed after a year", "承付逾一年未支付"),
        FollowUpKind::OpenPastStart => lang.pick("Still open after its latest start", "超过最迟开始日期仍有缺口"),
        FollowUpKind::Undated => lang.pick("No status date: cannot be aged", "无状态日期，无法计算时长"),
        FollowUpKind::DatedAfterAsOf => lang.pick("Status date after the as-of date", "状态日期晚于截至日期"),
    }
}

/// A need's state in words.
pub fn need_state_name(state: NeedState, lang: Lang) -> &'static str {
    match state {
        NeedState::Met => TrackWord::NeedsMet.text(lang),
        NeedState::Partly => TrackWord::NeedsPartly.text(lang),
        NeedState::Open => TrackWord::NeedsOpen.text(lang),
    }
}

/// An award's status in words.
pub fn award_status_name(status: AwardStatus, lang: Lang) -> &'static str {
    match status {
        AwardStatus::Proposed => lang.pick("proposed", "已提议"),
        AwardStatus::Pledged => lang.pick("pledged", "已认捐"),
        AwardStatus::Committed => lang.pick("committed", "已承付"),
        AwardStatus::Disbursed => lang.pick("disbursed", "已支付"),
        AwardStatus::Declined => lang.pick("declined", "已拒绝"),
        AwardStatus::Cancelled => lang.pick("cancelled", "已取消"),
    }
}

/// Which side of an award the batch lacks, in words.
pub fn unmatched_kind_name(kind: UnmatchedKind, lang: Lang) -> &'static str {
    match kind {
        UnmatchedKind::NeedNotInBatch => lang.pick("need not in the batch", "需求不在本批次中"),
        UnmatchedKind::OfferNotInBatch => lang.pick("offer not in the batch", "提议不在本批次中"),
        UnmatchedKind::NeitherInBatch => lang.pick("neither in the batch", "需求和提议均不在本批次中"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_and_status_has_words_in_both_languages() {
        for lang in Lang::ALL {
            for kind in FollowUpKind::ALL {
                assert!(!followup_kind_name(kind, lang).is_empty());
            }
            for status in AwardStatus::ALL {
                assert!(!award_status_name(*status, lang).is_empty());
            }
            for state in NeedState::ALL {
                assert!(!need_state_name(state, lang).is_empty());
            }
        }
        assert_ne!(TrackWord::Title.text(Lang::En), TrackWord::Title.text(Lang::Zh));
    }
}
