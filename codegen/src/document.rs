//! The document model: one markdown file as blocks and inlines with spans, before any
//! meaning is given to them. Plain data, built by [`crate::read`].

use crate::diagnostic::{FileId, Span};

/// One markdown file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub file: FileId,
    /// Spec-relative path (`models/agent.md`).
    pub path: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(Heading),
    Paragraph(Paragraph),
    Table(Table),
    List(List),
    Code(CodeBlock),
    /// A block of raw HTML (rare in model docs; kept so nothing is silently dropped).
    Html {
        text: String,
        span: Span,
    },
}

impl Block {
    pub fn span(&self) -> Span {
        match self {
            Block::Heading(heading) => heading.span,
            Block::Paragraph(paragraph) => paragraph.span,
            Block::Table(table) => table.span,
            Block::List(list) => list.span,
            Block::Code(code) => code.span,
            Block::Html { span, .. } => *span,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub content: Vec<Inline>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub content: Vec<Inline>,
    pub span: Span,
}

/// A pipe table. `header` and each row keep the cells the markdown parser saw;
/// `source_cells` is the count of cells written on the source line, which can differ
/// (the parser pads or drops cells silently, the linter must not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Row,
    pub rows: Vec<Row>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub source_cells: usize,
    /// The row's line, without trailing blanks.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub content: Vec<Inline>,
    /// What is written in the cell, without its padding (a blank cell: all of it).
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    pub items: Vec<ListItem>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    pub content: Vec<Inline>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    /// The info string of a fenced block (`python`); `None` for an indented block.
    pub info: Option<String>,
    pub text: String,
    pub span: Span,
}

/// Inline content, with the structure the type grammar and the emitter care about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text {
        text: String,
        span: Span,
    },
    Code {
        text: String,
        span: Span,
    },
    Emphasis {
        content: Vec<Inline>,
        span: Span,
    },
    Strong {
        content: Vec<Inline>,
        span: Span,
    },
    Strikethrough {
        content: Vec<Inline>,
        span: Span,
    },
    Link {
        dest: String,
        content: Vec<Inline>,
        span: Span,
    },
    /// `<br/>` and its spellings.
    LineBreak {
        span: Span,
    },
    /// Inline HTML other than a line break, kept verbatim.
    Html {
        text: String,
        span: Span,
    },
}

impl Inline {
    pub fn span(&self) -> Span {
        match self {
            Inline::Text { span, .. }
            | Inline::Code { span, .. }
            | Inline::Emphasis { span, .. }
            | Inline::Strong { span, .. }
            | Inline::Strikethrough { span, .. }
            | Inline::Link { span, .. }
            | Inline::LineBreak { span }
            | Inline::Html { span, .. } => *span,
        }
    }
}

/// The plain text of inline content: code spans keep their text, markup is dropped,
/// line breaks become `\n`.
pub fn plain_text(content: &[Inline]) -> String {
    let mut out = String::new();
    push_plain_text(content, &mut out);
    out
}

fn push_plain_text(content: &[Inline], out: &mut String) {
    for inline in content {
        match inline {
            Inline::Text { text, .. } | Inline::Code { text, .. } | Inline::Html { text, .. } => {
                out.push_str(text)
            }
            Inline::Emphasis { content, .. }
            | Inline::Strong { content, .. }
            | Inline::Strikethrough { content, .. }
            | Inline::Link { content, .. } => push_plain_text(content, out),
            Inline::LineBreak { .. } => out.push('\n'),
        }
    }
}
