//! Lowering, first pass: a document's sections and tables into syntax-level models
//! (titles, rows, parsed Type cells, enum values, union members), names not yet resolved.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Severity, Span, count};
use crate::dialect::{self, Dialect, LiteralValue, Member, SyntaxError, TypeExpr, python};
use crate::document::{Block, Cell, Document, Inline, Row, Table, plain_text};
use crate::ir::EnumForm;

/// A model as written, before references are resolved.
#[derive(Debug, Clone)]
pub(crate) struct RawModel {
    pub title: String,
    pub title_span: Span,
    pub description: Option<String>,
    /// The anchor other links in the same document use (`#backoffstrategy`).
    pub anchor: String,
    pub parent: Option<String>,
    /// `None` when the document's kind could not be read (already reported).
    pub kind: Option<RawKind>,
    /// False when reading the model reported an error (a dropped row, say): its name
    /// still resolves, but it is left out of the IR.
    pub complete: bool,
    /// The document's example code blocks, read (TypeScript only).
    pub examples: Vec<RawExample>,
}

/// One example code block of a document, and what it holds.
#[derive(Debug, Clone)]
pub(crate) struct RawExample {
    pub code: dialect::literal::ExampleCode,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub(crate) enum RawKind {
    /// A title and prose only: a union document whose members are not listed (Java with
    /// `generateUnionDocs: false`, Ruby).
    Undocumented,
    Object(RawObject),
    Enum(RawEnum),
    Union(Vec<RawMember>),
}

#[derive(Debug, Clone)]
pub(crate) struct RawObject {
    pub fields: Vec<RawField>,
    /// The type of the `__pydantic_extra__` row, and the row.
    pub extra: Option<(TypeExpr, Span)>,
}

#[derive(Debug, Clone)]
pub(crate) struct RawField {
    pub name: String,
    pub name_span: Span,
    pub ty: TypeExpr,
    /// `None` where the table has no Required column (`utils/retryconfig.md`).
    pub required: Option<bool>,
    pub description: Option<String>,
    pub examples: Vec<String>,
    pub deprecated: bool,
    pub row_span: Span,
}

#[derive(Debug, Clone)]
pub(crate) struct RawEnum {
    pub form: EnumForm,
    pub open_sentence: bool,
    pub values: Vec<RawValue>,
}

#[derive(Debug, Clone)]
pub(crate) struct RawValue {
    pub name: Option<String>,
    pub value: LiteralValue,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub(crate) struct RawMember {
    pub ty: TypeExpr,
    pub span: Span,
}

const DEPRECATED_PREFIX: &str = ": warning: ** DEPRECATED **:";
/// pydantic's extras row, which is never a field whatever its type (lowering rejects one
/// that is no map); the other dialects' extras rows are fields unless they are maps.
const EXTRA_FIELD: &str = "__pydantic_extra__";

/// Whether a Field row shows the keys beyond the model's fields rather than a field.
fn is_extras_row(dialect: Dialect, name: &str, ty: &TypeExpr) -> bool {
    fn is_map(ty: &TypeExpr) -> bool {
        match ty {
            TypeExpr::Map { .. } => true,
            TypeExpr::Wrapper { inner, .. } => is_map(inner),
            _ => false,
        }
    }
    name == EXTRA_FIELD || (dialect.extras_rows().contains(&name) && is_map(ty))
}

/// The sections of a document under one heading level.
#[derive(Debug)]
struct Section<'a> {
    heading: Option<&'a crate::document::Heading>,
    blocks: &'a [Block],
}

fn sections(blocks: &[Block], level: u8) -> Vec<Section<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut heading = None;
    for (index, block) in blocks.iter().enumerate() {
        if let Block::Heading(next) = block
            && next.level <= level
        {
            out.push(Section {
                heading,
                blocks: &blocks[start..index],
            });
            heading = (next.level == level).then_some(next);
            start = index + 1;
        }
    }
    out.push(Section {
        heading,
        blocks: &blocks[start..],
    });
    out
}

