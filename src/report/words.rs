//! The translation table: every word poa-match shows to people, in English and Chinese, looked up by a typed key
//! ([`Word`], or the vocabulary types: [`Method`], [`Status`], [`NeedState`], [`Shortfall`], [`Hold`], [`Theme`],
//! [`Kind`]).
//! The match page, the simulate page and summary.csv's labels all read from here, so a new label is added in one
//! place with both spellings, and a missing one does not compile.
//!
//! Names that come from reference data (commitment titles, country and region names) are not here: the catalogue
//! and the country table carry them in both languages.

use crate::graph::Reason;
use crate::lang::Lang;
use crate::model::{Kind, Theme};
use crate::solve::{Method, Status};

use super::rows::NeedState;
use super::shortfall::Shortfall;
use super::why::{Hold, HoldCounts};

/// A label, heading or sentence of the outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Word {
    /// "PoA/ITI assistance matching report"
    MatchTitle,
    /// "Requests for assistance under the UN Programme of Action on small arms and light weapons and the …"
    MatchLead,
    /// "Written by poa-match. The figures are those of summary.csv, needs_status.csv, offers_status.csv, …"
    MatchFooter,
    /// "Contents"
    Contents,
    /// "Headline figures"
    Headline,
    /// "Coverage by commitment"
    CoverageByCommitment,
    /// "Coverage by theme"
    CoverageByTheme,
    /// "Coverage by region (M49)"
    CoverageByRegion,
    /// "Concentration and coverage of LDC, LLDC and SIDS"
    Fairness,
    /// "Least developed countries (LDC)"
    GroupLdc,
    /// "Landlocked developing countries (LLDC)"
    GroupLldc,
    /// "Small island developing States (SIDS)"
    GroupSids,
    /// "Share of the five largest requesters in the total allocated"
    TopFiveShare,
    /// "Herfindahl index of requesters' shares"
    Herfindahl,
    /// "Group"
    Group,
    /// "Donor envelopes: used and left"
    DonorEnvelopes,
    /// "Needs not fully funded"
    NeedsNotFunded,
    /// "Matches"
    MatchesHeading,
    /// "About this run"
    AboutRun,
    /// "Requested"
    Requested,
    /// "In envelopes"
    Offered,
    /// "Allocated"
    Allocated,
    /// "Coverage"
    Coverage,
    /// "Needs"
    NeedsTotal,
    /// "Funded"
    Funded,
    /// "Partly funded"
    Partial,
    /// "Unfunded"
    Unfunded,
    /// "Objective"
    Objective,
    /// "Proven bound"
    Bound,
    /// "Gap"
    Gap,
    /// "Method"
    Method,
    /// "Status"
    SolveStatus,
    /// "Status"
    NeedStatus,
    /// "USD"
    Usd,
    /// "Money goes first to the highest-priority needs and, among needs of equal priority, to the …"
    ObjectiveNote,
    /// "Commitment"
    Commitment,
    /// "Theme"
    Theme,
    /// "Region"
    Region,
    /// "Needs"
    NeedsCount,
    /// "Requested (USD)"
    RequestedUsd,
    /// "Allocated (USD)"
    AllocatedUsd,
    /// "Left (USD)"
    RemainingUsd,
    /// "Envelope (USD)"
    EnvelopeUsd,
    /// "Amount (USD)"
    AmountUsd,
    /// "Donor"
    Donor,
    /// "Offers"
    OffersCount,
    /// "Used"
    Used,
    /// "Left"
    Left,
    /// "Envelope used"
    EnvelopeBar,
    /// "Bars are drawn to the scale of the largest envelope."
    DonorScale,
    /// "Offers"
    OffersHeading,
    /// "Offer"
    Offer,
    /// "Title"
    TitleCol,
    /// "Awards"
    Awards,
    /// "Eligible needs"
    EligibleNeeds,
    /// "Need"
    Need,
    /// "Requester"
    Requester,
    /// "Priority"
    Priority,
    /// "Reason"
    Reason,
    /// "Kind"
    Kind,
    /// "Fit"
    Fit,
    /// "Filter rows…"
    Filter,
    /// "Every need is fully funded."
    AllFunded,
    /// "Needs that got less than they asked for, with the reason. Priority 1 is the highest."
    NeedsNote,
    /// "No offer funds any need."
    NoMatches,
    /// "Unknown"
    Unknown,
    /// "File"
    File,
    /// "Rows"
    RowsCol,
    /// "Needs"
    NeedsFile,
    /// "Offers"
    OffersFile,
    /// "Flow relaxation (no integer rules)"
    Relaxation,
    /// "Eligible need–offer pairs"
    EligiblePairs,
    /// "Search nodes"
    SearchNodes,
    /// "Integer rules"
    IntegerRules,
    /// "Value of a dollar"
    DollarValue,
    /// "yes"
    Yes,
    /// "no"
    No,
    /// "The same inputs and options give the same page, byte for byte."
    MatchAboutNote,
    /// "(bundled sample)"
    Bundled,
    /// "PoA/ITI funding scenarios report"
    StudyTitle,
    /// "What the assistance matching could look like if funding changes: each scenario was drawn m…"
    StudyLead,
    /// "Written by poa-match simulate. Figures are in US dollars; coverage is allocated over requested."
    StudyFooter,
    /// "Scenarios"
    Scenarios,
    /// "By commitment"
    ByCommitment,
    /// "By M49 region"
    ByRegion,
    /// "Odds that each need is funded"
    NeedOdds,
    /// "About this study"
    AboutStudy,
    /// "Scenario"
    Scenario,
    /// "Draws"
    Draws,
    /// "Pledged (USD)"
    OfferedUsd,
    /// "Expected to arrive (USD)"
    ExpectedUsd,
    /// "Allocated, mean (USD)"
    AllocatedMean,
    /// "Allocated, median (USD)"
    AllocatedMedian,
    /// "mean" (the label of a mean under a median)
    Mean,
    /// "Coverage p5–p95 (median)"
    CoverageSpread,
    /// "Needs funded p5 / p50 / p95"
    FundedSpread,
    /// "Draws not proved optimal"
    NotProved,
    /// "Fully funded in"
    FundedShare,
    /// "Funded at all in"
    ReachedShare,
    /// "Each need counts under its primary commitment and its requester's M49 region."
    SpreadNote,
    /// "The share of draws in which the need is fully funded (the bar), and in which it gets anything."
    OddsNote,
    /// "Seed"
    Seed,
    /// "Node limit per draw"
    NodeLimit,
    /// "Draw i of scenario s uses a random stream seeded from (seed, s, i) only: the same inputs, seed and …"
    StudyAboutNote,
    /// The label of the summary's total row.
    AllNeeds,
    /// "Locked by the ledger"
    LockedMoney,
    /// "New this round"
    NewMoney,
    /// "Locked, of offers outside the batch"
    LockedOutside,
    /// "Round"
    Round,
    /// "Locked, incomplete"
    LockedIncompleteCount,
    /// "Origin" (of a match: locked or new)
    Origin,
    /// "locked" (the origin of a match)
    OriginLocked,
    /// "new" (the origin of a match)
    OriginNew,
    /// "of which locked"
    OfWhichLocked,
    /// "Locked (USD)"
    LockedUsd,
    /// The note under the headline of a round with a ledger.
    RoundNote,
}

