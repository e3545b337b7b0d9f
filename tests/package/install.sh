#!/usr/bin/env bash
# The Debian package, and README's "Install on a server" followed literally.
#
#   1. the package: `cmake --build … --target package` in a Release build of
#      its own (build/pkg, -DCMAKE_INSTALL_PREFIX=/usr) gives
#      minqing_<version>_amd64.deb; lintian finds no error in it; its
#      conffiles are the configuration files; its Depends come from
#      dpkg-shlibdeps (libpq5, libconfig9, libncursesw6) plus adduser.
#   2. README's block between the install-test markers is run as it is
#      written, line for line, with three differences a test must have:
#      PostgreSQL is a scratch cluster of this test (its own port and
#      socket, `/etc/postgresql/15/main/pg_hba.conf` read as its pg_hba.conf,
#      which holds nothing but the DBA's peer line before README's lines);
#      apt waits for the dpkg lock and upgrades nothing installed already
#      (APT_CONFIG); and where systemd is not
#      the init (containers, CI) `systemctl` and `journalctl` are shell
#      functions that do what systemd would with the installed units: enable
#      makes the real symbolic links (systemctl's offline mode), start runs
#      the unit's ExecStart as its User, with its EnvironmentFile and
#      StateDirectory, and journalctl prints what each unit wrote.
#   3. then: the programs answer --version; systemd-analyze verify accepts
#      the installed units; the escalation pass ran as minqing_escalate by
#      peer authentication (its key=value line, job_state); the drainer ran
#      as minqing_notify and sent the queued messages into its spool; it
#      stops on SIGTERM with exit 0; a second install of the same package
#      keeps an edited conffile.
#
# It installs into the machine (dpkg as root), so it runs as root only
# (else skipped), never beside another run of itself (a lock), and not when
# a minqing package is installed already (a real install is not ours to
# remove). At the end the package is purged and the system users it made
# are removed, the scratch cluster stopped: the machine is left as found.
set -uo pipefail
: "${MQ_SOURCE_DIR:?}"
# (The suite keeps the programs from /etc/minqing/minqing.conf; here the
# installed programs read the package's, as on a server.)
unset MINQING_SYSTEM_CONFIG
[ "$(id -u)" -eq 0 ] || { echo "skip: dpkg -i needs root"; exit 77; }
exec 9>/tmp/minqing-package-test.lock
flock -w 900 9 || { echo "FAIL: another package test held the lock for 15 minutes"; exit 1; }
if dpkg-query -W -f='${Status}' minqing 2>/dev/null | grep -q 'install ok installed'; then
	echo "skip: a minqing package is installed on this machine already"
	exit 77
fi

passed=0 failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

PGBIN=$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)
[ -x "$PGBIN/initdb" ] || PGBIN=/usr/lib/postgresql/15/bin
T=$(mktemp -d /tmp/mqpkg.XXXXXX)
chmod 755 "$T"
PKGBUILD=$MQ_SOURCE_DIR/build/pkg
PORT=$((${PGPORT:-54329} + 17))
users_before=$(getent passwd minqing_escalate minqing_notify | cut -d: -f1 | tr '\n' ' ')