/// Reads one document into its models: the top-level one first, then sub-models.
pub(crate) fn read_models(
    document: &Document,
    text: &str,
    dialect: Dialect,
    diagnostics: &mut Diagnostics,
) -> Vec<RawModel> {
    let reader = Reader { dialect, text };
    let Some((title, title_span, body)) = title(document) else {
        let span = document
            .blocks
            .first()
            .map_or(Span::new(document.file, 0, 0), Block::span);
        diagnostics.push(
            Diagnostic::new(
                Code::MissingTitle,
                "the document does not start with a `# Title` heading",
            )
            .at(span, "expected `# Title` here")
            .note("each model document opens with its model's name as a level-1 heading"),
        );
        return Vec::new();
    };
    let parts = sections(body, 2);
    let description = prose(parts[0].blocks, text);
    let mut kinds = Vec::new();
    let mut sub_models = Vec::new();
    for part in &parts[1..] {
        let Some(heading) = part.heading else {
            continue;
        };
        let name = plain_text(&heading.content);
        let errors_before = diagnostics.count(Severity::Error);
        let kind = match name.trim() {
            "Fields" => reader.object(part.blocks, heading.span, diagnostics),
            "Values" => reader.enumeration(
                part.blocks,
                dialect::marks_open_enum(&document.blocks).is_some(),
                heading.span,
                diagnostics,
            ),
            "Supported Types" => reader.union(part.blocks, heading.span, diagnostics),
            other => {
                sub_models.extend(reader.sub_model(
                    other,
                    heading.span,
                    part.blocks,
                    &title,
                    diagnostics,
                ));
                continue;
            }
        };
        let clean = diagnostics.count(Severity::Error) == errors_before;
        kinds.push((heading.span, kind, clean));
    }
    let (kind, complete) = match kinds.len() {
        1 => match kinds.pop() {
            Some((_, kind, clean)) => (kind, clean),
            None => (None, false),
        },
        0 if parts.len() == 1 => (Some(RawKind::Undocumented), true),
        0 if !has_table(body) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::NonModelDocument,
                    format!("`{title}` describes no API model: skipped"),
                )
                .at(
                    title_span,
                    "no `## Fields`, `## Values` or `## Supported Types`, and no table",
                )
                .note("documents of the SDK's client options are not models"),
            );
            return Vec::new();
        }
        0 => {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnknownDocumentKind,
                    format!(
                        "`{title}` has no `## Fields`, `## Values` or `## Supported Types` section"
                    ),
                )
                .at(title_span, "this model's document")
                .note(
                    "an object has `## Fields`, an enum `## Values`, a union `## Supported Types`",
                ),
            );
            (None, false)
        }
        _ => {
            let mut diagnostic = Diagnostic::new(
                Code::UnknownDocumentKind,
                format!(
                    "`{title}` has more than one of `## Fields`, `## Values`, `## Supported Types`"
                ),
            )
            .at(kinds[0].0, "first kind of model");
            for (span, _, _) in &kinds[1..] {
                diagnostic = diagnostic.also(*span, "another kind");
            }
            diagnostics.push(diagnostic.note("a document holds exactly one model"));
            (None, false)
        }
    };
    let mut models = vec![RawModel {
        anchor: slug(&title),
        title: title.clone(),
        title_span,
        description,
        parent: None,
        complete: complete && kind.is_some(),
        kind,
        examples: example_blocks(document, dialect),
    }];
    models.extend(sub_models);
    models
}

/// Every example the document's code blocks assign (`let value: T = ...;` under
/// `## Example Usage`, `const value: T = ...;` under a union member): TypeScript writes
/// them as literals; the other dialects' example code is not read.
fn example_blocks(document: &Document, dialect: Dialect) -> Vec<RawExample> {
    if dialect != Dialect::TypeScript {
        return Vec::new();
    }
    document
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Code(code) if code.info.as_deref().map(str::trim) == Some("typescript") => {
                Some(code)
            }
            _ => None,
        })
        .map(|code| RawExample {
            code: dialect::literal::typescript_example(&code.text),
            span: code.span,
        })
        .filter(|example| example.code != dialect::literal::ExampleCode::NoExample)
        .collect()
}

fn has_table(blocks: &[Block]) -> bool {
    blocks.iter().any(|block| matches!(block, Block::Table(_)))
}

fn title(document: &Document) -> Option<(String, Span, &[Block])> {
    match document.blocks.split_first() {
        Some((Block::Heading(heading), rest)) if heading.level == 1 => {
            let title = plain_text(&heading.content).trim().to_owned();
            (!title.is_empty()).then_some((title, heading.span, rest))
        }
        _ => None,
    }
}

