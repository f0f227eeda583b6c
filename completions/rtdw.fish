# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_rtdw_global_optspecs
    string join \n config= brokers= redis= es= state= tz= v/verbose q/quiet log-format= h/help V/version
end

function __fish_rtdw_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_rtdw_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_rtdw_using_subcommand
    set -l cmd (__fish_rtdw_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c rtdw -n "__fish_rtdw_needs_command" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_needs_command" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_needs_command" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_needs_command" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_needs_command" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_needs_command" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_needs_command" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_needs_command" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_needs_command" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rtdw -n "__fish_rtdw_needs_command" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_needs_command" -f -a "split-log" -d 'Split ODS user-behaviour logs into the DWD streams (start, page, display, action, error, dirty)'
complete -c rtdw -n "__fish_rtdw_needs_command" -f -a "route-db" -d 'Route CDC records (Maxwell, Canal, Debezium): fact rows to DWD_{TABLE}_{I|U|D}, dimension rows to DIM:{TABLE}:{id}'
complete -c rtdw -n "__fish_rtdw_needs_command" -f -a "bootstrap-dims" -d 'Backfill dimension rows (DIM:{TABLE}:{id}) from MySQL by keyset pages, or from a file of CDC records or plain rows'
complete -c rtdw -n "__fish_rtdw_needs_command" -f -a "dau" -d 'Daily active users: the first visit of each device per day, enriched, to gmall_dau_info_{dt} (create, _id = mid)'
complete -c rtdw -n "__fish_rtdw_needs_command" -f -a "order-wide" -d 'Join orders with their details across batches, enrich and apportion them, to gmall_order_wide_{dt} (index, _id = detail id)'
complete -c rtdw -n "__fish_rtdw_needs_command" -f -a "risk-alert" -d 'Coupon-fraud alerts: several users taking coupons on one device within a window, without browsing, in event time'
complete -c rtdw -n "__fish_rtdw_needs_command" -f -a "report" -d 'What the dashboards showed: visits and GMV per hour against another day, order lines by gender or age'
complete -c rtdw -n "__fish_rtdw_needs_command" -f -a "restore-state" -d 'Rebuild a day\'s DAU:{date} set from the mids in Elasticsearch (or a file), atomically'
complete -c rtdw -n "__fish_rtdw_needs_command" -f -a "offsets" -d 'Inspect and reset stored offsets (Redis, file or Kafka group), like kafka-consumer-groups.sh'
complete -c rtdw -n "__fish_rtdw_needs_command" -f -a "mock" -d 'Generate realistic, deterministic test data'
complete -c rtdw -n "__fish_rtdw_needs_command" -f -a "config" -d 'Show the resolved settings (secrets masked)'
complete -c rtdw -n "__fish_rtdw_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c rtdw -n "__fish_rtdw_needs_command" -f -a "man" -d 'Write man pages (rtdw.1 and one per subcommand) into a directory'
complete -c rtdw -n "__fish_rtdw_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l from -d 'Input: kafka:TOPIC[,TOPIC…] (or `kafka` for the default topic), FILE… (.gz ok; a folder: its *.jsonl[.gz] in name order), or - for stdin; several after one --from, or repeated' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l group -d 'Kafka consumer group [default: the tool\'s name]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l offsets -d 'Where offsets are stored: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l batch-max -d 'Most records per micro-batch' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l batch-ms -d 'Longest wait for a micro-batch to fill, in milliseconds' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l on-refused -d 'A document Elasticsearch or a record Kafka refuses for good (a mapping error, a record too large): dead-letter = into the index or topic rtdw_dead_{tool} with the reason, counted `refused`, offsets move on; fail = offsets held from it on, exit 1' -r -f -a "dead-letter\t'Index it into `rtdw_dead_{tool}` with the reason, count it `refused`, move on'
fail\t'Stop storing offsets from it on and exit 1: a restart reads it again'"
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l max-retry-time -d 'Give up (exit 69) when a service stays unreachable this long, e.g. 90s, 5m; 0 = never [default: 60s for files, stdin and --once; never for a Kafka stream]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l instance-id -d 'This instance\'s name in the group\'s registry and in its transactional.id [default: the host name]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l metrics-addr -d 'Serve Prometheus metrics on HOST:PORT at /metrics' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l max-line-bytes -d 'Lines longer than this become dirty (the dirty record keeps the first 64 KiB)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l min-event-time -d 'Event times before this date (UTC) are dirty: a corrupt `ts` never creates an index' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l max-event-ahead -d 'Event times further than this ahead of the clock are dirty, e.g. 24h, 90m' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l to -d 'Output: kafka (the DWD topics), - (NDJSON envelopes on stdout), or DIR/ (one TOPIC.jsonl per stream, appended)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l once -d 'Drain what is available now, then exit (for cron)'
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l strict -d 'Stop with exit 65 at the first bad record instead of sending it to the dirty stream'
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -l exactly-once -d 'Kafka → Kafka in transactions: outputs and offsets commit together (offsets in the Kafka group)'
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rtdw -n "__fish_rtdw_using_subcommand split-log" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l from -d 'Input: kafka:TOPIC[,TOPIC…] (or `kafka` for the default topic), FILE… (.gz ok; a folder: its *.jsonl[.gz] in name order), or - for stdin; several after one --from, or repeated' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l group -d 'Kafka consumer group [default: the tool\'s name]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l offsets -d 'Where offsets are stored: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l batch-max -d 'Most records per micro-batch' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l batch-ms -d 'Longest wait for a micro-batch to fill, in milliseconds' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l on-refused -d 'A document Elasticsearch or a record Kafka refuses for good (a mapping error, a record too large): dead-letter = into the index or topic rtdw_dead_{tool} with the reason, counted `refused`, offsets move on; fail = offsets held from it on, exit 1' -r -f -a "dead-letter\t'Index it into `rtdw_dead_{tool}` with the reason, count it `refused`, move on'
fail\t'Stop storing offsets from it on and exit 1: a restart reads it again'"
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l max-retry-time -d 'Give up (exit 69) when a service stays unreachable this long, e.g. 90s, 5m; 0 = never [default: 60s for files, stdin and --once; never for a Kafka stream]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l instance-id -d 'This instance\'s name in the group\'s registry and in its transactional.id [default: the host name]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l metrics-addr -d 'Serve Prometheus metrics on HOST:PORT at /metrics' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l max-line-bytes -d 'Lines longer than this become dirty (the dirty record keeps the first 64 KiB)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l min-event-time -d 'Event times before this date (UTC) are dirty: a corrupt `ts` never creates an index' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l max-event-ahead -d 'Event times further than this ahead of the clock are dirty, e.g. 24h, 90m' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l format -d 'CDC dialect of every record [default: detected per record]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l to -d 'Output: kafka (the DWD_{TABLE}_{I|U|D} topics; dimension rows go to the state store), - (NDJSON envelopes on stdout), or DIR/ (one TOPIC.jsonl per stream, appended)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l once -d 'Drain what is available now, then exit (for cron)'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l strict -d 'Stop with exit 65 at the first bad record instead of sending it to the dirty stream'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -l exactly-once -d 'Kafka → Kafka in transactions: outputs and offsets commit together (offsets in the Kafka group)'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -f -a "tables" -d 'Show or change which tables are facts (FACT:TABLES) and dimensions (DIM:TABLES)'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and not __fish_seen_subcommand_from tables help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and __fish_seen_subcommand_from tables" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and __fish_seen_subcommand_from tables" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and __fish_seen_subcommand_from tables" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and __fish_seen_subcommand_from tables" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and __fish_seen_subcommand_from tables" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and __fish_seen_subcommand_from tables" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and __fish_seen_subcommand_from tables" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and __fish_seen_subcommand_from tables" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and __fish_seen_subcommand_from tables" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and __fish_seen_subcommand_from tables" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and __fish_seen_subcommand_from tables" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and __fish_seen_subcommand_from tables" -f -a "list" -d 'Print both lists: `fact TABLE` / `dim TABLE` lines, or --json'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and __fish_seen_subcommand_from tables" -f -a "add" -d 'Add tables to the lists; a running route-db uses them from its next batch'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and __fish_seen_subcommand_from tables" -f -a "remove" -d 'Remove tables from the lists'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and __fish_seen_subcommand_from tables" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and __fish_seen_subcommand_from help" -f -a "tables" -d 'Show or change which tables are facts (FACT:TABLES) and dimensions (DIM:TABLES)'
complete -c rtdw -n "__fish_rtdw_using_subcommand route-db; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l from -d 'mysql://USER@HOST[:PORT]/DB (password from RTDW_MYSQL_PASSWORD), FILE (.gz ok) or - (stdin)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l table -d 'A table to backfill; repeatable. From a file: the table of plain rows, or which tables of CDC records to keep' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l page-size -d 'Rows per MySQL page (one indexed query each) and per pipelined write' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l format -d 'CDC dialect of file records [default: detected per record]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l pk -d 'Primary-key column(s) of plain rows from a file, comma-separated [default: id]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l as-of -d 'When rows without a version of their own (MySQL reads, plain rows) were true, e.g. 2026-11-22T03:00:00Z [default: MySQL: each page\'s read time; a file: its modification time; stdin: now]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l snapshot-margin -d 'Subtracted from that time, so that a streamed change that may be newer than the snapshot always wins' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l max-retry-time -d 'Give up (exit 69) when the state store stays unreachable this long; 0 = never' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l all-dims -d 'Every table in DIM:TABLES'
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l dry-run -d 'Read and count, write nothing'
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l resume -d 'Continue after the last written key of an interrupted run (kept in the state store)'
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -l strict -d 'Stop with exit 65 at the first bad record instead of printing it as a DWD_DIRTY_LOG envelope on stdout'
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand bootstrap-dims" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l from -d 'Input: kafka:TOPIC[,TOPIC…] (or `kafka` for the default topic), FILE… (.gz ok; a folder: its *.jsonl[.gz] in name order), or - for stdin; several after one --from, or repeated' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l group -d 'Kafka consumer group [default: the tool\'s name]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l offsets -d 'Where offsets are stored: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l batch-max -d 'Most records per micro-batch' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l batch-ms -d 'Longest wait for a micro-batch to fill, in milliseconds' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l on-refused -d 'A document Elasticsearch or a record Kafka refuses for good (a mapping error, a record too large): dead-letter = into the index or topic rtdw_dead_{tool} with the reason, counted `refused`, offsets move on; fail = offsets held from it on, exit 1' -r -f -a "dead-letter\t'Index it into `rtdw_dead_{tool}` with the reason, count it `refused`, move on'
fail\t'Stop storing offsets from it on and exit 1: a restart reads it again'"
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l max-retry-time -d 'Give up (exit 69) when a service stays unreachable this long, e.g. 90s, 5m; 0 = never [default: 60s for files, stdin and --once; never for a Kafka stream]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l instance-id -d 'This instance\'s name in the group\'s registry and in its transactional.id [default: the host name]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l metrics-addr -d 'Serve Prometheus metrics on HOST:PORT at /metrics' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l max-line-bytes -d 'Lines longer than this become dirty (the dirty record keeps the first 64 KiB)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l min-event-time -d 'Event times before this date (UTC) are dirty: a corrupt `ts` never creates an index' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l max-event-ahead -d 'Event times further than this ahead of the clock are dirty, e.g. 24h, 90m' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l forget-day -d 'Forget the DAU set of this business date before reading, so the run counts the day from scratch (a kappa-style recomputation into a fresh output); repeatable. Run it as one instance, not beside a live job of that day' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l to -d 'Output: es (gmall_dau_info_{dt} in --es), - (documents on stdout), or DIR/ (one INDEX.jsonl per index, appended)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l once -d 'Drain what is available now, then exit (for cron)'
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l strict -d 'Stop with exit 65 at the first bad record instead of sending it to the dirty stream'
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -l exactly-once -d 'Kafka → Kafka in transactions: outputs and offsets commit together (offsets in the Kafka group)'
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rtdw -n "__fish_rtdw_using_subcommand dau" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l from -d 'Input: kafka:TOPIC[,TOPIC…] (or `kafka` for the default topic), FILE… (.gz ok; a folder: its *.jsonl[.gz] in name order), or - for stdin; several after one --from, or repeated' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l group -d 'Kafka consumer group [default: the tool\'s name]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l offsets -d 'Where offsets are stored: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l batch-max -d 'Most records per micro-batch' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l batch-ms -d 'Longest wait for a micro-batch to fill, in milliseconds' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l on-refused -d 'A document Elasticsearch or a record Kafka refuses for good (a mapping error, a record too large): dead-letter = into the index or topic rtdw_dead_{tool} with the reason, counted `refused`, offsets move on; fail = offsets held from it on, exit 1' -r -f -a "dead-letter\t'Index it into `rtdw_dead_{tool}` with the reason, count it `refused`, move on'
fail\t'Stop storing offsets from it on and exit 1: a restart reads it again'"
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l max-retry-time -d 'Give up (exit 69) when a service stays unreachable this long, e.g. 90s, 5m; 0 = never [default: 60s for files, stdin and --once; never for a Kafka stream]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l instance-id -d 'This instance\'s name in the group\'s registry and in its transactional.id [default: the host name]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l metrics-addr -d 'Serve Prometheus metrics on HOST:PORT at /metrics' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l max-line-bytes -d 'Lines longer than this become dirty (the dirty record keeps the first 64 KiB)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l min-event-time -d 'Event times before this date (UTC) are dirty: a corrupt `ts` never creates an index' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l max-event-ahead -d 'Event times further than this ahead of the clock are dirty, e.g. 24h, 90m' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l join-ttl -d 'How long an order, and the details waiting for it, are kept for their partners, e.g. 24h, 90m' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l orphan-after -d 'Report a detail still without its order, or an order still missing details, this long after it arrived' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l to -d 'Output: es (gmall_order_wide_{dt} in --es), kafka (the topic DWS_ORDER_WIDE), - (documents on stdout), or DIR/ (one INDEX.jsonl per index, appended)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l once -d 'Drain what is available now, then exit (for cron)'
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l strict -d 'Stop with exit 65 at the first bad record instead of sending it to the dirty stream'
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l exactly-once -d 'Kafka → Kafka in transactions: outputs and offsets commit together (offsets in the Kafka group)'
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -l also-topic -d 'Also write each wide record to the topic DWS_ORDER_WIDE (keyed by order id), with --to es, - or DIR/'
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rtdw -n "__fish_rtdw_using_subcommand order-wide" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l from -d 'Input: kafka:TOPIC[,TOPIC…] (or `kafka` for the default topic), FILE… (.gz ok; a folder: its *.jsonl[.gz] in name order), or - for stdin; several after one --from, or repeated' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l group -d 'Kafka consumer group [default: the tool\'s name]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l offsets -d 'Where offsets are stored: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l batch-max -d 'Most records per micro-batch' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l batch-ms -d 'Longest wait for a micro-batch to fill, in milliseconds' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l on-refused -d 'A document Elasticsearch or a record Kafka refuses for good (a mapping error, a record too large): dead-letter = into the index or topic rtdw_dead_{tool} with the reason, counted `refused`, offsets move on; fail = offsets held from it on, exit 1' -r -f -a "dead-letter\t'Index it into `rtdw_dead_{tool}` with the reason, count it `refused`, move on'
fail\t'Stop storing offsets from it on and exit 1: a restart reads it again'"
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l max-retry-time -d 'Give up (exit 69) when a service stays unreachable this long, e.g. 90s, 5m; 0 = never [default: 60s for files, stdin and --once; never for a Kafka stream]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l instance-id -d 'This instance\'s name in the group\'s registry and in its transactional.id [default: the host name]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l metrics-addr -d 'Serve Prometheus metrics on HOST:PORT at /metrics' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l max-line-bytes -d 'Lines longer than this become dirty (the dirty record keeps the first 64 KiB)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l min-event-time -d 'Event times before this date (UTC) are dirty: a corrupt `ts` never creates an index' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l max-event-ahead -d 'Event times further than this ahead of the clock are dirty, e.g. 24h, 90m' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l window -d 'Span in which the coupons of several users make a pattern, e.g. 5m' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l min-users -d 'Distinct users taking coupons on one device in one span' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l allowed-lateness -d 'How far behind the newest event an event may arrive and still count (streaming input)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l browse-pages -d 'Pages whose views are browsing (unless a coupon was taken on the view), comma-separated' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l to -d 'Output: es (gmall_coupon_alert_{dt} in --es), - (documents on stdout), or DIR/ (one INDEX.jsonl per index, appended)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l once -d 'Drain what is available now, then exit (for cron)'
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l strict -d 'Stop with exit 65 at the first bad record instead of sending it to the dirty stream'
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l streaming -d 'Read files or stdin as a stream (arrival order, watermark, lateness), as Kafka input is; e.g. for `tail -f`'
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -l exactly-once -d 'Kafka → Kafka in transactions: outputs and offsets commit together (offsets in the Kafka group)'
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rtdw -n "__fish_rtdw_using_subcommand risk-alert" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and not __fish_seen_subcommand_from dau gmv orders help" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and not __fish_seen_subcommand_from dau gmv orders help" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and not __fish_seen_subcommand_from dau gmv orders help" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and not __fish_seen_subcommand_from dau gmv orders help" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and not __fish_seen_subcommand_from dau gmv orders help" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and not __fish_seen_subcommand_from dau gmv orders help" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and not __fish_seen_subcommand_from dau gmv orders help" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and not __fish_seen_subcommand_from dau gmv orders help" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and not __fish_seen_subcommand_from dau gmv orders help" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and not __fish_seen_subcommand_from dau gmv orders help" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and not __fish_seen_subcommand_from dau gmv orders help" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and not __fish_seen_subcommand_from dau gmv orders help" -f -a "dau" -d 'Visits (daily active devices) per hour of a day against another day, from gmall_dau_info_{dt}'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and not __fish_seen_subcommand_from dau gmv orders help" -f -a "gmv" -d 'GMV (Σ split_total_amount, exact to the cent) per hour of a day against another day, from gmall_order_wide_{dt}'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and not __fish_seen_subcommand_from dau gmv orders help" -f -a "orders" -d 'Order lines whose sku_name has all the words, summed per user gender or age band, with a page of the lines'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and not __fish_seen_subcommand_from dau gmv orders help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from dau" -l date -d 'The day (YYYY-MM-DD, business date in --tz)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from dau" -l compare -d 'The day to compare with [default: the day before --date]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from dau" -l png -d 'Also draw the two days as a line chart into this PNG file' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from dau" -l from -d 'Read NDJSON documents (as the tools\' `--to -` or `DIR/` wrote them) instead of Elasticsearch; several after one --from, or repeated' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from dau" -l max-retry-time -d 'Give up (exit 69) when Elasticsearch stays unreachable this long, e.g. 10s, 2m' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from dau" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from dau" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from dau" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from dau" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from dau" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from dau" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from dau" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from dau" -l json -d 'Print JSON (stable field names) instead of the table'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from dau" -l csv -d 'Print CSV (a header, a row per hour or group, a total row)'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from dau" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from dau" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from dau" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from dau" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from gmv" -l date -d 'The day (YYYY-MM-DD, business date in --tz)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from gmv" -l compare -d 'The day to compare with [default: the day before --date]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from gmv" -l png -d 'Also draw the two days as a line chart into this PNG file' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from gmv" -l from -d 'Read NDJSON documents (as the tools\' `--to -` or `DIR/` wrote them) instead of Elasticsearch; several after one --from, or repeated' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from gmv" -l max-retry-time -d 'Give up (exit 69) when Elasticsearch stays unreachable this long, e.g. 10s, 2m' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from gmv" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from gmv" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from gmv" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from gmv" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from gmv" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from gmv" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from gmv" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from gmv" -l json -d 'Print JSON (stable field names) instead of the table'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from gmv" -l csv -d 'Print CSV (a header, a row per hour or group, a total row)'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from gmv" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from gmv" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from gmv" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from gmv" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -l date -d 'The day (YYYY-MM-DD, business date in --tz)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -l item -d 'Words that sku_name must all contain (as an Elasticsearch match with operator and)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -l by -d 'Sum per user gender, or per age band (<20, 20-29, >=30)' -r -f -a "gender\t''
age\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -l page -d 'Which page of lines, from 1' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -l size -d 'Lines per page' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -l from -d 'Read NDJSON documents (as the tools\' `--to -` or `DIR/` wrote them) instead of Elasticsearch; several after one --from, or repeated' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -l max-retry-time -d 'Give up (exit 69) when Elasticsearch stays unreachable this long, e.g. 10s, 2m' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -l details -d 'Also list the matching lines, a page at a time (ordered by detail id)'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -l json -d 'Print JSON (stable field names) instead of the table'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -l csv -d 'Print CSV (a header, a row per hour or group, a total row)'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from orders" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "dau" -d 'Visits (daily active devices) per hour of a day against another day, from gmall_dau_info_{dt}'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "gmv" -d 'GMV (Σ split_total_amount, exact to the cent) per hour of a day against another day, from gmall_order_wide_{dt}'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "orders" -d 'Order lines whose sku_name has all the words, summed per user gender or age band, with a page of the lines'
complete -c rtdw -n "__fish_rtdw_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rtdw -n "__fish_rtdw_using_subcommand restore-state" -l date -d 'The business day whose set to rebuild (YYYY-MM-DD)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand restore-state" -l from -d 'Read the documents from NDJSON (dau\'s --to - or DIR/ output) instead of Elasticsearch' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand restore-state" -l page-size -d 'Ids per page read from Elasticsearch' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand restore-state" -l max-retry-time -d 'Give up (exit 69) when a service stays unreachable this long' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand restore-state" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand restore-state" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand restore-state" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand restore-state" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand restore-state" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand restore-state" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand restore-state" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand restore-state" -l dry-run -d 'Compare only: report the counts and differences, change nothing'
complete -c rtdw -n "__fish_rtdw_using_subcommand restore-state" -l json -d 'The report as JSON on stdout'
complete -c rtdw -n "__fish_rtdw_using_subcommand restore-state" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand restore-state" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand restore-state" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand restore-state" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and not __fish_seen_subcommand_from show list reset delete history help" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and not __fish_seen_subcommand_from show list reset delete history help" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and not __fish_seen_subcommand_from show list reset delete history help" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and not __fish_seen_subcommand_from show list reset delete history help" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and not __fish_seen_subcommand_from show list reset delete history help" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and not __fish_seen_subcommand_from show list reset delete history help" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and not __fish_seen_subcommand_from show list reset delete history help" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and not __fish_seen_subcommand_from show list reset delete history help" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and not __fish_seen_subcommand_from show list reset delete history help" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and not __fish_seen_subcommand_from show list reset delete history help" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and not __fish_seen_subcommand_from show list reset delete history help" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and not __fish_seen_subcommand_from show list reset delete history help" -f -a "show" -d 'Stored offset, log start, log end and lag per partition of a group'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and not __fish_seen_subcommand_from show list reset delete history help" -f -a "list" -d 'Every group the store knows, with its topics and total lag'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and not __fish_seen_subcommand_from show list reset delete history help" -f -a "reset" -d 'Move a group\'s stored offsets (prints the plan; --execute applies it)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and not __fish_seen_subcommand_from show list reset delete history help" -f -a "delete" -d 'Remove a group\'s stored offsets of a topic'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and not __fish_seen_subcommand_from show list reset delete history help" -f -a "history" -d 'The executed resets and deletes of a group (who, when, before, after)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and not __fish_seen_subcommand_from show list reset delete history help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from show" -l group -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from show" -l topic -d 'Only these topics (TOPIC or TOPIC:P,P…); repeatable [default: every topic of the group]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from show" -l store -d 'Where the offsets are: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from show" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from show" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from show" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from show" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from show" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from show" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from show" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from show" -l all-groups -d 'Every group the store has offsets for, one after another (as `kafka-consumer-groups.sh --describe --all-groups`)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from show" -l json -d 'JSON on stdout (stable field names)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from show" -l csv -d 'CSV on stdout, with a header line'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from list" -l store -d 'Where the offsets are: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from list" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from list" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from list" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from list" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from list" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from list" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from list" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from list" -l json -d 'JSON on stdout (stable field names)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from list" -l csv -d 'CSV on stdout, with a header line'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l group -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l topic -d 'Topics to reset (TOPIC or TOPIC:P,P…); repeatable' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l to-offset -d 'To this offset (0 or more)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l shift-by -d 'Move the stored offsets by ±N' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l to-datetime -d 'To the first record at or after this time: 2026-11-22T10:00:00+08:00, …Z, or zone-less (read in --tz)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l by-duration -d 'To the first record at or after now minus this ISO 8601 duration, e.g. PT30M, P1DT2H' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l from-file -d 'To the offsets in a `topic,partition,offset` CSV (as --export writes)' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l export -d 'Also write the plan as `topic,partition,offset` CSV to FILE' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l store -d 'Where the offsets are: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l all-topics -d 'Every topic the group has offsets for'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l to-earliest -d 'To the log start'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l to-latest -d 'To the log end'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l to-current -d 'Keep the stored offsets (clamped into the log)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l execute -d 'Apply the plan (without it nothing changes)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l force -d 'Reset even while the group has live members or instances'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l json -d 'JSON on stdout (stable field names)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -l csv -d 'CSV on stdout, with a header line'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from reset" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from delete" -l group -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from delete" -l topic -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from delete" -l store -d 'Where the offsets are: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from delete" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from delete" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from delete" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from delete" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from delete" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from delete" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from delete" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from delete" -l execute -d 'Delete (without it, only say what would be deleted)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from delete" -l force -d 'Delete even while the group has live members or instances'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from history" -l group -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from history" -l undo -d 'Print the offsets from before entry ID as `topic,partition,offset` CSV, ready for `reset --from-file` (undo)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from history" -l store -d 'Where the offsets are: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from history" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from history" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from history" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from history" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from history" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from history" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from history" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from history" -l json -d 'JSON on stdout (stable field names)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from history" -l csv -d 'CSV on stdout, with a header line'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from history" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from history" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from history" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from help" -f -a "show" -d 'Stored offset, log start, log end and lag per partition of a group'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from help" -f -a "list" -d 'Every group the store knows, with its topics and total lag'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from help" -f -a "reset" -d 'Move a group\'s stored offsets (prints the plan; --execute applies it)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Remove a group\'s stored offsets of a topic'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from help" -f -a "history" -d 'The executed resets and deletes of a group (who, when, before, after)'
complete -c rtdw -n "__fish_rtdw_using_subcommand offsets; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and not __fish_seen_subcommand_from logs db help" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and not __fish_seen_subcommand_from logs db help" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and not __fish_seen_subcommand_from logs db help" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and not __fish_seen_subcommand_from logs db help" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and not __fish_seen_subcommand_from logs db help" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and not __fish_seen_subcommand_from logs db help" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and not __fish_seen_subcommand_from logs db help" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and not __fish_seen_subcommand_from logs db help" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and not __fish_seen_subcommand_from logs db help" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and not __fish_seen_subcommand_from logs db help" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and not __fish_seen_subcommand_from logs db help" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and not __fish_seen_subcommand_from logs db help" -f -a "logs" -d 'User-behaviour logs (SPEC §3.1): start and page logs with displays, actions and errors'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and not __fish_seen_subcommand_from logs db help" -f -a "db" -d 'Business-database changes (SPEC §3.3) of the gmall tables as Maxwell, Canal or Debezium records, or SQL'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and not __fish_seen_subcommand_from logs db help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -l devices -d 'Distinct devices (mid)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -l users -d 'Distinct user accounts (uid)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -l date -d 'Business date of the logs (YYYY-MM-DD, in --tz) [default: today]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -l seed -d 'Random seed: the same seed (and flags) gives the same output [default: derived from --date, so days differ]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -l lines -d 'Stop after this many lines [default: about three visits per device]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -l dirty-ratio -d 'Share of malformed lines (0.0–1.0)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -l bot-ratio -d 'Share of devices that are coupon bots (many accounts taking coupons, no browsing)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -l to -d 'Output: - (stdout), FILE (.gz compressed), DIR/ (DIR/ODS_BASE_LOG.jsonl), kafka or kafka:TOPIC' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from logs" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l orders -d 'Orders placed during the day' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l users -d 'Rows of user_info (ids 1..N, as `mock logs --users`)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l skus -d 'Rows of sku_info (ids 1..N, the items `mock logs` shows)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l date -d 'Business date of the changes (YYYY-MM-DD, in --tz) [default: today]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l seed -d 'Random seed: the same seed (and flags) gives the same output [default: derived from --date, so days differ]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l format -d 'CDC dialect of the records' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l debezium-schemas -d 'Debezium: wrap each record in the JSON converter\'s {"schema","payload"} (schemas.enable)' -r -f -a "on\t''
off\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l debezium-decimals -d 'Debezium: DECIMAL as `precise` (base64 of the unscaled value, the connector\'s default) or `string` (older mocks)' -r -f -a "precise\t''
string\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l early-detail-ratio -d 'Share of orders whose details are committed (and arrive) before the order row' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l dirty-ratio -d 'Share of malformed records' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l to -d 'Output: - (stdout), FILE (.gz compressed), DIR/ (DIR/ODS_BASE_DB.jsonl), kafka or kafka:TOPIC' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l no-snapshot -d 'Leave out the snapshot of base_province, sku_info and user_info that opens the stream'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -l sql -d 'Print MySQL statements (CREATE TABLE IF NOT EXISTS, INSERT, UPDATE, DELETE) instead of CDC records'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from db" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from help" -f -a "logs" -d 'User-behaviour logs (SPEC §3.1): start and page logs with displays, actions and errors'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from help" -f -a "db" -d 'Business-database changes (SPEC §3.3) of the gmall tables as Maxwell, Canal or Debezium records, or SQL'
complete -c rtdw -n "__fish_rtdw_using_subcommand mock; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and not __fish_seen_subcommand_from show help" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and not __fish_seen_subcommand_from show help" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and not __fish_seen_subcommand_from show help" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and not __fish_seen_subcommand_from show help" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and not __fish_seen_subcommand_from show help" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and not __fish_seen_subcommand_from show help" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and not __fish_seen_subcommand_from show help" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and not __fish_seen_subcommand_from show help" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and not __fish_seen_subcommand_from show help" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and not __fish_seen_subcommand_from show help" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and not __fish_seen_subcommand_from show help" -f -a "show" -d 'Print the resolved settings (flags > env > rtdw.toml > defaults), secrets masked'
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and not __fish_seen_subcommand_from show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and __fish_seen_subcommand_from show" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and __fish_seen_subcommand_from show" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and __fish_seen_subcommand_from show" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and __fish_seen_subcommand_from show" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and __fish_seen_subcommand_from show" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and __fish_seen_subcommand_from show" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and __fish_seen_subcommand_from show" -l json -d 'One JSON object instead of `key = value` lines'
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the resolved settings (flags > env > rtdw.toml > defaults), secrets masked'
complete -c rtdw -n "__fish_rtdw_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rtdw -n "__fish_rtdw_using_subcommand completions" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand completions" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand completions" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand completions" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand completions" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand completions" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand completions" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand completions" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand completions" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand completions" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand completions" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand man" -l out -d 'Directory to write the pages into' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand man" -l config -d 'TOML config file [default: ./rtdw.toml if it exists]' -r -F
complete -c rtdw -n "__fish_rtdw_using_subcommand man" -l brokers -d 'Kafka bootstrap servers, e.g. host1:9092,host2:9092' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand man" -l redis -d 'Redis URL: redis://, rediss://, or a comma-separated cluster list' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand man" -l es -d 'Elasticsearch node URL(s)' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand man" -l state -d 'State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand man" -l tz -d 'Time zone of business dates (dt, hr) [default: Asia/Shanghai]' -r
complete -c rtdw -n "__fish_rtdw_using_subcommand man" -l log-format -d 'Log line format on stderr' -r -f -a "text\t''
json\t''"
complete -c rtdw -n "__fish_rtdw_using_subcommand man" -s v -l verbose -d 'More log output on stderr (-v debug, -vv trace); RUST_LOG overrides'
complete -c rtdw -n "__fish_rtdw_using_subcommand man" -s q -l quiet -d 'Less log output on stderr (-q warnings only, -qq errors only)'
complete -c rtdw -n "__fish_rtdw_using_subcommand man" -s h -l help -d 'Print help'
complete -c rtdw -n "__fish_rtdw_using_subcommand man" -s V -l version -d 'Print version'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and not __fish_seen_subcommand_from split-log route-db bootstrap-dims dau order-wide risk-alert report restore-state offsets mock config completions man help" -f -a "split-log" -d 'Split ODS user-behaviour logs into the DWD streams (start, page, display, action, error, dirty)'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and not __fish_seen_subcommand_from split-log route-db bootstrap-dims dau order-wide risk-alert report restore-state offsets mock config completions man help" -f -a "route-db" -d 'Route CDC records (Maxwell, Canal, Debezium): fact rows to DWD_{TABLE}_{I|U|D}, dimension rows to DIM:{TABLE}:{id}'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and not __fish_seen_subcommand_from split-log route-db bootstrap-dims dau order-wide risk-alert report restore-state offsets mock config completions man help" -f -a "bootstrap-dims" -d 'Backfill dimension rows (DIM:{TABLE}:{id}) from MySQL by keyset pages, or from a file of CDC records or plain rows'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and not __fish_seen_subcommand_from split-log route-db bootstrap-dims dau order-wide risk-alert report restore-state offsets mock config completions man help" -f -a "dau" -d 'Daily active users: the first visit of each device per day, enriched, to gmall_dau_info_{dt} (create, _id = mid)'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and not __fish_seen_subcommand_from split-log route-db bootstrap-dims dau order-wide risk-alert report restore-state offsets mock config completions man help" -f -a "order-wide" -d 'Join orders with their details across batches, enrich and apportion them, to gmall_order_wide_{dt} (index, _id = detail id)'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and not __fish_seen_subcommand_from split-log route-db bootstrap-dims dau order-wide risk-alert report restore-state offsets mock config completions man help" -f -a "risk-alert" -d 'Coupon-fraud alerts: several users taking coupons on one device within a window, without browsing, in event time'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and not __fish_seen_subcommand_from split-log route-db bootstrap-dims dau order-wide risk-alert report restore-state offsets mock config completions man help" -f -a "report" -d 'What the dashboards showed: visits and GMV per hour against another day, order lines by gender or age'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and not __fish_seen_subcommand_from split-log route-db bootstrap-dims dau order-wide risk-alert report restore-state offsets mock config completions man help" -f -a "restore-state" -d 'Rebuild a day\'s DAU:{date} set from the mids in Elasticsearch (or a file), atomically'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and not __fish_seen_subcommand_from split-log route-db bootstrap-dims dau order-wide risk-alert report restore-state offsets mock config completions man help" -f -a "offsets" -d 'Inspect and reset stored offsets (Redis, file or Kafka group), like kafka-consumer-groups.sh'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and not __fish_seen_subcommand_from split-log route-db bootstrap-dims dau order-wide risk-alert report restore-state offsets mock config completions man help" -f -a "mock" -d 'Generate realistic, deterministic test data'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and not __fish_seen_subcommand_from split-log route-db bootstrap-dims dau order-wide risk-alert report restore-state offsets mock config completions man help" -f -a "config" -d 'Show the resolved settings (secrets masked)'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and not __fish_seen_subcommand_from split-log route-db bootstrap-dims dau order-wide risk-alert report restore-state offsets mock config completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and not __fish_seen_subcommand_from split-log route-db bootstrap-dims dau order-wide risk-alert report restore-state offsets mock config completions man help" -f -a "man" -d 'Write man pages (rtdw.1 and one per subcommand) into a directory'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and not __fish_seen_subcommand_from split-log route-db bootstrap-dims dau order-wide risk-alert report restore-state offsets mock config completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and __fish_seen_subcommand_from route-db" -f -a "tables" -d 'Show or change which tables are facts (FACT:TABLES) and dimensions (DIM:TABLES)'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "dau" -d 'Visits (daily active devices) per hour of a day against another day, from gmall_dau_info_{dt}'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "gmv" -d 'GMV (Σ split_total_amount, exact to the cent) per hour of a day against another day, from gmall_order_wide_{dt}'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "orders" -d 'Order lines whose sku_name has all the words, summed per user gender or age band, with a page of the lines'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and __fish_seen_subcommand_from offsets" -f -a "show" -d 'Stored offset, log start, log end and lag per partition of a group'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and __fish_seen_subcommand_from offsets" -f -a "list" -d 'Every group the store knows, with its topics and total lag'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and __fish_seen_subcommand_from offsets" -f -a "reset" -d 'Move a group\'s stored offsets (prints the plan; --execute applies it)'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and __fish_seen_subcommand_from offsets" -f -a "delete" -d 'Remove a group\'s stored offsets of a topic'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and __fish_seen_subcommand_from offsets" -f -a "history" -d 'The executed resets and deletes of a group (who, when, before, after)'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and __fish_seen_subcommand_from mock" -f -a "logs" -d 'User-behaviour logs (SPEC §3.1): start and page logs with displays, actions and errors'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and __fish_seen_subcommand_from mock" -f -a "db" -d 'Business-database changes (SPEC §3.3) of the gmall tables as Maxwell, Canal or Debezium records, or SQL'
complete -c rtdw -n "__fish_rtdw_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print the resolved settings (flags > env > rtdw.toml > defaults), secrets masked'