cleanup() {
	local p
	for p in "$T"/journal/*.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null; done
	(cd / && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$T/pg" -m immediate -w stop) >/dev/null 2>&1
	if dpkg-query -W -f='${Status}' minqing 2>/dev/null | grep -q 'installed'; then
		DEBIAN_FRONTEND=noninteractive dpkg --purge minqing >/dev/null 2>&1 || echo "warning: dpkg --purge minqing failed"
	fi
	for u in minqing_escalate minqing_notify; do
		case " $users_before " in *" $u "*) ;; *) deluser --system --quiet "$u" >/dev/null 2>&1 ;; esac
		getent group "$u" >/dev/null && ! getent passwd "$u" >/dev/null && delgroup --system --quiet "$u" >/dev/null 2>&1
	done
	rm -rf /var/lib/minqing-notify /etc/systemd/system/timers.target.wants/minqing-escalate.timer \
		/etc/systemd/system/multi-user.target.wants/minqing-notify.service
	rm -rf "$T"
}
trap cleanup EXIT

# --- 1. the package -----------------------------------------------------------
echo "# building the package in $PKGBUILD"
if [ ! -f "$PKGBUILD/CMakeCache.txt" ]; then
	cmake -S "$MQ_SOURCE_DIR" -B "$PKGBUILD" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
		>"$T/cmake.log" 2>&1 || { cat "$T/cmake.log"; bad "cmake configure"; finish; }
fi
cmake --build "$PKGBUILD" -j"$(nproc)" --target package >"$T/build.log" 2>&1 ||
	{ tail -n 30 "$T/build.log"; bad "cmake --build --target package"; finish; }
version=$(sed -n 's/^project(minqing VERSION \([0-9.]*\).*/\1/p' "$MQ_SOURCE_DIR/CMakeLists.txt")
DEB=$PKGBUILD/minqing_${version}_amd64.deb
[ -f "$DEB" ] && ok "the package is $(basename "$DEB")" || { bad "no $DEB"; finish; }

if lintian --fail-on error "$DEB" >"$T/lintian.log" 2>&1; then
	ok "lintian: no errors ($(grep -c '^W:' "$T/lintian.log") warnings)"
else
	bad "lintian: $(grep '^E:' "$T/lintian.log" | head -n 5)"
fi
grep '^[EW]:' "$T/lintian.log" | sed 's/^/  lintian /'
[ "$(dpkg-deb -f "$DEB" Package Version Architecture | tr '\n' ' ')" = "Package: minqing Version: $version Architecture: amd64 " ] &&
	ok "control: minqing $version amd64" || bad "control: $(dpkg-deb -f "$DEB" Package Version Architecture)"
deps=$(dpkg-deb -f "$DEB" Depends)
for d in adduser libpq5 libconfig9 libncursesw6 libc6; do
	[[ ",$deps" == *", $d"* || "$deps" == "$d"* ]] || { bad "Depends lacks $d: $deps"; continue; }
done
[[ "$deps" == *libpq5* && "$deps" == *libconfig9* ]] && ok "Depends (dpkg-shlibdeps): $deps"
dpkg-deb --ctrl-tarfile "$DEB" | tar -xO ./conffiles >"$T/conffiles" 2>/dev/null
[ "$(sort "$T/conffiles" | tr '\n' ' ')" = "/etc/default/minqing-notify /etc/minqing/minqing.conf " ] &&
	ok "conffiles: /etc/minqing/minqing.conf, /etc/default/minqing-notify" || bad "conffiles: $(cat "$T/conffiles")"
dpkg-deb -c "$DEB" >"$T/contents"
for f in usr/bin/minqing usr/bin/minqing-admin usr/bin/minqing-escalate usr/bin/minqing-notify \
	usr/share/minqing/forms/case_intake.form usr/share/locale/zh_CN/LC_MESSAGES/minqing.mo \
	lib/systemd/system/minqing-escalate.service lib/systemd/system/minqing-escalate.timer \
	lib/systemd/system/minqing-notify.service usr/share/doc/minqing/copyright \
	usr/share/man/man1/minqing.1.gz usr/share/man/man8/minqing-admin.8.gz usr/share/man/man5/minqing.conf.5.gz \
	usr/share/man/man5/minqing-forms.5.gz; do
	grep -q " \./$f\$" "$T/contents" || bad "the package lacks /$f"
done
ok "the package holds the programs, forms, translation, units, man pages and copyright"

# --- 2. README, literally ------------------------------------------------------
# The scratch cluster: the DBA by peer and nothing else, until README adds
# its lines.
install -d -o postgres -g postgres -m 700 "$T/pg"
install -d -o postgres -g postgres -m 755 "$T/sock"
(cd / && runuser -u postgres -- "$PGBIN/initdb" -D "$T/pg" -U postgres -A peer -E UTF8 --locale=C.UTF-8 \
	--no-sync) >"$T/initdb.log" 2>&1 || { cat "$T/initdb.log"; bad "initdb"; finish; }
printf '%s\n' '# TYPE  DATABASE  USER  ADDRESS  METHOD' 'local   all       postgres         peer' >"$T/pg/pg_hba.conf"
(cd / && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$T/pg" -l "$T/pg/server.log" -w -t 60 \
	-o "-c listen_addresses='' -k $T/sock -p $PORT -c fsync=off" start) >/dev/null ||
	{ tail "$T/pg/server.log"; bad "the scratch cluster did not start"; finish; }
export PGHOST=$T/sock PGPORT=$PORT
unset PGUSER PGDATABASE

block=$(sed -n '/<!-- install-test: begin -->/,/<!-- install-test: end -->/p' "$MQ_SOURCE_DIR/README.md" |
	sed '1,2d;$d' | sed '$d')
[ -n "$block" ] || { bad "README has no install-test block"; finish; }
# The three differences (see the header): the cluster's pg_hba.conf and
# reload are this test's.
block=${block//\/etc\/postgresql\/15\/main\/pg_hba.conf/$T/pg/pg_hba.conf}
printf 'APT::Get::Assume-Yes "true";\nAPT::Get::Upgrade "false";\nDPkg::Lock::Timeout "600";\n' >"$T/apt.conf"
export APT_CONFIG=$T/apt.conf DEBIAN_FRONTEND=noninteractive

JOURNAL=$T/journal
mkdir -p "$JOURNAL"
# What systemd would do with a unit, for a machine where it is not the init.
unit_key() { sed -n "s/^$2=//p" "/lib/systemd/system/$1" | tail -n 1; }
unit_run() { # unit, wait: run the unit's ExecStart as its User
	local unit=$1 wait=$2 user cmd envf state
	user=$(unit_key "$unit" User)
	cmd=$(unit_key "$unit" ExecStart)
	envf=$(unit_key "$unit" EnvironmentFile)
	state=$(unit_key "$unit" StateDirectory)
	if [ -n "$state" ]; then
		install -d -o "$user" -g "$user" -m 750 "/var/lib/$state"
	fi
	local script="set -a; "
	[ -n "$envf" ] && script+="[ -r '${envf#-}' ] && . '${envf#-}'; "
	script+="set +a; cd /; exec $cmd"
	if [ "$wait" = wait ]; then
		runuser -u "$user" -- sh -c "$script" >>"$JOURNAL/${unit%%.*}" 2>&1
		echo $? >"$JOURNAL/${unit%%.*}.status"
	else
		# (the pid is runuser's; systemd would signal the job itself, its
		# child, and runuser exits with the job's status)
		(
			runuser -u "$user" -- sh -c "$script" >>"$JOURNAL/${unit%%.*}" 2>&1 &
			echo $! >"$JOURNAL/${unit%%.*}.pid"
			wait $!
			echo $? >"$JOURNAL/${unit%%.*}.status"
		) &
	fi
}
if [ ! -d /run/systemd/system ]; then
	systemctl() {
		case "$1 $2" in
		"reload postgresql") runuser -u postgres -- "$PGBIN/pg_ctl" -D "$T/pg" reload >/dev/null ;;
		"enable --now")
			shift 2
			command systemctl enable "$@" || return
			local u
			for u in "$@"; do
				case $u in
				*.timer) unit_run "${u%.timer}.service" wait ;;
				*.service) unit_run "$u" background ;;
				esac
			done
			;;
		"start "*) unit_run "$2" wait; return "$(cat "$JOURNAL/${2%%.*}.status")" ;;
		*) command systemctl "$@" ;;
		esac
	}
	journalctl() {
		local u
		while [ $# -gt 0 ]; do
			case $1 in -u) u=${2%.service}; echo "-- $u"; cat "$JOURNAL/$u" 2>/dev/null; shift 2 ;; *) shift ;; esac
		done
	}