/// The source text of prose blocks (paragraphs, indented code), trimmed; `None` if empty.
fn prose(blocks: &[Block], text: &str) -> Option<String> {
    let first = blocks
        .iter()
        .find(|block| !matches!(block, Block::Heading(_)))?;
    let last = blocks
        .iter()
        .rev()
        .find(|block| !matches!(block, Block::Heading(_)))?;
    let source = text.get(first.span().start as usize..last.span().end as usize)?;
    let trimmed = source.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// GitHub's heading anchor: lower-case, spaces to `-`, punctuation dropped.
fn slug(title: &str) -> String {
    title
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// What reading a document's sections needs: the dialect of its Type cells and its text.
#[derive(Debug, Clone, Copy)]
struct Reader<'a> {
    dialect: Dialect,
    text: &'a str,
}

impl Reader<'_> {
    /// A `## Name` section with its own `### Fields` table is a second object model.
    fn sub_model(
        &self,
        name: &str,
        heading_span: Span,
        blocks: &[Block],
        parent: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<RawModel> {
        let text = self.text;
        let parts = sections(blocks, 3);
        let fields = parts[1..].iter().find(|part| {
            part.heading
                .is_some_and(|heading| plain_text(&heading.content).trim() == "Fields")
        })?;
        let fields_span = fields.heading.map_or(heading_span, |heading| heading.span);
        let errors_before = diagnostics.count(Severity::Error);
        let kind = self.object(fields.blocks, fields_span, diagnostics);
        Some(RawModel {
            title: name.to_owned(),
            title_span: heading_span,
            description: prose(parts[0].blocks, text),
            anchor: slug(name),
            parent: Some(parent.to_owned()),
            complete: kind.is_some() && diagnostics.count(Severity::Error) == errors_before,
            kind,
            examples: Vec::new(),
        })
    }
}

/// The one table of a section, or a diagnostic saying why there is none.
fn section_table<'a>(
    blocks: &'a [Block],
    heading: Span,
    expected_header: &str,
    diagnostics: &mut Diagnostics,
) -> Option<&'a Table> {
    for block in blocks {
        match block {
            Block::Table(table) => return Some(table),
            Block::Paragraph(paragraph)
                if plain_text(&paragraph.content).trim_start().starts_with('|') =>
            {
                diagnostics.push(
                    Diagnostic::new(
                        Code::MalformedTable,
                        "this looks like a table but is not one",
                    )
                    .at(
                        paragraph.span,
                        "no `| --- |` separator row under the header",
                    )
                    .note(format!(
                        "expected a header `{expected_header}`, then a separator row of dashes"
                    )),
                );
                return None;
            }
            _ => {}
        }
    }
    diagnostics.push(
        Diagnostic::new(Code::MissingTableHeader, "the section has no table")
            .at(heading, "expected a table under this heading")
            .note(format!("expected a header `{expected_header}`")),
    );
    None
}

/// Where each column of a Fields table is.
#[derive(Debug)]
struct Columns {
    name: usize,
    ty: usize,
    required: Option<usize>,
    description: Option<usize>,
    example: Option<usize>,
}

const FIELDS_HEADER: &str = "| Field | Type | Required | Description |";

fn fields_columns(table: &Table) -> Result<Columns, Box<Diagnostic>> {
    let names: Vec<String> = table
        .header
        .cells
        .iter()
        .map(|cell| plain_text(&cell.content).trim().to_ascii_lowercase())
        .collect();
    let find = |wanted: &[&str]| {
        names
            .iter()
            .position(|name| wanted.contains(&name.as_str()))
    };
    let missing = |column: &str| {
        Box::new(
            Diagnostic::new(
                Code::MissingTableHeader,
                format!("the Fields table has no `{column}` column"),
            )
            .at(table.header.span, "this header")
            .note(format!("expected `{FIELDS_HEADER}`")),
        )
    };
    let columns = Columns {
        name: find(&["field", "name"]).ok_or_else(|| missing("Field"))?,
        ty: find(&["type"]).ok_or_else(|| missing("Type"))?,
        required: find(&["required"]),
        description: find(&["description"]),
        example: find(&["example"]),
    };
    let known = [
        Some(columns.name),
        Some(columns.ty),
        columns.required,
        columns.description,
        columns.example,
    ];
    if let Some(unknown) = (0..names.len()).find(|index| !known.contains(&Some(*index))) {
        let written = plain_text(&table.header.cells[unknown].content)
            .trim()
            .to_owned();
        let repeated = names[..unknown].contains(&names[unknown]);
        let (message, label) = if repeated {
            (
                format!("the column `{written}` appears twice in a Fields table"),
                "repeated column",
            )
        } else {
            (
                format!("unknown column `{written}` in a Fields table"),
                "not a Fields column",
            )
        };
        return Err(Box::new(
            Diagnostic::new(Code::MissingTableHeader, message)
                .at(table.header.cells[unknown].span, label)
                .note(format!(
                    "expected `{FIELDS_HEADER}`, optionally with an `Example` column"
                )),
        ));
    }
    Ok(columns)
}

