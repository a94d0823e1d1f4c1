//! Whole-or-nothing output files.
//!
//! Each output is written to a hidden temporary file in the target directory and renamed over its final name once
//! complete. A run that fails part-way leaves no partial file behind; the rename is atomic on one file system.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Writes `path` whole: `fill` writes the content into a buffer on a temporary file, which is then renamed.
pub fn write_file(path: &Path, fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let mut staged = Staged::default();
    staged.stage(path, fill)?;
    staged.commit().map(|_| ())
}

/// A set of output files written together: each is first written in full to a hidden temporary file beside its
/// final name; only when every one is complete are they renamed into place, and the files the set retires (an
/// earlier run's outputs that this one does not write) removed. If anything fails before that, the temporary files
/// are removed and the folder stays as it was: no output of the run appears, none is removed (nor does an output
/// folder the run created stay).
#[derive(Debug, Default)]
pub struct Staged {
    files: Vec<(PathBuf, PathBuf)>,
    retired: Vec<PathBuf>,
    created_dir: Option<PathBuf>,
}

/// What a committed set did: the files it wrote, in the order they were staged, and those it removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Committed {
    /// The files written.
    pub written: Vec<PathBuf>,
    /// The files retired and removed.
    pub removed: Vec<PathBuf>,
}

/// The hidden name a file is moved aside to while a set commits, so that a failure can put it back.
fn backup_of(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.old-{}", std::process::id()))
}

impl Staged {
    /// Starts a set whose outputs go into `dir`, creating it if needed (and removing it again on failure).
    pub fn in_dir(dir: &Path) -> Result<Staged> {
        let existed = dir.exists();
        create_out_dir(dir)?;
        Ok(Staged { files: Vec::new(), retired: Vec::new(), created_dir: (!existed).then(|| dir.to_path_buf()) })
    }

    /// The final paths of the files staged so far, in order.
    pub fn targets(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|(_, path)| path.as_path())
    }

    /// Writes the content of `path` to its temporary file.
    pub fn stage(&mut self, path: &Path, fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
        let tmp = temporary_name(path);
        let result = (|| {
            let file = fs::File::create(&tmp)?;
            let mut out = BufWriter::new(file);
            fill(&mut out)?;
            let file = out.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()
        })();
        match result {
            Ok(()) => {
                self.files.push((tmp, path.to_path_buf()));
                Ok(())
            }
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                Err(Error::io(path, e))
            }
        }
    }

    /// Writes the contents of two files at once, for a producer that fills both as it goes (`import-iati` writes
    /// offers.csv and iati_import.csv while it reads). `fill` gets the two writers, in the order of the paths; its
    /// error is returned as it is, and then neither file is staged.
    pub fn stage_pair(
        &mut self,
        first: &Path,
        second: &Path,
        fill: impl FnOnce(&mut dyn Write, &mut dyn Write) -> Result<()>,
    ) -> Result<()> {
        let tmp_first = temporary_name(first);
        let tmp_second = temporary_name(second);
        let open = |path: &Path, tmp: &Path| fs::File::create(tmp).map(BufWriter::new).map_err(|e| Error::io(path, e));
        let close = |path: &Path, out: BufWriter<fs::File>| -> Result<()> {
            let file = out.into_inner().map_err(|e| Error::io(path, e.into_error()))?;
            file.sync_all().map_err(|e| Error::io(path, e))
        };
        let result = (|| {
            let mut a = open(first, &tmp_first)?;
            let mut b = open(second, &tmp_second)?;
            fill(&mut a, &mut b)?;
            close(first, a)?;
            close(second, b)
        })();
        match result {
            Ok(()) => {
                self.files.push((tmp_first, first.to_path_buf()));
                self.files.push((tmp_second, second.to_path_buf()));
                Ok(())
            }
            Err(e) => {
                let _ = fs::remove_file(&tmp_first);
                let _ = fs::remove_file(&tmp_second);
                Err(e)
            }
        }
    }

    /// Removes `path` when the set commits (and only then): an earlier output that this set replaces by nothing.
    /// A path that is also staged is written, not removed.
    pub fn retire(&mut self, path: &Path) {
        self.retired.push(path.to_path_buf());
    }

    /// Moves the retired files aside, then renames every staged file into place; files they replace are moved
    /// aside first too. If one step fails, everything done is undone in reverse (the files renamed into place
    /// removed, those moved aside put back), so the folder stays as it was before the run.
    pub fn commit(mut self) -> Result<Committed> {
        let files = std::mem::take(&mut self.files);
        let retired = std::mem::take(&mut self.retired);
        let retired: Vec<PathBuf> =
            retired.into_iter().filter(|path| !files.iter().any(|(_, target)| target == path)).collect();
        let mut moved_aside: Vec<(PathBuf, PathBuf)> = Vec::new();
        let mut placed: Vec<PathBuf> = Vec::new();
        let mut removed: Vec<PathBuf> = Vec::new();
        let result = (|| -> Result<()> {
            for path in &retired {
                // A file already gone (another process, a name given twice) is nothing to remove.
                if fs::symlink_metadata(path).is_err() {
                    continue;
                }
                let backup = backup_of(path);
                fs::rename(path, &backup).map_err(|e| Error::io(path, e))?;
                moved_aside.push((path.clone(), backup));
                removed.push(path.clone());
            }
            for (tmp, path) in &files {
                if path.is_dir() {
                    return Err(Error::io(path, std::io::Error::other("is a directory")));
                }
                if path.exists() {
                    let backup = backup_of(path);
                    fs::rename(path, &backup).map_err(|e| Error::io(path, e))?;
                    moved_aside.push((path.clone(), backup));
                }
                fs::rename(tmp, path).map_err(|e| Error::io(path, e))?;
                placed.push(path.clone());
            }
            Ok(())
        })();
        match result {
            Ok(()) => {
                for (_, backup) in moved_aside {
                    let _ = fs::remove_file(backup);
                }
                self.created_dir = None;
                Ok(Committed { written: files.into_iter().map(|(_, path)| path).collect(), removed })
            }
            Err(e) => {
                for path in placed.iter().rev() {
                    let _ = fs::remove_file(path);
                }
                for (path, backup) in moved_aside.iter().rev() {
                    let _ = fs::rename(backup, path);
                }
                for (tmp, _) in &files {
                    let _ = fs::remove_file(tmp);
                }
                Err(e)
            }
        }
    }
}

