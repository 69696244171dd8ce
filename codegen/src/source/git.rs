//! The spec as it was at a git revision: [`GitSource`], read through the git command
//! line (`ls-tree`, `cat-file --batch`) without checking anything out.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::ffi::OsStr;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Mutex, PoisonError};
use std::thread::{self, JoinHandle};

use super::{OVERLAY_PATH, SourceError, SpecSource, is_folder_readme};

/// A spec stored in a git repository: one folder as it was at one commit, read straight
/// from the object database. Nothing is checked out and the work tree is never touched.
///
/// The revision is resolved to a commit once, when the source is opened, so every read
/// sees the same tree even if the branch moves meanwhile. The folder's file list is read
/// once, with `git ls-tree`. The first read of a document asks `git cat-file --batch`
/// for every document (and the overlay) at once, without waiting for each answer before
/// the next request, and the reads are then served from those answers in turn; any
/// other file (or one read a second time) is fetched on demand through a single
/// long-running `git cat-file --batch` process. Only regular files are seen: symbolic
/// links and submodules are skipped (they read as missing).
#[derive(Debug)]
pub struct GitSource {
    /// The `git` program to run.
    program: String,
    /// The top level of the work tree.
    repo: PathBuf,
    /// The revision as the user wrote it (for display).
    rev: String,
    /// The commit `rev` resolved to.
    commit: String,
    /// The spec folder, relative to the repository root, normalized; `""` for the root.
    path: String,
    /// Every regular file under the folder: spec-relative path to blob id.
    files: BTreeMap<String, String>,
    /// The `git cat-file` processes that fetch file contents.
    readers: Mutex<Readers>,
}

impl GitSource {
    /// Opens the folder `path` of the repository that holds `repo_dir`, as it is at `rev`.
    ///
    /// `repo_dir` may be any directory inside the work tree. `rev` is anything git
    /// understands as a commit (`HEAD~1`, `main`, a tag, an id). `path` is relative to the
    /// repository root with `/` separators; `""` or `"."` is the root, and trailing
    /// slashes are ignored.
    pub fn open(repo_dir: impl AsRef<Path>, rev: &str, path: &str) -> Result<Self, SourceError> {
        Self::open_with("git", repo_dir.as_ref(), rev, path)
    }

    fn open_with(
        program: &str,
        repo_dir: &Path,
        rev: &str,
        path: &str,
    ) -> Result<Self, SourceError> {
        let top = run_git(
            program,
            repo_dir.as_os_str(),
            &["rev-parse", "--show-toplevel"],
            None,
        )
        .map_err(|failure| {
            failure.into_error(|detail| SourceError::NotRepository {
                path: repo_dir.to_path_buf(),
                detail,
            })
        })?;
        let repo = match String::from_utf8(top) {
            Ok(top) => PathBuf::from(top.trim_end_matches(['\n', '\r'])),
            Err(_) => repo_dir.to_path_buf(),
        };

        if rev.is_empty() {
            return Err(SourceError::UnknownRevision {
                rev: String::new(),
                detail: "the revision is empty".to_owned(),
            });
        }
        let peeled = format!("{rev}^{{commit}}");
        let args = ["rev-parse", "--verify", "--end-of-options", peeled.as_str()];
        let commit = run_git(program, repo.as_os_str(), &args, None).map_err(|failure| {
            failure.into_error(|detail| SourceError::UnknownRevision {
                rev: rev.to_owned(),
                detail,
            })
        })?;
        let commit = String::from_utf8_lossy(&commit).trim().to_owned();

        let path = normalize(path);
        let not_folder = || SourceError::NotGitFolder {
            rev: rev.to_owned(),
            path: if path.is_empty() {
                ".".to_owned()
            } else {
                path.clone()
            },
        };
        // `--batch-check` reads object names one per line.
        if path.contains(['\n', '\r', '\0']) {
            return Err(not_folder());
        }
        let object = if path.is_empty() {
            format!("{commit}^{{tree}}")
        } else {
            format!("{commit}:{path}")
        };
        // The listing is started at once, alongside the check (which decides whether it
        // is wanted): both name the same object, so it lists the tree the check found.
        let listing = start_git(
            program,
            repo.as_os_str(),
            &["ls-tree", "-r", "-z", "--full-tree", object.as_str()],
            None,
        );
        let answer = run_git(
            program,
            repo.as_os_str(),
            &["cat-file", "--batch-check"],
            Some(format!("{object}\n").as_bytes()),
        )
        .map_err(|failure| {
            failure.into_error(|detail| SourceError::Git {
                action: format!("looking up `{path}` at `{rev}`"),
                detail,
            })
        })?;
        // `<id> <type> <size>`, or `<name> missing` when there is no such path.
        let answer = String::from_utf8_lossy(&answer);
        let fields: Vec<&str> = answer.trim_end().split(' ').collect();
        if !matches!(fields.as_slice(), [_id, "tree", _size]) {
            return Err(not_folder());
        }

        let listing = listing.and_then(RunningGit::finish).map_err(|failure| {
            failure.into_error(|detail| SourceError::Git {
                action: format!("listing `{path}` at `{rev}`"),
                detail,
            })
        })?;
        let files = parse_listing(&listing).map_err(|detail| SourceError::Git {
            action: format!("listing `{path}` at `{rev}`"),
            detail,
        })?;

        Ok(Self {
            program: program.to_owned(),
            repo,
            rev: rev.to_owned(),
            commit,
            path,
            files,
            readers: Mutex::new(Readers::default()),
        })
    }