fi

echo "# README's install-test block, line for line"
(
	cd "$PKGBUILD" || exit 1
	set -e
	eval "$block"
) >"$T/readme.log" 2>&1
rc=$?
sed 's/^/  | /' "$T/readme.log" | tail -n 40
[ "$rc" -eq 0 ] && ok "README's install block ran to the end" || bad "README's install block failed (exit $rc)"

# --- 3. what it left --------------------------------------------------------------
dpkg-query -W -f='${Status}' minqing 2>/dev/null | grep -q 'install ok installed' &&
	ok "the package is installed" || bad "the package is not installed"
for p in minqing minqing-admin minqing-escalate minqing-notify; do
	out=$(/usr/bin/$p --version 2>&1) && [[ $out == *"$version"* ]] || bad "$p --version: $out"
done
ok "the four programs answer --version with $version"
getent passwd minqing_escalate >/dev/null && getent passwd minqing_notify >/dev/null &&
	ok "the system users minqing_escalate and minqing_notify exist" || bad "the jobs' system users are missing"
if systemd-analyze verify /lib/systemd/system/minqing-escalate.service /lib/systemd/system/minqing-escalate.timer \
	/lib/systemd/system/minqing-notify.service >"$T/verify.log" 2>&1; then
	ok "systemd-analyze verify accepts the units"
