#!/usr/bin/env bash
# Checks the built packages as an administrator would: desktop files valid, the menu path resolved by a real
# XDG menu implementation over the unpacked desktop .deb, the packaged launcher starting the wizard with no JDK
# on the PATH, each package installed on its own (as root) with its runtime and archive working, the server's
# unit and sandbox, and the .rpms' files and dependencies. Prints the sizes. Needs desktop-file-utils,
# python3-xdg, xvfb, rpm, systemd (systemd-analyze), python3-seccomp, python3-aiosmtpd, softhsm2. Exits non-zero on
# the first failure.
set -euo pipefail
# (a grep that stops reading early would fail its pipeline under pipefail: the checks read all the output)
top=$(pwd)
out=$top/target/packages
deb=$(ls "$out"/lunarc-otp_*.deb)
rpm=$(ls "$out"/lunarc-otp-[0-9]*.rpm)
sdeb=$(ls "$out"/lunarc-otp-server_*.deb)
srpm=$(ls "$out"/lunarc-otp-server-[0-9]*.rpm)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }

desktop-file-validate "$top/lunarc-otp.desktop" "$top"/packaging/menu/*.directory || fail "desktop-file-validate"
ok "desktop-file-validate is clean"

root=$work/root
dpkg -x "$deb" "$root"
mkdir -p "$root/etc/xdg/menus"
cp "$top/packaging/test/applications.menu" "$root/etc/xdg/menus/applications.menu"
menu() {
  XDG_CONFIG_DIRS="$root/etc/xdg" XDG_DATA_DIRS="$root/usr/share" XDG_CONFIG_HOME="$work/none" \
    XDG_DATA_HOME="$work/none" PATH="$root/usr/bin:$PATH" LANG=C /usr/bin/python3 \
    "$top/packaging/test/menu_paths.py" "$root/etc/xdg/menus/applications.menu"
}
paths=$(menu)
echo "$paths" | sed 's/^/  menu: /'
[ "$(echo "$paths" | grep -c 'Register OTP Authenticator')" = 1 ] || fail "the entry is not in the menu exactly once"
echo "$paths" | grep -x 'Lunarc Tools/Security/Register OTP Authenticator' >/dev/null || fail "not at Lunarc Tools/Security"
ok "the menu resolves to Lunarc Tools/Security/Register OTP Authenticator"

# another site tool under Lunarc Tools merges into the same submenu
cp "$top/packaging/test/slurm-queue.menu" "$root/etc/xdg/menus/applications-merged/"
cp "$top/packaging/test/slurm-queue.desktop" "$root/usr/share/applications/"
paths=$(menu)
echo "$paths" | grep -x 'Lunarc Tools/Slurm Queue Tool' >/dev/null || fail "a site's other Lunarc tool did not merge"
echo "$paths" | grep -x 'Lunarc Tools/Security/Register OTP Authenticator' >/dev/null || fail "lost after merging"
[ "$(echo "$paths" | grep -c '^Lunarc Tools/')" = 2 ] || fail "Lunarc Tools appears as two menus"
ok "menus of other Lunarc tools merge into the same Lunarc Tools"

# the launcher from the unpacked package, with only a shell and coreutils on the PATH: no java, no JDK. Its
# CDS archive names the installed paths, so here it does not match: the wizard must start anyway, silently.
bin=$work/bin
mkdir -p "$bin"
for tool in sh dirname readlink mkdir; do ln -s "$(command -v $tool)" "$bin/$tool"; done
# Java takes the home folder from the password database, not $HOME: user.home points it at the test's own
probe() { # probe LAUNCHER [JAVA_OPTS]
  mkdir -p "$work/home"
  xvfb-run -a sh -c "env -i PATH='$bin' HOME='$work/home' DISPLAY=\"\$DISPLAY\" XAUTHORITY=\"\$XAUTHORITY\" \
    JAVA_OPTS='-Duser.home=$work/home ${2:-}' sh -c 'command -v java >/dev/null && echo JAVA-ON-PATH; \
    exec \"$1\" --startup-probe --server https://unreachable.invalid' 2>&1"
}
out_probe=$(probe "$root/usr/bin/lunarc-otp" || true)
echo "$out_probe" | sed 's/^/  /'
echo "$out_probe" | grep JAVA-ON-PATH >/dev/null && fail "java was on the PATH of the probe"
echo "$out_probe" | grep -Eq '^startup-probe: first frame [0-9]+ ms after JVM start$' || fail "the packaged wizard did not start"
[ "$(echo "$out_probe" | grep -vc '^startup-probe: ')" = 0 ] || fail "the packaged wizard printed more than the probe"
# the desktop's own libraries may keep caches there (fontconfig in ~/.cache); no program code may land there
[ -z "$(find "$work/home" -name '*.so*' -o -name '.openjfx' | head -1)" ] \
  || fail "native libraries unpacked into the home folder: $(find "$work/home" -name '*.so*' -o -name '.openjfx')"
[ -z "$(ls -A "$work/home" | grep -vx '\.local' | grep -vx '\.cache')" ] \
  || fail "the wizard wrote into the home folder: $(ls -A "$work/home")"
[ -s "$root/usr/lib/lunarc-otp/lib/lunarc-otp.jsa" ] || fail "the desktop package has no CDS archive"
ok "the unpacked launcher starts the wizard with its own runtime, silently without a matching archive, nothing in HOME"

# what the desktop package carries, and what it does not
[ ! -e "$root/usr/lib/lunarc-otp/lib/lunarc-otp-server.jar" ] || fail "the desktop package carries the server"
ls "$root"/usr/lib/lunarc-otp/lib | grep -E '^(javalin|jetty|sqlite-jdbc|bcprov)' && fail "server libraries in the desktop package"
"$root/usr/lib/lunarc-otp/runtime/bin/java" --list-modules | grep '^javafx.controls' >/dev/null || fail "no JavaFX in the desktop runtime"
(cd "$root/usr/lib/lunarc-otp/lib" && jdeps --multi-release 17 -R -summary -cp '*' lunarc-otp-client.jar 2>/dev/null) \
  | grep 'lunarc-otp-server' >/dev/null && fail "jdeps: the client needs the server jar"
ok "the desktop package has no backend, and jdeps finds that the client needs nothing from the server"

if [ "$(id -u)" = 0 ] && [ ! -e /usr/lib/lunarc-otp ] && [ ! -e /usr/lib/lunarc-otp-server ]; then
  # the desktop package alone, installed
  dpkg -i "$deb" >/dev/null >/dev/null || fail "dpkg -i of the desktop package alone"
  [ ! -e /usr/bin/lunarc-otp-server ] || fail "the desktop package installed the server"
  # with -Xshare:on, a CDS archive that does not match is an error instead of a silent fallback
  out_probe=$(probe /usr/bin/lunarc-otp "-Xshare:on" || true)
  echo "$out_probe" | sed 's/^/  installed: /'
  echo "$out_probe" | grep -Eq '^startup-probe: first frame' || fail "the installed wizard did not use its CDS archive"
  # no display: text mode, whose message goes to the wizard's log when stderr is not a terminal
  env -i PATH=/usr/bin:/bin HOME="$work/home2" /usr/bin/lunarc-otp >/dev/null 2>&1 || true
  nosrv=$(cat "$work/home2/.local/state/lunarc-otp/wizard.log")
  echo "$nosrv" | grep 'No server is configured' >/dev/null || fail "no server configured was not said: $nosrv"
  echo "$nosrv" | grep '/etc/lunarc-otp/client.properties' >/dev/null || fail "the settings file was not named"
  # text mode asked for by name (over SSH): the same words, the user's file under this $HOME, no incident
  status=0
  env -i PATH=/usr/bin:/bin HOME="$work/home3" /usr/bin/lunarc-otp text </dev/null >/dev/null 2>&1 || status=$?
  [ "$status" = 2 ] || fail "lunarc-otp text with no server exited $status, not 2"
  txt=$(cat "$work/home3/.local/state/lunarc-otp/wizard.log")
  echo "$txt" | grep 'No server is configured' >/dev/null || fail "text mode did not say no server is configured: $txt"
  echo "$txt" | grep -F "$work/home3/.config/lunarc-otp/client.properties (for you)" >/dev/null \
    || fail "text mode did not name the user's settings file under \$HOME: $txt"
  if echo "$txt" | grep -E 'Something went wrong|DEMO' >/dev/null; then fail "text mode with no server: $txt"; fi
  help=$(/usr/bin/lunarc-otp --help | tr '\n' ' ')
  echo "$help" | grep 'the installed package says which settings file to set' >/dev/null \
    || fail "--help promises a demo the package does not have: $help"
  dpkg -P lunarc-otp >/dev/null
  ok "the desktop package installs alone; its archive matches; with no server, window and text mode name the settings files"

  # the server package alone, installed
  dpkg -i "$sdeb" >/dev/null || fail "dpkg -i of the server package alone"
  [ ! -e /usr/bin/lunarc-otp ] || fail "the server package installed the wizard"
  /usr/bin/lunarc-otp-server --help | grep -- '--config' >/dev/null || fail "lunarc-otp-server --help"
  /usr/lib/lunarc-otp-server/runtime/bin/java --list-modules | grep javafx >/dev/null && fail "JavaFX in the server runtime"
  ldd /usr/lib/lunarc-otp-server/runtime/lib/*.so /usr/lib/lunarc-otp-server/runtime/lib/server/*.so 2>/dev/null \
    | grep gtk >/dev/null && fail "the server runtime links GTK"
  getent passwd lunarc-otp >/dev/null || fail "no lunarc-otp service account"
  # the packaged server under the unit's system-call filter (applied here without systemd, from the unit's own
  # lines), with a metrics block: /metrics answers beside the API (a plain GET through bash's /dev/tcp)
  mkdir -p "$work/srv"
  cp /etc/lunarc-otp/users.example.yaml "$work/srv/users.yaml"
  printf 'listen: 127.0.0.1:0\ndataDir: data\nusers: {file: users.yaml}\nsms: {type: file, file: outbox.jsonl}\nmetrics:\n  listen: 127.0.0.1:0\n' \
    > "$work/srv/server.yaml"
  "$top/packaging/test/under_unit_filter.py" "$top/packaging/systemd/lunarc-otp-server.service" \
    /usr/bin/lunarc-otp-server --config "$work/srv/server.yaml" > "$work/srv/out" 2>&1 &
  srv=$!
  for _ in $(seq 1 60); do grep -q '^Listening on ' "$work/srv/out" && break; sleep 0.5; done
  mport=$(sed -n 's|^Metrics on http://127.0.0.1:\([0-9]*\)/metrics$|\1|p' "$work/srv/out")
  [ -n "$mport" ] || { kill "$srv"; fail "the packaged server did not serve metrics: $(cat "$work/srv/out")"; }
  exec 3<>"/dev/tcp/127.0.0.1/$mport"
  printf 'GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  scraped=$(cat <&3)
  exec 3<&-
  echo "$scraped" | grep -q '^lunarc_otp_ready 1' || fail "the packaged server's /metrics: $(echo "$scraped" | head -5)"
  echo "$scraped" | grep -q '^jvm_memory_used_bytes' || fail "the packaged server's /metrics has no JVM series"
  # an online backup, a reload (systemctl reload sends SIGHUP) and a key rotation, all while it serves
  lunarc-otp-server backup --config "$work/srv/server.yaml" --to "$work/srv/backup" > "$work/srv/backup.out" \
    || fail "backup of the running packaged server: $(cat "$work/srv/backup.out")"
  [ "$(ls "$work/srv/backup" | paste -sd' ')" = "audit.jsonl lunarc-otp.db manifest.json" ] \
    || fail "the backup holds $(ls "$work/srv/backup")"
  kill -HUP "$srv"
  for _ in $(seq 1 20); do grep -q '"event":"config_reloaded"' "$work/srv/data/audit.jsonl" && break; sleep 0.5; done
  grep -q '"event":"config_reloaded"' "$work/srv/data/audit.jsonl" || fail "SIGHUP did not reload: $(cat "$work/srv/out")"
  kill -0 "$srv" || fail "the packaged server died on SIGHUP"
  lunarc-otp-server rotate-key --config "$work/srv/server.yaml" > "$work/srv/rotate.out" \
    || fail "rotate-key on the running packaged server: $(cat "$work/srv/rotate.out")"
  kill "$srv"; wait "$srv" 2>/dev/null || true
  # the backup was sealed with the key before the rotation: refused on the new key, restored with the old one
  if lunarc-otp-server restore --config "$work/srv/server.yaml" --from "$work/srv/backup" > "$work/srv/restore.out" 2>&1; then
    fail "a backup from before the rotation was restored on the new key"
  fi
  grep -q 'sealed with another key' "$work/srv/restore.out" || fail "restore on the new key: $(cat "$work/srv/restore.out")"
  mkdir -m 700 "$work/srv/fresh"
  cp "$work"/srv/data/secret.key.retired-* "$work/srv/fresh/secret.key"
  sed 's/^dataDir: data$/dataDir: fresh/' "$work/srv/server.yaml" > "$work/srv/fresh.yaml"
  lunarc-otp-server restore --config "$work/srv/fresh.yaml" --from "$work/srv/backup" > "$work/srv/restore.out" 2>&1 \
    || fail "restore with the old key: $(cat "$work/srv/restore.out")"
  # notifications: the packaged runtime sends mail (Jakarta Mail found at run time) to a relay on localhost
  smtp_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$work/srv/maildir" \
    > "$work/srv/smtp.log" 2>&1 &
  smtp=$!
  sleep 1
  printf 'notifications: {language: sv}\nmail: {host: 127.0.0.1, port: %s, starttls: none, from: otp@example.org}\n' \
    "$smtp_port" >> "$work/srv/server.yaml"
  lunarc-otp-server admin notify-test anna --config "$work/srv/server.yaml" > "$work/srv/notify.out" 2>&1 \
    || { kill "$smtp"; fail "notify-test through the packaged server: $(cat "$work/srv/notify.out")"; }
  kill "$smtp"; wait "$smtp" 2>/dev/null || true
  grep -rqs 'ett test av meddelandena' "$work/srv/maildir/new" || fail "no test mail arrived: $(cat "$work/srv/notify.out")"
  grep -q 'ett test av meddelandena' "$work/srv/outbox.jsonl" || fail "no test SMS in the outbox"
  # the store key in a PKCS#11 token (SoftHSM2) through the runtime's SunPKCS11: start, restart, rotate
  export SOFTHSM2_CONF="$work/hsm/softhsm2.conf"
  mkdir -p "$work/hsm/tokens"
  printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$work/hsm/tokens" > "$SOFTHSM2_CONF"
  slot=$(softhsm2-util --init-token --free --label check --so-pin 87654321 --pin 12345678 | sed -n 's/.*reassigned to slot \([0-9]*\).*/\1/p')
  [ -n "$slot" ] || fail "softhsm2-util did not make a token"
  printf '12345678\n' > "$work/hsm/pin"
  mkdir -p "$work/hsm/srv"
  cp "$work/srv/users.yaml" "$work/hsm/srv/users.yaml"
  printf 'listen: 127.0.0.1:0\ndataDir: data\nusers: {file: users.yaml}\nsms: {type: file, file: outbox.jsonl}\nstore:\n  key: pkcs11\n  pkcs11: {library: /usr/lib/softhsm/libsofthsm2.so, slot: %s, label: check-key, pinFile: %s}\n' \
    "$slot" "$work/hsm/pin" > "$work/hsm/srv/server.yaml"
  for run in first again; do
    /usr/bin/lunarc-otp-server --config "$work/hsm/srv/server.yaml" > "$work/hsm/srv/out" 2>&1 &
    srv=$!
    for _ in $(seq 1 60); do grep -q '^Listening on ' "$work/hsm/srv/out" && break; sleep 0.5; done
    grep -q '^Listening on ' "$work/hsm/srv/out" || { kill "$srv"; fail "the packaged server on the HSM key ($run): $(cat "$work/hsm/srv/out")"; }
    if [ "$run" = first ]; then
      lunarc-otp-server rotate-key --config "$work/hsm/srv/server.yaml" > "$work/hsm/rotate.out" 2>&1 \
        || { kill "$srv"; fail "rotate-key in the HSM: $(cat "$work/hsm/rotate.out")"; }
    fi
    kill "$srv"; wait "$srv" 2>/dev/null || true
  done
  grep -q '^pkcs11:label=check-key-' "$work/hsm/srv/data/secret.key" || fail "the data folder does not name the rotated HSM key"
  unset SOFTHSM2_CONF
  dpkg -P lunarc-otp-server >/dev/null
  ok "the server package installs alone: under the unit's system-call filter its launcher serves /metrics, backs up, reloads on SIGHUP, rotates its key; restore; notify-test by SMS and mail; the key in SoftHSM2, restarted and rotated; no JavaFX, no GTK, a service account"