    /// Parses a command-line spec argument of the form `git:REV` or `git:REV:PATH` into
    /// the revision and the path, if one is given (`git:REV:` gives an empty path, the
    /// repository root). The revision ends at the first `:` after `git:`.
    ///
    /// `Ok(None)` when the argument does not start with `git:` (it is a folder), and
    /// [`SourceError::EmptyRevision`] when it names no revision (`git:`, `git::specs`).
    pub fn parse_argument(arg: &str) -> Result<Option<(String, Option<String>)>, SourceError> {
        let Some(rest) = arg.strip_prefix("git:") else {
            return Ok(None);
        };
        let (rev, path) = match rest.split_once(':') {
            Some((rev, path)) => (rev, Some(path.to_owned())),
            None => (rest, None),
        };
        if rev.is_empty() {
            return Err(SourceError::EmptyRevision(arg.to_owned()));
        }
        Ok(Some((rev.to_owned(), path)))
    }

    /// The top level of the repository's work tree.
    pub fn repository(&self) -> &Path {
        &self.repo
    }

    /// The revision as it was given to [`GitSource::open`].
    pub fn revision(&self) -> &str {
        &self.rev
    }

    /// The id of the commit the revision resolved to when the source was opened.
    pub fn commit(&self) -> &str {
        &self.commit
    }

    /// The spec folder relative to the repository root, normalized (no trailing slash);
    /// `""` for the root.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What the first read of a document fetches in one go, in the order [`load`] reads
    /// it: every document, sorted, then the overlay. Spec-relative path and blob id.
    ///
    /// [`load`]: crate::load
    fn bulk_requests(&self) -> Vec<(String, String)> {
        self.files
            .iter()
            .filter(|(relative, _)| is_git_document(relative))
            .chain(self.files.get_key_value(OVERLAY_PATH))
            .map(|(relative, blob)| (relative.clone(), blob.clone()))
            .collect()
    }

    /// How the spec folder itself is shown: `git:REV:PATH`, or `git:REV` for the root.
    fn display_root(&self) -> String {
        if self.path.is_empty() {
            format!("git:{}", self.rev)
        } else {
            format!("git:{}:{}", self.rev, self.path)
        }
    }
}

impl SpecSource for GitSource {
    fn documents(&self) -> Result<Vec<String>, SourceError> {
        // The map is ordered, so the list comes out sorted.
        let out: Vec<String> = self
            .files
            .keys()
            .filter(|relative| is_git_document(relative))
            .cloned()
            .collect();
        if out.is_empty() {
            return Err(SourceError::Empty(PathBuf::from(self.display_root())));
        }
        Ok(out)
    }

    fn read(&self, relative: &str) -> Result<Option<Vec<u8>>, SourceError> {
        let normalized = normalize(relative);
        let Some(blob) = self.files.get(&normalized) else {
            return Ok(None);
        };
        let failed = |detail| SourceError::Git {
            action: format!("reading `{}`", self.display_path(relative)),
            detail,
        };
        let mut readers = self.readers.lock().unwrap_or_else(PoisonError::into_inner);
        if !readers.bulk_started && is_git_document(&normalized) {
            readers.bulk_started = true;
            let requests = self.bulk_requests();
            let processes = bulk_processes(requests.len());
            readers.bulk = Bulk::spawn(&self.program, &self.repo, requests, processes)?;
        }
        // Taken out while in use, like the single-read process below: after a panic it
        // is dropped (which stops it), and later reads are served one by one.
        if let Some(mut bulk) = readers.bulk.take() {
            let answer = bulk.take(&normalized);
            if !bulk.is_exhausted() {
                readers.bulk = Some(bulk);
            }
            match answer {
                Some(Ok(bytes)) => return Ok(Some(bytes)),
                Some(Err(detail)) => return Err(failed(detail)),
                // Not asked for in bulk, already handed out, or the bulk read stopped
                // early: fetch it on its own.
                None => {}
            }
        }
        // Taken out while in use: after a failure (or a panic) the process is dropped,
        // which kills it, and the next read starts a fresh one.
        let mut batch = match readers.batch.take() {
            Some(batch) => batch,
            None => Batch::spawn(&self.program, &self.repo)?,
        };
        match batch.fetch(blob) {
            Ok(bytes) => {
                readers.batch = Some(batch);
                Ok(Some(bytes))
            }
            Err(detail) => Err(failed(detail)),
        }
    }

    fn display_path(&self, relative: &str) -> String {
        if self.path.is_empty() {
            format!("git:{}:{relative}", self.rev)
        } else {
            format!("git:{}:{}/{relative}", self.rev, self.path)
        }
    }
}

