//! The gazetteer TSV reader. One header row, then one entry per line; `#` starts a comment
//! line; list columns (`aliases`, `demonyms`) are `|`-separated. Errors are
//! `file:line:column: what is wrong`, columns counted in characters from 1.

use super::{Entity, EntityType};
use crate::error::{Error, Result};
use crate::text::fold_alias;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};

/// The columns of a gazetteer file, in the order `gazetteer import` writes them: the first
/// [`REQUIRED`] are required, and the last, `notes`, is read but never written.
pub(crate) const COLUMNS: [&str; 15] = [
    "id",
    "name",
    "type",
    "subtype",
    "country",
    "parent",
    "role",
    "valid_from",
    "valid_to",
    "aliases",
    "demonyms",
    "code",
    "context",
    "source",
    "notes",
];
/// How many of [`COLUMNS`] every file must have.
const REQUIRED: usize = 3;
/// How many of [`COLUMNS`] `gazetteer import` writes.
pub(crate) const WRITTEN: usize = 14;

/// Collects entries from several files and checks them against each other.
#[derive(Default)]
pub(super) struct Loader {
    entities: Vec<Entity>,
    /// The files read so far; the maps below refer to them by index.
    files: Vec<PathBuf>,
    /// id -> (file, line) of its first definition.
    ids: FxHashMap<String, (usize, usize)>,
    /// (folded alias, type) -> (entity index, file, line) of the entry that claimed it.
    aliases: FxHashMap<(String, EntityType), (usize, usize, usize)>,
    /// Parent references to check once every file is read: (file, line, column, parent).
    parents: Vec<(usize, usize, usize, String)>,
}

struct Field<'a> {
    value: &'a str,
    column: usize,
}

impl Loader {
    pub(super) fn add_file(&mut self, path: &Path, bytes: &[u8]) -> Result<()> {
        // Growing the maps row by row rehashed them a dozen times; a line is at most one
        // entry, with a few aliases.
        let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
        self.entities.reserve(lines);
        self.ids.reserve(lines);
        self.aliases.reserve(lines * 2);
        self.files.push(path.to_path_buf());
        let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
        let mut header = None;
        for (index, raw_line) in lines.iter().enumerate() {
            if let Some(fields) = content(path, index, raw_line)? {
                header = Some((index, parse_header(path, index + 1, &fields)?));
                break;
            }
        }
        let Some((header_index, columns)) = header else {
            return Err(Error::parse(
                path,
                1,
                1,
                format!(
                    "no header row; the first line must name the columns, at least: {}",
                    COLUMNS[..REQUIRED].join(", ")
                ),
            ));
        };
        // Rows are parsed and checked on their own in parallel, then checked against each
        // other in file order, so the first error in the file is the one reported.
        let rows: Vec<Result<Option<Row>>> = lines[header_index + 1..]
            .par_iter()
            .enumerate()
            .map(|(at, raw_line)| {
                let index = header_index + 1 + at;
                content(path, index, raw_line)?
                    .map(|fields| parse_row(path, index + 1, &columns, &fields))
                    .transpose()
            })
            .collect();
        for row in rows {
            if let Some(row) = row? {
                self.admit(path, row)?;
            }
        }
        Ok(())
    }

    /// Check a parsed row against the entries before it and keep it.
    fn admit(&mut self, path: &Path, row: Row) -> Result<()> {
        let Row {
            entity,
            line,
            id_column,
            names,
            parent,
        } = row;
        if let Some(&(file, first)) = self.ids.get(&entity.id) {
            return Err(Error::parse(
                path,
                line,
                id_column,
                format!(
                    "duplicate id {:?}, first defined at {}:{first}",
                    entity.id,
                    self.files[file].display()
                ),
            ));
        }
        let kind = entity.kind;
        for name in &names {
            if let Some(&(other, other_file, other_line)) =
                self.aliases.get(&(name.folded.clone(), kind))
            {
                return Err(Error::parse(
                    path,
                    line,
                    name.column,
                    format!(
                        "{} {:?} already maps to {} ({}:{other_line}), another {kind}; \
                         remove it from one entry",
                        name.what,
                        name.written,
                        self.entities[other].id,
                        self.files[other_file].display()
                    ),
                ));
            }
        }
        let file = self.files.len() - 1;
        let index = self.entities.len();
        for name in names {
            self.aliases
                .insert((name.folded, kind), (index, file, line));
        }
        if let Some((column, parent)) = parent {
            self.parents.push((file, line, column, parent));
        }
        self.ids.insert(entity.id.clone(), (file, line));
        self.entities.push(entity);
        Ok(())
    }
}

