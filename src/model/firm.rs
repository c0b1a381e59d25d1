use super::rules::{clean_text, Field, FieldError, Problem};
use super::{Id, LocalTime};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Firm {
    pub id: Id,
    /// The registered name, as the firm writes it (e.g. 中山生物工程有限公司).
    pub name: String,
    pub short_name: String,
    pub sector: String,
    pub park: String,
    pub address: String,
    /// Labels such as 重点企业 (key firm), 规上企业 (above-scale), 上市公司 (listed).
    pub tags: Vec<String>,
    pub contacts: Vec<Contact>,
    pub notes: String,
    /// Archived firms are kept (their items are history) but hidden from the directory.
    pub archived: bool,
    pub created: LocalTime,
    pub updated: LocalTime,
}

pub const NAME_MAX: usize = 100;
pub const SHORT_MAX: usize = 30;
pub const LINE_MAX: usize = 200;
pub const NOTES_MAX: usize = 10_000;

impl Firm {
    pub fn new(name: &str, now: LocalTime) -> Result<Firm, FieldError> {
        let firm = Firm {
            id: Id::new(),
            name: name.to_string(),
            short_name: String::new(),
            sector: String::new(),
            park: String::new(),
            address: String::new(),
            tags: Vec::new(),
            contacts: Vec::new(),
            notes: String::new(),
            archived: false,
            created: now,
            updated: now,
        };
        firm.validated()
    }

    /// The firm with every text field trimmed, or the first field that breaks a rule.
    pub fn validated(mut self) -> Result<Firm, FieldError> {
        self.name = clean_text(Field::Name, &self.name, true, NAME_MAX, false)?;
        self.short_name = clean_text(Field::ShortName, &self.short_name, false, SHORT_MAX, false)?;
        self.sector = clean_text(Field::Sector, &self.sector, false, LINE_MAX, false)?;
        self.park = clean_text(Field::Park, &self.park, false, LINE_MAX, false)?;
        self.address = clean_text(Field::Address, &self.address, false, LINE_MAX, false)?;
        self.notes = clean_text(Field::Notes, &self.notes, false, NOTES_MAX, true)?;
        let mut tags = Vec::new();
        for tag in &self.tags {
            let tag = clean_text(Field::Tags, tag, false, SHORT_MAX, false)?;
            if !tag.is_empty() && !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        self.tags = tags;
        self.contacts = self
            .contacts
            .into_iter()
            .map(Contact::validated)
            .collect::<Result<_, _>>()?;
        Ok(self)
    }

    /// Every problem of the firm's own fields, not only the first (a form shows them all).
    pub fn problems(&self) -> Vec<FieldError> {
        let mut found: Vec<FieldError> = [
            (Field::Name, &self.name, true, NAME_MAX, false),
            (Field::ShortName, &self.short_name, false, SHORT_MAX, false),
            (Field::Sector, &self.sector, false, LINE_MAX, false),
            (Field::Park, &self.park, false, LINE_MAX, false),
            (Field::Address, &self.address, false, LINE_MAX, false),
            (Field::Notes, &self.notes, false, NOTES_MAX, true),
        ]
        .into_iter()
        .filter_map(|(field, text, required, max, multi)| {
            clean_text(field, text, required, max, multi).err()
        })
        .collect();
        found.extend(
            self.tags
                .iter()
                .find_map(|tag| clean_text(Field::Tags, tag, false, SHORT_MAX, false).err()),
        );
        found
    }

    /// The name to show where space is short.
    pub fn display_name(&self) -> &str {
        if self.short_name.is_empty() {
            &self.name
        } else {
            &self.short_name
        }
    }
}

impl Contact {
    pub fn validated(self) -> Result<Contact, FieldError> {
        let name = clean_text(Field::ContactName, &self.name, true, SHORT_MAX, false)?;
        let title = clean_text(Field::ContactTitle, &self.title, false, LINE_MAX, false)?;
        let phone = clean_text(Field::Phone, &self.phone, false, 40, false)?;
        let email = clean_text(Field::Email, &self.email, false, LINE_MAX, false)?;
        if !phone.is_empty() && !is_phone(&phone) {
            return Err(FieldError::new(Field::Phone, Problem::Malformed));
        }
        if !email.is_empty() && !is_email(&email) {
            return Err(FieldError::new(Field::Email, Problem::Malformed));
        }
        Ok(Contact {
            name,
            title,
            phone,
            email,
        })
    }
}

impl Contact {
    /// Every problem of the contact's fields, not only the first (a form shows them all).
    pub fn problems(&self) -> Vec<FieldError> {
        let mut found: Vec<FieldError> = [
            (Field::ContactName, &self.name, true, SHORT_MAX),
            (Field::ContactTitle, &self.title, false, LINE_MAX),
            (Field::Phone, &self.phone, false, 40),
            (Field::Email, &self.email, false, LINE_MAX),
        ]
        .into_iter()
        .filter_map(|(field, text, required, max)| {
            clean_text(field, text, required, max, false).err()
        })
        .collect();
        let (phone, email) = (self.phone.trim(), self.email.trim());
        if !phone.is_empty() && !is_phone(phone) && !found.iter().any(|e| e.field == Field::Phone) {
            found.push(FieldError::new(Field::Phone, Problem::Malformed));
        }
        if !email.is_empty() && !is_email(email) && !found.iter().any(|e| e.field == Field::Email) {
            found.push(FieldError::new(Field::Email, Problem::Malformed));
        }
        found
    }
}

/// Digits with the separators people write (+86 760-8888 8888, (0760)88888888, ext. x123).
fn is_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    (5..=20).contains(&digits)
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()x转".contains(c))
}

fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
        && !domain.contains('@')
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn now() -> LocalTime {
        DateTime::parse_from_rfc3339("2026-12-13T09:30:00+08:00").unwrap()
    }

    #[test]
    fn a_firm_needs_a_trimmed_name() {
        assert_eq!(
            Firm::new("  中山生物工程有限公司 ", now()).unwrap().name,
            "中山生物工程有限公司"
        );
        assert_eq!(
            Firm::new(" ", now()).unwrap_err(),
            FieldError::new(Field::Name, Problem::Empty)
        );
    }

    #[test]
    fn contacts_are_checked() {
        let good = Contact {
            name: "王婉灵".into(),
            title: "总经理".into(),
            phone: "+86 760-8888 1234".into(),
            email: "wang@example.cn".into(),
        };
        assert!(good.clone().validated().is_ok());
        let bad_phone = Contact {
            phone: "call me".into(),
            ..good.clone()
        };
        assert_eq!(bad_phone.validated().unwrap_err().field, Field::Phone);
        let bad_email = Contact {
            email: "wang@".into(),
            ..good.clone()
        };
        assert_eq!(bad_email.validated().unwrap_err().field, Field::Email);
        let no_name = Contact {
            name: " ".into(),
            ..good
        };
        assert_eq!(no_name.validated().unwrap_err().field, Field::ContactName);
    }

    #[test]
    fn duplicate_and_blank_tags_are_dropped() {
        let mut firm = Firm::new("弘景光电", now()).unwrap();
        firm.tags = vec!["上市公司".into(), " ".into(), "上市公司 ".into()];
        assert_eq!(firm.validated().unwrap().tags, vec!["上市公司"]);
    }
}
