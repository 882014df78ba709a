#!/bin/sh
# A gateway-style checker: reads one token per line on stdin (as a proxy would collect them
# from requests) and answers each with one JSON line, using a single tokenctl process for the
# whole batch. Exit 0 only when every token was valid.
# Usage: some-producer | gateway-verify.sh [PERMISSION]
set -u
permission=${1:-ReadHealthCheck}
tokenctl token verify --batch --require "$permission" -o json
status=$?
[ "$status" -eq 0 ] && echo "all tokens valid" >&2 || echo "some tokens denied (exit $status)" >&2
exit "$status"
