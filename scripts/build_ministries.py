"""Generate gazetteers/gen-ministries.tsv: the foreign, defence, interior, finance, health
and justice ministries of every national government in the gazetteers.

Usage: python3 scripts/build_ministries.py GAZETTEER_DIR FACTBOOK_JSONL > gen-ministries.tsv

Every UN member state has these ministries under some name; news refers to them by the
country's adjective ("the Kenyan Health Ministry", "Iraq's Interior Ministry"). The rows:

- one per (national government, ministry), with the government's ISO code and id as
  `country` and `parent`, for every `government/*` entry of subtype `national_government`
  in GAZETTEER_DIR (the Factbook import: all UN members, Kosovo, Taiwan, the Holy See);
- the name is the generic English form, "Ministry of Health of Kenya", except where a
  country's ministry is known by another name ([EXCEPTIONS]: the UK's Home Office, India's
  Ministry of External Affairs, ...);
- aliases from the country's adjectives (the `<Adjective> government` aliases of its
  government entry, themselves from the Factbook) and short name: "Kenyan Health
  Ministry", "Kenyan Ministry of Health", "Kenya's Health Ministry";
- defence ministries only where the Factbook's `military_forces` field names armed forces
  (an army, navy, air force, defence force or ministry of defence) and does not say the
  country has none ("no regular military forces": Iceland, Panama, Vanuatu; Costa Rica
  lists only its Ministry of Public Security);
- a row is left out when one of its names is already a name or alias of another
  government entry (the curated files and the Factbook's own ministries come first), and
  so is the United States (its departments are curated).

The generic name is a description, not always the official title; `source` says so.
"""

import json
import re
import sys
import unicodedata
from pathlib import Path

# (key, generic name, short nouns for aliases)
MINISTRIES = [
    ("foreign", "Ministry of Foreign Affairs", ["Foreign Ministry", "Ministry of Foreign Affairs"]),
    ("defence", "Ministry of Defence", ["Defence Ministry", "Defense Ministry", "Ministry of Defence", "Ministry of Defense"]),
    ("interior", "Ministry of the Interior", ["Interior Ministry", "Ministry of Interior", "Ministry of the Interior"]),
    ("finance", "Ministry of Finance", ["Finance Ministry", "Ministry of Finance"]),
    ("health", "Ministry of Health", ["Health Ministry", "Ministry of Health"]),
    ("justice", "Ministry of Justice", ["Justice Ministry", "Ministry of Justice"]),
]

SLUGS = {
    "foreign": "ministry-of-foreign-affairs",
    "defence": "ministry-of-defence",
    "interior": "ministry-of-interior",
    "finance": "ministry-of-finance",
    "health": "ministry-of-health",
    "justice": "ministry-of-justice",
}

# Ministries known by their own names: (ISO3, key) -> (name, aliases, source).
EXCEPTIONS = {
    ("GBR", "foreign"): ("Foreign, Commonwealth and Development Office", ["FCDO", "British Foreign Office", "UK Foreign Office", "Foreign Office"], "gov.uk"),
    ("GBR", "defence"): ("UK Ministry of Defence", ["British Ministry of Defence", "British Defence Ministry", "UK Defence Ministry"], "gov.uk"),
    ("GBR", "interior"): ("Home Office", ["British Home Office", "UK Home Office"], "gov.uk"),
    ("GBR", "finance"): ("HM Treasury", ["British Treasury", "UK Treasury", "Her Majesty's Treasury", "His Majesty's Treasury"], "gov.uk"),
    ("GBR", "health"): ("Department of Health and Social Care", ["British Department of Health", "UK Department of Health", "British Health Ministry"], "gov.uk"),
    ("GBR", "justice"): ("UK Ministry of Justice", ["British Ministry of Justice", "British Justice Ministry", "UK Justice Ministry"], "gov.uk"),
    ("DEU", "foreign"): ("Federal Foreign Office", ["German Foreign Office", "German Foreign Ministry", "Auswärtiges Amt"], "auswaertiges-amt.de"),
    ("DEU", "defence"): ("Federal Ministry of Defence", ["German Defence Ministry", "German Defense Ministry", "German Ministry of Defence"], "bmvg.de"),
    ("DEU", "interior"): ("Federal Ministry of the Interior", ["German Interior Ministry", "German Ministry of the Interior"], "bmi.bund.de"),
    ("DEU", "finance"): ("Federal Ministry of Finance", ["German Finance Ministry", "German Ministry of Finance"], "bundesfinanzministerium.de"),
    ("DEU", "health"): ("Federal Ministry of Health", ["German Health Ministry", "German Ministry of Health"], "bundesgesundheitsministerium.de"),
    ("DEU", "justice"): ("Federal Ministry of Justice", ["German Justice Ministry", "German Ministry of Justice"], "bmj.de"),
    ("FRA", "foreign"): ("Ministry for Europe and Foreign Affairs", ["French Foreign Ministry", "French Ministry of Foreign Affairs", "France's Foreign Ministry", "Quai d'Orsay"], "diplomatie.gouv.fr"),
    ("FRA", "defence"): ("Ministry of the Armed Forces", ["French Defence Ministry", "French Defense Ministry", "French Ministry of the Armed Forces", "French Armed Forces Ministry", "France's Defence Ministry"], "defense.gouv.fr"),
    ("IND", "foreign"): ("Ministry of External Affairs", ["Indian Foreign Ministry", "Indian External Affairs Ministry", "India's External Affairs Ministry", "India's Foreign Ministry"], "mea.gov.in"),
    ("IND", "interior"): ("Ministry of Home Affairs of India", ["Indian Home Ministry", "Indian Interior Ministry", "India's Home Ministry", "Indian Ministry of Home Affairs"], "mha.gov.in"),
    ("AUS", "foreign"): ("Department of Foreign Affairs and Trade", ["DFAT", "Australian Foreign Ministry", "Australian Department of Foreign Affairs and Trade"], "dfat.gov.au"),
    ("AUS", "defence"): ("Australian Department of Defence", ["Australian Defence Department", "Australian Defence Ministry"], "defence.gov.au"),
    ("AUS", "interior"): ("Australian Department of Home Affairs", ["Australian Home Affairs Department"], "homeaffairs.gov.au"),
    ("CAN", "foreign"): ("Global Affairs Canada", ["Canadian Foreign Ministry", "Canada's Foreign Ministry"], "international.gc.ca"),
    ("CAN", "defence"): ("Department of National Defence", ["Canadian Defence Department", "Canadian Defence Ministry", "Canadian Department of National Defence"], "canada.ca/en/department-national-defence"),
    ("CAN", "interior"): ("Public Safety Canada", ["Canadian Public Safety Ministry"], "publicsafety.gc.ca"),
    ("IRL", "foreign"): ("Department of Foreign Affairs (Ireland)", ["Irish Foreign Ministry", "Irish Department of Foreign Affairs"], "dfa.ie"),
    ("NZL", "foreign"): ("Ministry of Foreign Affairs and Trade (New Zealand)", ["New Zealand Foreign Ministry", "MFAT"], "mfat.govt.nz"),
    ("CHE", "foreign"): ("Federal Department of Foreign Affairs", ["Swiss Foreign Ministry", "FDFA"], "eda.admin.ch"),
    ("CHE", "defence"): ("Federal Department of Defence, Civil Protection and Sport", ["Swiss Defence Ministry", "Swiss Defense Ministry", "DDPS"], "vbs.admin.ch"),
}

