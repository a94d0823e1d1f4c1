//! The money an activity has left (docs/spec.md §11.1, "The envelope"), in the one currency it reports its amounts
//! in: budgets of the periods not yet over, less what was disbursed or spent in them, exact decimals throughout.

use std::collections::BTreeMap;

use super::super::activity::{Activity, Field, Money};
use super::super::codes::{BudgetKind, Currency, Decimal};
use super::{RowCurrency, Skip, SkipReason, malformed, skip};
use crate::model::Date;

/// The money left for the activity.
pub(super) struct MoneyLeft {
    pub(super) currency: RowCurrency,
    budgets: Decimal,
    spent: Decimal,
    pub(super) left: Decimal,
    first: Date,
    last: Date,
}

impl MoneyLeft {
    pub(super) fn words(&self, as_of: Option<Date>) -> String {
        let periods = match as_of {
            Some(d) => format!("budget periods not over on {d} ({} to {})", self.first, self.last),
            None => format!("budget periods {} to {}", self.first, self.last),
        };
        let c = self.currency;
        format!(
            "{} {c} left of {} {c} in {periods} after {} {c} disbursed or spent",
            self.left, self.budgets, self.spent
        )
    }
}

/// A budget period with its budgets.
#[derive(Debug, Default, Clone, Copy)]
struct Period {
    original: Decimal,
    revised: Option<Decimal>,
    spent: Decimal,
}

/// The currency of the activity's amounts: the first amount sets it, and every other must be in the same one.
struct ActivityCurrency(Option<RowCurrency>);

impl ActivityCurrency {
    /// The amount of `money`, checked to be in the activity's one currency.
    fn amount(
        &mut self,
        money: Money,
        default: Option<&Field<Currency>>,
        line: u64,
        what: &str,
    ) -> Result<Decimal, Skip> {
        let currency = match (money.currency, default) {
            (Some(c), _) => c,
            (None, Some(Ok(c))) => *c,
            (None, Some(Err(e))) => return Err(malformed(e)),
            (None, None) => {
                return Err(skip(
                    SkipReason::Malformed,
                    format!("line {line}: {what}: no currency (neither value/@currency nor @default-currency)"),
                ));
            }
        };
        let Some(currency) = RowCurrency::from_code(&currency.to_string()) else {
            return Err(skip(
                SkipReason::Currency,
                format!("line {line}: {what} in {currency}, which is not an active ISO 4217 currency code"),
            ));
        };
        match self.0 {
            Some(first) if first != currency => Err(skip(
                SkipReason::Currency,
                format!(
                    "line {line}: {what} in {currency}, other amounts in {first}; adding them up needs rates, so the \
                     import leaves the activity out (enter it by hand, converted)"
                ),
            )),
            _ => {
                self.0 = Some(currency);
                Ok(money.amount)
            }
        }
    }
}

pub(super) fn too_large() -> Skip {
    skip(SkipReason::Malformed, "the amounts add up to more than this import can total exactly")
}

pub(super) fn money_left(activity: &Activity, as_of: Option<Date>) -> Result<MoneyLeft, Skip> {
    if activity.budgets.is_empty() {
        return Err(skip(SkipReason::NoBudget, "the activity has no budget element"));
    }
    let default = activity.default_currency.as_ref();
    let mut currency = ActivityCurrency(None);
    // Periods in date order; a revised budget replaces the original ones of exactly the same period.
    let mut periods: BTreeMap<(Date, Date), Period> = BTreeMap::new();
    for budget in &activity.budgets {
        let budget = budget.as_ref().map_err(malformed)?;
        if as_of.is_some_and(|d| budget.end < d) {
            continue;
        }
        let amount = currency.amount(budget.value, default, budget.line, "budget/value")?;
        let period = periods.entry((budget.start, budget.end)).or_default();
        match budget.kind {
            BudgetKind::Original => period.original = period.original.checked_add(amount).ok_or_else(too_large)?,
            BudgetKind::Revised => {
                let revised = period.revised.unwrap_or_default().checked_add(amount).ok_or_else(too_large)?;
                period.revised = Some(revised);
            }
        }
    }
    let (Some(first), Some(last)) = (periods.keys().next().map(|k| k.0), periods.keys().map(|k| k.1).max()) else {
        let d = as_of.map_or(String::new(), |d| d.to_string());
        return Err(skip(SkipReason::NoMoneyLeft, format!("every budget period ended before {d}")));
    };
    for spending in &activity.spending {
        let spending = spending.as_ref().map_err(malformed)?;
        if as_of.is_some_and(|d| spending.date > d) {
            continue;
        }
        // Each disbursement counts once, against the first period that holds its date.
        let Some(period) = periods.iter_mut().find(|((s, e), _)| *s <= spending.date && spending.date <= *e) else {
            continue;
        };
        let amount = currency.amount(spending.value, default, spending.line, "transaction/value")?;
        period.1.spent = period.1.spent.checked_add(amount).ok_or_else(too_large)?;
    }
    let (mut budgets, mut spent, mut left) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for period in periods.values() {
        let budget = period.revised.unwrap_or(period.original);
        budgets = budgets.checked_add(budget).ok_or_else(too_large)?;
        spent = spent.checked_add(period.spent).ok_or_else(too_large)?;
        // What one period overspent does not come off another's budget.
        let remaining = Decimal::from_millionths((budget.millionths() - period.spent.millionths()).max(0));
        left = left.checked_add(remaining).ok_or_else(too_large)?;
    }
    // Some budget was counted, so the currency is known.
    let currency = currency.0.unwrap_or(RowCurrency::USD);
    let money = MoneyLeft { currency, budgets, spent, left, first, last };
    if left.floor() < 1 {
        return Err(skip(SkipReason::NoMoneyLeft, money.words(as_of)));
    }
    Ok(money)
}