impl Drop for Staged {
    /// An uncommitted set removes its temporary files and the folder it created, if that is empty again.
    fn drop(&mut self) {
        for (tmp, _) in &self.files {
            let _ = fs::remove_file(tmp);
        }
        if let Some(dir) = &self.created_dir {
            let _ = fs::remove_dir(dir);
        }
    }
}

/// The hidden temporary file beside `path` that its content is written to first.
fn temporary_name(path: &Path) -> PathBuf {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    dir.join(format!(".{name}.tmp-{}", std::process::id()))
}

/// Creates `dir` (and parents) for outputs, with a clear error when it exists as a file.
pub fn create_out_dir(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::io(
            dir,
            std::io::Error::new(std::io::ErrorKind::AlreadyExists, "exists and is not a directory"),
        ));
    }
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_nothing_when_the_writer_fails() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        let err = write_file(&target, |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("boom"))
        });
        assert!(err.is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        write_file(&target, |w| w.write_all(b"whole")).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"whole");
    }

    #[test]
    fn retired_files_go_on_commit_and_come_back_when_it_fails() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("t.json"), dir.path().join("t.csv"));
        fs::write(&old, b"old").unwrap();

        // A commit that fails on its last file: the retired file is back, nothing new is there.
        let blocked = dir.path().join("u.csv");
        fs::create_dir(&blocked).unwrap();
        let mut staged = Staged::in_dir(dir.path()).unwrap();
        staged.stage(&new, |w| w.write_all(b"new")).unwrap();
        staged.stage(&blocked, |w| w.write_all(b"new")).unwrap();
        staged.retire(&old);
        assert!(staged.commit().is_err());
        assert_eq!(fs::read(&old).unwrap(), b"old");
        assert!(!new.exists());
        let mut left: Vec<String> =
            fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, ["t.json", "u.csv"], "no temporary or backup file stays");

        // A commit that succeeds: written and removed are listed; a retired path also staged is written.
        fs::remove_dir(&blocked).unwrap();
        let mut staged = Staged::in_dir(dir.path()).unwrap();
        staged.stage(&new, |w| w.write_all(b"new")).unwrap();
        staged.retire(&old);
        staged.retire(&new);
        staged.retire(&dir.path().join("absent.json"));
        let done = staged.commit().unwrap();
        assert_eq!(done, Committed { written: vec![new.clone()], removed: vec![old.clone()] });
        assert!(!old.exists());
        assert_eq!(fs::read(&new).unwrap(), b"new");
    }
}
