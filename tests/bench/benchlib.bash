# What every benchmark of tests/bench needs before it starts (sourced; not a
# benchmark itself, so not *.sh): the build and the private cluster named by
# the environment (./dev.sh bench sets MQ_BUILD_DIR and PG*), the superuser
# as the default account, no default database (each benchmark makes its
# own), and minqing-admin built. Sets ADMIN.
: "${MQ_BUILD_DIR:?set MQ_BUILD_DIR to the build directory (./dev.sh bench does)}"
: "${PGHOST:?set PGHOST/PGPORT to the private cluster (./dev.sh env prints them)}"
: "${PGPORT:?set PGHOST/PGPORT to the private cluster (./dev.sh env prints them)}"
export PGUSER=${PGUSER:-postgres}
unset PGDATABASE

ADMIN=$MQ_BUILD_DIR/minqing-admin
[ -x "$ADMIN" ] || { echo "$(basename "$0"): $ADMIN is missing; build first" >&2; exit 1; }
