//! PostgreSQL for the server tests.
//!
//! `Zone`: a fresh database on the server named by `PGHOST`/`PGPORT`/`PGUSER`/`PGPASSWORD`,
//! as `pg_virtualenv` sets them (`.ci/run` runs `pg_virtualenv cargo test --test server`).
//! Without `PGHOST` the tests say they were skipped and pass.
//!
//! `Cluster`: a throwaway cluster of our own in a temporary directory on a loopback port, for
//! the test that kills the server: `initdb` and `pg_ctl` from Debian's binaries, run as the
//! `postgres` user when the tests run as root (initdb refuses root).

use liaison::server::schema::{self, Member};
use liaison::server::ServerUrl;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

pub const SKIPPED: &str =
    "server tests skipped: no PostgreSQL (run under pg_virtualenv, see README)";

/// Says once that the server tests were skipped, past the test harness's capture (which
/// would hide the words of a test that passes).
pub fn say_skipped() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "{SKIPPED}");
    });
}

/// The admin's connection string to `database` on the `PG*` server, or None (and the skip
/// message printed) without one.
pub fn admin_url(database: &str) -> Option<String> {
    let Ok(host) = std::env::var("PGHOST") else {
        say_skipped();
        return None;
    };
    let env = |key: &str, default: &str| std::env::var(key).unwrap_or_else(|_| default.into());
    Some(format!(
        "host={host} port={} user={} password={} dbname={database}",
        env("PGPORT", "5432"),
        env("PGUSER", "postgres"),
        env("PGPASSWORD", ""),
    ))
}

/// A zone in a database of its own, dropped (with its roles) at the end.
pub struct Zone {
    pub admin: String,
    pub database: String,
    roles: Vec<String>,
}

static ZONES: AtomicUsize = AtomicUsize::new(0);

impl Zone {
    /// A new zone on the `PG*` server; None when there is none.
    pub fn new(test: &str) -> Option<Zone> {
        let n = ZONES.fetch_add(1, Ordering::Relaxed);
        let database = format!("lz_{test}_{}_{n}", std::process::id());
        let admin = admin_url(&database)?;
        Some(Zone::init(admin, database))
    }

    /// A new zone with the admin URL given (a `Cluster`'s).
    pub fn init(admin: String, database: String) -> Zone {
        let url = ServerUrl::parse(&admin).expect("admin URL");
        schema::init(&url).expect("server init");
        Zone {
            admin,
            database,
            roles: Vec::new(),
        }
    }

    pub fn admin_url(&self) -> ServerUrl {
        ServerUrl::parse(&self.admin).expect("admin URL")
    }

    /// A member's login (role names are the cluster's: they carry the database's name) and
    /// the URL it syncs with.
    pub fn member(&mut self, name: &str, member: Member) -> ServerUrl {
        let text = self.member_text(name, member);
        ServerUrl::parse(&text).expect("member URL")
    }

    /// `member`, as the connection string.
    pub fn member_text(&mut self, name: &str, member: Member) -> String {
        let role = format!("{}_{name}", self.database);
        schema::add_user(&self.admin_url(), &role, &member).expect("add-user");
        let password = format!("pw-{name}");
        let mut admin = postgres::Client::connect(&self.admin, postgres::NoTls).expect("admin");
        admin
            .batch_execute(&format!("ALTER ROLE \"{role}\" PASSWORD '{password}'"))
            .expect("password");
        self.roles.push(role.clone());
        let url = self
            .admin
            .split(' ')
            .map(|part| match part.split_once('=') {
                Some(("user", _)) => format!("user={role}"),
                Some(("password", _)) => format!("password={password}"),
                _ => part.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" ");
        url
    }

    /// A raw connection as the admin.
    pub fn admin_client(&self) -> postgres::Client {
        postgres::Client::connect(&self.admin, postgres::NoTls).expect("admin connects")
    }
}

impl Drop for Zone {
    fn drop(&mut self) {
        let Some(postgres_db) = self
            .admin
            .split(' ')
            .map(|p| {
                if p.starts_with("dbname=") {
                    "dbname=postgres".to_string()
                } else {
                    p.to_string()
                }
            })
            .reduce(|a, b| a + " " + &b)
        else {
            return;
        };
        if let Ok(mut admin) = postgres::Client::connect(&postgres_db, postgres::NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.database
            ));
            for role in self
                .roles
                .iter()
                .chain([&format!("liaison_{}", self.database)])
            {
                let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS \"{role}\""));
            }
        }
    }
}

