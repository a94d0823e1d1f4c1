//! `merge`'s arguments: shard files, or folders holding them (`merge shards/` after `simulate --shard I/N --out
//! shards/`), each folder read as the shard files directly in it, in a stable order.

use std::path::{Path, PathBuf};

/// `(I, N)` of a file named as `simulate --shard I/N` names it, `shard-I-of-N.json`.
fn shard_number(name: &str) -> Option<(u32, u32)> {
    let (index, count) = name.strip_prefix("shard-")?.strip_suffix(".json")?.split_once("-of-")?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (all_digits(index) && all_digits(count)).then_some(())?;
    Some((index.parse().ok()?, count.parse().ok()?))
}

/// The shard files directly in `dir`, by their count N, then index I, then name; a usage error if there are none.
fn in_folder(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| poa_match::Error::io(dir, e))? {
        let entry = entry.map_err(|e| poa_match::Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some((index, count)) = shard_number(&name)
            && entry.path().is_file()
        {
            found.push(((count, index, name), entry.path()));
        }
    }
    if found.is_empty() {
        return Err(poa_match::Error::usage(format!(
            "{}: no shard files (shard-I-of-N.json) in this folder (hint: `poa-match simulate --shard I/N --out {}` \
             writes them there)",
            dir.display(),
            dir.display()
        ))
        .into());
    }
    found.sort();
    Ok(found.into_iter().map(|(_, path)| path).collect())
}

/// The shard files the arguments name: each file as given, each folder as the shard files in it.
pub fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            files.extend(in_folder(path)?);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_shard_names_only() {
        assert_eq!(shard_number("shard-2-of-10.json"), Some((2, 10)));
        for other in
            ["shard-2-of-10.json.tmp", "shard--of-3.json", "shard-a-of-3.json", "simulate.json", "shard-1-3.json"]
        {
            assert_eq!(shard_number(other), None, "{other}");
        }
    }

    #[test]
    fn a_folder_gives_its_shard_files_in_order_and_an_error_when_it_holds_none() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["shard-10-of-10.json", "shard-2-of-10.json", "shard-1-of-10.json", "notes.txt", "simulate.json"] {
            std::fs::write(dir.path().join(name), "{}").unwrap();
        }
        let files = expand(&[dir.path().to_path_buf()]).unwrap();
        let names: Vec<String> = files.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["shard-1-of-10.json", "shard-2-of-10.json", "shard-10-of-10.json"]);

        let empty = tempfile::tempdir().unwrap();
        let err = expand(&[empty.path().to_path_buf()]).unwrap_err();
        assert!(err.to_string().contains("no shard files"), "{err}");
    }
}