impl Word {
    /// The word in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        let (en, zh) = self.spellings();
        lang.pick(en, zh)
    }

    /// (English, Chinese).
    fn spellings(self) -> (&'static str, &'static str) {
        match self {
            Word::LockedMoney => ("Locked by the ledger", "账本锁定"),
            Word::NewMoney => ("New this round", "本轮新增"),
            Word::LockedOutside => ("Locked, of offers outside the batch", "其中来自本批次以外的提议"),
            Word::Round => ("Round", "轮次"),
            Word::LockedIncompleteCount => ("Locked, incomplete", "已锁定，未完成"),
            Word::Origin => ("Origin", "来源"),
            Word::OriginLocked => ("locked", "已锁定"),
            Word::OriginNew => ("new", "新增"),
            Word::OfWhichLocked => ("of which locked", "其中锁定"),
            Word::LockedUsd => ("Locked (USD)", "锁定（美元）"),
            Word::RoundNote => (
                "Awards of earlier rounds that the ledger marks committed or disbursed (and pledged, when the round \
                 locks pledges) are fixed: this round allocates around them, and every rule counts them. A locked \
                 award whose offer is not in this batch counts against its need only.",
                "账本中已承诺或已拨付（若本轮锁定认捐，则包括已认捐）的以往各轮资助保持不变：本轮围绕这些资助分配，\
                 各项规则均将其计入。提议不在本批次中的锁定资助只计入其需求。",
            ),
            Word::MatchTitle => ("PoA/ITI assistance matching report", "《行动纲领》和《国际追查文书》援助匹配报告"),
            Word::MatchLead => (
                "Requests for assistance under the UN Programme of Action on small arms and light weapons and the \
           International Tracing Instrument, matched with donor offers.",
                "根据联合国《小武器和轻武器行动纲领》和《国际追查文书》提出的援助请求与捐助方提议的匹配结果。",
            ),
            Word::MatchFooter => (
                "Written by poa-match. The figures are those of summary.csv, needs_status.csv, offers_status.csv, \
             matches.csv and run.json in the same folder.",
                "由 poa-match 生成。各项数字与同一文件夹中的 summary.csv、needs_status.csv、offers_status.csv、\
             matches.csv 和 run.json 一致。",
            ),
            Word::Contents => ("Contents", "目录"),
            Word::Headline => ("Headline figures", "主要数字"),
            Word::CoverageByCommitment => ("Coverage by commitment", "按承诺分列的资助覆盖率"),
            Word::CoverageByTheme => ("Coverage by theme", "按主题分列的资助覆盖率"),
            Word::CoverageByRegion => ("Coverage by region (M49)", "按区域（M49）分列的资助覆盖率"),
            Word::Fairness => (
                "Concentration and coverage of LDC, LLDC and SIDS",
                "资助集中度及最不发达国家、内陆发展中国家和小岛屿发展中国家的覆盖率",
            ),
            Word::GroupLdc => ("Least developed countries (LDC)", "最不发达国家"),
            Word::GroupLldc => ("Landlocked developing countries (LLDC)", "内陆发展中国家"),
            Word::GroupSids => ("Small island developing States (SIDS)", "小岛屿发展中国家"),
            Word::TopFiveShare => {
                ("Share of the five largest requesters in the total allocated", "五个最大请求方在资助总额中的份额")
            }
            Word::Herfindahl => ("Herfindahl index of requesters' shares", "请求方份额的赫芬达尔指数"),
            Word::Group => ("Group", "类别"),
            Word::DonorEnvelopes => ("Donor envelopes: used and left", "捐助方资金：已用与剩余"),
            Word::NeedsNotFunded => ("Needs not fully funded", "未获全额资助的需求"),
            Word::MatchesHeading => ("Matches", "匹配结果"),
            Word::AboutRun => ("About this run", "关于本次运行"),
            Word::Requested => ("Requested", "申请总额"),
            Word::Offered => ("In envelopes", "可用资金"),
            Word::Allocated => ("Allocated", "已分配"),
            Word::Coverage => ("Coverage", "覆盖率"),
            Word::NeedsTotal => ("Needs", "需求数"),
            Word::Funded => ("Funded", "全额资助"),
            Word::Partial => ("Partly funded", "部分资助"),
            Word::Unfunded => ("Unfunded", "未获资助"),
            Word::Objective => ("Objective", "目标函数值"),
            Word::Bound => ("Proven bound", "已证明上界"),
            Word::Gap => ("Gap", "差距"),
            Word::Method => ("Method", "方法"),
            Word::SolveStatus => ("Status", "求解状态"),
            Word::NeedStatus => ("Status", "状态"),
            Word::Usd => ("USD", "美元"),
            Word::ObjectiveNote => (
                "Money goes first to the highest-priority needs and, among needs of equal priority, to the \
                     offers that fit them best. The objective is the sum of dollars times their value; the bound \
                     is a proven upper limit on it, and the gap is how far the allocation may be from the best.",
                "资金首先分配给优先级最高的需求；优先级相同时，分配给最契合的提议。目标函数值是每美元价值之和；\
                     上界是经证明的最大可能值，差距表示本分配与最优分配之间可能的距离。",
            ),
            Word::Commitment => ("Commitment", "承诺"),
            Word::Theme => ("Theme", "主题"),
            Word::Region => ("Region", "区域"),
            Word::NeedsCount => ("Needs", "需求数"),
            Word::RequestedUsd => ("Requested (USD)", "申请额（美元）"),
            Word::AllocatedUsd => ("Allocated (USD)", "已分配（美元）"),
            Word::RemainingUsd => ("Left (USD)", "剩余（美元）"),
            Word::EnvelopeUsd => ("Envelope (USD)", "资金总额（美元）"),
            Word::AmountUsd => ("Amount (USD)", "金额（美元）"),
            Word::Donor => ("Donor", "捐助方"),
            Word::OffersCount => ("Offers", "提议数"),
            Word::Used => ("Used", "已用"),
            Word::Left => ("Left", "剩余"),
            Word::EnvelopeBar => ("Envelope used", "资金使用情况"),
            Word::DonorScale => {
                ("Bars are drawn to the scale of the largest envelope.", "条形长度按最大一笔资金的比例绘制。")
            }
            Word::OffersHeading => ("Offers", "提议"),
            Word::Offer => ("Offer", "提议"),
            Word::TitleCol => ("Title", "标题"),
            Word::Awards => ("Awards", "资助项目数"),
            Word::EligibleNeeds => ("Eligible needs", "符合条件的需求"),
            Word::Need => ("Need", "需求"),
            Word::Requester => ("Requester", "申请方"),
            Word::Priority => ("Priority", "优先级"),
            Word::Reason => ("Reason", "原因"),
            Word::Kind => ("Kind", "援助类型"),
            Word::Fit => ("Fit", "契合度"),
            Word::Filter => ("Filter rows…", "筛选行…"),
            Word::AllFunded => ("Every need is fully funded.", "所有需求均已获全额资助。"),
            Word::NeedsNote => (
                "Needs that got less than they asked for, with the reason. Priority 1 is the highest.",
                "所获资金少于申请额的需求及其原因。优先级 1 为最高。",
            ),
            Word::NoMatches => ("No offer funds any need.", "没有任何提议资助需求。"),
            Word::Unknown => ("Unknown", "未知"),
            Word::File => ("File", "文件"),
            Word::RowsCol => ("Rows", "行数"),
            Word::NeedsFile => ("Needs", "需求"),
            Word::OffersFile => ("Offers", "提议"),
            Word::Relaxation => ("Flow relaxation (no integer rules)", "流松弛最优值（不含整数规则）"),
            Word::EligiblePairs => ("Eligible need–offer pairs", "合格的需求—提议对"),
            Word::SearchNodes => ("Search nodes", "搜索节点数"),
            Word::IntegerRules => ("Integer rules", "整数规则"),
            Word::DollarValue => ("Value of a dollar", "每美元的价值"),
            Word::Yes => ("yes", "是"),
            Word::No => ("no", "否"),
            Word::MatchAboutNote => (
                "The same inputs and options give the same page, byte for byte.",
                "相同的输入和选项生成逐字节相同的页面。",
            ),
            Word::Bundled => ("(bundled sample)", "（内置样例）"),
            Word::StudyTitle => ("PoA/ITI funding scenarios report", "《行动纲领》/《国际追查文书》资金情景报告"),
            Word::StudyLead => (
                "What the assistance matching could look like if funding changes: each scenario was drawn many times \
           (which pledges arrive, and how much of them), and each draw was allocated again. The bars show the \
           range from the 5th to the 95th percentile of the draws, with a tick at the median.",
                "资金变化时援助匹配可能的结果：每个情景抽样多次（哪些认捐到位、到位多少），每次抽样重新分配。\
           条形显示各次抽样第 5 至第 95 百分位的范围，刻度为中位数。",
            ),
            Word::StudyFooter => (
                "Written by poa-match simulate. Figures are in US dollars; coverage is allocated over requested.",
                "由 poa-match simulate 生成。金额单位为美元；覆盖率为已分配除以申请额。",
            ),
            Word::Scenarios => ("Scenarios", "情景"),
            Word::ByCommitment => ("By commitment", "按承诺"),
            Word::ByRegion => ("By M49 region", "按 M49 区域"),
            Word::NeedOdds => ("Odds that each need is funded", "各项需求获得资助的概率"),
            Word::AboutStudy => ("About this study", "关于本研究"),
            Word::Scenario => ("Scenario", "情景"),
            Word::Draws => ("Draws", "抽样次数"),
            Word::OfferedUsd => ("Pledged (USD)", "认捐额（美元）"),
            Word::ExpectedUsd => ("Expected to arrive (USD)", "预期到位（美元）"),
            Word::AllocatedMean => ("Allocated, mean (USD)", "已分配均值（美元）"),
            Word::AllocatedMedian => ("Allocated, median (USD)", "已分配中位数（美元）"),
            Word::Mean => ("mean", "均值"),
            Word::CoverageSpread => ("Coverage p5–p95 (median)", "覆盖率 p5–p95（中位数）"),
            Word::FundedSpread => ("Needs funded p5 / p50 / p95", "全额资助需求数 p5 / p50 / p95"),
            Word::NotProved => ("Draws not proved optimal", "未证明最优的抽样"),
            Word::FundedShare => ("Fully funded in", "全额资助比例"),
            Word::ReachedShare => ("Funded at all in", "获得资助比例"),
            Word::SpreadNote => (
                "Each need counts under its primary commitment and its requester's M49 region.",
                "每项需求计入其首要承诺及申请方所在的 M49 区域。",
            ),
            Word::OddsNote => (
                "The share of draws in which the need is fully funded (the bar), and in which it gets anything.",
                "需求在各次抽样中获得全额资助的比例（条形）以及获得任何资助的比例。",
            ),
            Word::Seed => ("Seed", "随机种子"),
            Word::NodeLimit => ("Node limit per draw", "每次抽样的节点上限"),
            Word::StudyAboutNote => (
                "Draw i of scenario s uses a random stream seeded from (seed, s, i) only: the same inputs, seed and \
                 options give the same figures on any number of threads or machines.",
                "情景 s 的第 i 次抽样只使用由（种子, s, i）确定的随机流：相同的输入、种子和选项在任何线程数或机器上给出相同的数字。",
            ),
            Word::AllNeeds => ("All needs", "全部需求"),
        }
    }
}