NO_MILITARY = re.compile(r"^\s*no (regular |standing |indigenous )*(regular )?(military|armed)", re.I)
HAS_MILITARY = re.compile(
    r"\b(army|armed forces|defen[cs]e forces?|military|ministry of (national )?defen[cs]e|navy|air force)\b", re.I
)
SKIP_COUNTRIES = {"USA"}


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[’'`]", "'", text)
    return " ".join(re.sub(r"[^\w']+", " ", text).split())


def read_tsv(path: Path):
    header = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if header is None:
            header = fields
            continue
        yield dict(zip(header, fields + [""] * (len(header) - len(fields))))


def main(gazetteers: Path, factbook: Path) -> None:
    taken = set()  # folded names and aliases of government entries
    ids = set()
    governments = []
    for path in sorted(gazetteers.glob("*.tsv")):
        if path.name == "gen-ministries.tsv":
            continue
        for row in read_tsv(path):
            ids.add(row.get("id"))
            if row.get("type") != "government":
                continue
            names = [row["name"]] + [a for a in row.get("aliases", "").split("|") if a]
            taken.update(fold(n) for n in names)
            if row.get("subtype") == "national_government" and row.get("country"):
                governments.append(row)
    no_military = set()
    for line in factbook.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        forces = record.get("military_forces") or ""
        if NO_MILITARY.search(forces) or not HAS_MILITARY.search(forces):
            no_military.add(fold(record.get("conventional_short") or ""))

    print("# Generated by: python3 scripts/build_ministries.py gazetteers "
          "../shared/sources/factbook/cia_factbook_government_terrorism.jsonl")
    print("# Do not edit by hand: regenerate with scripts/build_gazetteers.sh; see gazetteers/SOURCES.md")
    print("id\tname\ttype\tsubtype\tcountry\tparent\taliases\tsource")
    seen_ids = set()
    for government in sorted(governments, key=lambda g: g["id"]):
        iso3 = government["country"]
        if iso3 in SKIP_COUNTRIES:
            continue
        country = government["name"].removeprefix("Government of ").removeprefix("the ")
        short = re.sub(r"^the ", "", country)
        display = f"the {short}" if government["name"].startswith("Government of the ") else short
        adjectives = []
        for alias in government.get("aliases", "").split("|"):
            if alias.endswith(" government") and not alias.endswith("'s government"):
                word = alias.removesuffix(" government")
                if word != short and word not in adjectives:
                    adjectives.append(word)
        for key, generic, nouns in MINISTRIES:
            if key == "defence" and fold(short) in no_military:
                continue
            exception = EXCEPTIONS.get((iso3, key))
            if exception:
                name, aliases, source = exception
                source = f"{source} (curated name)"
            else:
                name = f"{generic} of {display}"
                aliases = [f"{adj} {noun}" for adj in adjectives for noun in nouns]
                possessive = f"{short}'" if short.endswith("s") else f"{short}'s"
                aliases.append(f"{possessive} {nouns[0]}")
                source = ("generic English name of a ministry every UN member state has; "
                          "country and adjective from the CIA World Factbook (public domain)")
            names = [name] + aliases
            if any(fold(n) in taken for n in names):
                continue
            row_id = f"government/{iso3.lower()}-{SLUGS[key]}"
            if row_id in seen_ids or row_id in ids:
                continue
            seen_ids.add(row_id)
            taken.update(fold(n) for n in names)
            print("\t".join([row_id, name, "government", "ministry", iso3, government["id"],
                             "|".join(dict.fromkeys(aliases)), source]))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