/// A cluster of our own, killed and stopped at the end.
pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub port: u16,
}

impl Cluster {
    /// Initialises and starts a cluster; None (with the skip message) without PostgreSQL's
    /// binaries or without `PGHOST` (the switch that says the server tests run).
    pub fn start() -> Option<Cluster> {
        std::env::var("PGHOST").ok().or_else(|| {
            say_skipped();
            None
        })?;
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok())
            .map(|e| e.path().join("bin"))
            .filter(|bin| bin.join("initdb").exists())
            .max()?;
        let dir = tempfile::tempdir().expect("temp dir");
        if is_root() {
            run(Command::new("chown").arg("postgres").arg(dir.path()));
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cluster = Cluster { dir, bin, port };
        run(cluster
            .as_owner("initdb")
            .args(["-A", "trust", "-U", "postgres", "--no-sync", "-D"])
            .arg(cluster.data()));
        cluster.up();
        Some(cluster)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn as_owner(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if is_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        }
    }

    /// Starts the server (after a kill, this is its crash recovery) and waits for it.
    pub fn up(&self) {
        let log = self.dir.path().join("log");
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=on",
            self.port,
            self.dir.path().display()
        );
        let out = self
            .as_owner("pg_ctl")
            .args(["-w", "-o", &options, "-l"])
            .arg(&log)
            .arg("-D")
            .arg(self.data())
            .arg("start")
            .output()
            .expect("pg_ctl runs");
        let log = std::fs::read_to_string(&log).unwrap_or_default();
        assert!(
            out.status.success(),
            "pg_ctl start: {}\n{log}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// SIGKILL to the postmaster and every one of its processes, as a power cut would.
    pub fn kill(&self) {
        let pid_file =
            std::fs::read_to_string(self.data().join("postmaster.pid")).expect("pid file");
        let pid: i32 = pid_file.lines().next().unwrap().trim().parse().unwrap();
        let mut pids = children(pid);
        pids.push(pid);
        for pid in pids {
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        // Wait until the postmaster is gone, so that `up` does not find it running.
        while Path::new(&format!("/proc/{pid}")).exists()
            && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .unwrap_or_default()
                .contains(") Z")
        {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        // A dead postmaster may stay a zombie here (nothing reaps it), and a zombie's pid
        // still looks alive to the next postmaster: its lock files go, as a reboot clears them.
        let _ = std::fs::remove_file(self.data().join("postmaster.pid"));
        let socket = self.dir.path().join(format!(".s.PGSQL.{}", self.port));
        let _ = std::fs::remove_file(self.dir.path().join(format!(".s.PGSQL.{}.lock", self.port)));
        let _ = std::fs::remove_file(socket);
    }

    pub fn admin_url(&self, database: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user=postgres password=x dbname={database}",
            self.port
        )
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .as_owner("pg_ctl")
            .args(["-m", "immediate", "-D"])
            .arg(self.data())
            .arg("stop")
            .output();
    }
}

fn is_root() -> bool {
    unsafe { libc::geteuid() == 0 }
}

fn run(command: &mut Command) {
    let out = command.output().expect("runs");
    assert!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The processes whose parent is `pid` (the postmaster's backends and workers).
fn children(pid: i32) -> Vec<i32> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|child| {
            let stat = std::fs::read_to_string(format!("/proc/{child}/stat")).unwrap_or_default();
            // pid (comm) state ppid ...: the comm may hold spaces, so split after ')'.
            stat.rsplit_once(") ")
                .and_then(|(_, rest)| rest.split(' ').nth(1)?.parse::<i32>().ok())
                == Some(pid)
        })
        .collect()
}