/// An allocation method in words.
pub fn method_name(method: Method, lang: Lang) -> &'static str {
    match method {
        Method::Optimal => lang.pick("optimal (exact)", "最优（精确）"),
        Method::Greedy => lang.pick("greedy (desk officer's baseline)", "贪心（人工基准）"),
    }
}

/// How a solve ended, in words.
pub fn status_name(status: Status, lang: Lang) -> &'static str {
    match status {
        Status::Optimal => lang.pick("optimal", "最优"),
        Status::NodeLimit => lang.pick("stopped at the node limit", "达到节点上限"),
        Status::WorkLimit => lang.pick("stopped at the work limit", "达到工作量上限"),
        Status::TimeLimit => lang.pick("stopped at the time limit", "达到时间上限"),
        Status::GapLimit => lang.pick("within the gap limit", "达到间隙上限"),
        Status::Heuristic => lang.pick("heuristic", "启发式"),
    }
}

/// What a search stopped by a limit means for a reader of its allocation, with the `gap` (a fraction) it proved;
/// `None` for a search that ran to its end (proved optimal) or a method without a bound (greedy).
///
/// The work, node and gap limits count steps, never time, so a re-run with the same files and options stops at
/// the same place (docs/spec.md §10); a time limit does not, and the note says so.
pub fn stop_note(status: Status, gap: f64, lang: Lang) -> Option<String> {
    let gap = format!("{:.4}%", 100.0 * gap);
    let first = match status {
        Status::Optimal | Status::Heuristic => return None,
        Status::WorkLimit => lang.pick(
            "The search reached its work limit before it could prove this allocation the best.",
            "搜索在证明本分配为最优之前达到了工作量上限。",
        ),
        Status::NodeLimit => lang.pick(
            "The search reached its node limit before it could prove this allocation the best.",
            "搜索在证明本分配为最优之前达到了节点上限。",
        ),
        Status::GapLimit => lang.pick(
            "The search stopped as soon as this allocation was as close to the best as the gap limit asks.",
            "本分配与最优值的距离一旦达到间隙上限的要求，搜索即停止。",
        ),
        Status::TimeLimit => {
            return Some(match lang {
                Lang::En => format!(
                    "The search reached its time limit before it could prove this allocation the best. The \
                     allocation is within {gap} of the best possible. A time limit depends on the machine and its \
                     load, so a re-run may stop elsewhere; without --time-limit the search stops at its work limit, \
                     and a re-run with the same files and options gives the same allocation."
                ),
                Lang::Zh => format!(
                    "搜索在证明本分配为最优之前达到了时间上限。本分配与最佳可能分配的差距在 {gap} 以内。\
                     时间上限取决于机器及其负载，重新运行可能停在别处；不设 --time-limit 时，搜索在工作量上限处停止，\
                     使用相同的文件和选项重新运行会得到相同的分配。"
                ),
            });
        }
    };
    Some(match lang {
        Lang::En => format!(
            "{first} The allocation is within {gap} of the best possible, and a re-run with the same files and \
             options gives the same allocation."
        ),
        Lang::Zh => {
            format!("{first}本分配与最佳可能分配的差距在 {gap} 以内；使用相同的文件和选项重新运行会得到相同的分配。")
        }
    })
}

