//! Reading: markdown text into the [document model](crate::document), with spans.
//!
//! pulldown-cmark does the markdown; this module only folds its events into blocks and
//! inlines. It gives no meaning to what it reads and reports nothing: a malformed table
//! is still a table here (with its source cell counts), and the lowering phase judges it.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::diagnostic::{FileId, Span};
use crate::document::{
    Block, Cell, CodeBlock, Document, Heading, Inline, List, ListItem, Paragraph, Row, Table,
};

/// Reads one markdown file. `text` is the whole file; a leading byte-order mark is
/// skipped but spans still count it, so they index `text` directly.
pub fn read_document(file: FileId, path: &str, text: &str) -> Document {
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[base..];
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut builder = Builder {
        file,
        text,
        blocks: Vec::new(),
        inlines: Vec::new(),
        table: None,
        list: None,
        code: None,
        html: None,
        item_depth: 0,
        flattened: 0,
    };
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        builder.event(event, range.start + base, range.end + base);
    }
    Document {
        file,
        path: path.to_owned(),
        blocks: builder.blocks,
    }
}

/// What an open inline container will become when it closes.
#[derive(Debug)]
enum Frame {
    Root,
    Emphasis,
    Strong,
    Strikethrough,
    Link(String),
}

#[derive(Debug)]
struct InlineFrame {
    frame: Frame,
    content: Vec<Inline>,
    start: usize,
}

#[derive(Debug)]
struct TableBuilder {
    header: Option<Row>,
    rows: Vec<Row>,
    current: Vec<Cell>,
    row_start: usize,
    start: usize,
}

#[derive(Debug)]
struct ListBuilder {
    items: Vec<ListItem>,
    start: usize,
}

#[derive(Debug)]
struct Builder<'a> {
    file: FileId,
    text: &'a str,
    blocks: Vec<Block>,
    inlines: Vec<InlineFrame>,
    table: Option<TableBuilder>,
    list: Option<ListBuilder>,
    code: Option<(Option<String>, String, usize)>,
    html: Option<(String, usize)>,
    /// Nesting depth of list items: paragraphs inside an item belong to the item.
    item_depth: usize,
    /// Inline containers opened beyond [`MAX_INLINE_DEPTH`]: their content goes to the
    /// enclosing container, which keeps every later walk over inlines shallow.
    flattened: usize,
}

/// Real docs nest emphasis two or three deep; anything deeper is flattened.
const MAX_INLINE_DEPTH: usize = 32;

