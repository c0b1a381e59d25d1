//! The libpq password file (`~/.pgpass`, or `PGPASSFILE`), which the Rust client does not
//! read itself. Liaison never stores a password: it is in the URL, in `PGPASSWORD`, or here.
//! Each line is `host:port:database:user:password`; `*` matches anything; `\:` and `\\` are
//! a colon and a backslash.

use std::path::PathBuf;

/// The password file's path: `PGPASSFILE`, else `~/.pgpass`.
pub fn path() -> Option<PathBuf> {
    if let Some(file) = std::env::var_os("PGPASSFILE") {
        return Some(PathBuf::from(file));
    }
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pgpass"))
}

/// The password the file gives for this connection, if any (the first line that matches).
pub fn lookup(host: &str, port: u16, database: &str, user: &str) -> Option<String> {
    let text = std::fs::read_to_string(path()?).ok()?;
    find(&text, [host, &port.to_string(), database, user])
}

fn find(text: &str, wanted: [&str; 4]) -> Option<String> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(|line| {
            let fields = split(line);
            (fields.len() == 5).then_some(fields)
        })
        .find(|fields| {
            fields[..4]
                .iter()
                .zip(wanted)
                .all(|(field, want)| field == "*" || field == want)
        })
        .map(|mut fields| fields.pop().unwrap_or_default())
}

/// Splits a line on unescaped colons, unescaping `\:` and `\\`.
fn split(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields.last_mut().expect("one field").extend(chars.next()),
            ':' => fields.push(String::new()),
            c => fields.last_mut().expect("one field").push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn first_matching_line_wins_and_stars_match_anything() {
        let text = "# comment\nother:5432:zone:li:no\n*:5432:zone:li:se\\:cret\n*:*:*:*:later\n";
        assert_eq!(
            find(text, ["db.zone", "5432", "zone", "li"]).as_deref(),
            Some("se:cret")
        );
        assert_eq!(
            find(text, ["db.zone", "5433", "zone", "wang"]).as_deref(),
            Some("later")
        );
        assert_eq!(find("a:b:c\n", ["a", "b", "c", "d"]), None);
    }
}