/// A need's outcome in words (the badge of the needs table).
pub fn need_state_name(state: NeedState, lang: Lang) -> &'static str {
    match state {
        NeedState::Funded => lang.pick("funded", "全额资助"),
        NeedState::Partial => lang.pick("partial", "部分资助"),
        NeedState::Unfunded => lang.pick("unfunded", "未获资助"),
        NeedState::LockedIncomplete => lang.pick("locked, incomplete", "已锁定，未完成"),
    }
}

/// A theme's name.
pub fn theme_name(theme: Theme, lang: Lang) -> &'static str {
    let (en, zh) = match theme {
        Theme::Marking => ("Marking", "标识"),
        Theme::RecordKeeping => ("Record-keeping", "记录保存"),
        Theme::Tracing => ("Tracing", "追查"),
        Theme::StockpileManagement => ("Stockpile management", "库存管理"),
        Theme::DestructionDisposal => ("Destruction and disposal", "销毁与处置"),
        Theme::BorderControl => ("Border control", "边境管制"),
        Theme::LegislationRegulation => ("Legislation and regulation", "立法与规章"),
        Theme::Brokering => ("Brokering", "中间商活动"),
        Theme::NationalCoordinationNap => ("National coordination and action plans", "国家协调与行动计划"),
        Theme::DdrEmbargoes => ("DDR and arms embargoes", "复员方案与武器禁运"),
        Theme::Gender => ("Gender", "性别平等"),
        Theme::InternationalCooperation => ("International cooperation", "国际合作"),
        Theme::Reporting => ("Reporting", "报告"),
        Theme::MeetingParticipation => ("Meeting participation", "参加会议"),
    };
    lang.pick(en, zh)
}