/// Checks that a row has as many cells in the source as the header.
fn check_cell_count(table: &Table, row: &Row, diagnostics: &mut Diagnostics) -> bool {
    let expected = table.header.source_cells;
    if row.source_cells == expected {
        return true;
    }
    diagnostics.push(
        Diagnostic::new(
            Code::MalformedTable,
            format!(
                "the row has {}, the header has {expected}",
                count(row.source_cells, "cell", "cells")
            ),
        )
        .at(row.span, format!("expected {expected} cells"))
        .also(table.header.span, "the header"),
    );
    false
}

impl Reader<'_> {
    fn object(
        &self,
        blocks: &[Block],
        heading: Span,
        diagnostics: &mut Diagnostics,
    ) -> Option<RawKind> {
        let text = self.text;
        let table = section_table(blocks, heading, FIELDS_HEADER, diagnostics)?;
        let columns = match fields_columns(table) {
            Ok(columns) => columns,
            Err(diagnostic) => {
                diagnostics.push(*diagnostic);
                return None;
            }
        };
        let mut object = RawObject {
            fields: Vec::new(),
            extra: None,
        };
        for row in &table.rows {
            if !check_cell_count(table, row, diagnostics) {
                continue;
            }
            let cell = |index: usize| row.cells.get(index);
            let (Some(name_cell), Some(type_cell)) = (cell(columns.name), cell(columns.ty)) else {
                continue;
            };
            let Some((name, name_span, struck)) = field_name(name_cell) else {
                diagnostics.push(
                    Diagnostic::new(
                        Code::MalformedFieldName,
                        "a Field cell must hold one backticked name",
                    )
                    .at(name_cell.span, "expected `` `name` ``"),
                );
                continue;
            };
            let ty = match self
                .dialect
                .type_cell(&type_cell.content, type_cell.span, text)
            {
                Ok(ty) => ty,
                Err(error) => {
                    diagnostics.push(unparsable(&error, type_cell.span));
                    continue;
                }
            };
            if is_extras_row(self.dialect, &name, &ty) {
                if let Some((_, first)) = &object.extra {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::DuplicateField,
                            format!("the `{name}` row of keys beyond the fields is declared twice"),
                        )
                        .at(name_span, "declared again here")
                        .also(*first, "first declared here"),
                    );
                    continue;
                }
                object.extra = Some((ty, row.span));
                continue;
            }
            let required = match columns.required.and_then(cell) {
                None => None,
                Some(required_cell) => match plain_text(&required_cell.content).trim() {
                    ":heavy_check_mark:" => Some(true),
                    ":heavy_minus_sign:" => Some(false),
                    other => {
                        let message = if other.is_empty() {
                            "the Required cell is empty".to_owned()
                        } else {
                            format!("unknown Required marker `{other}`")
                        };
                        diagnostics.push(Diagnostic::new(Code::UnknownRequiredMarker, message).at(
                            required_cell.span,
                            "expected `:heavy_check_mark:` or `:heavy_minus_sign:`",
                        ));
                        continue;
                    }
                },
            };
            let raw_description = columns
                .description
                .and_then(cell)
                .map(|cell| cell_source(cell, text).to_owned())
                .unwrap_or_default();
            let (description, deprecated_marker) = description(&raw_description);
            let examples = columns
                .example
                .and_then(cell)
                .map(examples)
                .unwrap_or_default();
            object.fields.push(RawField {
                name,
                name_span,
                ty,
                required,
                description,
                examples,
                deprecated: struck || deprecated_marker,
                row_span: row.span,
            });
        }
        Some(RawKind::Object(object))
    }
}

pub(crate) fn unparsable(error: &SyntaxError, cell: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnparsableType,
        format!("expected {}, found {}", error.expected, error.found),
    )
    .at(error.span, format!("expected {}", error.expected))
    .also(cell, "in this type")
}

