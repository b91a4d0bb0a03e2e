#!/usr/bin/env bash
# The startup benchmark: the wizard's first frame, peak resident memory and classes loaded, against a bare JavaFX
# login form (src/test/java/.../bench/BareForm.java) on the same machine, run in alternation under Xvfb with
# software rendering, 5 runs each, medians. Then the package sizes.
#   - the development image (target/lunarc-otp) against the bare form, both on the system JDK: without an
#     archive, and with the one its first window after a build writes;
#   - with packages built (packaging/build-packages.sh): the packaged runtime with its AppCDS archive and
#     without it, against the bare form on the system JDK (a stock JDK, with its default CDS archive).
# Usage: mvn -B -q package -DskipTests && mvn -B -q test-compile && packaging/bench-startup.sh [RUNS]
# (the packaged runs need root once, to see the package's jars where its archive expects them).
set -euo pipefail
runs=${1:-5}
top=$(pwd)
image=$top/target/lunarc-otp
desk=$top/target/pkgwork/desktop/usr/lib/lunarc-otp
[ -x "$image/bin/lunarc-otp" ] && [ -d "$top/target/test-classes" ] \
  || { echo "build first: mvn -B -q package -DskipTests && mvn -B -q test-compile" >&2; exit 1; }
fx=$(ls "$image"/lib/javafx-*-linux.jar | tr '\n' ':')
results=$(mktemp)
trap 'rm -f "$results"' EXIT

# one run: prints "ms peak_kB classes"
measure() {
  xvfb-run -a -s "-screen 0 1280x960x24" env LUNARC_OTP_SERVER=https://bench.invalid "$@" 2>/dev/null \
    | awk '/first frame/ {ms=$4} /peak resident/ {for (i=1;i<=NF;i++) if ($i=="peak") kb=$(i+2)} \
           /classes loaded/ {c=$4} END {print ms, kb, c}'
}
bare() { measure java -Dprism.order=sw -cp "$fx$top/target/test-classes:$image/lib/lunarc-otp-client.jar" \
  se.lu.lunarc.otp.bench.BareForm; }

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

compare() { # compare LABEL COMMAND...
  local label=$1; shift
  local key=${label// /_}
  for i in $(seq "$runs"); do
    echo "bare $(bare)" >> "$results"
    echo "$key $(measure "$@")" >> "$results"
  done
  local bms bkb bc ms kb c
  bms=$(awk '$1=="bare" {print $2}' "$results" | median); bkb=$(awk '$1=="bare" {print $3}' "$results" | median)
  bc=$(awk '$1=="bare" {print $4}' "$results" | median)
  ms=$(awk -v l="$key" '$1==l {print $2}' "$results" | median); kb=$(awk -v l="$key" '$1==l {print $3}' "$results" | median)
  c=$(awk -v l="$key" '$1==l {print $4}' "$results" | median)
  local all
  all=$(awk -v l="$key" '$1==l {printf "%s ", $2}' "$results")
  printf '%-28s first frame %5s ms (bare %5s ms) = %.2fx   runs: %s\n' "$label" "$ms" "$bms" "$(echo "$ms $bms" | awk '{print $1/$2}')" "$all"
  printf '%-28s peak resident %6s kB (bare %6s kB) = %.2fx   classes loaded %s (bare %s)\n' "" "$kb" "$bkb" \
    "$(echo "$kb $bkb" | awk '{print $1/$2}')" "$c" "$bc"
  : > "$results"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
compare "dev image, no archive" env LUNARC_OTP_CDS=off "$image/bin/lunarc-otp" --startup-probe
# the development image's own archive: written by its first window after a build (not measured), used after
[ -f "$image/lib/lunarc-otp-dev.jsa" ] || measure "$image/bin/lunarc-otp" --startup-probe >/dev/null
compare "dev image, its archive" "$image/bin/lunarc-otp" --startup-probe

# what loads before the first frame, by where it comes from (the development image)
log=$(mktemp)
n=$(xvfb-run -a env LUNARC_OTP_SERVER=https://bench.invalid LUNARC_OTP_CDS=off JAVA_OPTS="-Xlog:class+load:file=$log" \
  "$image/bin/lunarc-otp" --startup-probe 2>/dev/null | awk '/classes loaded/ {print $4}')
echo "classes loaded before the first frame (development image): $n, by source:"
head -n "$n" "$log" | awk '{for (i=1;i<=NF;i++) if ($i=="source:") print $(i+1)}' \
  | sed -e 's#.*/lib/##' -e 's#^jrt:/#module #' -e 's#^shared#JDK CDS archive#' \
  -e 's#^[a-z].*[A-Z].*#generated at run time#' | sort | uniq -c | sort -rn | head -12 | sed 's/^/  /'
rm -f "$log"

if [ -d "$desk" ]; then
  made=""
  if [ ! -e /usr/lib/lunarc-otp ] && [ -w /usr/lib ]; then
    ln -s "$desk" /usr/lib/lunarc-otp && made=yes
  fi
  if [ -n "$made" ] || [ "$(readlink -f /usr/lib/lunarc-otp)" = "$(readlink -f "$desk")" ]; then
    compare "package, with its archive" env LUNARC_OTP_HOME=/usr/lib/lunarc-otp \
      /usr/lib/lunarc-otp/bin/lunarc-otp --startup-probe
    compare "package, without archive" env LUNARC_OTP_HOME=/usr/lib/lunarc-otp LUNARC_OTP_CDS=off \
      /usr/lib/lunarc-otp/bin/lunarc-otp --startup-probe
  else
    echo "packaged runs skipped: /usr/lib/lunarc-otp is another installation"
  fi
  [ -n "$made" ] && rm -f /usr/lib/lunarc-otp
fi
for p in "$top"/target/packages/*.deb "$top"/target/packages/*.rpm; do
  [ -f "$p" ] && printf 'package %-45s %s\n' "$(basename "$p")" "$(du -h "$p" | cut -f1)"
done