/// A path with `/` separators, without empty or `.` segments: `./a//b/` is `a/b`.
fn normalize(path: &str) -> String {
    path.split('/')
        .filter(|segment| !segment.is_empty() && *segment != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// The rules of [`FolderSource`]: a `.md` file, no segment hidden (starting with `.`),
/// and not the folder's own README.
fn is_git_document(relative: &str) -> bool {
    relative.ends_with(".md")
        && !relative.split('/').any(|segment| segment.starts_with('.'))
        && !is_folder_readme(relative)
}

/// Reads `git ls-tree -r -z` output (`<mode> <type> <id>\t<path>\0` records) into the
/// regular files it lists. Symbolic links (mode `120000`) and submodules (type `commit`)
/// are left out, and so are paths that are not UTF-8, as [`FolderSource`] does.
fn parse_listing(listing: &[u8]) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    for record in listing.split(|&byte| byte == 0) {
        if record.is_empty() {
            continue;
        }
        let unexpected = || {
            format!(
                "unexpected `git ls-tree` record `{}`",
                String::from_utf8_lossy(record)
            )
        };
        let tab = record
            .iter()
            .position(|&byte| byte == b'\t')
            .ok_or_else(unexpected)?;
        let meta = std::str::from_utf8(&record[..tab]).map_err(|_| unexpected())?;
        let fields: Vec<&str> = meta.split(' ').collect();
        let [mode, kind, id] = fields.as_slice() else {
            return Err(unexpected());
        };
        if *kind != "blob" || !mode.starts_with("100") {
            continue;
        }
        let Ok(name) = std::str::from_utf8(&record[tab + 1..]) else {
            continue;
        };
        files.insert(name.to_owned(), (*id).to_owned());
    }
    Ok(files)
}

/// Variables that would make git use another repository than the one it is pointed at.
const GIT_LOCATION_VARIABLES: [&str; 7] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_PREFIX",
];

/// A `git` command run in `dir`: never prompts, never pages, and finds the repository
/// from `dir` alone.
fn git_command(program: &str, dir: &OsStr) -> Command {
    let mut command = Command::new(program);
    command
        .arg("--no-pager")
        .arg("-C")
        .arg(dir)
        .env("GIT_TERMINAL_PROMPT", "0");
    for variable in GIT_LOCATION_VARIABLES {
        command.env_remove(variable);
    }
    command
}

/// Why a git command gave no output.
#[derive(Debug)]
enum GitFailure {
    /// The program could not be started.
    Spawn(io::Error),
    /// It ran and failed; its standard error, on one line.
    Failed(String),
}

impl GitFailure {
    /// A failure to start is always [`SourceError::GitUnavailable`]; a failed run becomes
    /// whatever `failed` makes of git's message.
    fn into_error(self, failed: impl FnOnce(String) -> SourceError) -> SourceError {
        match self {
            GitFailure::Spawn(error) => SourceError::GitUnavailable { error },
            GitFailure::Failed(detail) => failed(detail),
        }
    }
}

/// Runs one git command to completion, feeding it `input`, and returns its output.
fn run_git(
    program: &str,
    dir: &OsStr,
    args: &[&str],
    input: Option<&[u8]>,
) -> Result<Vec<u8>, GitFailure> {
    start_git(program, dir, args, input)?.finish()
}

/// Starts one git command, feeding it `input` (which must fit in a pipe, as git may
/// not read it before it has been written whole); [`RunningGit::finish`] waits for it.
fn start_git(
    program: &str,
    dir: &OsStr,
    args: &[&str],
    input: Option<&[u8]>,
) -> Result<RunningGit, GitFailure> {
    let mut command = git_command(program, dir);
    command
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().map_err(GitFailure::Spawn)?;
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        // A write error means git exited early; its status and message say why.
        let _ = stdin.write_all(input);
    }
    Ok(RunningGit {
        child: Some(child),
        command: args.join(" "),
    })
}

/// A git command started by [`start_git`]. Dropped unfinished, it is stopped.
#[derive(Debug)]
struct RunningGit {
    child: Option<Child>,
    /// Its arguments, for the message when it fails silently.
    command: String,
}

impl RunningGit {
    /// Waits for the command and returns its output.
    fn finish(mut self) -> Result<Vec<u8>, GitFailure> {
        let Some(child) = self.child.take() else {
            return Err(GitFailure::Failed(format!(
                "`git {}` is gone",
                self.command
            )));
        };
        let output = child
            .wait_with_output()
            .map_err(|err| GitFailure::Failed(err.to_string()))?;
        if output.status.success() {
            Ok(output.stdout)
        } else {
            let message = one_line(&output.stderr);
            Err(GitFailure::Failed(if message.is_empty() {
                format!("`git {}` failed ({})", self.command, output.status)
            } else {
                message
            }))
        }
    }
}

