#!/usr/bin/env bash
# The step behind action.yml: runs gpucost with $GPUCOST_ARGS (split on spaces, passed through the
# environment so inputs are never interpolated into shell code), prints the table, writes JSON to a
# file for later steps, appends Markdown to the job summary, and exits with gpucost's exit code.
set -u
gpucost() { node "$GITHUB_ACTION_PATH/bin/gpucost.js" "$@"; }
read -r -a args <<< "${GPUCOST_ARGS:-compare}"
out_dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
json="$out_dir/gpucost.json"

gpucost "${args[@]}" --format table
rc=$?
if [ "$rc" -le 1 ]; then
  gpucost "${args[@]}" --format json --output "$json" 2>/dev/null
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "json=$json" >> "$GITHUB_OUTPUT"; fi
  if [ "${GPUCOST_SUMMARY:-true}" = "true" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    gpucost "${args[@]}" --format markdown >> "$GITHUB_STEP_SUMMARY" 2>/dev/null
  fi
fi
exit "$rc"
