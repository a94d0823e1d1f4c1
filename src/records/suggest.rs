//! "Did you mean" suggestions: the known name closest to a misspelt one, by edit distance, when it is close enough to
//! be a slip rather than a different word.

/// The Levenshtein distance between `a` and `b`, compared without regard to ASCII case (a header `Need_Id` is a
/// slip of `need_id`, not a different name).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The candidate closest to `word`, if it is within a third of the word's length (at least one edit, at most
/// three): further than that a suggestion is more likely to mislead than to help. Ties go to the first candidate,
/// so the answer does not depend on hashing.
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    // Cells can be huge; nobody misspells a 100-character name, and the distance is quadratic.
    if word.is_empty() || word.len() > 100 {
        return None;
    }
    let limit = (word.chars().count() / 3).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let d = distance(word, candidate);
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_edits_without_case() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("Need_ID", "need_id"), 0);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn suggests_only_close_names() {
        let names = ["need_id", "requester", "amount_usd"];
        assert_eq!(closest("amount_us", names), Some("amount_usd"));
        assert_eq!(closest("requestor", names), Some("requester"));
        assert_eq!(closest("budget", names), None);
        assert_eq!(closest(&"x".repeat(500), names), None);
    }
}