/// A kind of assistance's name.
pub fn kind_name(kind: Kind, lang: Lang) -> &'static str {
    let (en, zh) = match kind {
        Kind::Financial => ("financial", "资金"),
        Kind::Technical => ("technical", "技术"),
        Kind::Equipment => ("equipment", "设备"),
        Kind::Training => ("training", "培训"),
        Kind::Legal => ("legal", "法律"),
    };
    lang.pick(en, zh)
}

/// The rule that kept every offer from a need, as the end of "No eligible offer: …".
fn rule_words(rule: Reason, lang: Lang) -> &'static str {
    let (en, zh) = match rule {
        Reason::NoScope => ("no offer covers its commitments", "没有提议涵盖其承诺"),
        Reason::Kind => ("the kind of assistance", "援助类型不符"),
        Reason::Region => ("the region", "地区不符"),
        Reason::CountryExcluded => ("the country is excluded", "该国被排除"),
        Reason::Flags => ("LDC / LLDC / SIDS status", "不具备最不发达国家、内陆或小岛屿发展中国家身份"),
        Reason::Implementer => ("the implementer type", "执行方类型不符"),
        Reason::NoReport => ("no national report cited", "未引用国家报告"),
        Reason::Window => ("the start window", "启动时间窗口不符"),
        Reason::Duration => ("the duration", "期限不符"),
        Reason::OverCap => ("above the offers' caps", "超过提议的单项上限"),
        Reason::BelowFloor => ("below the offers' floors", "低于提议的最低资助额"),
    };
    lang.pick(en, zh)
}