impl Drop for RunningGit {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Git's standard error on one line, without its `fatal: ` / `error: ` prefixes.
fn one_line(stderr: &[u8]) -> String {
    String::from_utf8_lossy(stderr)
        .lines()
        .map(|line| {
            let line = line.trim();
            line.strip_prefix("fatal: ")
                .or_else(|| line.strip_prefix("error: "))
                .unwrap_or(line)
        })
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// How [`GitSource`] fetches file contents.
#[derive(Debug, Default)]
struct Readers {
    /// Whether the documents have been asked for in bulk (that happens once).
    bulk_started: bool,
    /// The bulk request, while some of its answers are still unclaimed.
    bulk: Option<Bulk>,
    /// The `git cat-file --batch` process for single reads, started on the first one.
    batch: Option<Batch>,
}

/// The most `git cat-file` processes one bulk read runs side by side (fewer when the
/// machine has fewer cores): each one inflates its share of the objects.
const BULK_PROCESSES: usize = 4;

/// The fewest files worth a `git cat-file` process of their own in a bulk read.
const BULK_FILES_PER_PROCESS: usize = 128;

/// Many files asked of a few `git cat-file --batch --buffer` processes at once, dealt
/// out in turn (file `i` to process `i % n`). A thread per process writes all of its
/// requests, so a full pipe can never stall the two sides against each other, while the
/// answers are read in request order as they are claimed; answers read before their
/// file is asked for are kept until it is.
#[derive(Debug)]
struct Bulk {
    processes: Vec<BulkProcess>,
    /// The requests (spec-relative path, blob id) not answered yet, in request order.
    pending: VecDeque<(String, String)>,
    /// How many answers have been read: the next one comes from process
    /// `answered % processes.len()`.
    answered: usize,
    /// Answers read before their path was asked for.
    arrived: HashMap<String, Result<Vec<u8>, String>>,
}

/// One process of a [`Bulk`] read.
#[derive(Debug)]
struct BulkProcess {
    child: Child,
    writer: Option<JoinHandle<()>>,
    stdout: BufReader<ChildStdout>,
}

/// How many `git cat-file` processes a bulk read of `files` files runs.
fn bulk_processes(files: usize) -> usize {
    let cores = thread::available_parallelism().map_or(1, usize::from);
    (files / BULK_FILES_PER_PROCESS).clamp(1, cores.min(BULK_PROCESSES))
}

impl Bulk {
    /// Starts fetching `requests` (spec-relative path, blob id) through up to `processes`
    /// processes. `Ok(None)` when the threads cannot be started: the files are then read
    /// one by one.
    fn spawn(
        program: &str,
        repo: &Path,
        requests: Vec<(String, String)>,
        processes: usize,
    ) -> Result<Option<Self>, SourceError> {
        let mut started = Vec::with_capacity(processes);
        for _ in 0..processes.max(1) {
            match spawn_cat_file(program, repo, &["--batch", "--buffer"]) {
                Ok(process) => started.push(process),
                // Only the first one must start; the others merely share the work.
                Err(err) if started.is_empty() => return Err(err),
                Err(_) => break,
            }
        }
        let count = started.len();
        let mut processes = Vec::with_capacity(count);
        for (index, (child, stdin, stdout)) in started.into_iter().enumerate() {
            let mut process = BulkProcess {
                child,
                writer: None,
                stdout: BufReader::with_capacity(1 << 16, stdout),
            };
            let blobs: Vec<String> = requests
                .iter()
                .skip(index)
                .step_by(count)
                .map(|(_, blob)| blob.clone())
                .collect();
            let writer = thread::Builder::new()
                .name("git cat-file writer".to_owned())
                .spawn(move || {
                    let mut stdin = BufWriter::new(stdin);
                    for blob in &blobs {
                        // A write error means git exited; reading its answers says why.
                        if writeln!(stdin, "{blob}").is_err() {
                            return;
                        }
                    }
                    // Dropping the pipe closes it: git answers the rest, then exits.
                    let _ = stdin.flush();
                });
            match writer {
                Ok(writer) => process.writer = Some(writer),
                // Dropping the processes stops them.
                Err(_) => return Ok(None),
            }
            processes.push(process);
        }
        Ok(Some(Self {
            processes,
            pending: requests.into(),
            answered: 0,
            arrived: HashMap::new(),
        }))
    }

    /// The answer for `relative`, reading up to it if needed; `None` when it was not
    /// asked for, was already claimed, or will not come because the bulk read failed.
    fn take(&mut self, relative: &str) -> Option<Result<Vec<u8>, String>> {
        if let Some(answer) = self.arrived.remove(relative) {
            return Some(answer);
        }
        if !self.pending.iter().any(|(pending, _)| pending == relative) {
            return None;
        }
        while let Some((next, blob)) = self.pending.pop_front() {
            let process = self.answered % self.processes.len();
            self.answered += 1;
            let answer = read_blob(&mut self.processes[process].stdout, &blob);
            if answer.is_err() {
                // The answers may be out of step now: the rest are read one by one.
                self.pending.clear();
            }
            if next == relative {
                return Some(answer);
            }
            self.arrived.insert(next, answer);
        }
        None
    }

    /// Whether every answer has been handed out (or will never come).
    fn is_exhausted(&self) -> bool {
        self.pending.is_empty() && self.arrived.is_empty()
    }
}

impl Drop for BulkProcess {
    fn drop(&mut self) {
        // Once git is gone its input pipe breaks, so the writer ends.
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

/// A running `git cat-file --batch`: object ids in, `<id> <type> <size>\n<bytes>\n` out.
#[derive(Debug)]
struct Batch {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Batch {
    fn spawn(program: &str, repo: &Path) -> Result<Self, SourceError> {
        let (child, stdin, stdout) = spawn_cat_file(program, repo, &["--batch"])?;
        Ok(Self {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }

    /// The bytes of one blob.
    fn fetch(&mut self, blob: &str) -> Result<Vec<u8>, String> {
        writeln!(self.stdin, "{blob}").map_err(broken_batch)?;
        self.stdin.flush().map_err(broken_batch)?;
        read_blob(&mut self.stdout, blob)
    }
}

/// Starts `git cat-file` with `args`, its standard input and output piped.
fn spawn_cat_file(
    program: &str,
    repo: &Path,
    args: &[&str],
) -> Result<(Child, ChildStdin, ChildStdout), SourceError> {
    let mut child = git_command(program, repo.as_os_str())
        .arg("cat-file")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| SourceError::GitUnavailable { error })?;
    let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(SourceError::Git {
            action: "starting `git cat-file --batch`".to_owned(),
            detail: "its pipes are missing".to_owned(),
        });
    };
    Ok((child, stdin, stdout))
}

/// How a broken pipe to or from `git cat-file --batch` is reported.
fn broken_batch(err: io::Error) -> String {
    format!("`git cat-file --batch`: {err}")
}

/// Reads the next `git cat-file --batch` answer, which should be the bytes of `blob`.
fn read_blob(stdout: &mut impl BufRead, blob: &str) -> Result<Vec<u8>, String> {
    let mut header = String::new();
    if stdout.read_line(&mut header).map_err(broken_batch)? == 0 {
        return Err("`git cat-file --batch` exited early".to_owned());
    }
    let header = header.trim_end_matches('\n');
    let fields: Vec<&str> = header.split(' ').collect();
    let size = match fields.as_slice() {
        [id, "blob", size] if *id == blob => size.parse::<usize>().ok(),
        _ => None,
    };
    let Some(size) = size else {
        return Err(format!(
            "`git cat-file --batch` answered `{header}` for blob {blob}"
        ));
    };
    let mut bytes = vec![0; size];
    stdout.read_exact(&mut bytes).map_err(broken_batch)?;
    let mut end = [0; 1];
    stdout.read_exact(&mut end).map_err(broken_batch)?;
    if end != *b"\n" {
        return Err("`git cat-file --batch` output is out of step".to_owned());
    }
    Ok(bytes)
}

impl Drop for Batch {
    fn drop(&mut self) {
        // `cat-file` only reads, so stopping it is always safe; waiting reaps it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // A failed unwrap is a failed test.
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{SystemTime, UNIX_EPOCH};

    /// A throwaway repository under the temporary directory, removed on drop. Its git
    /// commands ignore the user's and the system's configuration.
    struct TempRepo {
        dir: PathBuf,
    }

    impl TempRepo {
        fn new(name: &str) -> Self {
            let dir = unique_dir(name);
            let repo = Self { dir };
            repo.git(&["init", "-q", "-b", "main"]);
            repo
        }

        fn command(&self) -> Command {
            let mut command = Command::new("git");
            command
                .arg("-C")
                .arg(&self.dir)
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("GIT_TERMINAL_PROMPT", "0")
                .env("GIT_AUTHOR_NAME", "t")
                .env("GIT_AUTHOR_EMAIL", "t@t")
                .env("GIT_COMMITTER_NAME", "t")
                .env("GIT_COMMITTER_EMAIL", "t@t");
            for variable in GIT_LOCATION_VARIABLES {
                command.env_remove(variable);
            }
            command
        }

        /// Runs git and returns its trimmed output; panics (loudly) when git is missing
        /// or fails.
        fn git(&self, args: &[&str]) -> String {
            self.git_with_input(args, None)
        }

        fn git_with_input(&self, args: &[&str], input: Option<&str>) -> String {
            let mut child = self
                .command()
                .args(args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap_or_else(|err| {
                    panic!("cannot run git (it is needed by these tests): {err}")
                });
            let mut stdin = child.stdin.take().unwrap();
            if let Some(input) = input {
                stdin.write_all(input.as_bytes()).unwrap();
            }
            drop(stdin);
            let output = child.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "git {args:?} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            String::from_utf8(output.stdout).unwrap().trim().to_owned()
        }

        fn write(&self, relative: &str, text: &str) {
            let path = self.dir.join(relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }

        fn remove(&self, relative: &str) {
            std::fs::remove_file(self.dir.join(relative)).unwrap();
        }

        fn commit(&self, message: &str) {
            self.git(&["add", "-A"]);
            self.commit_index(message);
        }

        fn commit_index(&self, message: &str) {
            self.git(&["commit", "-q", "-m", message]);
        }
    }

    impl Drop for TempRepo {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    /// A new, empty directory with a name no other test (or test run) uses.
    fn unique_dir(name: &str) -> PathBuf {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|time| time.as_nanos())
            .unwrap_or_default();
        let dir = std::env::temp_dir().join(format!(
            "codegen-git-source-{name}-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Two commits of a tiny spec. `HEAD~1` (also tag `v1`):
    /// `spec/{README.md, overlay.toml, models/a.md, notes.txt, .hidden.md, .drafts/d.md}`.
    /// `HEAD` changes `models/a.md`, drops `overlay.toml`, adds `models/b.md`,
    /// `models/README.md`, `sub/c.md`, and a symlink and a submodule named like documents.
    fn two_versions(name: &str) -> TempRepo {
        let repo = TempRepo::new(name);
        repo.write("README.md", "# The repository\n");
        repo.write("other/x.md", "# X\n");
        repo.write("assets/logo.txt", "logo\n");
        repo.write("spec/README.md", "# The spec\n");
        repo.write("spec/overlay.toml", "v = 1\n");
        repo.write("spec/models/a.md", "# A v1\n");
        repo.write("spec/notes.txt", "notes\n");
        repo.write("spec/.hidden.md", "# Hidden\n");
        repo.write("spec/.drafts/d.md", "# Draft\n");
        repo.commit("v1");
        repo.git(&["tag", "-a", "-m", "first", "v1"]);

        repo.write("spec/models/a.md", "# A v2\n");
        repo.write("spec/models/b.md", "# B\n");
        repo.write("spec/models/README.md", "# Models\n");
        repo.write("spec/sub/c.md", "# C\n");
        repo.remove("spec/overlay.toml");
        repo.git(&["add", "-A"]);
        let target = repo.git_with_input(&["hash-object", "-w", "--stdin"], Some("a.md"));
        let link = format!("120000,{target},spec/models/link.md");
        repo.git(&["update-index", "--add", "--cacheinfo", &link]);
        let first = repo.git(&["rev-parse", "HEAD"]);
        let module = format!("160000,{first},spec/models/module.md");
        repo.git(&["update-index", "--add", "--cacheinfo", &module]);
        repo.commit_index("v2");
        repo
    }

    fn text(source: &GitSource, relative: &str) -> Option<String> {
        source
            .read(relative)
            .unwrap()
            .map(|bytes| String::from_utf8(bytes).unwrap())
    }

    #[test]
    fn reads_each_revision() {
        let repo = two_versions("revisions");

        let old = GitSource::open(&repo.dir, "HEAD~1", "spec").unwrap();
        assert_eq!(old.documents().unwrap(), ["models/a.md"]);
        assert_eq!(text(&old, "models/a.md").as_deref(), Some("# A v1\n"));
        assert_eq!(text(&old, OVERLAY_PATH).as_deref(), Some("v = 1\n"));
        assert_eq!(text(&old, "README.md").as_deref(), Some("# The spec\n"));
        assert_eq!(text(&old, "models/b.md"), None);
        assert_eq!(text(&old, "missing.md"), None);
        assert_eq!(old.revision(), "HEAD~1");
        assert_eq!(old.path(), "spec");
        assert_eq!(old.commit(), repo.git(&["rev-parse", "HEAD~1"]));

        let new = GitSource::open(&repo.dir, "HEAD", "spec").unwrap();
        assert_eq!(
            new.documents().unwrap(),
            ["models/README.md", "models/a.md", "models/b.md", "sub/c.md"]
        );
        assert_eq!(text(&new, "models/a.md").as_deref(), Some("# A v2\n"));
        assert_eq!(text(&new, "./models//b.md").as_deref(), Some("# B\n"));
        assert_eq!(text(&new, "sub/c.md").as_deref(), Some("# C\n"));
        assert_eq!(text(&new, OVERLAY_PATH), None);
        // Not regular files, or not files at all: missing.
        assert_eq!(text(&new, "models/link.md"), None);
        assert_eq!(text(&new, "models/module.md"), None);
        assert_eq!(text(&new, "models"), None);
        // Reading again goes through the same process and gives the same bytes.
        assert_eq!(text(&new, "models/a.md").as_deref(), Some("# A v2\n"));

        // A tag, a trailing slash, and a `repo_dir` below the top level.
        let tagged = GitSource::open(repo.dir.join("spec/models"), "v1", "spec/").unwrap();
        assert_eq!(tagged.commit(), old.commit());
        assert_eq!(tagged.path(), "spec");
        assert_eq!(tagged.repository(), new.repository());
        assert_eq!(tagged.documents().unwrap(), ["models/a.md"]);

        // The repository root: its README is skipped, nested ones are not.
        for root in ["", ".", "./"] {
            let whole = GitSource::open(&repo.dir, "HEAD", root).unwrap();
            assert_eq!(whole.path(), "");
            assert_eq!(
                whole.documents().unwrap(),
                [
                    "other/x.md",
                    "spec/README.md",
                    "spec/models/README.md",
                    "spec/models/a.md",
                    "spec/models/b.md",
                    "spec/sub/c.md",
                ]
            );
            assert_eq!(
                text(&whole, "spec/models/a.md").as_deref(),
                Some("# A v2\n")
            );
        }

        let sub = GitSource::open(&repo.dir, "main", "spec/sub").unwrap();
        assert_eq!(sub.documents().unwrap(), ["c.md"]);
    }

    #[test]
    fn stays_on_the_commit_it_resolved() {
        let repo = two_versions("stable");
        let source = GitSource::open(&repo.dir, "HEAD", "spec").unwrap();
        repo.write("spec/models/a.md", "# A v3\n");
        repo.commit("v3");
        assert_eq!(text(&source, "models/a.md").as_deref(), Some("# A v2\n"));
        let moved = GitSource::open(&repo.dir, "HEAD", "spec").unwrap();
        assert_ne!(moved.commit(), source.commit());
        assert_eq!(text(&moved, "models/a.md").as_deref(), Some("# A v3\n"));
    }

    #[test]
    fn displays_where_files_come_from() {
        let repo = two_versions("display");
        let source = GitSource::open(&repo.dir, "HEAD~1", "spec").unwrap();
        assert_eq!(
            source.display_path("models/a.md"),
            "git:HEAD~1:spec/models/a.md"
        );
        let source = GitSource::open(&repo.dir, "HEAD", "spec/sub/").unwrap();
        assert_eq!(source.display_path("c.md"), "git:HEAD:spec/sub/c.md");
        let source = GitSource::open(&repo.dir, "v1", "").unwrap();
        assert_eq!(
            source.display_path("spec/models/a.md"),
            "git:v1:spec/models/a.md"
        );
    }

    #[test]
    fn parses_arguments() {
        let parse = |arg: &str| GitSource::parse_argument(arg).unwrap();
        assert_eq!(parse("git:HEAD"), Some(("HEAD".to_owned(), None)));
        assert_eq!(
            parse("git:HEAD~1:spec"),
            Some(("HEAD~1".to_owned(), Some("spec".to_owned())))
        );
        assert_eq!(
            parse("git:v1:spec/sub/"),
            Some(("v1".to_owned(), Some("spec/sub/".to_owned())))
        );
        assert_eq!(
            parse("git:main:"),
            Some(("main".to_owned(), Some(String::new())))
        );
        assert_eq!(
            parse("git:HEAD:a:b"),
            Some(("HEAD".to_owned(), Some("a:b".to_owned())))
        );
        assert_eq!(parse("specs"), None);
        assert_eq!(parse("./git:HEAD"), None);
        for empty in ["git:", "git::spec"] {
            let err = GitSource::parse_argument(empty).unwrap_err();
            assert!(matches!(&err, SourceError::EmptyRevision(arg) if arg == empty));
            assert!(err.to_string().contains("names no git revision"), "{err}");
        }
    }

    #[test]
    fn reports_an_unknown_revision() {
        let repo = two_versions("unknown-rev");
        for rev in ["no-such-branch", "HEAD~9", "-x", "HEAD:spec", ""] {
            let err = GitSource::open(&repo.dir, rev, "spec").unwrap_err();
            assert!(
                matches!(&err, SourceError::UnknownRevision { rev: r, .. } if r == rev),
                "{rev}: {err:?}"
            );
            let message = err.to_string();
            assert!(message.starts_with("unknown git revision"), "{message}");
            assert!(!message.contains('\n'), "{message}");
        }
    }

    #[test]
    fn reports_a_path_that_is_not_a_folder() {
        let repo = two_versions("not-folder");
        // Missing at that revision (it exists at HEAD), a file, a symlink, a submodule.
        for (rev, path) in [
            ("HEAD~1", "spec/sub"),
            ("HEAD", "nowhere"),
            ("HEAD~1", "spec/overlay.toml"),
            ("HEAD", "spec/models/link.md"),
            ("HEAD", "spec/models/module.md"),
        ] {
            let err = GitSource::open(&repo.dir, rev, path).unwrap_err();
            assert!(
                matches!(&err, SourceError::NotGitFolder { rev: r, path: p } if r == rev && p == path),
                "{rev}:{path}: {err:?}"
            );
            assert_eq!(
                err.to_string(),
                format!("`{path}` is not a folder at git revision `{rev}`")
            );
        }
    }

    #[test]
    fn reports_a_folder_without_documents() {
        let repo = two_versions("empty");
        let source = GitSource::open(&repo.dir, "HEAD", "assets").unwrap();
        let err = source.documents().unwrap_err();
        assert!(matches!(err, SourceError::Empty(_)), "{err:?}");
        assert_eq!(
            err.to_string(),
            "spec folder `git:HEAD:assets` holds no markdown documents"
        );
        assert_eq!(text(&source, "logo.txt").as_deref(), Some("logo\n"));
    }

    #[test]
    fn reports_a_directory_outside_any_repository() {
        let dir = unique_dir("no-repo");
        let result = GitSource::open(&dir, "HEAD", "spec");
        let missing = dir.join("does-not-exist");
        let missing_result = GitSource::open(&missing, "HEAD", "spec");
        let _ = std::fs::remove_dir_all(&dir);

        let err = result.unwrap_err();
        assert!(
            matches!(&err, SourceError::NotRepository { path, .. } if *path == dir),
            "{err:?}"
        );
        let message = err.to_string();
        assert!(
            message.contains("is not inside a git repository"),
            "{message}"
        );
        assert!(message.contains("not a git repository"), "{message}");

        let err = missing_result.unwrap_err();
        assert!(
            matches!(&err, SourceError::NotRepository { path, .. } if *path == missing),
            "{err:?}"
        );
    }

    #[test]
    fn reports_git_that_cannot_run() {
        let dir = unique_dir("no-git");
        let result = GitSource::open_with("codegen-no-such-git-program", &dir, "HEAD", "spec");
        let _ = std::fs::remove_dir_all(&dir);
        let err = result.unwrap_err();
        assert!(matches!(err, SourceError::GitUnavailable { .. }), "{err:?}");
        assert!(err.to_string().starts_with("cannot run `git`"), "{err}");
    }

    #[test]
    fn skips_what_is_not_a_regular_file() {
        let listing = b"100644 blob 1111\ta.md\0\
            100755 blob 2222\tb.md\0\
            120000 blob 3333\tlink.md\0\
            160000 commit 4444\tmodule.md\0";
        let files = parse_listing(listing).unwrap();
        assert_eq!(files.keys().collect::<Vec<_>>(), ["a.md", "b.md"]);
        assert_eq!(files["b.md"], "2222");
        assert!(parse_listing(b"garbage\0").is_err());
    }

    #[test]
    fn reads_documents_in_any_order() {
        let repo = TempRepo::new("any-order");
        for index in 0..300 {
            repo.write(
                &format!("spec/models/m{index:03}.md"),
                &format!("# M{index}\n"),
            );
        }
        repo.write("spec/overlay.toml", "v = 1\n");
        repo.write("spec/notes.txt", "notes\n");
        repo.commit("many");
        let source = GitSource::open(&repo.dir, "HEAD", "spec").unwrap();
        // Not a document, before any document: read on its own.
        assert_eq!(text(&source, "notes.txt").as_deref(), Some("notes\n"));
        let documents = source.documents().unwrap();
        // Backwards, with the overlay, a non-document and a second read in the middle.
        for (index, relative) in documents.iter().enumerate().rev() {
            assert_eq!(text(&source, relative), Some(format!("# M{index}\n")));
            if index == 150 {
                for _ in 0..2 {
                    assert_eq!(text(&source, OVERLAY_PATH).as_deref(), Some("v = 1\n"));
                    assert_eq!(text(&source, "notes.txt").as_deref(), Some("notes\n"));
                    assert_eq!(text(&source, relative), Some(format!("# M{index}\n")));
                }
            }
        }
        // Everything again, now one by one.
        for (index, relative) in documents.iter().enumerate() {
            assert_eq!(text(&source, relative), Some(format!("# M{index}\n")));
        }
        // A source dropped halfway through reading its documents stops its processes.
        let partial = GitSource::open(&repo.dir, "HEAD", "spec").unwrap();
        assert_eq!(text(&partial, &documents[10]).as_deref(), Some("# M10\n"));
        drop(partial);
    }

    #[test]
    fn deals_a_bulk_read_out_to_several_processes() {
        let repo = TempRepo::new("bulk");
        for index in 0..20 {
            // Some files share their contents, hence their blob.
            repo.write(
                &format!("spec/m{index:02}.md"),
                &format!("# M{}\n", index % 7),
            );
        }
        repo.commit("bulk");
        let source = GitSource::open(&repo.dir, "HEAD", "spec").unwrap();
        let requests = source.bulk_requests();
        assert_eq!(requests.len(), 20);
        let mut bulk = Bulk::spawn("git", source.repository(), requests.clone(), 3)
            .unwrap()
            .unwrap();
        assert_eq!(bulk.processes.len(), 3);
        let expected = |index: usize| Some(format!("# M{}\n", index % 7).into_bytes());
        assert_eq!(bulk.take(&requests[4].0).unwrap().ok(), expected(4));
        assert_eq!(bulk.take(&requests[1].0).unwrap().ok(), expected(1));
        assert!(bulk.take(&requests[1].0).is_none());
        assert!(bulk.take("nowhere.md").is_none());
        for (index, (relative, _)) in requests.iter().enumerate() {
            if index != 1 && index != 4 {
                assert_eq!(bulk.take(relative).unwrap().ok(), expected(index));
            }
        }
        assert!(bulk.is_exhausted());
    }

    #[test]
    fn reports_a_blob_missing_from_the_repository() {
        let repo = TempRepo::new("missing-blob");
        for index in 0..5 {
            repo.write(&format!("spec/m{index}.md"), &format!("# M{index}\n"));
        }
        repo.commit("five");
        let source = GitSource::open(&repo.dir, "HEAD", "spec").unwrap();
        let blob = repo.git(&["rev-parse", "HEAD:spec/m2.md"]);
        let (dir, file) = blob.split_at(2);
        std::fs::remove_file(repo.dir.join(".git/objects").join(dir).join(file)).unwrap();

        assert_eq!(text(&source, "m0.md").as_deref(), Some("# M0\n"));
        assert_eq!(text(&source, "m1.md").as_deref(), Some("# M1\n"));
        let err = source.read("m2.md").unwrap_err();
        assert!(
            matches!(&err, SourceError::Git { action, .. } if action == "reading `git:HEAD:spec/m2.md`"),
            "{err:?}"
        );
        assert!(err.to_string().contains("missing"), "{err}");
        // The files after it are still read.
        assert_eq!(text(&source, "m3.md").as_deref(), Some("# M3\n"));
        assert_eq!(text(&source, "m4.md").as_deref(), Some("# M4\n"));
        assert!(source.read("m2.md").is_err());
    }

    #[test]
    fn reads_many_files_through_one_process() {
        let repo = TempRepo::new("many");
        for index in 0..300 {
            repo.write(
                &format!("spec/models/m{index:03}.md"),
                &format!("# M{index}\n"),
            );
        }
        repo.commit("many");
        let source = GitSource::open(&repo.dir, "HEAD", "spec").unwrap();
        let documents = source.documents().unwrap();
        assert_eq!(documents.len(), 300);
        for (index, relative) in documents.iter().enumerate() {
            assert_eq!(text(&source, relative), Some(format!("# M{index}\n")));
        }
    }
}
