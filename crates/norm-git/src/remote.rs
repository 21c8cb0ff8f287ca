//! What the repository knows of its remote: the default branch and the remote's address.

use crate::Repo;

impl Repo {
    /// The branch that pull requests merge into, as a revision to compare with: what
    /// `origin/HEAD` points at (a clone records the remote's default branch there), else
    /// `init.defaultBranch`, `main` or `master`, each as `origin/<name>` before `<name>`.
    /// `None` when none of them exists.
    pub fn default_branch(&self) -> Option<String> {
        if let Ok(head) = self.repo.find_reference("refs/remotes/origin/HEAD")
            && let Some(target) = head.symbolic_target().ok().flatten()
            && let Some(branch) = target.strip_prefix("refs/remotes/")
            && self.commit(branch).is_ok()
        {
            return Some(branch.to_owned());
        }
        let configured = self
            .repo
            .config()
            .and_then(|c| c.get_string("init.defaultBranch"))
            .ok();
        configured
            .into_iter()
            .chain(["main".to_owned(), "master".to_owned()])
            .flat_map(|name| [format!("origin/{name}"), name])
            .find(|candidate| self.commit(candidate).is_ok())
    }

    /// The URL of remote `name` as configured (`git remote get-url`), when there is one.
    pub fn remote_url(&self, name: &str) -> Option<String> {
        let remote = self.repo.find_remote(name).ok()?;
        remote.url().ok().map(str::to_owned)
    }
}
