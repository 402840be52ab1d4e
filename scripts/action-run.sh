#!/usr/bin/env bash
# The step behind action.yml: runs gpucost with $GPUCOST_ARGS (passed through the environment so
# inputs are never interpolated into shell code), prints the table, writes JSON to a file for later
# steps, appends Markdown to the job summary, and exits with gpucost's exit code.
#
# How the input becomes arguments (documented in action.yml and docs/ci.md): it is split on
# whitespace (spaces, tabs, line breaks, CR included) across all of its lines, and nothing else
# happens to it: quotes, backslashes, $, globs and the like are kept as literal characters, so the
# input can never run anything. An argument cannot contain a space.
set -u -f
gpucost() { node "$GITHUB_ACTION_PATH/bin/gpucost.js" "$@"; }
IFS=$' \t\r\n' read -r -d '' -a args <<< "${GPUCOST_ARGS:-}" || true
if [ "${#args[@]}" -eq 0 ]; then args=(compare); fi

# The file the user asked for, if any (the last --output wins, as in gpucost; "-" is stdout). The
# runs below that feed the log, the JSON output and the summary end with their own --output, so that
# file is written by one more run of the user's arguments as they are, in the user's format.
user_file=''
# --brief is a format of its own: it shows the log run; the JSON and Markdown runs leave it out, as
# gpucost refuses --brief beside --format.
log_format=(--format table)
kept=()
for arg in "${args[@]}"; do
  if [ "$arg" = "--brief" ]; then log_format=(--brief); else kept+=("$arg"); fi
done
args=("${kept[@]}")
if [ "${#args[@]}" -eq 0 ]; then args=(compare); fi
i=0
while [ "$i" -lt "${#args[@]}" ]; do
  arg=${args[$i]}
  case "$arg" in
    --) break ;;
    -o | --output)
      i=$((i + 1))
      user_file=${args[$i]:-}
      ;;
    --output=*) user_file=${arg#--output=} ;;
    -o?*) user_file=${arg#-o} ;;
  esac
  i=$((i + 1))
done

out_dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
json="$out_dir/gpucost.json"

gpucost "${args[@]}" "${log_format[@]}" --output -
rc=$?
if [ "$rc" -le 1 ]; then
  gpucost "${args[@]}" --format json --output "$json" 2>/dev/null
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "json=$json" >> "$GITHUB_OUTPUT"; fi
  if [ "${GPUCOST_SUMMARY:-true}" = "true" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    gpucost "${args[@]}" --format markdown --output - >> "$GITHUB_STEP_SUMMARY" 2>/dev/null
  fi
  if [ -n "$user_file" ] && [ "$user_file" != "-" ]; then
    err="$out_dir/gpucost-output.err"
    gpucost "${args[@]}" 2> "$err"
    user_rc=$?
    # Its gate lines repeat the first run's; only a failure of its own (2: say, the file cannot be
    # written) is news, and it must fail the step.
    if [ "$user_rc" -ge 2 ]; then cat "$err" >&2; else echo "gpucost: wrote $user_file"; fi
    rm -f "$err"
    if [ "$user_rc" -gt "$rc" ]; then rc=$user_rc; fi
  fi
fi
exit "$rc"