else
	bad "systemd-analyze verify: $(cat "$T/verify.log")"
fi
[ -L /etc/systemd/system/timers.target.wants/minqing-escalate.timer ] &&
	[ -L /etc/systemd/system/multi-user.target.wants/minqing-notify.service ] &&
	ok "the timer and the drainer are enabled" || bad "the units are not enabled"

q() { runuser -u postgres -- psql -qXAt -d minqing -c "$1"; }
grep -q 'cases=[0-9]* reminders=' "$JOURNAL/minqing-escalate" 2>/dev/null &&
	ok "the escalation pass ran as minqing_escalate: $(grep -o 'cases=.*' "$JOURNAL/minqing-escalate" | tail -n 1)" ||
	bad "no escalation pass in its log: $(cat "$JOURNAL/minqing-escalate" 2>/dev/null)"
[ "$(q "SELECT count(*) FROM minqing.job_state WHERE job = 'escalation' AND last_completed_at IS NOT NULL")" = 1 ] &&
	ok "job_state records the pass" || bad "job_state: $(q "SELECT * FROM minqing.job_state")"

# The drainer: the queued messages of the demo district and of the pass go
# to the spool (it polls at least every 30 s; a NOTIFY wakes it at once).
for _ in $(seq 1 60); do
	[ "$(q "SELECT count(*) FROM minqing.outbox WHERE status = 'sent' AND transport = 'spool'")" -gt 0 ] && break
	sleep 1
done
sent=$(q "SELECT count(*) FROM minqing.outbox WHERE status = 'sent' AND transport = 'spool'")
spooled=$(find /var/lib/minqing-notify -name '*.txt' 2>/dev/null | wc -l)
[ "$sent" -gt 0 ] && [ "$spooled" -gt 0 ] &&
	ok "the drainer ran as minqing_notify: $sent messages sent, $spooled files in /var/lib/minqing-notify" ||
	bad "the drainer sent $sent, spooled $spooled: $(tail -n 5 "$JOURNAL/minqing-notify" 2>/dev/null)"
if [ -f "$JOURNAL/minqing-notify.pid" ]; then
	kill -TERM "$(pgrep -P "$(cat "$JOURNAL/minqing-notify.pid")")" 2>/dev/null
	for _ in $(seq 1 100); do
		[ -f "$JOURNAL/minqing-notify.status" ] && break
		sleep 0.1
	done
	rc=$(cat "$JOURNAL/minqing-notify.status" 2>/dev/null || echo "none (still running)")
	[ "$rc" = 0 ] && ok "the drainer stops on SIGTERM with exit 0" || bad "the drainer's exit on SIGTERM: $rc"
else
	bad "the drainer was not started"
fi

# An upgrade keeps the administrator's edits of a conffile.
echo '# edited by the administrator' >>/etc/minqing/minqing.conf
if dpkg -i --force-confold "$DEB" >"$T/reinstall.log" 2>&1 && grep -q 'edited by the administrator' /etc/minqing/minqing.conf &&
	grep -q '^MINQING_NOTIFY_OPTIONS="--transport spool' /etc/default/minqing-notify; then
	ok "a second install keeps the edited conffiles"
else
	bad "reinstall: $(tail -n 5 "$T/reinstall.log")"
fi
finish