/// The fields of line `index` (from 0) of a file, or `None` for a blank or comment line.
fn content<'l>(path: &Path, index: usize, raw_line: &'l [u8]) -> Result<Option<Vec<Field<'l>>>> {
    let line = std::str::from_utf8(raw_line).map_err(|e| {
        Error::parse(
            path,
            index + 1,
            e.valid_up_to() + 1,
            "invalid UTF-8 (gazetteers must be UTF-8)",
        )
    })?;
    let line = line.strip_suffix('\r').unwrap_or(line);
    let line = if index == 0 {
        line.trim_start_matches('\u{feff}')
    } else {
        line
    };
    if line.trim().is_empty() || line.trim_start().starts_with('#') {
        return Ok(None);
    }
    Ok(Some(split_fields(line)))
}

/// One entry as its own line gives it, before it is checked against the others.
struct Row {
    entity: Entity,
    line: usize,
    id_column: usize,
    /// Its name, aliases and demonyms, folded, each once.
    names: Vec<Name>,
    /// The `parent` column and value, checked once every file is read.
    parent: Option<(usize, String)>,
}

struct Name {
    folded: String,
    written: String,
    what: &'static str,
    column: usize,
}

/// The fields of one row, looked up by the names the header gives their columns.
struct RowFields<'r, 'l> {
    path: &'r Path,
    line: usize,
    columns: &'r [String],
    fields: &'r [Field<'l>],
    /// Where the row ends: the column reported for a value missing at its end.
    end_column: usize,
}

impl<'r, 'l> RowFields<'r, 'l> {
    fn new(path: &'r Path, line: usize, columns: &'r [String], fields: &'r [Field<'l>]) -> Self {
        let end_column = fields
            .last()
            .map_or(1, |f| f.column + f.value.chars().count());
        RowFields {
            path,
            line,
            columns,
            fields,
            end_column,
        }
    }

    fn error(&self, column: usize, message: impl Into<String>) -> Error {
        Error::parse(self.path, self.line, column, message)
    }

    /// The field of column `name`, unless it is blank.
    fn get(&self, name: &str) -> Option<&'r Field<'l>> {
        self.columns
            .iter()
            .position(|c| c == name)
            .and_then(|at| self.fields.get(at))
            .filter(|f| !f.value.trim().is_empty())
    }

    fn required(&self, name: &str) -> Result<&'r Field<'l>> {
        self.get(name).ok_or_else(|| {
            let column = self
                .columns
                .iter()
                .position(|c| c == name)
                .and_then(|at| self.fields.get(at))
                .map_or(self.end_column, |f| f.column);
            self.error(column, format!("missing value for `{name}`"))
        })
    }

    fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(|f| f.value.trim().to_string())
    }

    fn list(&self, name: &str) -> Vec<String> {
        self.get(name).map_or_else(Vec::new, |f| {
            f.value
                .split('|')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(String::from)
                .collect()
        })
    }

    fn check_field_count(&self) -> Result<()> {
        if self.fields.len() > self.columns.len() {
            return Err(self.error(
                self.fields[self.columns.len()].column,
                format!(
                    "{} fields but the header names {} columns",
                    self.fields.len(),
                    self.columns.len()
                ),
            ));
        }
        Ok(())
    }

    fn id(&self) -> Result<&'r Field<'l>> {
        let id_field = self.required("id")?;
        let id = id_field.value.trim();
        if id.chars().any(char::is_whitespace) {
            return Err(self.error(id_field.column, format!("id {id:?} contains white space")));
        }
        Ok(id_field)
    }

    fn kind(&self) -> Result<EntityType> {
        let type_field = self.required("type")?;
        EntityType::parse(type_field.value.trim()).ok_or_else(|| {
            self.error(
                type_field.column,
                format!(
                    "unknown type {:?}; expected one of: {}",
                    type_field.value.trim(),
                    EntityType::ALL.map(EntityType::as_str).join(", ")
                ),
            )
        })
    }

    fn check_country(&self) -> Result<()> {
        if let Some(field) = self.get("country") {
            let code = field.value.trim();
            if code.len() != 3 || !code.chars().all(|c| c.is_ascii_uppercase()) {
                return Err(self.error(
                    field.column,
                    format!("country {code:?} is not an ISO 3166-1 alpha-3 code (e.g. IRQ)"),
                ));
            }
        }
        Ok(())
    }

    fn check_dates(&self) -> Result<()> {
        for date_column in ["valid_from", "valid_to"] {
            if let Some(field) = self.get(date_column)
                && !is_iso_date(field.value.trim())
            {
                return Err(self.error(
                    field.column,
                    format!(
                        "{date_column} {:?} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)",
                        field.value.trim()
                    ),
                ));
            }
        }
        Ok(())
    }

    fn needs_context(&self) -> Result<bool> {
        match self.get("context").map(|f| (f, f.value.trim())) {
            None => Ok(false),
            Some((_, "required")) => Ok(true),
            Some((field, other)) => Err(self.error(
                field.column,
                format!("context {other:?} must be empty or \"required\""),
            )),
        }
    }

    /// The entry's name, aliases and demonyms, folded, each once.
    fn own_names(&self, name: &str, aliases: &[String], demonyms: &[String]) -> Result<Vec<Name>> {
        let mut own: Vec<Name> = Vec::new();
        let names =
            std::iter::once((name, "name")).chain(aliases.iter().map(|a| (a.as_str(), "aliases")));
        for (alias, column) in names.chain(demonyms.iter().map(|d| (d.as_str(), "demonyms"))) {
            let alias_column = self.get(column).map_or(self.end_column, |f| f.column);
            let what = match column {
                "name" => "name",
                "demonyms" => "demonym",
                _ => "alias",
            };
            let folded = fold_alias(alias);
            if !folded.chars().any(char::is_alphanumeric) {
                return Err(self.error(
                    alias_column,
                    format!("{what} {alias:?} has no letters or digits"),
                ));
            }
            if own.iter().any(|n| n.folded == folded) {
                continue; // "al-Sudani" and "al Sudani" fold alike: one alias
            }
            own.push(Name {
                folded,
                written: alias.to_string(),
                what,
                column: alias_column,
            });
        }
        Ok(own)
    }
}