else
  echo "skip: installing the packages needs root and neither package installed on this machine"
fi

# the service under its sandbox: it runs the packaged launcher, and everything the example config writes is
# in the unit's StateDirectory (ProtectSystem=strict makes the rest read-only)
unit=$top/packaging/systemd/lunarc-otp-server.service
exec_bin=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$unit")
rpm -qpl "$srpm" | grep -x "$exec_bin" >/dev/null || fail "ExecStart $exec_bin is not in the server package"
state=$(sed -n 's/^StateDirectory=//p' "$unit")
grep -Eq "^dataDir: /var/lib/$state\$" "$top/packaging/config/server.example.yaml" \
  || fail "the example dataDir is not the unit's StateDirectory /var/lib/$state"
grep -q '^ProtectSystem=strict' "$unit" || fail "the unit is not sandboxed"
grep -q '^ExecReload=/bin/kill -HUP \$MAINPID$' "$unit" || fail "the unit has no ExecReload sending SIGHUP"
# systemd's own rating of the sandbox (0 = locked down, 10 = none); the target is 2.0 or lower
exposure=$(systemd-analyze security --offline=true "$unit" 2>&1 | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
[ -n "$exposure" ] || fail "systemd-analyze security did not rate the unit"
awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' || fail "the unit's exposure is $exposure, above 2.0"
echo "the unit's exposure (systemd-analyze security --offline=true): $exposure"
ok "the unit starts the packaged server, reloads with SIGHUP, rates $exposure (at most 2.0), and the example's dataDir is its writable StateDirectory"

files=$(rpm -qpl "$rpm")
for f in /usr/bin/lunarc-otp /usr/lib/lunarc-otp/bin/lunarc-otp /usr/lib/lunarc-otp/runtime/bin/java \
  /usr/lib/lunarc-otp/lib/lunarc-otp-client.jar /usr/lib/lunarc-otp/lib/lunarc-otp.jsa \
  /usr/share/applications/lunarc-otp.desktop /etc/xdg/menus/applications-merged/lunarc-tools.menu \
  /usr/share/desktop-directories/lunarc-tools.directory /usr/share/desktop-directories/lunarc-tools-security.directory \
  /usr/share/icons/hicolor/scalable/apps/lunarc-otp.svg /usr/share/icons/hicolor/48x48/apps/lunarc-otp.png \
  /etc/lunarc-otp/client.properties; do
  echo "$files" | grep -x "$f" >/dev/null || fail "the desktop rpm lacks $f"
done
sfiles=$(rpm -qpl "$srpm")
for f in /usr/bin/lunarc-otp-server /usr/lib/lunarc-otp-server/bin/lunarc-otp-server \
  /usr/lib/lunarc-otp-server/runtime/bin/java /usr/lib/lunarc-otp-server/lib/lunarc-otp-server.jar \
  /etc/lunarc-otp/server.example.yaml /etc/lunarc-otp/users.example.yaml /usr/lib/systemd/system/lunarc-otp-server.service; do
  echo "$sfiles" | grep -x "$f" >/dev/null || fail "the server rpm lacks $f"
done
ok "rpm -qpl lists each package's program, runtime and files"

requires=$(rpm -qpR "$rpm")
echo "$requires" | grep -x 'gtk3' >/dev/null || fail "the desktop rpm does not require gtk3"
srequires=$(rpm -qpR "$srpm")
echo "$srequires" | grep -i 'gtk' >/dev/null && fail "the server rpm requires GTK: $srequires"
echo "$requires $srequires" | grep 'java' >/dev/null && fail "an rpm requires a Java"
rpm -qp --configfiles "$rpm" | grep -x /etc/lunarc-otp/client.properties >/dev/null || fail "client.properties is not a config file"
dpkg-deb -f "$deb" Depends | grep libgtk-3-0 >/dev/null || fail "the desktop deb does not depend on libgtk-3-0"
dpkg-deb -f "$sdeb" Depends | grep -i gtk >/dev/null && fail "the server deb depends on GTK"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -x /etc/lunarc-otp/client.properties \
  >/dev/null || fail "client.properties is not a deb conffile"
ok "GTK is a dependency of the desktop package only, Java of neither; client.properties is a config file"

echo "sizes: desktop deb $(du -h "$deb" | cut -f1), rpm $(du -h "$rpm" | cut -f1), installed" \
  "$(( $(dpkg-deb -f "$deb" Installed-Size) / 1024 )) MiB; server deb $(du -h "$sdeb" | cut -f1)," \
  "rpm $(du -h "$srpm" | cut -f1), installed $(( $(dpkg-deb -f "$sdeb" Installed-Size) / 1024 )) MiB"
echo "$passed passed, 0 failed"