impl Builder<'_> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    /// A block's span without the line break after it, so a label on the block does
    /// not run onto the next line.
    fn block_span(&self, start: usize, end: usize) -> Span {
        let end = end.min(self.text.len());
        let trimmed = self
            .text
            .get(start..end)
            .map_or(0, |text| text.trim_end().len());
        Span::new(self.file, start, start + trimmed)
    }

    /// A table cell's span without its padding: Speakeasy pads cells to the widest
    /// one, and a label on a cell should underline what is written there. A blank
    /// cell keeps its whole width, so that a label on it still shows where it is.
    fn cell_span(&self, start: usize, end: usize) -> Span {
        let end = end.min(self.text.len());
        let Some(raw) = self.text.get(start..end) else {
            return self.span(start, end);
        };
        let content = raw.trim();
        if content.is_empty() {
            return self.span(start, end);
        }
        let content_start = start + (raw.len() - raw.trim_start().len());
        Span::new(self.file, content_start, content_start + content.len())
    }

    fn open_root(&mut self, start: usize) {
        self.inlines.push(InlineFrame {
            frame: Frame::Root,
            content: Vec::new(),
            start,
        });
    }

    fn close_root(&mut self) -> Vec<Inline> {
        // Unbalanced events cannot come from pulldown-cmark, but an empty stack is
        // handled anyway rather than trusted.
        while self.inlines.len() > 1 {
            self.close_frame(self.text.len());
        }
        self.inlines
            .pop()
            .map(|frame| frame.content)
            .unwrap_or_default()
    }

    fn close_frame(&mut self, end: usize) {
        let Some(frame) = self.inlines.pop() else {
            return;
        };
        let span = self.span(frame.start, end);
        let inline = match frame.frame {
            Frame::Root => {
                // Closing a root here means the event stream skipped its end: keep the
                // content in the parent rather than losing it.
                self.push_all(frame.content);
                return;
            }
            Frame::Emphasis => Inline::Emphasis {
                content: frame.content,
                span,
            },
            Frame::Strong => Inline::Strong {
                content: frame.content,
                span,
            },
            Frame::Strikethrough => Inline::Strikethrough {
                content: frame.content,
                span,
            },
            Frame::Link(dest) => Inline::Link {
                dest,
                content: frame.content,
                span,
            },
        };
        self.push_inline(inline);
    }

    fn push_all(&mut self, content: Vec<Inline>) {
        for inline in content {
            self.push_inline(inline);
        }
    }

    fn push_inline(&mut self, inline: Inline) {
        let Some(frame) = self.inlines.last_mut() else {
            return;
        };
        // Adjacent text runs (pulldown-cmark splits at brackets and escapes) are merged
        // so a cell's text reads as written.
        if let (
            Inline::Text { text, span },
            Some(Inline::Text {
                text: previous,
                span: previous_span,
            }),
        ) = (&inline, frame.content.last_mut())
            && previous_span.end == span.start
        {
            previous.push_str(text);
            previous_span.end = span.end;
            return;
        }
        frame.content.push(inline);
    }

    fn event(&mut self, event: Event<'_>, start: usize, end: usize) {
        if let Some((_, text, _)) = &mut self.code {
            match event {
                Event::Text(chunk) => text.push_str(&chunk),
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((info, text, code_start)) = self.code.take() {
                        let span = self.block_span(code_start, end);
                        self.blocks
                            .push(Block::Code(CodeBlock { info, text, span }));
                    }
                }
                _ => {}
            }
            return;
        }
        if let Some((text, _)) = &mut self.html {
            match event {
                Event::Html(chunk) | Event::Text(chunk) => text.push_str(&chunk),
                Event::End(TagEnd::HtmlBlock) => {
                    if let Some((text, html_start)) = self.html.take() {
                        let span = self.block_span(html_start, end);
                        self.blocks.push(Block::Html { text, span });
                    }
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, start),
            Event::End(tag) => self.end(tag, start, end),
            Event::Text(text) => {
                let span = self.span(start, end);
                self.push_inline(Inline::Text {
                    text: text.into_string(),
                    span,
                });
            }
            Event::Code(text) => {
                let span = self.span(start, end);
                self.push_inline(Inline::Code {
                    text: text.into_string(),
                    span,
                });
            }
            Event::InlineHtml(html) | Event::Html(html) => {
                let span = self.span(start, end);
                let inline = if is_line_break(&html) {
                    Inline::LineBreak { span }
                } else {
                    Inline::Html {
                        text: html.into_string(),
                        span,
                    }
                };
                self.push_inline(inline);
            }
            Event::SoftBreak | Event::HardBreak => {
                let span = self.span(start, end);
                self.push_inline(Inline::Text {
                    text: " ".to_owned(),
                    span,
                });
            }
            Event::FootnoteReference(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                let span = self.span(start, end);
                self.push_inline(Inline::Text {
                    text: text.into_string(),
                    span,
                });
            }
            Event::TaskListMarker(_) | Event::Rule => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, start: usize) {
        match tag {
            Tag::Heading { .. } | Tag::TableCell => self.open_root(start),
            Tag::Paragraph => {
                if self.item_depth == 0 {
                    self.open_root(start);
                }
            }
            Tag::Item => {
                self.item_depth += 1;
                if self.item_depth == 1 {
                    self.open_root(start);
                }
            }
            Tag::List(_) => {
                if self.list.is_none() {
                    self.list = Some(ListBuilder {
                        items: Vec::new(),
                        start,
                    });
                }
            }
            Tag::Table(_) => {
                self.table = Some(TableBuilder {
                    header: None,
                    rows: Vec::new(),
                    current: Vec::new(),
                    row_start: start,
                    start,
                });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(table) = &mut self.table {
                    table.current.clear();
                    table.row_start = start;
                }
            }
            Tag::CodeBlock(kind) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => Some(info.trim().to_owned()),
                    CodeBlockKind::Indented => None,
                };
                self.code = Some((info, String::new(), start));
            }
            Tag::HtmlBlock => self.html = Some((String::new(), start)),
            Tag::Emphasis => self.open_inline(Frame::Emphasis, start),
            Tag::Strong => self.open_inline(Frame::Strong, start),
            Tag::Strikethrough => self.open_inline(Frame::Strikethrough, start),
            Tag::Link { dest_url, .. } => {
                self.open_inline(Frame::Link(dest_url.into_string()), start)
            }
            Tag::Image { .. }
            | Tag::BlockQuote(_)
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_)
            | Tag::Superscript
            | Tag::Subscript => {}
        }
    }

    fn open_inline(&mut self, frame: Frame, start: usize) {
        if self.inlines.len() >= MAX_INLINE_DEPTH {
            self.flattened += 1;
            return;
        }
        if self.inlines.is_empty() {
            // Inline markup outside any block cannot happen with pulldown-cmark; give
            // it a root so nothing is lost.
            self.open_root(start);
        }
        self.inlines.push(InlineFrame {
            frame,
            content: Vec::new(),
            start,
        });
    }

    fn end(&mut self, tag: TagEnd, start: usize, end: usize) {
        match tag {
            TagEnd::Heading(level) => {
                let content = self.close_root();
                let span = self.span(start, trim_line_end(self.text, start, end));
                self.blocks.push(Block::Heading(Heading {
                    level: level as u8,
                    content,
                    span,
                }));
            }
            TagEnd::Paragraph => {
                if self.item_depth == 0 {
                    let start = self.inlines.last().map_or(end, |frame| frame.start);
                    let content = self.close_root();
                    let span = self.span(start, end);
                    self.blocks
                        .push(Block::Paragraph(Paragraph { content, span }));
                } else {
                    self.push_inline(Inline::Text {
                        text: " ".to_owned(),
                        span: self.span(end, end),
                    });
                }
            }
            TagEnd::Item => {
                self.item_depth = self.item_depth.saturating_sub(1);
                if self.item_depth == 0 {
                    let start = self.inlines.last().map_or(end, |frame| frame.start);
                    let content = self.close_root();
                    let span = self.block_span(start, end);
                    if let Some(list) = &mut self.list {
                        list.items.push(ListItem { content, span });
                    }
                }
            }
            TagEnd::List(_) => {
                if self.item_depth == 0
                    && let Some(list) = self.list.take()
                {
                    let span = self.block_span(list.start, end);
                    self.blocks.push(Block::List(List {
                        items: list.items,
                        span,
                    }));
                }
            }
            TagEnd::TableCell => {
                let start = self.inlines.last().map_or(end, |frame| frame.start);
                let content = self.close_root();
                let span = self.cell_span(start, end);
                if let Some(table) = &mut self.table {
                    table.current.push(Cell { content, span });
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                let text = self.text;
                let Some(row_start) = self.table.as_ref().map(|table| table.row_start) else {
                    return;
                };
                let row_end = line_end(text, row_start);
                let span = self.block_span(row_start, row_end);
                if let Some(table) = &mut self.table {
                    let row = Row {
                        cells: std::mem::take(&mut table.current),
                        source_cells: count_source_cells(&text[row_start..row_end]),
                        span,
                    };
                    if matches!(tag, TagEnd::TableHead) {
                        table.header = Some(row);
                    } else {
                        table.rows.push(row);
                    }
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    let span = self.block_span(table.start, end);
                    let header = table.header.unwrap_or(Row {
                        cells: Vec::new(),
                        source_cells: 0,
                        span,
                    });
                    self.blocks.push(Block::Table(Table {
                        header,
                        rows: table.rows,
                        span,
                    }));
                }
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {
                if self.flattened > 0 {
                    self.flattened -= 1;
                } else {
                    self.close_frame(end);
                }
            }
            _ => {}
        }
    }
}

fn is_line_break(html: &str) -> bool {
    let compact: String = html
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    matches!(compact.as_str(), "<br>" | "<br/>" | "</br>")
}

/// Ends a heading's span before its line break, so a snippet shows just the heading.
fn trim_line_end(text: &str, start: usize, end: usize) -> usize {
    end.min(line_end(text, start))
}

fn line_end(text: &str, start: usize) -> usize {
    text[start.min(text.len())..]
        .find('\n')
        .map_or(text.len(), |offset| start + offset)
}

/// Cells written on one source row of a pipe table: unescaped pipes split cells, and a
/// leading and a trailing pipe only delimit the row.
pub fn count_source_cells(row: &str) -> usize {
    let row = row.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let mut separators = Vec::new();
    let mut escaped = false;
    for (index, c) in row.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => {
                separators.push(index);
            }
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    let mut count = separators.len() + 1;
    if row.starts_with('|') {
        count -= 1;
    }
    if row.len() > 1 && separators.last() == Some(&(row.len() - 1)) {
        count -= 1;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::plain_text;

    fn read(text: &str) -> Document {
        read_document(FileId(0), "models/test.md", text)
    }

    #[test]
    fn counts_cells_as_written() {
        assert_eq!(count_source_cells("| a | b | c |"), 3);
        assert_eq!(count_source_cells("| a | b \\| c |"), 2);
        assert_eq!(count_source_cells("| a | b"), 2);
        assert_eq!(count_source_cells("| a | b | c | d | e |"), 5);
        assert_eq!(count_source_cells("||"), 1);
    }

    #[test]
    fn headings_inside_code_are_code() {
        let doc = read("# Title\n\n```python\n# Open enum: not a heading\n```\n\n## Values\n");
        let headings: Vec<_> = doc
            .blocks
            .iter()
            .filter_map(|block| match block {
                Block::Heading(heading) => Some(plain_text(&heading.content)),
                _ => None,
            })
            .collect();
        assert_eq!(headings, ["Title", "Values"]);
        assert!(
            doc.blocks.iter().any(
                |block| matches!(block, Block::Code(code) if code.text.contains("# Open enum"))
            )
        );
    }

    #[test]
    fn table_cells_keep_inline_structure() {
        let doc = read(
            "# T\n\n| Field | Type |\n| --- | --- |\n| `a` | List[[models.X](../models/x.md)] |\n| `b` | x<br/>y |\n",
        );
        let Some(Block::Table(table)) = doc.blocks.get(1) else {
            panic!("expected a table, got {:?}", doc.blocks);
        };
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].source_cells, 2);
        let type_cell = &table.rows[0].cells[1].content;
        assert!(matches!(&type_cell[0], Inline::Text { text, .. } if text == "List["));
        assert!(matches!(&type_cell[1], Inline::Link { dest, .. } if dest == "../models/x.md"));
        assert!(matches!(
            &table.rows[1].cells[1].content[1],
            Inline::LineBreak { .. }
        ));
    }

    #[test]
    fn cell_and_row_spans_leave_out_padding() {
        let text =
            "# T\n\n| Field   | Type     |\n| ------- | -------- |\n| `é`     |          |   \n";
        let doc = read(text);
        let Some(Block::Table(table)) = doc.blocks.get(1) else {
            panic!("expected a table, got {:?}", doc.blocks);
        };
        let source = |span: Span| &text[span.range()];
        assert_eq!(source(table.header.cells[1].span), "Type");
        assert_eq!(source(table.rows[0].cells[0].span), "`é`");
        // A blank cell has no text to underline: it keeps the blank.
        assert_eq!(source(table.rows[0].cells[1].span), "          ");
        assert_eq!(source(table.rows[0].span), "| `é`     |          |");
    }

    #[test]
    fn deep_inline_nesting_is_flattened() {
        let text = format!("# T\n\n{}x{}\n", "*a ".repeat(5000), " b*".repeat(5000));
        let doc = read(&text);
        fn depth(content: &[Inline]) -> usize {
            content
                .iter()
                .map(|inline| match inline {
                    Inline::Emphasis { content, .. } | Inline::Strong { content, .. } => {
                        1 + depth(content)
                    }
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        }
        let Some(Block::Paragraph(paragraph)) = doc.blocks.get(1) else {
            panic!("expected a paragraph");
        };
        assert!(depth(&paragraph.content) <= MAX_INLINE_DEPTH);
        assert!(plain_text(&paragraph.content).contains('x'));
    }

    #[test]
    fn spans_count_a_byte_order_mark() {
        let text = "\u{feff}# Title\n";
        let doc = read(text);
        let Some(Block::Heading(heading)) = doc.blocks.first() else {
            panic!("expected a heading");
        };
        assert_eq!(&text[heading.span.range()], "# Title");
    }
}
