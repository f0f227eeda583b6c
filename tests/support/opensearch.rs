//! A real OpenSearch node for the tests: the integ-test-zip distribution
//! that `scripts/opensearch-dist` unpacks from Maven Central once per
//! machine (`RTDW_TEST_OPENSEARCH` names the folder instead), started once
//! per test process on free loopback ports with 256 MiB of heap and killed
//! with the process. OpenSearch refuses to run as root, so under root the
//! node runs as `nobody` (setpriv). Tests share it with unique index names.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub struct OpenSearch {
    pub port: u16,
    pub dir: PathBuf,
}

impl OpenSearch {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// The node of this test process, started on first use.
pub fn shared() -> &'static OpenSearch {
    static NODE: OnceLock<OpenSearch> = OnceLock::new();
    NODE.get_or_init(start)
}

/// The distribution's folder.
fn home() -> PathBuf {
    if let Ok(p) = std::env::var("RTDW_TEST_OPENSEARCH") {
        return p.into();
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/opensearch-dist");
    let out = Command::new(script)
        .stderr(Stdio::inherit())
        .output()
        .expect("scripts/opensearch-dist runs");
    assert!(out.status.success(), "scripts/opensearch-dist failed");
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

/// `JAVA_HOME`, or the JDK the `java` on PATH belongs to.
fn java_home() -> PathBuf {
    if let Some(h) = std::env::var_os("JAVA_HOME") {
        return h.into();
    }
    let out = Command::new("sh")
        .args(["-c", "readlink -f \"$(command -v java)\""])
        .output()
        .expect("java on PATH (Java 17)");
    let java = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    java.parent()
        .and_then(Path::parent)
        .expect("java lives in JDK/bin")
        .to_path_buf()
}

fn start() -> OpenSearch {
    let home = home();
    super::clean_leftovers(&std::env::temp_dir(), "rtdw-opensearch-");
    let dir = std::env::temp_dir().join(format!(
        "rtdw-opensearch-{}-{}",
        std::process::id(),
        super::unique("n")
    ));
    let config = dir.join("config");
    std::fs::create_dir_all(config.join("jvm.options.d")).expect("node folder");
    for sub in ["data", "logs", "tmp"] {
        std::fs::create_dir_all(dir.join(sub)).expect("node folder");
    }
    std::fs::copy(
        home.join("config/log4j2.properties"),
        config.join("log4j2.properties"),
    )
    .expect("log4j2.properties");
    std::fs::write(config.join("opensearch.yml"), "").expect("opensearch.yml");
    // The stock jvm.options logs GC to a path relative to the working folder.
    std::fs::write(
        config.join("jvm.options"),
        "-Xms256m\n-Xmx256m\n-XX:+UseG1GC\n-Djava.io.tmpdir=${OPENSEARCH_TMPDIR}\n\
         18-:-Djava.security.manager=allow\n\
         -Djava.util.concurrent.ForkJoinPool.common.threadFactory=org.opensearch.secure_sm.SecuredForkJoinWorkerThreadFactory\n",
    )
    .expect("jvm.options");
    // SAFETY: getuid has no preconditions.
    let root = unsafe { libc::getuid() } == 0;
    if root {
        let status = Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(&dir)
            .status()
            .expect("chown");
        assert!(status.success(), "chown of {}", dir.display());
    }
    let (port, transport) = (super::free_port(), super::free_port());
    let mut cmd = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(home.join("bin/opensearch"));
        c
    } else {
        Command::new(home.join("bin/opensearch"))
    };
    let log = std::fs::File::create(
        std::env::temp_dir().join(format!("rtdw-opensearch-{}.log", std::process::id())),
    )
    .expect("node log");
    cmd.current_dir(&dir)
        .env("JAVA_HOME", java_home())
        .env("OPENSEARCH_PATH_CONF", &config)
        .env("OPENSEARCH_TMPDIR", dir.join("tmp"))
        .args([
            "-Ediscovery.type=single-node",
            "-Enetwork.host=127.0.0.1",
            &format!("-Ehttp.port={port}"),
            &format!("-Etransport.port={transport}"),
            &format!("-Epath.data={}", dir.join("data").display()),
            &format!("-Epath.logs={}", dir.join("logs").display()),
            "-Ecluster.routing.allocation.disk.threshold_enabled=false",
        ])
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log"))
        .stderr(log);
    super::spawn_for_life("opensearch-keeper", cmd).expect("OpenSearch starts");
    let node = OpenSearch { port, dir };
    let deadline = Instant::now() + Duration::from_secs(120);
    let health = "/_cluster/health?wait_for_status=yellow&timeout=1s";
    while status_of(port, health) != Some(200) {
        assert!(
            Instant::now() < deadline,
            "OpenSearch did not start on {port}; see {}",
            node.dir.join("node.log").display()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    node
}

/// The status of `GET path` on the node, `None` when it does not answer.
fn status_of(port: u16, path: &str) -> Option<u16> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(3))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut head = [0u8; 12];
    s.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}