/// The backticked name of a Field cell, and whether it is struck through (deprecated).
fn field_name(cell: &Cell) -> Option<(String, Span, bool)> {
    let meaningful: Vec<&Inline> = cell
        .content
        .iter()
        .filter(|inline| !matches!(inline, Inline::Text { text, .. } if text.trim().is_empty()))
        .collect();
    let (text, span, struck) = match meaningful.as_slice() {
        [Inline::Code { text, span }] => (text, *span, false),
        [Inline::Strikethrough { content, .. }] => match content.as_slice() {
            [Inline::Code { text, span }] => (text, *span, true),
            _ => return None,
        },
        _ => return None,
    };
    let name = text.trim();
    (!name.is_empty()).then(|| (name.to_owned(), span, struck))
}

fn cell_source<'a>(cell: &Cell, text: &'a str) -> &'a str {
    text.get(cell.span.range())
        .unwrap_or_default()
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

/// A description cell: `N/A` is none; the deprecation banner becomes a flag.
fn description(source: &str) -> (Option<String>, bool) {
    let (rest, deprecated) = match source.strip_prefix(DEPRECATED_PREFIX) {
        Some(rest) => (rest.trim_start(), true),
        None => (source, false),
    };
    let rest = rest.trim();
    let text = (!rest.is_empty() && rest != "N/A").then(|| rest.to_owned());
    (text, deprecated)
}

/// An Example cell: one example, or several marked `**Example N:**`, with `<br/>` as
/// line breaks.
fn examples(cell: &Cell) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut marked = false;
    for inline in &cell.content {
        match inline {
            Inline::Strong { content, .. } if is_example_marker(&plain_text(content)) => {
                if marked || !current.trim().is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                current.clear();
                marked = true;
            }
            Inline::LineBreak { .. } => current.push('\n'),
            Inline::Code { text, .. } => current.push_str(text),
            other => current.push_str(&plain_text(std::slice::from_ref(other))),
        }
    }
    out.push(current);
    out.into_iter()
        .map(|example| example.trim().to_owned())
        .filter(|example| !example.is_empty())
        .collect()
}

fn is_example_marker(text: &str) -> bool {
    text.trim()
        .strip_prefix("Example")
        .and_then(|rest| rest.trim().strip_suffix(':'))
        .is_some_and(|number| {
            !number.is_empty() && number.trim().chars().all(|c| c.is_ascii_digit())
        })
}