fn parse_row(path: &Path, line: usize, columns: &[String], fields: &[Field]) -> Result<Row> {
    let row = RowFields::new(path, line, columns, fields);
    row.check_field_count()?;
    let id_field = row.id()?;
    let name = row.required("name")?.value.trim().to_string();
    let kind = row.kind()?;
    row.check_country()?;
    row.check_dates()?;
    let needs_context = row.needs_context()?;
    let parent = row
        .get("parent")
        .map(|f| (f.column, f.value.trim().to_string()));

    let aliases = row.list("aliases");
    let demonyms = row.list("demonyms");
    let own = row.own_names(&name, &aliases, &demonyms)?;

    let entity = Entity {
        id: id_field.value.trim().to_string(),
        name,
        kind,
        subtype: row.text("subtype"),
        country: row.text("country"),
        parent: row.text("parent"),
        role: row.text("role"),
        valid_from: row.text("valid_from"),
        valid_to: row.text("valid_to"),
        aliases,
        demonyms,
        source: row.text("source"),
        code: row.text("code"),
        needs_context,
        origin: format!("{}:{line}", path.display()),
    };
    Ok(Row {
        entity,
        line,
        id_column: id_field.column,
        names: own,
        parent,
    })
}

impl Loader {
    pub(super) fn finish(self) -> Result<Vec<Entity>> {
        for (file, line, column, parent) in &self.parents {
            if !self.ids.contains_key(parent) {
                return Err(Error::parse(
                    &self.files[*file],
                    *line,
                    *column,
                    format!("parent {parent:?} is not the id of any gazetteer entry"),
                ));
            }
        }
        Ok(self.entities)
    }
}

fn split_fields(line: &str) -> Vec<Field<'_>> {
    let mut column = 1;
    line.split('\t')
        .map(|value| {
            let field = Field { value, column };
            column += value.chars().count() + 1;
            field
        })
        .collect()
}

fn parse_header(path: &Path, line: usize, fields: &[Field]) -> Result<Vec<String>> {
    let columns: Vec<String> = fields.iter().map(|f| f.value.trim().to_string()).collect();
    for (at, column) in columns.iter().enumerate() {
        if columns[..at].contains(column) {
            return Err(Error::parse(
                path,
                line,
                fields[at].column,
                format!("column {column:?} appears twice in the header"),
            ));
        }
    }
    for (at, column) in columns.iter().enumerate() {
        let known = COLUMNS.contains(&column.as_str()) || column.starts_with("x_");
        if !known {
            return Err(Error::parse(
                path,
                line,
                fields[at].column,
                format!(
                    "unknown column {column:?}; known columns: {} (name your own x_...)",
                    COLUMNS.join(", ")
                ),
            ));
        }
    }
    for name in &COLUMNS[..REQUIRED] {
        if !columns.iter().any(|c| c == name) {
            return Err(Error::parse(
                path,
                line,
                1,
                format!(
                    "header has no `{name}` column (found: {})",
                    columns.join(", ")
                ),
            ));
        }
    }
    Ok(columns)
}

