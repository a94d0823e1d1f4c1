//! The active ISO 4217 currency codes a row may name, written out for this project from the standard's list of
//! current currencies and funds.
//!
//! Left out on purpose: codes the standard has withdrawn (a pledge in HRK or BGN, currencies replaced by the euro,
//! is written in EUR; ANG gave way to XCG, SLL to SLE, ZWL to ZWG), and XTS and XXX, which the standard reserves
//! for testing and for "no currency" and which never measure money.

/// Every accepted code, sorted, so that a lookup is a binary search and a suggestion's tie goes to the same code
/// on every machine.
pub(super) const CODES: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BHD", "BIF", "BMD", "BND",
    "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY",
    "COP", "COU", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP",
    "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD",
    "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP",
    "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN",
    "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN",
    "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD",
    "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX",
    "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XBA", "XBB",
    "XBC", "XBD", "XCD", "XCG", "XDR", "XOF", "XPD", "XPF", "XPT", "XSU", "XUA", "YER", "ZAR", "ZMW", "ZWG",
];

/// Words people write for a currency instead of its code, with the code they mean: names in English and the
/// usual symbols. Only unambiguous ones: `$`, `¥`, dollar, pound, franc or krone each stand for several currencies.
pub(super) const NAMES: &[(&str, &str)] = &[
    ("EURO", "EUR"),
    ("EUROS", "EUR"),
    ("€", "EUR"),
    ("YEN", "JPY"),
    ("US$", "USD"),
    ("£", "GBP"),
    ("STERLING", "GBP"),
    ("YUAN", "CNY"),
    ("RMB", "CNY"),
    ("RENMINBI", "CNY"),
    ("WON", "KRW"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_unique_three_capitals() {
        assert!(CODES.windows(2).all(|w| w[0] < w[1]));
        assert!(CODES.iter().all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())));
        for (_, code) in NAMES {
            assert!(CODES.binary_search(code).is_ok(), "{code}");
        }
    }
}
