
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'rtdw' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'rtdw'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'rtdw' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('split-log', 'split-log', [CompletionResultType]::ParameterValue, 'Split ODS user-behaviour logs into the DWD streams (start, page, display, action, error, dirty)')
            [CompletionResult]::new('route-db', 'route-db', [CompletionResultType]::ParameterValue, 'Route CDC records (Maxwell, Canal, Debezium): fact rows to DWD_{TABLE}_{I|U|D}, dimension rows to DIM:{TABLE}:{id}')
            [CompletionResult]::new('bootstrap-dims', 'bootstrap-dims', [CompletionResultType]::ParameterValue, 'Backfill dimension rows (DIM:{TABLE}:{id}) from MySQL by keyset pages, or from a file of CDC records or plain rows')
            [CompletionResult]::new('dau', 'dau', [CompletionResultType]::ParameterValue, 'Daily active users: the first visit of each device per day, enriched, to gmall_dau_info_{dt} (create, _id = mid)')
            [CompletionResult]::new('order-wide', 'order-wide', [CompletionResultType]::ParameterValue, 'Join orders with their details across batches, enrich and apportion them, to gmall_order_wide_{dt} (index, _id = detail id)')
            [CompletionResult]::new('risk-alert', 'risk-alert', [CompletionResultType]::ParameterValue, 'Coupon-fraud alerts: several users taking coupons on one device within a window, without browsing, in event time')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'What the dashboards showed: visits and GMV per hour against another day, order lines by gender or age')
            [CompletionResult]::new('restore-state', 'restore-state', [CompletionResultType]::ParameterValue, 'Rebuild a day''s DAU:{date} set from the mids in Elasticsearch (or a file), atomically')
            [CompletionResult]::new('offsets', 'offsets', [CompletionResultType]::ParameterValue, 'Inspect and reset stored offsets (Redis, file or Kafka group), like kafka-consumer-groups.sh')
            [CompletionResult]::new('mock', 'mock', [CompletionResultType]::ParameterValue, 'Generate realistic, deterministic test data')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the resolved settings (secrets masked)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages (rtdw.1 and one per subcommand) into a directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rtdw;split-log' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Input: kafka:TOPIC[,TOPIC…] (or `kafka` for the default topic), FILE… (.gz ok; a folder: its *.jsonl[.gz] in name order), or - for stdin; several after one --from, or repeated')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Kafka consumer group [default: the tool''s name]')
            [CompletionResult]::new('--offsets', '--offsets', [CompletionResultType]::ParameterName, 'Where offsets are stored: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]')
            [CompletionResult]::new('--batch-max', '--batch-max', [CompletionResultType]::ParameterName, 'Most records per micro-batch')
            [CompletionResult]::new('--batch-ms', '--batch-ms', [CompletionResultType]::ParameterName, 'Longest wait for a micro-batch to fill, in milliseconds')
            [CompletionResult]::new('--on-refused', '--on-refused', [CompletionResultType]::ParameterName, 'A document Elasticsearch or a record Kafka refuses for good (a mapping error, a record too large): dead-letter = into the index or topic rtdw_dead_{tool} with the reason, counted `refused`, offsets move on; fail = offsets held from it on, exit 1')
            [CompletionResult]::new('--max-retry-time', '--max-retry-time', [CompletionResultType]::ParameterName, 'Give up (exit 69) when a service stays unreachable this long, e.g. 90s, 5m; 0 = never [default: 60s for files, stdin and --once; never for a Kafka stream]')
            [CompletionResult]::new('--instance-id', '--instance-id', [CompletionResultType]::ParameterName, 'This instance''s name in the group''s registry and in its transactional.id [default: the host name]')
            [CompletionResult]::new('--metrics-addr', '--metrics-addr', [CompletionResultType]::ParameterName, 'Serve Prometheus metrics on HOST:PORT at /metrics')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Lines longer than this become dirty (the dirty record keeps the first 64 KiB)')
            [CompletionResult]::new('--min-event-time', '--min-event-time', [CompletionResultType]::ParameterName, 'Event times before this date (UTC) are dirty: a corrupt `ts` never creates an index')
            [CompletionResult]::new('--max-event-ahead', '--max-event-ahead', [CompletionResultType]::ParameterName, 'Event times further than this ahead of the clock are dirty, e.g. 24h, 90m')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Output: kafka (the DWD topics), - (NDJSON envelopes on stdout), or DIR/ (one TOPIC.jsonl per stream, appended)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('--once', '--once', [CompletionResultType]::ParameterName, 'Drain what is available now, then exit (for cron)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Stop with exit 65 at the first bad record instead of sending it to the dirty stream')
            [CompletionResult]::new('--exactly-once', '--exactly-once', [CompletionResultType]::ParameterName, 'Kafka → Kafka in transactions: outputs and offsets commit together (offsets in the Kafka group)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;route-db' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Input: kafka:TOPIC[,TOPIC…] (or `kafka` for the default topic), FILE… (.gz ok; a folder: its *.jsonl[.gz] in name order), or - for stdin; several after one --from, or repeated')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Kafka consumer group [default: the tool''s name]')
            [CompletionResult]::new('--offsets', '--offsets', [CompletionResultType]::ParameterName, 'Where offsets are stored: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]')
            [CompletionResult]::new('--batch-max', '--batch-max', [CompletionResultType]::ParameterName, 'Most records per micro-batch')
            [CompletionResult]::new('--batch-ms', '--batch-ms', [CompletionResultType]::ParameterName, 'Longest wait for a micro-batch to fill, in milliseconds')
            [CompletionResult]::new('--on-refused', '--on-refused', [CompletionResultType]::ParameterName, 'A document Elasticsearch or a record Kafka refuses for good (a mapping error, a record too large): dead-letter = into the index or topic rtdw_dead_{tool} with the reason, counted `refused`, offsets move on; fail = offsets held from it on, exit 1')
            [CompletionResult]::new('--max-retry-time', '--max-retry-time', [CompletionResultType]::ParameterName, 'Give up (exit 69) when a service stays unreachable this long, e.g. 90s, 5m; 0 = never [default: 60s for files, stdin and --once; never for a Kafka stream]')
            [CompletionResult]::new('--instance-id', '--instance-id', [CompletionResultType]::ParameterName, 'This instance''s name in the group''s registry and in its transactional.id [default: the host name]')
            [CompletionResult]::new('--metrics-addr', '--metrics-addr', [CompletionResultType]::ParameterName, 'Serve Prometheus metrics on HOST:PORT at /metrics')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Lines longer than this become dirty (the dirty record keeps the first 64 KiB)')
            [CompletionResult]::new('--min-event-time', '--min-event-time', [CompletionResultType]::ParameterName, 'Event times before this date (UTC) are dirty: a corrupt `ts` never creates an index')
            [CompletionResult]::new('--max-event-ahead', '--max-event-ahead', [CompletionResultType]::ParameterName, 'Event times further than this ahead of the clock are dirty, e.g. 24h, 90m')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'CDC dialect of every record [default: detected per record]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Output: kafka (the DWD_{TABLE}_{I|U|D} topics; dimension rows go to the state store), - (NDJSON envelopes on stdout), or DIR/ (one TOPIC.jsonl per stream, appended)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('--once', '--once', [CompletionResultType]::ParameterName, 'Drain what is available now, then exit (for cron)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Stop with exit 65 at the first bad record instead of sending it to the dirty stream')
            [CompletionResult]::new('--exactly-once', '--exactly-once', [CompletionResultType]::ParameterName, 'Kafka → Kafka in transactions: outputs and offsets commit together (offsets in the Kafka group)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('tables', 'tables', [CompletionResultType]::ParameterValue, 'Show or change which tables are facts (FACT:TABLES) and dimensions (DIM:TABLES)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rtdw;route-db;tables' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print both lists: `fact TABLE` / `dim TABLE` lines, or --json')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add tables to the lists; a running route-db uses them from its next batch')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove tables from the lists')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rtdw;route-db;tables;list' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, '{"fact": [...], "dim": [...]} on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;route-db;tables;add' {
            [CompletionResult]::new('--fact', '--fact', [CompletionResultType]::ParameterName, 'A fact table (rows go to DWD_{TABLE}_{I|U|D}); repeatable')
            [CompletionResult]::new('--dim', '--dim', [CompletionResultType]::ParameterName, 'A dimension table (rows go to DIM:{TABLE}:{id}); repeatable')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;route-db;tables;remove' {
            [CompletionResult]::new('--fact', '--fact', [CompletionResultType]::ParameterName, 'A fact table (rows go to DWD_{TABLE}_{I|U|D}); repeatable')
            [CompletionResult]::new('--dim', '--dim', [CompletionResultType]::ParameterName, 'A dimension table (rows go to DIM:{TABLE}:{id}); repeatable')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;route-db;tables;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print both lists: `fact TABLE` / `dim TABLE` lines, or --json')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add tables to the lists; a running route-db uses them from its next batch')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove tables from the lists')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rtdw;route-db;tables;help;list' {
            break
        }
        'rtdw;route-db;tables;help;add' {
            break
        }
        'rtdw;route-db;tables;help;remove' {
            break
        }
        'rtdw;route-db;tables;help;help' {
            break
        }
        'rtdw;route-db;help' {
            [CompletionResult]::new('tables', 'tables', [CompletionResultType]::ParameterValue, 'Show or change which tables are facts (FACT:TABLES) and dimensions (DIM:TABLES)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rtdw;route-db;help;tables' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print both lists: `fact TABLE` / `dim TABLE` lines, or --json')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add tables to the lists; a running route-db uses them from its next batch')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove tables from the lists')
            break
        }
        'rtdw;route-db;help;tables;list' {
            break
        }
        'rtdw;route-db;help;tables;add' {
            break
        }
        'rtdw;route-db;help;tables;remove' {
            break
        }
        'rtdw;route-db;help;help' {
            break
        }
        'rtdw;bootstrap-dims' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'mysql://USER@HOST[:PORT]/DB (password from RTDW_MYSQL_PASSWORD), FILE (.gz ok) or - (stdin)')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'A table to backfill; repeatable. From a file: the table of plain rows, or which tables of CDC records to keep')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Rows per MySQL page (one indexed query each) and per pipelined write')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'CDC dialect of file records [default: detected per record]')
            [CompletionResult]::new('--pk', '--pk', [CompletionResultType]::ParameterName, 'Primary-key column(s) of plain rows from a file, comma-separated [default: id]')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'When rows without a version of their own (MySQL reads, plain rows) were true, e.g. 2026-11-22T03:00:00Z [default: MySQL: each page''s read time; a file: its modification time; stdin: now]')
            [CompletionResult]::new('--snapshot-margin', '--snapshot-margin', [CompletionResultType]::ParameterName, 'Subtracted from that time, so that a streamed change that may be newer than the snapshot always wins')
            [CompletionResult]::new('--max-retry-time', '--max-retry-time', [CompletionResultType]::ParameterName, 'Give up (exit 69) when the state store stays unreachable this long; 0 = never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('--all-dims', '--all-dims', [CompletionResultType]::ParameterName, 'Every table in DIM:TABLES')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Read and count, write nothing')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue after the last written key of an interrupted run (kept in the state store)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Stop with exit 65 at the first bad record instead of printing it as a DWD_DIRTY_LOG envelope on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;dau' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Input: kafka:TOPIC[,TOPIC…] (or `kafka` for the default topic), FILE… (.gz ok; a folder: its *.jsonl[.gz] in name order), or - for stdin; several after one --from, or repeated')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Kafka consumer group [default: the tool''s name]')
            [CompletionResult]::new('--offsets', '--offsets', [CompletionResultType]::ParameterName, 'Where offsets are stored: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]')
            [CompletionResult]::new('--batch-max', '--batch-max', [CompletionResultType]::ParameterName, 'Most records per micro-batch')
            [CompletionResult]::new('--batch-ms', '--batch-ms', [CompletionResultType]::ParameterName, 'Longest wait for a micro-batch to fill, in milliseconds')
            [CompletionResult]::new('--on-refused', '--on-refused', [CompletionResultType]::ParameterName, 'A document Elasticsearch or a record Kafka refuses for good (a mapping error, a record too large): dead-letter = into the index or topic rtdw_dead_{tool} with the reason, counted `refused`, offsets move on; fail = offsets held from it on, exit 1')
            [CompletionResult]::new('--max-retry-time', '--max-retry-time', [CompletionResultType]::ParameterName, 'Give up (exit 69) when a service stays unreachable this long, e.g. 90s, 5m; 0 = never [default: 60s for files, stdin and --once; never for a Kafka stream]')
            [CompletionResult]::new('--instance-id', '--instance-id', [CompletionResultType]::ParameterName, 'This instance''s name in the group''s registry and in its transactional.id [default: the host name]')
            [CompletionResult]::new('--metrics-addr', '--metrics-addr', [CompletionResultType]::ParameterName, 'Serve Prometheus metrics on HOST:PORT at /metrics')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Lines longer than this become dirty (the dirty record keeps the first 64 KiB)')
            [CompletionResult]::new('--min-event-time', '--min-event-time', [CompletionResultType]::ParameterName, 'Event times before this date (UTC) are dirty: a corrupt `ts` never creates an index')
            [CompletionResult]::new('--max-event-ahead', '--max-event-ahead', [CompletionResultType]::ParameterName, 'Event times further than this ahead of the clock are dirty, e.g. 24h, 90m')
            [CompletionResult]::new('--forget-day', '--forget-day', [CompletionResultType]::ParameterName, 'Forget the DAU set of this business date before reading, so the run counts the day from scratch (a kappa-style recomputation into a fresh output); repeatable. Run it as one instance, not beside a live job of that day')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Output: es (gmall_dau_info_{dt} in --es), - (documents on stdout), or DIR/ (one INDEX.jsonl per index, appended)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('--once', '--once', [CompletionResultType]::ParameterName, 'Drain what is available now, then exit (for cron)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Stop with exit 65 at the first bad record instead of sending it to the dirty stream')
            [CompletionResult]::new('--exactly-once', '--exactly-once', [CompletionResultType]::ParameterName, 'Kafka → Kafka in transactions: outputs and offsets commit together (offsets in the Kafka group)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;order-wide' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Input: kafka:TOPIC[,TOPIC…] (or `kafka` for the default topic), FILE… (.gz ok; a folder: its *.jsonl[.gz] in name order), or - for stdin; several after one --from, or repeated')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Kafka consumer group [default: the tool''s name]')
            [CompletionResult]::new('--offsets', '--offsets', [CompletionResultType]::ParameterName, 'Where offsets are stored: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]')
            [CompletionResult]::new('--batch-max', '--batch-max', [CompletionResultType]::ParameterName, 'Most records per micro-batch')
            [CompletionResult]::new('--batch-ms', '--batch-ms', [CompletionResultType]::ParameterName, 'Longest wait for a micro-batch to fill, in milliseconds')
            [CompletionResult]::new('--on-refused', '--on-refused', [CompletionResultType]::ParameterName, 'A document Elasticsearch or a record Kafka refuses for good (a mapping error, a record too large): dead-letter = into the index or topic rtdw_dead_{tool} with the reason, counted `refused`, offsets move on; fail = offsets held from it on, exit 1')
            [CompletionResult]::new('--max-retry-time', '--max-retry-time', [CompletionResultType]::ParameterName, 'Give up (exit 69) when a service stays unreachable this long, e.g. 90s, 5m; 0 = never [default: 60s for files, stdin and --once; never for a Kafka stream]')
            [CompletionResult]::new('--instance-id', '--instance-id', [CompletionResultType]::ParameterName, 'This instance''s name in the group''s registry and in its transactional.id [default: the host name]')
            [CompletionResult]::new('--metrics-addr', '--metrics-addr', [CompletionResultType]::ParameterName, 'Serve Prometheus metrics on HOST:PORT at /metrics')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Lines longer than this become dirty (the dirty record keeps the first 64 KiB)')
            [CompletionResult]::new('--min-event-time', '--min-event-time', [CompletionResultType]::ParameterName, 'Event times before this date (UTC) are dirty: a corrupt `ts` never creates an index')
            [CompletionResult]::new('--max-event-ahead', '--max-event-ahead', [CompletionResultType]::ParameterName, 'Event times further than this ahead of the clock are dirty, e.g. 24h, 90m')
            [CompletionResult]::new('--join-ttl', '--join-ttl', [CompletionResultType]::ParameterName, 'How long an order, and the details waiting for it, are kept for their partners, e.g. 24h, 90m')
            [CompletionResult]::new('--orphan-after', '--orphan-after', [CompletionResultType]::ParameterName, 'Report a detail still without its order, or an order still missing details, this long after it arrived')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Output: es (gmall_order_wide_{dt} in --es), kafka (the topic DWS_ORDER_WIDE), - (documents on stdout), or DIR/ (one INDEX.jsonl per index, appended)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('--once', '--once', [CompletionResultType]::ParameterName, 'Drain what is available now, then exit (for cron)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Stop with exit 65 at the first bad record instead of sending it to the dirty stream')
            [CompletionResult]::new('--exactly-once', '--exactly-once', [CompletionResultType]::ParameterName, 'Kafka → Kafka in transactions: outputs and offsets commit together (offsets in the Kafka group)')
            [CompletionResult]::new('--also-topic', '--also-topic', [CompletionResultType]::ParameterName, 'Also write each wide record to the topic DWS_ORDER_WIDE (keyed by order id), with --to es, - or DIR/')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;risk-alert' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Input: kafka:TOPIC[,TOPIC…] (or `kafka` for the default topic), FILE… (.gz ok; a folder: its *.jsonl[.gz] in name order), or - for stdin; several after one --from, or repeated')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Kafka consumer group [default: the tool''s name]')
            [CompletionResult]::new('--offsets', '--offsets', [CompletionResultType]::ParameterName, 'Where offsets are stored: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]')
            [CompletionResult]::new('--batch-max', '--batch-max', [CompletionResultType]::ParameterName, 'Most records per micro-batch')
            [CompletionResult]::new('--batch-ms', '--batch-ms', [CompletionResultType]::ParameterName, 'Longest wait for a micro-batch to fill, in milliseconds')
            [CompletionResult]::new('--on-refused', '--on-refused', [CompletionResultType]::ParameterName, 'A document Elasticsearch or a record Kafka refuses for good (a mapping error, a record too large): dead-letter = into the index or topic rtdw_dead_{tool} with the reason, counted `refused`, offsets move on; fail = offsets held from it on, exit 1')
            [CompletionResult]::new('--max-retry-time', '--max-retry-time', [CompletionResultType]::ParameterName, 'Give up (exit 69) when a service stays unreachable this long, e.g. 90s, 5m; 0 = never [default: 60s for files, stdin and --once; never for a Kafka stream]')
            [CompletionResult]::new('--instance-id', '--instance-id', [CompletionResultType]::ParameterName, 'This instance''s name in the group''s registry and in its transactional.id [default: the host name]')
            [CompletionResult]::new('--metrics-addr', '--metrics-addr', [CompletionResultType]::ParameterName, 'Serve Prometheus metrics on HOST:PORT at /metrics')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Lines longer than this become dirty (the dirty record keeps the first 64 KiB)')
            [CompletionResult]::new('--min-event-time', '--min-event-time', [CompletionResultType]::ParameterName, 'Event times before this date (UTC) are dirty: a corrupt `ts` never creates an index')
            [CompletionResult]::new('--max-event-ahead', '--max-event-ahead', [CompletionResultType]::ParameterName, 'Event times further than this ahead of the clock are dirty, e.g. 24h, 90m')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Span in which the coupons of several users make a pattern, e.g. 5m')
            [CompletionResult]::new('--min-users', '--min-users', [CompletionResultType]::ParameterName, 'Distinct users taking coupons on one device in one span')
            [CompletionResult]::new('--allowed-lateness', '--allowed-lateness', [CompletionResultType]::ParameterName, 'How far behind the newest event an event may arrive and still count (streaming input)')
            [CompletionResult]::new('--browse-pages', '--browse-pages', [CompletionResultType]::ParameterName, 'Pages whose views are browsing (unless a coupon was taken on the view), comma-separated')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Output: es (gmall_coupon_alert_{dt} in --es), - (documents on stdout), or DIR/ (one INDEX.jsonl per index, appended)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('--once', '--once', [CompletionResultType]::ParameterName, 'Drain what is available now, then exit (for cron)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Stop with exit 65 at the first bad record instead of sending it to the dirty stream')
            [CompletionResult]::new('--streaming', '--streaming', [CompletionResultType]::ParameterName, 'Read files or stdin as a stream (arrival order, watermark, lateness), as Kafka input is; e.g. for `tail -f`')
            [CompletionResult]::new('--exactly-once', '--exactly-once', [CompletionResultType]::ParameterName, 'Kafka → Kafka in transactions: outputs and offsets commit together (offsets in the Kafka group)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;report' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('dau', 'dau', [CompletionResultType]::ParameterValue, 'Visits (daily active devices) per hour of a day against another day, from gmall_dau_info_{dt}')
            [CompletionResult]::new('gmv', 'gmv', [CompletionResultType]::ParameterValue, 'GMV (Σ split_total_amount, exact to the cent) per hour of a day against another day, from gmall_order_wide_{dt}')
            [CompletionResult]::new('orders', 'orders', [CompletionResultType]::ParameterValue, 'Order lines whose sku_name has all the words, summed per user gender or age band, with a page of the lines')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rtdw;report;dau' {
            [CompletionResult]::new('--date', '--date', [CompletionResultType]::ParameterName, 'The day (YYYY-MM-DD, business date in --tz)')
            [CompletionResult]::new('--compare', '--compare', [CompletionResultType]::ParameterName, 'The day to compare with [default: the day before --date]')
            [CompletionResult]::new('--png', '--png', [CompletionResultType]::ParameterName, 'Also draw the two days as a line chart into this PNG file')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read NDJSON documents (as the tools'' `--to -` or `DIR/` wrote them) instead of Elasticsearch; several after one --from, or repeated')
            [CompletionResult]::new('--max-retry-time', '--max-retry-time', [CompletionResultType]::ParameterName, 'Give up (exit 69) when Elasticsearch stays unreachable this long, e.g. 10s, 2m')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (stable field names) instead of the table')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'Print CSV (a header, a row per hour or group, a total row)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;report;gmv' {
            [CompletionResult]::new('--date', '--date', [CompletionResultType]::ParameterName, 'The day (YYYY-MM-DD, business date in --tz)')
            [CompletionResult]::new('--compare', '--compare', [CompletionResultType]::ParameterName, 'The day to compare with [default: the day before --date]')
            [CompletionResult]::new('--png', '--png', [CompletionResultType]::ParameterName, 'Also draw the two days as a line chart into this PNG file')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read NDJSON documents (as the tools'' `--to -` or `DIR/` wrote them) instead of Elasticsearch; several after one --from, or repeated')
            [CompletionResult]::new('--max-retry-time', '--max-retry-time', [CompletionResultType]::ParameterName, 'Give up (exit 69) when Elasticsearch stays unreachable this long, e.g. 10s, 2m')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (stable field names) instead of the table')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'Print CSV (a header, a row per hour or group, a total row)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;report;orders' {
            [CompletionResult]::new('--date', '--date', [CompletionResultType]::ParameterName, 'The day (YYYY-MM-DD, business date in --tz)')
            [CompletionResult]::new('--item', '--item', [CompletionResultType]::ParameterName, 'Words that sku_name must all contain (as an Elasticsearch match with operator and)')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Sum per user gender, or per age band (<20, 20-29, >=30)')
            [CompletionResult]::new('--page', '--page', [CompletionResultType]::ParameterName, 'Which page of lines, from 1')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Lines per page')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read NDJSON documents (as the tools'' `--to -` or `DIR/` wrote them) instead of Elasticsearch; several after one --from, or repeated')
            [CompletionResult]::new('--max-retry-time', '--max-retry-time', [CompletionResultType]::ParameterName, 'Give up (exit 69) when Elasticsearch stays unreachable this long, e.g. 10s, 2m')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('--details', '--details', [CompletionResultType]::ParameterName, 'Also list the matching lines, a page at a time (ordered by detail id)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (stable field names) instead of the table')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'Print CSV (a header, a row per hour or group, a total row)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;report;help' {
            [CompletionResult]::new('dau', 'dau', [CompletionResultType]::ParameterValue, 'Visits (daily active devices) per hour of a day against another day, from gmall_dau_info_{dt}')
            [CompletionResult]::new('gmv', 'gmv', [CompletionResultType]::ParameterValue, 'GMV (Σ split_total_amount, exact to the cent) per hour of a day against another day, from gmall_order_wide_{dt}')
            [CompletionResult]::new('orders', 'orders', [CompletionResultType]::ParameterValue, 'Order lines whose sku_name has all the words, summed per user gender or age band, with a page of the lines')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rtdw;report;help;dau' {
            break
        }
        'rtdw;report;help;gmv' {
            break
        }
        'rtdw;report;help;orders' {
            break
        }
        'rtdw;report;help;help' {
            break
        }
        'rtdw;restore-state' {
            [CompletionResult]::new('--date', '--date', [CompletionResultType]::ParameterName, 'The business day whose set to rebuild (YYYY-MM-DD)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read the documents from NDJSON (dau''s --to - or DIR/ output) instead of Elasticsearch')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Ids per page read from Elasticsearch')
            [CompletionResult]::new('--max-retry-time', '--max-retry-time', [CompletionResultType]::ParameterName, 'Give up (exit 69) when a service stays unreachable this long')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Compare only: report the counts and differences, change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'The report as JSON on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;offsets' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Stored offset, log start, log end and lag per partition of a group')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every group the store knows, with its topics and total lag')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Move a group''s stored offsets (prints the plan; --execute applies it)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Remove a group''s stored offsets of a topic')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The executed resets and deletes of a group (who, when, before, after)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rtdw;offsets;show' {
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'group')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Only these topics (TOPIC or TOPIC:P,P…); repeatable [default: every topic of the group]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where the offsets are: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('--all-groups', '--all-groups', [CompletionResultType]::ParameterName, 'Every group the store has offsets for, one after another (as `kafka-consumer-groups.sh --describe --all-groups`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'JSON on stdout (stable field names)')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'CSV on stdout, with a header line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;offsets;list' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where the offsets are: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'JSON on stdout (stable field names)')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'CSV on stdout, with a header line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;offsets;reset' {
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'group')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topics to reset (TOPIC or TOPIC:P,P…); repeatable')
            [CompletionResult]::new('--to-offset', '--to-offset', [CompletionResultType]::ParameterName, 'To this offset (0 or more)')
            [CompletionResult]::new('--shift-by', '--shift-by', [CompletionResultType]::ParameterName, 'Move the stored offsets by ±N')
            [CompletionResult]::new('--to-datetime', '--to-datetime', [CompletionResultType]::ParameterName, 'To the first record at or after this time: 2026-11-22T10:00:00+08:00, …Z, or zone-less (read in --tz)')
            [CompletionResult]::new('--by-duration', '--by-duration', [CompletionResultType]::ParameterName, 'To the first record at or after now minus this ISO 8601 duration, e.g. PT30M, P1DT2H')
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'To the offsets in a `topic,partition,offset` CSV (as --export writes)')
            [CompletionResult]::new('--export', '--export', [CompletionResultType]::ParameterName, 'Also write the plan as `topic,partition,offset` CSV to FILE')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where the offsets are: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('--all-topics', '--all-topics', [CompletionResultType]::ParameterName, 'Every topic the group has offsets for')
            [CompletionResult]::new('--to-earliest', '--to-earliest', [CompletionResultType]::ParameterName, 'To the log start')
            [CompletionResult]::new('--to-latest', '--to-latest', [CompletionResultType]::ParameterName, 'To the log end')
            [CompletionResult]::new('--to-current', '--to-current', [CompletionResultType]::ParameterName, 'Keep the stored offsets (clamped into the log)')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Apply the plan (without it nothing changes)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Reset even while the group has live members or instances')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'JSON on stdout (stable field names)')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'CSV on stdout, with a header line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;offsets;delete' {
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'group')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'topic')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where the offsets are: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Delete (without it, only say what would be deleted)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Delete even while the group has live members or instances')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;offsets;history' {
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'group')
            [CompletionResult]::new('--undo', '--undo', [CompletionResultType]::ParameterName, 'Print the offsets from before entry ID as `topic,partition,offset` CSV, ready for `reset --from-file` (undo)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where the offsets are: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'JSON on stdout (stable field names)')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'CSV on stdout, with a header line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;offsets;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Stored offset, log start, log end and lag per partition of a group')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every group the store knows, with its topics and total lag')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Move a group''s stored offsets (prints the plan; --execute applies it)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Remove a group''s stored offsets of a topic')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The executed resets and deletes of a group (who, when, before, after)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rtdw;offsets;help;show' {
            break
        }
        'rtdw;offsets;help;list' {
            break
        }
        'rtdw;offsets;help;reset' {
            break
        }
        'rtdw;offsets;help;delete' {
            break
        }
        'rtdw;offsets;help;history' {
            break
        }
        'rtdw;offsets;help;help' {
            break
        }
        'rtdw;mock' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'User-behaviour logs (SPEC §3.1): start and page logs with displays, actions and errors')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Business-database changes (SPEC §3.3) of the gmall tables as Maxwell, Canal or Debezium records, or SQL')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rtdw;mock;logs' {
            [CompletionResult]::new('--devices', '--devices', [CompletionResultType]::ParameterName, 'Distinct devices (mid)')
            [CompletionResult]::new('--users', '--users', [CompletionResultType]::ParameterName, 'Distinct user accounts (uid)')
            [CompletionResult]::new('--date', '--date', [CompletionResultType]::ParameterName, 'Business date of the logs (YYYY-MM-DD, in --tz) [default: today]')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Random seed: the same seed (and flags) gives the same output [default: derived from --date, so days differ]')
            [CompletionResult]::new('--lines', '--lines', [CompletionResultType]::ParameterName, 'Stop after this many lines [default: about three visits per device]')
            [CompletionResult]::new('--dirty-ratio', '--dirty-ratio', [CompletionResultType]::ParameterName, 'Share of malformed lines (0.0–1.0)')
            [CompletionResult]::new('--bot-ratio', '--bot-ratio', [CompletionResultType]::ParameterName, 'Share of devices that are coupon bots (many accounts taking coupons, no browsing)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Output: - (stdout), FILE (.gz compressed), DIR/ (DIR/ODS_BASE_LOG.jsonl), kafka or kafka:TOPIC')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;mock;db' {
            [CompletionResult]::new('--orders', '--orders', [CompletionResultType]::ParameterName, 'Orders placed during the day')
            [CompletionResult]::new('--users', '--users', [CompletionResultType]::ParameterName, 'Rows of user_info (ids 1..N, as `mock logs --users`)')
            [CompletionResult]::new('--skus', '--skus', [CompletionResultType]::ParameterName, 'Rows of sku_info (ids 1..N, the items `mock logs` shows)')
            [CompletionResult]::new('--date', '--date', [CompletionResultType]::ParameterName, 'Business date of the changes (YYYY-MM-DD, in --tz) [default: today]')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Random seed: the same seed (and flags) gives the same output [default: derived from --date, so days differ]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'CDC dialect of the records')
            [CompletionResult]::new('--debezium-schemas', '--debezium-schemas', [CompletionResultType]::ParameterName, 'Debezium: wrap each record in the JSON converter''s {"schema","payload"} (schemas.enable)')
            [CompletionResult]::new('--debezium-decimals', '--debezium-decimals', [CompletionResultType]::ParameterName, 'Debezium: DECIMAL as `precise` (base64 of the unscaled value, the connector''s default) or `string` (older mocks)')
            [CompletionResult]::new('--early-detail-ratio', '--early-detail-ratio', [CompletionResultType]::ParameterName, 'Share of orders whose details are committed (and arrive) before the order row')
            [CompletionResult]::new('--dirty-ratio', '--dirty-ratio', [CompletionResultType]::ParameterName, 'Share of malformed records')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Output: - (stdout), FILE (.gz compressed), DIR/ (DIR/ODS_BASE_DB.jsonl), kafka or kafka:TOPIC')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('--no-snapshot', '--no-snapshot', [CompletionResultType]::ParameterName, 'Leave out the snapshot of base_province, sku_info and user_info that opens the stream')
            [CompletionResult]::new('--sql', '--sql', [CompletionResultType]::ParameterName, 'Print MySQL statements (CREATE TABLE IF NOT EXISTS, INSERT, UPDATE, DELETE) instead of CDC records')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;mock;help' {
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'User-behaviour logs (SPEC §3.1): start and page logs with displays, actions and errors')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Business-database changes (SPEC §3.3) of the gmall tables as Maxwell, Canal or Debezium records, or SQL')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rtdw;mock;help;logs' {
            break
        }
        'rtdw;mock;help;db' {
            break
        }
        'rtdw;mock;help;help' {
            break
        }
        'rtdw;config' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the resolved settings (flags > env > rtdw.toml > defaults), secrets masked')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rtdw;config;show' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object instead of `key = value` lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;config;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the resolved settings (flags > env > rtdw.toml > defaults), secrets masked')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rtdw;config;help;show' {
            break
        }
        'rtdw;config;help;help' {
            break
        }
        'rtdw;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;man' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory to write the pages into')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: ./rtdw.toml if it exists]')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'Kafka bootstrap servers, e.g. host1:9092,host2:9092')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://, rediss://, or a comma-separated cluster list')
            [CompletionResult]::new('--es', '--es', [CompletionResultType]::ParameterName, 'Elasticsearch node URL(s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less log output on stderr (-q warnings only, -qq errors only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rtdw;help' {
            [CompletionResult]::new('split-log', 'split-log', [CompletionResultType]::ParameterValue, 'Split ODS user-behaviour logs into the DWD streams (start, page, display, action, error, dirty)')
            [CompletionResult]::new('route-db', 'route-db', [CompletionResultType]::ParameterValue, 'Route CDC records (Maxwell, Canal, Debezium): fact rows to DWD_{TABLE}_{I|U|D}, dimension rows to DIM:{TABLE}:{id}')
            [CompletionResult]::new('bootstrap-dims', 'bootstrap-dims', [CompletionResultType]::ParameterValue, 'Backfill dimension rows (DIM:{TABLE}:{id}) from MySQL by keyset pages, or from a file of CDC records or plain rows')
            [CompletionResult]::new('dau', 'dau', [CompletionResultType]::ParameterValue, 'Daily active users: the first visit of each device per day, enriched, to gmall_dau_info_{dt} (create, _id = mid)')
            [CompletionResult]::new('order-wide', 'order-wide', [CompletionResultType]::ParameterValue, 'Join orders with their details across batches, enrich and apportion them, to gmall_order_wide_{dt} (index, _id = detail id)')
            [CompletionResult]::new('risk-alert', 'risk-alert', [CompletionResultType]::ParameterValue, 'Coupon-fraud alerts: several users taking coupons on one device within a window, without browsing, in event time')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'What the dashboards showed: visits and GMV per hour against another day, order lines by gender or age')
            [CompletionResult]::new('restore-state', 'restore-state', [CompletionResultType]::ParameterValue, 'Rebuild a day''s DAU:{date} set from the mids in Elasticsearch (or a file), atomically')
            [CompletionResult]::new('offsets', 'offsets', [CompletionResultType]::ParameterValue, 'Inspect and reset stored offsets (Redis, file or Kafka group), like kafka-consumer-groups.sh')
            [CompletionResult]::new('mock', 'mock', [CompletionResultType]::ParameterValue, 'Generate realistic, deterministic test data')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the resolved settings (secrets masked)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages (rtdw.1 and one per subcommand) into a directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rtdw;help;split-log' {
            break
        }
        'rtdw;help;route-db' {
            [CompletionResult]::new('tables', 'tables', [CompletionResultType]::ParameterValue, 'Show or change which tables are facts (FACT:TABLES) and dimensions (DIM:TABLES)')
            break
        }
        'rtdw;help;route-db;tables' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print both lists: `fact TABLE` / `dim TABLE` lines, or --json')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add tables to the lists; a running route-db uses them from its next batch')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove tables from the lists')
            break
        }
        'rtdw;help;route-db;tables;list' {
            break
        }
        'rtdw;help;route-db;tables;add' {
            break
        }
        'rtdw;help;route-db;tables;remove' {
            break
        }
        'rtdw;help;bootstrap-dims' {
            break
        }
        'rtdw;help;dau' {
            break
        }
        'rtdw;help;order-wide' {
            break
        }
        'rtdw;help;risk-alert' {
            break
        }
        'rtdw;help;report' {
            [CompletionResult]::new('dau', 'dau', [CompletionResultType]::ParameterValue, 'Visits (daily active devices) per hour of a day against another day, from gmall_dau_info_{dt}')
            [CompletionResult]::new('gmv', 'gmv', [CompletionResultType]::ParameterValue, 'GMV (Σ split_total_amount, exact to the cent) per hour of a day against another day, from gmall_order_wide_{dt}')
            [CompletionResult]::new('orders', 'orders', [CompletionResultType]::ParameterValue, 'Order lines whose sku_name has all the words, summed per user gender or age band, with a page of the lines')
            break
        }
        'rtdw;help;report;dau' {
            break
        }
        'rtdw;help;report;gmv' {
            break
        }
        'rtdw;help;report;orders' {
            break
        }
        'rtdw;help;restore-state' {
            break
        }
        'rtdw;help;offsets' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Stored offset, log start, log end and lag per partition of a group')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every group the store knows, with its topics and total lag')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Move a group''s stored offsets (prints the plan; --execute applies it)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Remove a group''s stored offsets of a topic')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The executed resets and deletes of a group (who, when, before, after)')
            break
        }
        'rtdw;help;offsets;show' {
            break
        }
        'rtdw;help;offsets;list' {
            break
        }
        'rtdw;help;offsets;reset' {
            break
        }
        'rtdw;help;offsets;delete' {
            break
        }
        'rtdw;help;offsets;history' {
            break
        }
        'rtdw;help;mock' {
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'User-behaviour logs (SPEC §3.1): start and page logs with displays, actions and errors')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Business-database changes (SPEC §3.3) of the gmall tables as Maxwell, Canal or Debezium records, or SQL')
            break
        }
        'rtdw;help;mock;logs' {
            break
        }
        'rtdw;help;mock;db' {
            break
        }
        'rtdw;help;config' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the resolved settings (flags > env > rtdw.toml > defaults), secrets masked')
            break
        }
        'rtdw;help;config;show' {
            break
        }
        'rtdw;help;completions' {
            break
        }
        'rtdw;help;man' {
            break
        }
        'rtdw;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
