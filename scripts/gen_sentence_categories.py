#!/usr/bin/env python3
"""Write src/text/sentence_categories.rs from unicode-segmentation's tables.rs.

    python3 scripts/gen_sentence_categories.py ~/.cargo/registry/src/*/unicode-segmentation-1.13.3/src/tables.rs

src/text/sentence_bounds.rs must split sentences exactly as unicode-segmentation does; it
needs that crate's sentence categories, which the crate keeps private. Rerun this when
the unicode-segmentation version in Cargo.lock changes (the property test in
sentence_bounds.rs fails if the two disagree).
"""
import re
import sys
from pathlib import Path

NAMES = {
    "ATerm": "ATerm", "CR": "Cr", "Close": "Close", "Extend": "Extend", "Format": "Format",
    "LF": "Lf", "Lower": "Lower", "Numeric": "Numeric", "OLetter": "OLetter",
    "SContinue": "SContinue", "STerm": "STerm", "Sep": "Sep", "Sp": "Sp", "Upper": "Upper",
}

source = Path(sys.argv[1]).read_text()
version = re.search(r"pub const UNICODE_VERSION: \(u64, u64, u64\) = \((\d+), (\d+), (\d+)\)", source)
crate = re.search(r"unicode-segmentation-([\d.]+)", str(Path(sys.argv[1]).resolve()))
start = source.index("const sentence_cat_table: &[(char, char, SentenceCat)] = &[")
body = source[start:source.index("];", start)]
entries = re.findall(r"\('\\u\{([0-9a-f]+)\}',\s*'\\u\{([0-9a-f]+)\}',\s*SC_(\w+)\)", body)

ranges = []
for low, high, category in entries:
    low, high, category = int(low, 16), int(high, 16), NAMES[category]
    if high < 0x80:
        continue  # sentence_bounds.rs writes ASCII out by hand
    assert low >= 0x80
    if ranges and ranges[-1][2] == category and ranges[-1][1] + 1 == low:
        ranges[-1][1] = high
    else:
        ranges.append([low, high, category])
assert all(a[1] < b[0] for a, b in zip(ranges, ranges[1:]))

lines = [
    "//! The UAX #29 sentence categories of every character above ASCII, as unicode-segmentation",
    f"//! {crate.group(1) if crate else '(version unknown)'} has them (its `sentence_cat_table`, "
    f"Unicode {'.'.join(version.groups())}; MIT or",
    "//! Apache-2.0), adjacent ranges of one category merged. Written by",
    "//! `scripts/gen_sentence_categories.py`; do not edit. A character in no range is in no",
    "//! category.",
    "",
    "use super::sentence_bounds::Category::{self, *};",
    "",
    "/// `(first, last, category)`, sorted and disjoint.",
    "#[rustfmt::skip]",
    "pub(super) const RANGES: &[(u32, u32, Category)] = &[",
]
for at in range(0, len(ranges), 4):
    row = ranges[at:at + 4]
    lines.append("    " + ", ".join(f"(0x{lo:X}, 0x{hi:X}, {c})" for lo, hi, c in row) + ",")
lines.append("];")
out = Path(__file__).resolve().parent.parent / "src/text/sentence_categories.rs"
out.write_text("\n".join(lines) + "\n")
print(f"{out}: {len(ranges)} ranges")
