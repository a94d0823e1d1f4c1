//! Indices into the reference tables. They live with the model, not with the tables, because needs and offers
//! hold them: the model is the lowest layer and the reference data is read into it.

/// Index of a commitment in the catalogue (catalogue order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CommitmentIdx(pub u16);

/// Index of a country in the country table (sorted by alpha-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryIdx(pub u16);
