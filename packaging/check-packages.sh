#!/usr/bin/env bash
# Checks the built packages as an administrator would: desktop files valid, the menu path resolved by a real
# XDG menu implementation over the unpacked .deb, the packaged launcher starting the wizard with no JDK on the
# PATH, and the .rpm's files and dependencies. Prints the sizes. Needs desktop-file-utils, python3-xdg, xvfb,
# rpm. Exits non-zero on the first failure.
set -euo pipefail
top=$(pwd)
out=$top/target/packages
deb=$(ls "$out"/*.deb)
rpm=$(ls "$out"/*.rpm)
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
paths=$(XDG_CONFIG_DIRS="$root/etc/xdg" XDG_DATA_DIRS="$root/usr/share" XDG_CONFIG_HOME="$work/none" \
  XDG_DATA_HOME="$work/none" PATH="$root/usr/bin:$PATH" LANG=C /usr/bin/python3 "$top/packaging/test/menu_paths.py" "$root/etc/xdg/menus/applications.menu")
echo "$paths" | sed 's/^/  menu: /'
[ "$(echo "$paths" | grep -c 'Register OTP Authenticator')" = 1 ] || fail "the entry is not in the menu exactly once"
echo "$paths" | grep -qx 'Lunarc Tools/Security/Register OTP Authenticator' || fail "not at Lunarc Tools/Security"
ok "the menu resolves to Lunarc Tools/Security/Register OTP Authenticator"

# another site tool under Lunarc Tools merges into the same submenu
cp "$top/packaging/test/slurm-queue.menu" "$root/etc/xdg/menus/applications-merged/"
cp "$top/packaging/test/slurm-queue.desktop" "$root/usr/share/applications/"
paths=$(XDG_CONFIG_DIRS="$root/etc/xdg" XDG_DATA_DIRS="$root/usr/share" XDG_CONFIG_HOME="$work/none" \
  XDG_DATA_HOME="$work/none" PATH="$root/usr/bin:$PATH" LANG=C /usr/bin/python3 "$top/packaging/test/menu_paths.py" "$root/etc/xdg/menus/applications.menu")
echo "$paths" | grep -qx 'Lunarc Tools/Slurm Queue Tool' || fail "a site's other Lunarc tool did not merge"
echo "$paths" | grep -qx 'Lunarc Tools/Security/Register OTP Authenticator' || fail "lost after merging"
[ "$(echo "$paths" | grep -c '^Lunarc Tools/')" = 2 ] || fail "Lunarc Tools appears as two menus"
ok "menus of other Lunarc tools merge into the same Lunarc Tools"

# the launcher from the package, with only a shell and coreutils on the PATH: no java, no JDK
bin=$work/bin
mkdir -p "$bin"
for tool in sh dirname readlink mkdir; do ln -s "$(command -v $tool)" "$bin/$tool"; done
probe=$(xvfb-run -a sh -c "env -i PATH='$bin' HOME='$work/home' DISPLAY=\"\$DISPLAY\" XAUTHORITY=\"\$XAUTHORITY\" \
  sh -c 'command -v java >/dev/null && echo JAVA-ON-PATH; exec \"$root/usr/bin/lunarc-otp\" --startup-probe --server https://unreachable.invalid' 2>&1")
echo "$probe" | sed 's/^/  /'
echo "$probe" | grep -q JAVA-ON-PATH && fail "java was on the PATH of the probe"
echo "$probe" | grep -Eq '^startup-probe: first frame [0-9]+ ms after JVM start$' || fail "the packaged wizard did not start"
[ ! -e "$work/home/.openjfx" ] || fail "JavaFX unpacked native libraries into the home folder"
ok "the packaged launcher starts the wizard under Xvfb with its own runtime, nothing unpacked into HOME"

files=$(rpm -qpl "$rpm")
for f in /usr/bin/lunarc-otp /usr/lib/lunarc-otp/bin/lunarc-otp /usr/lib/lunarc-otp/runtime/bin/java \
  /usr/lib/lunarc-otp/lib/lunarc-otp.jar /usr/share/applications/lunarc-otp.desktop \
  /etc/xdg/menus/applications-merged/lunarc-tools.menu /usr/share/desktop-directories/lunarc-tools.directory \
  /usr/share/desktop-directories/lunarc-tools-security.directory /usr/share/icons/hicolor/scalable/apps/lunarc-otp.svg \
  /usr/share/icons/hicolor/48x48/apps/lunarc-otp.png /etc/lunarc-otp/client.properties \
  /usr/lib/systemd/system/lunarc-otp-server.service; do
  echo "$files" | grep -qx "$f" || fail "the rpm lacks $f"
done
ok "rpm -qpl lists the program, runtime, desktop file, menu, icons, config and service"
requires=$(rpm -qpR "$rpm")
echo "$requires" | grep -qx 'gtk3' || fail "the rpm does not require gtk3"
echo "$requires" | grep -q 'java' && fail "the rpm requires a Java: $requires"
rpm -qp --configfiles "$rpm" | grep -qx /etc/lunarc-otp/client.properties || fail "client.properties is not a config file"
dpkg-deb -f "$deb" Depends | grep -q libgtk-3-0 || fail "the deb does not depend on libgtk-3-0"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/lunarc-otp/client.properties \
  || fail "client.properties is not a deb conffile"
ok "rpm -qpR requires gtk3 and no Java; client.properties is a config file in both packages"

echo "sizes: deb $(du -h "$deb" | cut -f1), rpm $(du -h "$rpm" | cut -f1), installed $(( $(dpkg-deb -f "$deb" Installed-Size) / 1024 )) MiB"
echo "$passed passed, 0 failed"
