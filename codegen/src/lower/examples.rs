//! A model's examples as the first pass read them from the docs' TypeScript code, keyed
//! by the SDK's property names ([`crate::examples`] settles them once the spec is whole).

use crate::diagnostic::SourceFiles;
use crate::dialect::literal::ExampleCode;
use crate::ir::Example;

use super::structure::RawModel;

/// A model's examples as read, keys still the SDK's.
pub(crate) fn read(raw: &RawModel, files: &SourceFiles) -> Vec<Example> {
    raw.examples
        .iter()
        .map(|example| {
            let location = files.location(example.span);
            match &example.code {
                ExampleCode::Value(value) => Example {
                    value: value.clone(),
                    location,
                    unreadable: None,
                },
                ExampleCode::Unreadable(reason) => Example {
                    value: serde_json::Value::Null,
                    location,
                    unreadable: Some(reason.clone()),
                },
                ExampleCode::NoExample => Example {
                    value: serde_json::Value::Null,
                    location,
                    unreadable: Some("no value".to_owned()),
                },
            }
        })
        .collect()
}
