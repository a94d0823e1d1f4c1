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
    staged.commit()
}

/// A set of output files written together: each is first written in full to a hidden temporary file beside its
/// final name; only when every one is complete are they renamed into place. If anything fails before that, the
/// temporary files are removed and no output of the run appears (nor does an output folder the run created).
#[derive(Debug, Default)]
pub struct Staged {
    files: Vec<(PathBuf, PathBuf)>,
    created_dir: Option<PathBuf>,
}

impl Staged {
    /// Starts a set whose outputs go into `dir`, creating it if needed (and removing it again on failure).
    pub fn in_dir(dir: &Path) -> Result<Staged> {
        let existed = dir.exists();
        create_out_dir(dir)?;
        Ok(Staged { files: Vec::new(), created_dir: (!existed).then(|| dir.to_path_buf()) })
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

    /// Renames every staged file into place. Files they replace are first moved aside, so that if one rename
    /// fails, the files already renamed are put back and the outputs stay as they were before the run.
    pub fn commit(mut self) -> Result<()> {
        let files = std::mem::take(&mut self.files);
        let mut done: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
        let mut failure = None;
        for (tmp, path) in &files {
            if path.is_dir() {
                failure = Some(Error::io(path, std::io::Error::other("is a directory")));
                break;
            }
            let backup = path.with_file_name(format!(
                ".{}.old-{}",
                path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                std::process::id()
            ));
            let moved_aside = match path.exists() {
                true => match fs::rename(path, &backup) {
                    Ok(()) => Some(backup),
                    Err(e) => {
                        failure = Some(Error::io(path, e));
                        break;
                    }
                },
                false => None,
            };
            if let Err(e) = fs::rename(tmp, path) {
                if let Some(b) = &moved_aside {
                    let _ = fs::rename(b, path);
                }
                failure = Some(Error::io(path, e));
                break;
            }
            done.push((path.clone(), moved_aside));
        }
        match failure {
            None => {
                for (_, backup) in done {
                    if let Some(b) = backup {
                        let _ = fs::remove_file(b);
                    }
                }
                self.created_dir = None;
                Ok(())
            }
            Some(e) => {
                for (path, backup) in done.into_iter().rev() {
                    match backup {
                        Some(b) => {
                            let _ = fs::rename(b, &path);
                        }
                        None => {
                            let _ = fs::remove_file(&path);
                        }
                    }
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
}
