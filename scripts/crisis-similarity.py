#!/usr/bin/env python3
"""Hygiene check for a new crisis evaluation set (core/tests/data/crisis/).

Compares every text of NEW_DIR/<lang>.tsv with every text of the other sets of the same
language (character similarity, difflib's ratio, lower case) and prints, for each new text at
or above the threshold, its line, the score and the *set* of its nearest earlier text — never
the earlier wording, so that the writer of a held-out set does not read earlier texts.

    python3 scripts/crisis-similarity.py core/tests/data/crisis/heldout8 [threshold [de,en,...]]

Exit status 1 when any text is at or above the threshold (0.75 by default, as in heldout7).
"""
import difflib
import pathlib
import sys


def texts(path):
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t")[4].lower() for line in lines if line.strip()]


def main():
    new_dir = pathlib.Path(sys.argv[1])
    threshold = float(sys.argv[2]) if len(sys.argv) > 2 else 0.75
    only = sys.argv[3].split(",") if len(sys.argv) > 3 else None
    root = new_dir.parent
    close = 0
    for new_file in sorted(new_dir.glob("*.tsv")):
        if only and new_file.stem not in only:
            continue
        earlier = []
        for other in sorted(root.iterdir()):
            path = other / new_file.name
            if other != new_dir and path.exists():
                earlier += [(other.name, t) for t in texts(path)]
        for number, text in enumerate(texts(new_file), start=2):
            best, where = 0.0, ""
            for set_name, old in earlier:
                matcher = difflib.SequenceMatcher(None, text, old)
                if matcher.real_quick_ratio() < best or matcher.quick_ratio() < best:
                    continue
                score = matcher.ratio()
                if score > best:
                    best, where = score, set_name
            if best >= threshold:
                close += 1
                print(f"{new_file.name}:{number}\t{best:.2f}\tnearest in {where}")
    print(f"{close} texts at or above {threshold}")
    sys.exit(1 if close else 0)


if __name__ == "__main__":
    main()
