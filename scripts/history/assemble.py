#!/usr/bin/env python3
"""Assemble the standards' release history from yearly snapshots (issue 15).

Each standard's history is a folder of snapshots, one per collection year or source revision:

    SNAPSHOTS/<std>/steps.yaml         - year: 2018-19, date: 2018-04-01, message: "...",
                                         optional time: "HH:MM" (12:00), first_version
    SNAPSHOTS/<std>/<year>/            the complete standard folder as of that year
    SNAPSHOTS/<std>/<year>/csc-codes/  the csc-codes lists whose content that year differs from
                                       today's (full list files)

The steps of all standards are replayed in date order into a new git repository. At each step
the standard's folder is replaced by its snapshot, csc-codes is rebuilt (today's lists with the
overlays of every standard's current year, each list from the first step that refers to it),
and `norm release` releases what changed, csc-codes first, so that norm computes every version
and writes every changelog. Commits carry the step's date (git's date variables, and
`faketime` for norm). The tags `norm release` makes are removed at the end: the history is
meant to sit on main's first-parent line, where each version's first commit is its release
(format.md, "Releases"; docs/content/history.md says how it was merged).

Usage: assemble.py SNAPSHOTS MAIN OUT [--norm PATH]
  MAIN is the checkout whose norm.yaml and standards/ the history must end at.
Needs: git, faketime (Debian's `faketime`), PyYAML.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

CODES = "csc-codes"
SUMMARY_PLACEHOLDER = "<!-- Summary for readers: what this release means for them. -->"


def run(cmd, cwd, date=None, check=True, capture=False):
    """Runs `cmd` in `cwd`; with `date` ("YYYY-MM-DD HH:MM"), git and norm see that time."""
    env = dict(os.environ)
    prefix = []
    if date:
        env["GIT_AUTHOR_DATE"] = f"{date}:00 +0000"
        env["GIT_COMMITTER_DATE"] = f"{date}:00 +0000"
        prefix = ["faketime", f"{date}:00"]
    result = subprocess.run(
        prefix + cmd, cwd=cwd, env=env, text=True, capture_output=True
    )
    if check and result.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed in {cwd}:\n{result.stdout}\n{result.stderr}")
    return result.stdout if capture else result


def steps_of(snapshots: Path):
    """Every step of every standard, in date order (a standard's own order breaks ties)."""
    steps = []
    for steps_file in sorted(snapshots.glob("*/steps.yaml")):
        std = steps_file.parent.name
        listed = yaml.safe_load(steps_file.read_text()) or []
        for n, step in enumerate(listed):
            folder = steps_file.parent / str(step["year"])
            if not folder.is_dir():
                sys.exit(f"{steps_file}: step {step['year']} has no folder {folder}")
            steps.append(
                {
                    "std": std,
                    # The time orders the steps of one day (a standard before those that
                    # map to it).
                    "date": f"{step['date']} {step.get('time', '12:00')}",
                    "order": n,
                    "folder": folder,
                    "message": step["message"].strip(),
                    "first_version": step.get("first_version"),
                }
            )
    steps.sort(key=lambda s: (s["date"], s["std"] != CODES, s["order"]))
    return steps


def version_of(standard_yaml: Path) -> str:
    match = re.search(r"^version: *(\S+)", standard_yaml.read_text(), re.M)
    return match.group(1) if match else ""


def set_version(standard_yaml: Path, version: str):
    text = standard_yaml.read_text()
    standard_yaml.write_text(re.sub(r"^version: *\S+", f"version: {version}", text, count=1, flags=re.M))


def set_requires(standard_yaml: Path, codes_version: str):
    major, minor, _ = codes_version.split(".")
    text = standard_yaml.read_text()
    text = re.sub(
        rf'^(  {CODES}: ).*$', rf'\g<1>"^{major}.{minor}"', text, count=1, flags=re.M
    )
    standard_yaml.write_text(text)


def strip_since(folder: Path):
    """Drops the `since:` that main's rules carry: the history now says when each came."""
    for path in folder.glob("rules/*.yaml"):
        text = path.read_text()
        stripped = re.sub(r"^since: *\S+\n", "", text, flags=re.M)
        if stripped != text:
            path.write_text(stripped)


def copy_standard(snapshot: Path, dest: Path):
    if dest.exists():
        shutil.rmtree(dest)
    # Copied without their times: each copy is newer than the index, as an edit would be.
    shutil.copytree(
        snapshot,
        dest,
        ignore=shutil.ignore_patterns(CODES, "NOTES.md", "RULES.md"),
        copy_function=shutil.copy,
    )
    strip_since(dest)


def referenced_lists(folders):
    """The csc-codes lists the standard folders refer to."""
    names = set()
    pattern = re.compile(rf"{CODES}/([a-z][a-z0-9_]*)")
    for folder in folders:
        for path in folder.rglob("*.yaml"):
            if CODES not in path.relative_to(folder).parts:
                names.update(pattern.findall(path.read_text()))
    return names


def rebuild_codes(repo: Path, main: Path, overlays: dict, users):
    """csc-codes as of now: today's lists with each year's overlays over them, from the first
    time one of `users` (the standard folders of this step) refers to each."""
    lists = repo / "standards" / CODES / "codelists"
    wanted = {}
    for path in sorted((main / "standards" / CODES / "codelists").glob("*.yaml")):
        wanted[path.stem] = path
    for std in sorted(overlays):
        for path in sorted(overlays[std].glob("*.yaml")):
            wanted[path.stem] = path
    # A list arrives with its first user and stays while today's csc-codes has it (a list is
    # deprecated before it goes, as main's are); a past coding that only an overlay held goes
    # when its last year is over.
    used = referenced_lists(users)
    lists.mkdir(parents=True, exist_ok=True)
    kept = used | {p.stem for p in lists.glob("*.yaml")}
    for existing in lists.glob("*.yaml"):
        if existing.stem not in wanted:
            existing.unlink()
    for name in sorted(kept & set(wanted)):
        target = lists / f"{name}.yaml"
        source = wanted[name].read_text()
        # The `since` of a deprecation is the version it was released in here
        # (`date_deprecations`), not today's number.
        if not target.exists() or undated(target.read_text()) != undated(source):
            target.write_text(source)
    missing = used - set(wanted)
    return missing


def dirty(repo: Path, path: str) -> bool:
    return bool(run(["git", "status", "--porcelain", "--", path], repo, capture=True).strip())


def commit(repo: Path, paths, message: str, date: str):
    # Successive snapshots differ in a year's digits, so a file can change without changing
    # its size within one second: git would trust the index's stat data and miss it. Drop
    # the paths from the index and add them again, so that every file is hashed.
    run(["git", "rm", "-r", "-q", "--cached", "--ignore-unmatch", "--"] + paths, repo)
    run(["git", "add", "-A", "--"] + paths, repo)
    run(["git", "commit", "-q", "-m", message], repo, date=date)


def release(repo: Path, norm: str, std: str, date: str, summary: str) -> str:
    """`norm release STD` at `date`, with the step's message as the changelog's summary."""
    run([norm, "release", std, "--color", "never"], repo, date=date)
    version = version_of(repo / "standards" / std / "standard.yaml")
    changelog = repo / "standards" / std / "CHANGELOG.md"
    text = changelog.read_text()
    if SUMMARY_PLACEHOLDER in text:
        changelog.write_text(text.replace(SUMMARY_PLACEHOLDER, summary, 1))
        run(["git", "add", str(changelog)], repo)
        run(["git", "commit", "-q", "--amend", "--no-edit"], repo, date=date)
        run(["git", "tag", "-f", f"{std}/v{version}"], repo)
    return version


DEPRECATION_SINCE = re.compile(r"(deprecation:\n(?:  .*\n)*?  since: )\S+")


def undated(text: str) -> str:
    return DEPRECATION_SINCE.sub(r"\g<1>-", text)


def date_deprecations(repo: Path, norm: str, date: str):
    """A deprecation new in this csc-codes release says `since` the version being released."""
    out = run([norm, "release", CODES, "--dry-run", "--color", "never"], repo, date=date, capture=True)
    match = re.search(rf"release `{CODES}` (\S+)", out)
    if not match:
        return
    version = match.group(1)
    for path in (repo / "standards" / CODES / "codelists").glob("*.yaml"):
        text = path.read_text()
        if "deprecation:" not in text:
            continue
        # HEAD is the commit of this step's lists; HEAD~1 the last release.
        before = run(["git", "show", f"HEAD~1:{path.relative_to(repo)}"], repo, check=False, capture=True)
        if "deprecation:" in before:
            continue
        path.write_text(DEPRECATION_SINCE.sub(rf"\g<1>{version}", text))
        run(["git", "add", str(path)], repo)
        run(["git", "commit", "-q", "--amend", "--no-edit"], repo, date=date)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("snapshots", type=Path)
    parser.add_argument("main", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--norm", default="norm")
    args = parser.parse_args()
    repo, main_dir, norm = args.out, args.main.resolve(), args.norm
    if repo.exists():
        sys.exit(f"{repo} exists: give a new folder")
    steps = steps_of(args.snapshots)
    repo.mkdir(parents=True)
    run(["git", "init", "-q", "-b", "main"], repo)
    run(["git", "config", "user.name", "norm developers"], repo)
    run(["git", "config", "user.email", "dev@norm.invalid"], repo)
    shutil.copy(main_dir / "norm.yaml", repo / "norm.yaml")
    (repo / "standards").mkdir()
    first_date = steps[0]["date"]
    commit(repo, ["norm.yaml"], "The standards' repository: norm.yaml", first_date)
    codes_yaml = main_dir / "standards" / CODES / "standard.yaml"
    overlays = {}
    released = {}
    for step in steps:
        std, date, folder = step["std"], step["date"], step["folder"]
        dest = repo / "standards" / std
        others = [p for p in (repo / "standards").iterdir() if p.name not in (std, CODES)]
        if (folder / CODES).is_dir():
            overlays[std] = folder / CODES
        else:
            overlays.pop(std, None)
        # csc-codes first: the standard's release must find the lists it uses released.
        codes_dir = repo / "standards" / CODES
        users = others + [folder]
        if codes_dir.exists() or referenced_lists(users):
            if not codes_dir.exists():
                codes_dir.mkdir()
                shutil.copy(codes_yaml, codes_dir / "standard.yaml")
                set_version(codes_dir / "standard.yaml", "1.0.0")
            missing = rebuild_codes(repo, main_dir, overlays, users)
            if missing:
                sys.exit(f"{std} {folder.name}: csc-codes has no list {sorted(missing)}")
            if CODES in released:
                set_version(codes_dir / "standard.yaml", released[CODES])
            if dirty(repo, f"standards/{CODES}"):
                commit(repo, [f"standards/{CODES}"], f"csc-codes: the lists as of {std} {folder.name}", date)
                date_deprecations(repo, norm, date)
                summary = f"The code lists as {std} {folder.name} uses them."
                released[CODES] = release(repo, norm, CODES, date, summary)
        copy_standard(folder, dest)
        standard_yaml = dest / "standard.yaml"
        set_version(standard_yaml, released.get(std) or step["first_version"] or "1.0.0")
        if CODES in released:
            set_requires(standard_yaml, released[CODES])
        if not dirty(repo, f"standards/{std}"):
            print(f"{date} {std} {folder.name}: no change", file=sys.stderr)
            continue
        commit(repo, [f"standards/{std}"], step["message"], date)
        released[std] = release(repo, norm, std, date, step["message"])
        print(f"{date} {std} {folder.name}: {released[std]}", file=sys.stderr)
    # A standard released before csc-codes' last major release still requires the one
    # before: it follows, as its curators would, with a release that only moves the range.
    last = steps[-1]["date"]
    codes_major = released[CODES].split(".")[0]
    for std in sorted(released):
        standard_yaml = repo / "standards" / std / "standard.yaml"
        match = re.search(rf'^  {CODES}: "\^(\d+)\.', standard_yaml.read_text(), re.M)
        if std == CODES or not match or match.group(1) == codes_major:
            continue
        set_requires(standard_yaml, released[CODES])
        message = f"{std}: requires csc-codes ^{released[CODES].rsplit('.', 1)[0]}, the lists' latest major release"
        commit(repo, [f"standards/{std}"], message, last)
        released[std] = release(repo, norm, std, last, message)
        print(f"{last} {std}: {released[std]} (csc-codes range)", file=sys.stderr)
    for tag in run(["git", "tag"], repo, capture=True).split():
        run(["git", "tag", "-d", tag], repo)
    print(" ".join(f"{k} {v}" for k, v in sorted(released.items())))


if __name__ == "__main__":
    main()