fn is_iso_date(text: &str) -> bool {
    crate::text::dates::PartialDate::parse_iso(text).is_some()
}

#[cfg(test)]
mod tests {
    use crate::gazetteer::Gazetteer;
    use std::path::Path;

    fn load(text: &str) -> Result<Gazetteer, String> {
        Gazetteer::from_tsv(Path::new("people.tsv"), text).map_err(|e| e.to_string())
    }

    const HEADER: &str = "id\tname\ttype\taliases\tcountry\tvalid_from\tparent\n";

    #[test]
    fn loads_entries_with_comments_and_lists() {
        let g = load(&format!(
            "# a comment\n{HEADER}person/a\tAnn Bee\tperson\tA. Bee | Bee\tIRQ\t2022-10-27\n"
        ))
        .unwrap();
        let e = g.get("person/a").unwrap();
        assert_eq!(e.aliases, ["A. Bee", "Bee"]);
        assert_eq!(e.country.as_deref(), Some("IRQ"));
        assert_eq!(e.origin, "people.tsv:3");
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let cases = [
            (
                "id\tname\n",
                "people.tsv:1:1: header has no `type` column (found: id, name)",
            ),
            (
                "id\tname\ttype\nx/1\tX\twarlord\n",
                "people.tsv:2:7: unknown type \"warlord\"; expected one of: person, armed_group, government, organization, place",
            ),
            (
                "id\tname\ttype\nx/1\tX\tperson\nx/1\tY\tperson\n",
                "people.tsv:3:1: duplicate id \"x/1\", first defined at people.tsv:2",
            ),
            (
                "id\tname\ttype\taliases\nplace/usa\tUnited States\tplace\tUS\nplace/us2\tUnited States of America\tplace\tUS\n",
                "people.tsv:3:42: alias \"US\" already maps to place/usa (people.tsv:2), another place; remove it from one entry",
            ),
            (
                "id\tname\ttype\tvalid_from\nx/1\tX\tperson\t2023-13-01\n",
                "people.tsv:2:14: valid_from \"2023-13-01\" is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)",
            ),
            (
                "id\tname\ttype\nx/1\t\tperson\n",
                "people.tsv:2:5: missing value for `name`",
            ),
            (
                "id\tname\ttype\nx/1\tX\tperson\textra\n",
                "people.tsv:2:14: 4 fields but the header names 3 columns",
            ),
            (
                "id\tname\ttype\tparent\nx/1\tX\tperson\tgroup/none\n",
                "people.tsv:2:14: parent \"group/none\" is not the id of any gazetteer entry",
            ),
            (
                "id\tname\ttype\tcountry\nx/1\tX\tperson\tIraq\n",
                "people.tsv:2:14: country \"Iraq\" is not an ISO 3166-1 alpha-3 code (e.g. IRQ)",
            ),
            (
                "# only a comment\n",
                "people.tsv:1:1: no header row; the first line must name the columns, at least: id, name, type",
            ),
            (
                "id\tname\ttype\talias\n",
                "people.tsv:1:14: unknown column \"alias\"; known columns: id, name, type, subtype, country, parent, role, valid_from, valid_to, aliases, demonyms, code, context, source, notes (name your own x_...)",
            ),
            (
                "id\tname\ttype\taliases\nx/1\tX\tperson\t.|--\n",
                "people.tsv:2:14: alias \".\" has no letters or digits",
            ),
            (
                "id\tname\ttype\tdemonyms\nplace/irq\tIraq\tplace\tIraqi\nplace/x\tX\tplace\tIraqi\n",
                "people.tsv:3:17: demonym \"Iraqi\" already maps to place/irq (people.tsv:2), another place; remove it from one entry",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(load(text).unwrap_err(), expected, "for {text:?}");
        }
    }

    #[test]
    fn same_alias_for_different_types_is_allowed() {
        let g = load(
            "id\tname\ttype\taliases\nplace/georgia\tGeorgia\tplace\t\nperson/georgia\tGeorgia Smith\tperson\tGeorgia\n",
        );
        assert!(g.is_ok());
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let err = Gazetteer::from_tsv(Path::new("g.tsv"), "id\tname\ttype\n")
            .map(|_| ())
            .and_then(|_| {
                let mut loader = super::Loader::default();
                loader.add_file(Path::new("g.tsv"), b"id\tname\ttype\nx/1\tA\xff\tperson\n")
            })
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "g.tsv:2:6: invalid UTF-8 (gazetteers must be UTF-8)"
        );
    }
}
