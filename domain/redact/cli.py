"""`copbot redact`: scrub a request read from standard input, for operators checking the scrubber.

Printing the removed originals (--explain) is for the operator's own terminal only.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from domain.redact import scrub

SEPARATOR = "--- replacements ---"


def add_arguments(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("--lang", choices=("en", "fr"), default="en", help="language of the request (default: en)")
    p.add_argument("--explain", action="store_true", help="also list each replacement as kind<TAB>original<TAB>the rule that found it")
    return p


def parser() -> argparse.ArgumentParser:
    return add_arguments(argparse.ArgumentParser(
        prog="copbot redact", description="Remove identifiers from a consultation request read from stdin."))


def main(argv: list[str] | None, stdin: TextIO, stdout: TextIO) -> int:
    args = parser().parse_args(argv)
    result = scrub(stdin.read(), args.lang)
    text = result.text
    stdout.write(text if text.endswith("\n") or not text else text + "\n")
    if args.explain:
        stdout.write(SEPARATOR + "\n")
        for r in result.replacements:
            stdout.write(f"{r.kind}\t{r.original}\t{r.rule}\n")
    return 0
