//! A private MariaDB server per test binary (Debian `mariadb-server`): its
//! own data directory and port, root with an empty password over TCP.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mysql::prelude::Queryable;

pub struct MariaDb {
    pub port: u16,
    child: Child,
    _dir: tempfile::TempDir,
}

/// `name` on PATH, else in the sbin directories where Debian puts daemons.
fn binary(name: &str) -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain(["/usr/sbin".into(), "/usr/local/sbin".into(), "/sbin".into()])
        .map(|d: PathBuf| d.join(name))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("{name} is installed (apt-get install mariadb-server)"))
}

impl MariaDb {
    pub fn start() -> MariaDb {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        // Its own temporary directory: instances of parallel tests share nothing.
        let tmp = dir.path().join("tmp");
        std::fs::create_dir_all(&tmp).expect("tmpdir");
        // mariadb-install-db 10.11 has been seen to crash (SIGSEGV in Aria,
        // creating the sys schema) under parallel load: try again from scratch.
        let mut attempts = 0;
        loop {
            attempts += 1;
            let _ = std::fs::remove_dir_all(&data);
            let out = Command::new(binary("mariadb-install-db"))
                .arg("--no-defaults")
                .arg("--user=root")
                .arg(format!("--datadir={}", data.display()))
                .arg(format!("--tmpdir={}", tmp.display()))
                .arg("--auth-root-authentication-method=normal")
                .arg("--skip-test-db")
                .output()
                .expect("mariadb-install-db runs");
            if out.status.success() {
                break;
            }
            assert!(
                attempts < 3,
                "mariadb-install-db: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let port = super::free_port();
        let child = Command::new(binary("mariadbd"))
            .arg("--no-defaults")
            .arg("--user=root")
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--socket={}", dir.path().join("sock").display()))
            .arg(format!("--port={port}"))
            .arg(format!("--tmpdir={}", tmp.display()))
            .arg("--bind-address=127.0.0.1")
            .arg(format!("--pid-file={}", dir.path().join("pid").display()))
            // A test database: durability per statement is not what is tested.
            .arg("--innodb-flush-log-at-trx-commit=2")
            .arg("--innodb-buffer-pool-size=256M")
            .arg("--skip-log-bin")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("mariadbd starts");
        let db = MariaDb {
            port,
            child,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if mysql::Conn::new(mysql::Opts::from_url(&db.url("mysql")).unwrap()).is_ok() {
                return db;
            }
            assert!(
                Instant::now() < deadline,
                "mariadbd did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The server's process id (for CPU figures in benchmarks).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn url(&self, db: &str) -> String {
        format!("mysql://root@127.0.0.1:{}/{db}", self.port)
    }

    pub fn conn(&self, db: &str) -> mysql::Conn {
        mysql::Conn::new(mysql::Opts::from_url(&self.url(db)).unwrap()).expect("connect")
    }

    /// Creates database `db` and runs `rtdw mock db … --sql` output in it.
    /// A server whose database `gmall` holds `users` mock users and no
    /// orders (of 2026-11-20), generated in `dir`.
    pub fn with_users(dir: &Path, users: u64) -> MariaDb {
        let db = MariaDb::start();
        db.load_mock(
            "gmall",
            dir,
            &[
                "--users",
                &users.to_string(),
                "--orders",
                "0",
                "--date",
                "2026-11-20",
            ],
        );
        db
    }

    pub fn load_mock(&self, db: &str, dir: &Path, mock_args: &[&str]) {
        let mut admin = self.conn("mysql");
        admin
            .query_drop(format!("CREATE DATABASE `{db}` CHARACTER SET utf8mb4"))
            .unwrap();
        let out = super::run_ok(
            super::rtdw(dir)
                .args(["mock", "db", "--sql"])
                .args(mock_args),
        );
        let mut conn = self.conn(db);
        for stmt in String::from_utf8(out.stdout).unwrap().lines() {
            conn.query_drop(stmt)
                .unwrap_or_else(|e| panic!("{e}: {}", &stmt[..stmt.len().min(200)]));
        }
    }
}

impl Drop for MariaDb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