/// What a rule that shuts one offer out of a need means, as `explain` lists it beside the rule's code.
pub fn rule_meaning(rule: Reason, lang: Lang) -> &'static str {
    let zh = match rule {
        Reason::NoScope => "该提议不涵盖该需求的任何承诺或主题",
        Reason::Kind => "该提议不提供该需求所要求的任何援助类型",
        Reason::Region => "请求方不在该提议的地区或国家名单之内",
        Reason::CountryExcluded => "该提议排除了该请求方",
        Reason::Flags => "请求方不具备该提议所要求的最不发达国家、内陆或小岛屿发展中国家身份",
        Reason::Implementer => "该提议不资助此类执行方",
        Reason::NoReport => "该提议要求该需求列于国家报告之中",
        Reason::Window => "该需求无法在该提议的时间窗口内启动",
        Reason::Duration => "该需求的期限超出该提议的范围",
        Reason::OverCap => "该提议不允许共同出资，且其单项上限低于该需求必须获得的金额",
        Reason::BelowFloor => "该提议的最低资助额超过整个需求",
    };
    lang.pick(rule.describe(), zh)
}

/// Why a need is not fully funded, in a sentence (empty for a funded need).
pub fn shortfall_text(reason: Option<Shortfall>, lang: Lang) -> String {
    let (en, zh) = match reason {
        None => return String::new(),
        Some(Shortfall::NoEligibleOffer(rule)) => {
            let words = rule_words(rule, lang);
            return match lang {
                Lang::En => format!("No eligible offer: {words}"),
                Lang::Zh => format!("无符合条件的提议：{words}"),
            };
        }
        Some(Shortfall::EnvelopesExhausted) => ("The eligible envelopes are used up", "符合条件的资金已用完"),
        Some(Shortfall::BelowMinAward) => ("Its minimum award could not be met", "无法达到其最低资助额"),
        Some(Shortfall::AllOrNothingNotMet) => {
            ("All or nothing: the whole amount could not be funded", "全额或不资助：无法资助全部金额")
        }
        Some(Shortfall::CapsReached) => ("The offers' caps per need are reached", "已达到各提议的单项上限"),
        Some(Shortfall::MaxAwardsReached) => ("The offers have made their most awards", "各提议已达到资助项目数上限"),
        Some(Shortfall::RequesterShareReached) => (
            "Its requester has received the most the guardrail max_requester_share allows",
            "其请求方已获得 max_requester_share 限额所允许的最高资助",
        ),
        Some(Shortfall::Outranked) => {
            ("The money went to needs worth more per dollar", "资金分配给了每美元价值更高的需求")
        }
    };
    lang.pick(en, zh).to_string()
}

