//! The keys sources are matched by: a model's title and a field's name with every SDK's
//! case convention taken off, so `components/CardScheme`, `CardScheme` and `cardscheme`
//! meet, and `merchant_account_id`, `merchantAccountId` and `MerchantAccountID` too.

/// A model name's key: its title (the part after a `folder/` prefix), lowercased, with
/// everything but letters and digits dropped.
pub fn model_key(name: &str) -> String {
    let title = name.rsplit('/').next().unwrap_or(name);
    fold(title)
}

/// A field name's key: the name without Python's reserved-word `_` suffix, lowercased,
/// letters and digits only. Go's initialisms (`ID`, `URL`) fold like any other word.
pub fn field_key(name: &str) -> String {
    fold(name.strip_suffix('_').unwrap_or(name))
}

fn fold(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_titles_meet_across_folders_and_case() {
        assert_eq!(model_key("components/CardScheme"), "cardscheme");
        assert_eq!(model_key("CardScheme"), "cardscheme");
        assert_ne!(model_key("CardScheme"), model_key("CardSchemes"));
    }

    #[test]
    fn field_names_meet_across_sdk_conventions() {
        let key = field_key("merchant_account_id");
        assert_eq!(field_key("merchantAccountId"), key);
        assert_eq!(field_key("MerchantAccountID"), key);
        assert_eq!(field_key("from_"), field_key("from"));
        assert_ne!(field_key("account_id"), field_key("account"));
    }
}
