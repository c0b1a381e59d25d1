//! The commands as a new user types them: the password only in the password file.
use super::*;
use std::process::{Command, Output};

fn run(db: &std::path::Path, pgpass: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_liaison"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("PGPASSFILE", pgpass)
        .env("LIAISON_BACKUPS", db.with_extension("backups"))
        .env_remove("PGPASSWORD")
        .env_remove("LIAISON_DB")
        .env_remove(liaison::server::SERVER_ENV)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn add_user_settings_and_sync_with_the_password_in_the_password_file() {
    let Some(zone) = Zone::new("cli") else { return };
    let dir = tempfile::tempdir().unwrap();
    let pgpass = dir.path().join("pgpass");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let host = std::env::var("PGHOST").unwrap();
    let port = std::env::var("PGPORT").unwrap_or_else(|_| "5432".into());
    let mut lines = String::new();
    for name in ["li", "fgj"] {
        let role = format!("{}_{name}", zone.database);
        let mut args = vec!["server", "add-user", &role, "--url", &zone.admin];
        if name == "fgj" {
            args.extend(["--department", "发改局"]);
        }
        let out = run(&a, &pgpass, &args);
        assert!(out.status.success(), "{}", text(&out));
        assert!(text(&out).contains("~/.pgpass") && text(&out).contains("\\password"));
        zone.admin_client()
            .batch_execute(&format!("ALTER ROLE \"{role}\" PASSWORD 'pw-{name}'"))
            .unwrap();
        lines += &format!("{host}:{port}:{}:{role}:pw-{name}\n", zone.database);
    }
    std::fs::write(&pgpass, lines).unwrap();
    let url = |name: &str| {
        format!(
            "postgres://{}_{name}@{host}:{port}/{}",
            zone.database, zone.database
        )
    };

    let out = run(&a, &pgpass, &["sync"]);
    assert_eq!(out.status.code(), Some(2), "no server set: {}", text(&out));
    assert!(run(&a, &pgpass, &["demo"]).status.success());
    let with_password = format!("postgres://li:secret@{host}/zone");
    let out = run(&a, &pgpass, &["settings", "--server", &with_password]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("never stores"), "{}", text(&out));
    let out = run(&a, &pgpass, &["settings", "--server", &url("li")]);
    assert!(text(&out).contains(&format!("zone server: {}", url("li"))));
    let out = run(&a, &pgpass, &["sync"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains(" sent, "), "{}", text(&out));

    // A new desk: an empty ledger filled by its first sync.
    let out = run(&b, &pgpass, &["sync", "--server", &url("fgj")]);
    assert!(out.status.success(), "{}", text(&out));
    let out = run(&b, &pgpass, &["issues", "list"]);
    assert!(
        text(&out).contains("新厂区建设工程规划许可审批加快"),
        "{}",
        text(&out)
    );

    // A wrong password is "offline" with the server's reason, exit 1.
    std::fs::write(&pgpass, "*:*:*:*:wrong\n").unwrap();
    let out = run(&a, &pgpass, &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("offline: password authentication failed"),
        "{}",
        text(&out)
    );
}