/// What kept an eligible offer from giving a need more, as a phrase (`explain` and the page).
pub fn hold_words(hold: Hold, lang: Lang) -> &'static str {
    let (en, zh) = match hold {
        Hold::CapPerNeed => ("gives this need the most it gives one need", "已向该需求提供其单项最高额"),
        Hold::EnvelopeSpent => ("its envelope is spent, on other needs", "其资金已全部分配给其他需求"),
        Hold::MaxAwards => ("it has made its most awards, to other needs", "已向其他需求作出其最多资助项目数"),
        Hold::FundedAlone => {
            ("another offer funds this need and does not co-finance", "另一提议资助该需求且不允许共同出资")
        }
        Hold::NoCofinance => (
            "it funds only needs it funds alone, and other offers fund this one",
            "该提议只单独资助，而该需求已有其他资助",
        ),
        Hold::Floor => (
            "its smallest grant is more than it has left or than the need still lacks",
            "其最低资助额超过其剩余资金或该需求尚缺的金额",
        ),
        Hold::WholeNotReached => {
            ("all or nothing: the money left cannot fund the whole need", "全额或不资助：剩余资金不足以资助全部金额")
        }
        Hold::MinAwardNotReached => {
            ("the money left cannot make up the need's minimum award", "剩余资金凑不足该需求的最低资助额")
        }
        Hold::RequesterShare => (
            "its requester has received the most that max_requester_share allows",
            "其请求方已获得 max_requester_share 所允许的最高额",
        ),
        Hold::LeftUnused => ("it has money left that this allocation did not use", "尚有剩余资金，但本次分配未使用"),
        Hold::Declined => ("its donor declined this need (ledger)", "捐助方已拒绝该需求（账本）"),
        Hold::LockedAward => (
            "its award here is locked, and an offer with a floor or a most number of awards does not add to it",
            "其对该需求的资助已锁定；设有最低资助额或最多资助项目数的提议不追加锁定资助",
        ),
    };
    lang.pick(en, zh)
}

