//! A published allocation back onto the eligibility graph, for `explain --from` (docs/spec.md §10): the amounts
//! of matches.csv, one per edge, and a check that a need's published row says what the amounts say.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::io::published::PublishedTable;
use crate::model::Batch;

use super::rows::{NeedStatus, Origin};
use super::schema::{matches, needs_status};

/// The amount on every edge of `graph` according to matches.csv (`table`); an edge without a row gets nothing.
/// A row whose need, offer or pair the rebuilt graph does not know is an error: the outputs then come from other
/// inputs, rules or reference data than the ones at hand. The exception is a round's locked row (`origin`
/// `locked`) of an offer outside the batch or of a pair the rules no longer allow: the ledger's locks, placed
/// again by the caller, carry those.
pub fn amounts_from_matches(batch: &Batch, graph: &Graph, table: &PublishedTable) -> Result<Vec<i64>> {
    let origin_col = table.column(matches::ORIGIN.name).ok();
    let need_col = table.column(matches::NEED_ID.name)?;
    let offer_col = table.column(matches::OFFER_ID.name)?;
    let amount_col = table.column(matches::AMOUNT_USD.name)?;
    let needs: HashMap<&str, usize> = batch.needs.iter().enumerate().map(|(n, need)| (need.id.as_str(), n)).collect();
    let offers: HashMap<&str, u32> =
        batch.offers.iter().enumerate().map(|(o, offer)| (offer.id.as_str(), o as u32)).collect();
    let hint = "the outputs do not come from these inputs (hint: run match again, or point --from at its folder)";
    let mut amounts = vec![0i64; graph.edges.len()];
    for row in &table.rows {
        let cell = |c: usize| row.cells.get(c).map_or("", String::as_str);
        let locked = origin_col.is_some_and(|c| cell(c) == Origin::Locked.as_str());
        let Some(&n) = needs.get(cell(need_col)) else {
            return Err(table.error(row, need_col, format!("need {:?} is not in needs.csv; {hint}", cell(need_col))));
        };
        let Some(&o) = offers.get(cell(offer_col)) else {
            if locked {
                continue;
            }
            return Err(table.error(
                row,
                offer_col,
                format!("offer {:?} is not in offers.csv; {hint}", cell(offer_col)),
            ));
        };
        let Ok(amount) = cell(amount_col).parse::<i64>() else {
            return Err(table.error(
                row,
                amount_col,
                format!("{:?} is not a whole number of dollars", cell(amount_col)),
            ));
        };
        let start = graph.need_start[n];
        let Ok(k) = graph.edges_of(n).binary_search_by_key(&o, |e| e.offer) else {
            if locked {
                continue;
            }
            let message = format!(
                "offer {} is not eligible for need {} under the rules of today; {hint}",
                cell(offer_col),
                cell(need_col)
            );
            return Err(table.error(row, need_col, message));
        };
        amounts[start + k] += amount;
    }
    Ok(amounts)
}

/// Whether needs_status's row for `status.need_id` says what `status` says (amount, status, reason and, when
/// the table has the column, offers_why); a data error naming the first cell that differs otherwise.
pub fn check_published_status(table: &PublishedTable, status: &NeedStatus) -> Result<()> {
    let id_col = table.column(needs_status::NEED_ID.name)?;
    let Some(row) = table.rows.iter().find(|r| r.cells.get(id_col) == Some(&status.need_id)) else {
        return Err(Error::usage(format!(
            "{}: no row for need {:?}; the outputs do not come from these inputs (hint: run match again)",
            table.path.display(),
            status.need_id
        )));
    };
    let expected = [
        (needs_status::ALLOCATED_USD.name, status.allocated_usd.to_string()),
        (needs_status::STATUS.name, status.status.as_str().to_string()),
        (needs_status::REASON.name, status.reason_code()),
        (needs_status::OFFERS_WHY.name, status.offers_why.to_string()),
    ];
    for (name, value) in expected {
        // Tables written before offers_why existed lack the column; the others are always there.
        let Ok(c) = table.column(name) else {
            if name == needs_status::OFFERS_WHY.name {
                continue;
            }
            return table.column(name).map(|_| ());
        };
        let published = row.cells.get(c).map_or("", String::as_str);
        if published != value {
            return Err(table.error(
                row,
                c,
                format!(
                    "says {published:?} where matches.csv and the inputs give {value:?}; the published files disagree \
                     with each other (hint: run match again)"
                ),
            ));
        }
    }
    Ok(())
}
