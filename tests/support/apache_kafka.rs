//! Apache Kafka 4.x for the tests: one single-node KRaft broker (broker and
//! controller in one JVM) per test process, shared by its tests, which use
//! random topic and group names. It runs from the jars `scripts/kafka-jars`
//! resolves from Maven Central once per machine (`RTDW_TEST_KAFKA_LIBS`
//! names the folder when `scripts/test` already did it).
//!
//! Clean-up: the broker is started by a keeper thread that lives as long as
//! the test process, with `PR_SET_PDEATHSIG`, so it dies with the process
//! however the process ends; its folder (`$TMPDIR/rtdw-kafka-PID-…`) is
//! removed by the next start once that PID is gone. A leftover broker is
//! never reused: every process starts its own on fresh free ports.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The shared broker of this test process.
pub struct ApacheKafka {
    pub port: u16,
    pub dir: PathBuf,
    pub libs: PathBuf,
}

static SHARED: OnceLock<ApacheKafka> = OnceLock::new();

/// The broker, started on first use.
pub fn shared() -> &'static ApacheKafka {
    SHARED.get_or_init(start)
}

impl ApacheKafka {
    pub fn bootstrap(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// `java -cp LIBS/* CLASS ARGS…` (Kafka's own tools), with its output.
    pub fn java(&self, class: &str, args: &[&str]) -> std::process::Output {
        java_command(self, class)
            .args(args)
            .output()
            .expect("java runs (Java 17 is installed)")
    }
}

/// `java -cp LIBS/* CLASS` for one of Kafka's tools, to add arguments to.
pub fn java_command(kafka: &ApacheKafka, class: &str) -> Command {
    let mut c = java(&kafka.libs, &kafka.dir);
    c.arg(class);
    c
}

/// The folder of the Kafka jars.
pub fn libs() -> PathBuf {
    if let Ok(p) = std::env::var("RTDW_TEST_KAFKA_LIBS") {
        return p.into();
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/kafka-jars");
    let out = Command::new(script)
        .output()
        .expect("scripts/kafka-jars runs");
    assert!(
        out.status.success(),
        "scripts/kafka-jars: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

fn java(libs: &Path, dir: &Path) -> Command {
    let mut c = Command::new("java");
    c.arg("-Xms128m")
        .arg("-Xmx512m")
        .arg(format!(
            "-Dlog4j2.configurationFile={}",
            dir.join("log4j2.properties").display()
        ))
        .arg("-cp")
        .arg(format!("{}/*", libs.display()));
    c
}

/// A Kafka `Uuid` as its tools print it: 16 random bytes, URL-safe base64
/// without padding, never starting with `-` (one id in 64 would, and the
/// storage tool then reads it as an option: Kafka's `Uuid.randomUuid`
/// draws again in that case too).
fn cluster_id() -> String {
    use base64::Engine;
    loop {
        let bytes: [u8; 16] = rand::random();
        let id = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        if !id.starts_with('-') {
            return id;
        }
    }
}

fn start() -> ApacheKafka {
    let libs = libs();
    let root = std::env::temp_dir();
    super::clean_leftovers(&root, "rtdw-kafka-");
    let dir = root.join(format!(
        "rtdw-kafka-{}-{}",
        std::process::id(),
        super::unique("b")
    ));
    std::fs::create_dir_all(&dir).expect("broker folder");
    let (port, controller) = (super::free_port(), super::free_port());
    let props = dir.join("server.properties");
    std::fs::write(
        &props,
        format!(
            "process.roles=broker,controller\n\
             node.id=1\n\
             controller.quorum.voters=1@127.0.0.1:{controller}\n\
             listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller}\n\
             advertised.listeners=PLAINTEXT://127.0.0.1:{port}\n\
             controller.listener.names=CONTROLLER\n\
             inter.broker.listener.name=PLAINTEXT\n\
             listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT\n\
             log.dirs={}\n\
             num.network.threads=2\n\
             num.io.threads=2\n\
             offsets.topic.replication.factor=1\n\
             offsets.topic.num.partitions=4\n\
             transaction.state.log.replication.factor=1\n\
             transaction.state.log.min.isr=1\n\
             transaction.state.log.num.partitions=4\n\
             group.initial.rebalance.delay.ms=0\n\
             group.min.session.timeout.ms=500\n\
             num.partitions=1\n",
            dir.join("data").display()
        ),
    )
    .expect("server.properties");
    std::fs::write(
        dir.join("log4j2.properties"),
        "status = error\n\
         appender.console.type = Console\n\
         appender.console.name = STDOUT\n\
         appender.console.layout.type = PatternLayout\n\
         appender.console.layout.pattern = [%d] %p %m (%c)%n\n\
         rootLogger.level = WARN\n\
         rootLogger.appenderRef.stdout.ref = STDOUT\n",
    )
    .expect("log4j2.properties");
    let format = java(&libs, &dir)
        .args([
            "kafka.tools.StorageTool",
            "format",
            "-t",
            &cluster_id(),
            "-c",
        ])
        .arg(&props)
        .output()
        .expect("java runs (Java 17 is installed)");
    assert!(
        format.status.success(),
        "formatting the KRaft log: {}",
        String::from_utf8_lossy(&format.stderr)
    );
    let log = std::fs::File::create(dir.join("broker.log")).expect("broker.log");
    let mut cmd = java(&libs, &dir);
    cmd.arg("kafka.Kafka")
        .arg(&props)
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log"))
        .stderr(log);
    super::spawn_for_life("kafka-keeper", cmd).expect("java starts the broker");
    let deadline = Instant::now() + Duration::from_secs(90);
    let bootstrap = format!("127.0.0.1:{port}");
    loop {
        let ready = rdkafka::ClientConfig::new()
            .set("bootstrap.servers", &bootstrap)
            .create::<rdkafka::producer::BaseProducer>()
            .ok()
            .and_then(|p| {
                use rdkafka::producer::Producer;
                p.client()
                    .fetch_metadata(None, Duration::from_secs(2))
                    .ok()
                    .filter(|md| !md.brokers().is_empty())
            })
            .is_some();
        if ready {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "Apache Kafka did not start on {port}; see {}",
            dir.join("broker.log").display()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    ApacheKafka { port, dir, libs }
}