/// A hold in two or three words, for counts (`3 envelope spent`).
fn hold_label(hold: Hold, lang: Lang) -> &'static str {
    let (en, zh) = match hold {
        Hold::CapPerNeed => ("at its cap per need", "已达单项上限"),
        Hold::EnvelopeSpent => ("envelope spent on other needs", "资金已用于其他需求"),
        Hold::MaxAwards => ("most awards made", "资助项目数已满"),
        Hold::FundedAlone => ("another offer funds it alone", "另一提议单独资助"),
        Hold::NoCofinance => ("no co-financing", "不允许共同出资"),
        Hold::Floor => ("smallest grant too large", "最低资助额过高"),
        Hold::WholeNotReached => ("whole amount out of reach", "无法资助全部金额"),
        Hold::MinAwardNotReached => ("minimum award out of reach", "达不到最低资助额"),
        Hold::RequesterShare => ("requester's share reached", "请求方份额已满"),
        Hold::LeftUnused => ("money left unused", "资金未使用"),
        Hold::Declined => ("declined", "已拒绝"),
        Hold::LockedAward => ("locked award", "资助已锁定"),
    };
    lang.pick(en, zh)
}

/// The `offers_why` counts in a sentence: "Eligible offers: 3 envelope spent on other needs, 1 most awards made"
/// (empty when nothing is counted).
pub fn offers_why_text(counts: &HoldCounts, lang: Lang) -> String {
    if counts.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(hold, count)| match lang {
            Lang::En => format!("{count} {}", hold_label(hold, lang)),
            Lang::Zh => format!("{count} 个{}", hold_label(hold, lang)),
        })
        .collect();
    match lang {
        Lang::En => format!("Eligible offers: {}", parts.join(", ")),
        Lang::Zh => format!("符合条件的提议：{}", parts.join("，")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_words_in_both_languages() {
        for lang in Lang::ALL {
            for s in Shortfall::ALL_BUT_RULES {
                assert!(!shortfall_text(Some(s), lang).is_empty(), "{s:?}");
            }
            for rule in Reason::ALL {
                assert!(!rule_words(rule, lang).is_empty() && !rule_meaning(rule, lang).is_empty(), "{rule:?}");
            }
            for hold in Hold::ALL {
                assert!(!hold_words(hold, lang).is_empty() && !hold_label(hold, lang).is_empty(), "{hold:?}");
            }
            for theme in Theme::ALL {
                assert!(!theme_name(*theme, lang).is_empty(), "{theme}");
            }
        }
    }

    #[test]
    fn a_stopped_search_says_what_its_gap_means() {
        let en = stop_note(Status::WorkLimit, 0.000096, Lang::En).expect("a note");
        assert!(en.contains("within 0.0096% of the best possible"), "{en}");
        assert!(en.contains("a re-run with the same files and options gives the same allocation"), "{en}");
        let zh = stop_note(Status::WorkLimit, 0.000096, Lang::Zh).expect("a note");
        assert!(zh.contains("0.0096%") && zh.contains("相同的分配") && !zh.contains("allocation"), "{zh}");
        for status in [Status::NodeLimit, Status::GapLimit] {
            assert!(stop_note(status, 0.0, Lang::En).is_some_and(|n| n.contains("gives the same allocation")));
        }
        let time = stop_note(Status::TimeLimit, 0.01, Lang::En).expect("a note");
        assert!(time.contains("within 1.0000%") && time.contains("may stop elsewhere"), "{time}");
        assert_eq!(stop_note(Status::Optimal, 0.0, Lang::En), None);
        assert_eq!(stop_note(Status::Heuristic, 0.0, Lang::Zh), None);
    }
}