impl Reader<'_> {
    /// A `## Values` section: a `| Name | Value |` table, a list of `` `"value"` `` items,
    /// or (TypeScript) the values as code. `open_marked` is whether the document marks the
    /// enum as open (see [`dialect::marks_open_enum`]).
    fn enumeration(
        &self,
        blocks: &[Block],
        open_marked: bool,
        heading: Span,
        diagnostics: &mut Diagnostics,
    ) -> Option<RawKind> {
        let mut values = Vec::new();
        for block in blocks {
            match block {
                Block::Table(table) => {
                    let names: Vec<String> = table
                        .header
                        .cells
                        .iter()
                        .map(|cell| plain_text(&cell.content).trim().to_ascii_lowercase())
                        .collect();
                    if names != ["name", "value"] {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::MissingTableHeader,
                                "an enum table must have the header `| Name | Value |`",
                            )
                            .at(table.header.span, "this header"),
                        );
                        return None;
                    }
                    for row in &table.rows {
                        if !check_cell_count(table, row, diagnostics) {
                            continue;
                        }
                        let [name_cell, value_cell] = row.cells.as_slice() else {
                            continue;
                        };
                        let value = plain_text(&value_cell.content).trim().to_owned();
                        let name = plain_text(&name_cell.content).trim().to_owned();
                        values.push(RawValue {
                            name: (!name.is_empty()).then_some(name),
                            value: LiteralValue::String(value),
                            span: row.span,
                        });
                    }
                    return Some(RawKind::Enum(RawEnum {
                        form: EnumForm::Table,
                        open_sentence: open_marked,
                        values,
                    }));
                }
                Block::List(list) => {
                    for item in &list.items {
                        let meaningful: Vec<&Inline> = item
                        .content
                        .iter()
                        .filter(|inline| !matches!(inline, Inline::Text { text, .. } if text.trim().is_empty()))
                        .collect();
                        let parsed = match meaningful.as_slice() {
                            [Inline::Code { text, span }] => python::parse_enum_value(text, *span),
                            _ => Err(SyntaxError {
                                span: item.span,
                                expected: "a quoted string or an integer".into(),
                                found: format!("`{}`", plain_text(&item.content).trim()),
                            }),
                        };
                        match parsed {
                        Ok(value) => values.push(RawValue {
                            name: None,
                            value,
                            span: item.span,
                        }),
                        Err(error) => diagnostics.push(
                            Diagnostic::new(
                                Code::MalformedEnumValue,
                                format!("an enum value must be a backticked quoted string or integer, found {}", error.found),
                            )
                            .at(item.span, "expected `` `\"value\"` `` or `` `100` ``"),
                        ),
                    }
                    }
                    return Some(RawKind::Enum(RawEnum {
                        form: EnumForm::List,
                        open_sentence: open_marked,
                        values,
                    }));
                }
                Block::Code(code) => {
                    let Some(parsed) = self.dialect.enum_code(code) else {
                        continue;
                    };
                    let code_enum = match parsed {
                        Ok(code_enum) => code_enum,
                        Err(error) => {
                            diagnostics.push(
                                Diagnostic::new(
                                    Code::MalformedEnumValue,
                                    format!("expected {}, found {}", error.expected, error.found),
                                )
                                .at(error.span, format!("expected {}", error.expected))
                                .also(code.span, "in these values"),
                            );
                            return None;
                        }
                    };
                    let values = code_enum
                        .values
                        .into_iter()
                        .map(|(value, span)| RawValue {
                            name: None,
                            value,
                            span,
                        })
                        .collect();
                    return Some(RawKind::Enum(RawEnum {
                        form: EnumForm::Code,
                        open_sentence: open_marked || code_enum.open,
                        values,
                    }));
                }
                _ => {}
            }
        }
        diagnostics.push(
            Diagnostic::new(
                Code::MissingTableHeader,
                "the Values section has neither a table nor a list",
            )
            .at(
                heading,
                "expected `| Name | Value |` or a list of `` `\"value\"` `` items",
            ),
        );
        None
    }

    /// A `## Supported Types` section: one member per `###` heading, read by the dialect
    /// from the heading and the code under it.
    fn union(
        &self,
        blocks: &[Block],
        heading: Span,
        diagnostics: &mut Diagnostics,
    ) -> Option<RawKind> {
        let mut members = Vec::new();
        for part in &sections(blocks, 3)[1..] {
            let Some(member) = part.heading else {
                continue;
            };
            match self.dialect.union_member(member, part.blocks, self.text) {
                Ok(Member::Type(ty)) => members.push(RawMember {
                    ty,
                    span: member.span,
                }),
                Ok(Member::Unshown) => diagnostics.push(
                    Diagnostic::new(
                        Code::MalformedUnionMember,
                        "a union member heading names no type, and no code under it does",
                    )
                    .at(member.span, "expected a type in this heading"),
                ),
                Err(error) => diagnostics.push(
                    Diagnostic::new(
                        Code::MalformedUnionMember,
                        format!("expected {}, found {}", error.expected, error.found),
                    )
                    .at(error.span, format!("expected {}", error.expected))
                    .also(member.span, "in this member heading")
                    .note(
                        "a member heading names one type (`` ### `models.Name` ``, or a bare name)",
                    ),
                ),
            }
        }
        if members.is_empty() {
            diagnostics.push(
                Diagnostic::new(Code::MalformedUnionMember, "the union lists no members")
                    .at(heading, "expected ``### `Type` `` headings under this one"),
            );
            return None;
        }
        Some(RawKind::Union(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_numbered_examples() {
        let doc = crate::read::read_document(
            crate::diagnostic::FileId(0),
            "m.md",
            "| A |\n| - |\n| **Example 1:** {<br/>\"type\": \"text\"<br/>}<br/>**Example 2:** 1s |\n",
        );
        let Some(Block::Table(table)) = doc.blocks.first() else {
            panic!("no table");
        };
        assert_eq!(
            examples(&table.rows[0].cells[0]),
            ["{\n\"type\": \"text\"\n}", "1s"]
        );
    }

    #[test]
    fn reads_deprecation_and_missing_descriptions() {
        assert_eq!(description("N/A"), (None, false));
        assert_eq!(
            description(": warning: ** DEPRECATED **: Gone soon.<br/>Use x."),
            (Some("Gone soon.<br/>Use x.".into()), true)
        );
    }
}
