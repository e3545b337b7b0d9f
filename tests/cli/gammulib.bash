# Shared by the tests that use Gammu SMSD's tables or run Gammu SMSD on its
# dummy phone against a scratch database (notify_gammu.sh, sms_inbound.sh,
# tests/ha/failover.sh); sourced, not run.

# gammu_schema_sql SCHEMA: Gammu's own tables (its pgsql.sql) in SCHEMA, as
# SQL on stdout for psql; its CREATE LANGUAGE plpgsql fails on PostgreSQL 15
# and is left out.
gammu_schema_sql() {
	echo "SET client_min_messages = warning; CREATE SCHEMA IF NOT EXISTS $1; SET search_path = $1;"
	grep -v '^CREATE LANGUAGE plpgsql' /usr/share/doc/gammu-smsd/examples/pgsql.sql
}

# gammu_smsdrc FILE DEVICE_DIR DATABASE LOGFILE: gammu-smsd's configuration,
# SQL service on our cluster (host:port, where host may be the directory of
# the Unix socket), the dummy phone in DEVICE_DIR, polling every second and
# checking nothing a modem would need. Gammu's queries name its tables
# unqualified: run gammu-smsd with PGOPTIONS='-c search_path=SCHEMA'.
gammu_smsdrc() {
	cat >"$1" <<EOF2
[gammu]
model = dummy
connection = none
device = $2/

[smsd]
service = sql
driver = native_pgsql
sql = pgsql
host = $PGHOST:$PGPORT
user = postgres
password =
database = $3
logfile = $4
debuglevel = 1
commtimeout = 1
loopsleep = 1
receivefrequency = 1
checksecurity = 0
checkbattery = 0
checksignal = 0
checknetwork = 0
statusfrequency = 0
phoneid = minqingtest
EOF2
}
