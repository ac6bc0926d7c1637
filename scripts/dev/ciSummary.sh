#!/usr/bin/env bash
# Usage: ciSummary.sh <make check status> <make test status> <make test log>
# Prints the closing `N passed, N failed, N skipped` line of a CI run, computed from
# the test run's own summary line and both exit statuses, and exits 0 only when all passed.
# A failed `make check` counts as one failure; a non-zero test exit with no failure
# counted (a crash, or a failure after mocha's last test) counts as one failure.
set -uo pipefail
check_status="$1" test_status="$2" log="$3"

summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -1)"
passed=0 failed=0 skipped=0
if [ -n "$summary" ]; then
  read -r passed failed skipped <<<"$(sed -E 's/^([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\1 \2 \3/' <<<"$summary")"
else
  echo "the test run printed no summary (it crashed before the end)"
fi
if [ "$test_status" != 0 ] && [ "$failed" = 0 ]; then
  echo "make test exited with status $test_status but counted no failure: counted as one"
  failed=1
fi
if [ "$check_status" != 0 ]; then
  echo "make check failed (status $check_status): counted as one failure"
  failed=$((failed + 1))
fi
echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$test_status" = 0 ] && [ "$check_status" = 0 ]
