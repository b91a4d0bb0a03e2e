#!/usr/bin/env bash
# Builds, from the app image that `mvn package` made (target/lunarc-otp: all jars, the demo included), two
# packages for two kinds of host:
#   lunarc-otp         the desktop: wizard and text mode, menu entry, icons, client settings. Its own runtime has
#                      only the JDK modules and JavaFX that the client uses, a CDS archive of the JDK's classes
#                      and an AppCDS archive of the wizard's start-up. No backend, so no demo: with no server
#                      configured the wizard says so and names the settings file.
#   lunarc-otp-server  the backend and its systemd unit, with a headless runtime (no JavaFX, no GTK).
# Each as .deb (Debian/Ubuntu) and .rpm (Rocky Linux 9) in target/packages.
# Usage: packaging/build-packages.sh VERSION   (run from the project folder; needs jlink, jdeps, dpkg-deb,
# fakeroot, rpmbuild, xvfb-run)
#
# Installed layout:
#   lunarc-otp:        /usr/lib/lunarc-otp/{bin/lunarc-otp, lib/*.jar, lib/lunarc-otp.jsa, runtime/}
#                      /usr/bin/lunarc-otp, /usr/share/applications/lunarc-otp.desktop,
#                      /etc/xdg/menus/applications-merged/lunarc-tools.menu, /usr/share/desktop-directories/…,
#                      /usr/share/icons/hicolor/…/lunarc-otp.*, /etc/lunarc-otp/client.properties (conffile)
#   lunarc-otp-server: /usr/lib/lunarc-otp-server/{bin/lunarc-otp-server, lib/*.jar, runtime/}
#                      /usr/bin/lunarc-otp-server, /usr/lib/systemd/system/lunarc-otp-server.service,
#                      /etc/lunarc-otp/server.example.yaml, users.example.yaml
set -euo pipefail
version=${1:?version}
top=$(pwd)
image=$top/target/lunarc-otp
out=$top/target/packages
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
work=$top/target/pkgwork
rm -rf "$out" "$work" "$top/target/jpackage" "$top/target/runtime" "$top/target/pkgroot"
mkdir -p "$out" "$work"

# The jars a part needs: its own, then whatever jdeps finds they use, recursively; plus what is found at run
# time only (logback through SLF4J's ServiceLoader; the SQLite JDBC driver through DriverManager; Angus Mail and
# Activation, the implementations Jakarta Mail finds through its ServiceLoader).
closure() { # closure OUTDIR JAR... (with extra jars by name pattern in $extra)
  local dest=$1; shift
  mkdir -p "$dest"
  local found
  found=$(cd "$image/lib" && "$java_home/bin/jdeps" --multi-release 17 -R -summary -cp '*' "$@" 2>/dev/null \
    | awk '$2 == "->" && $3 ~ /\.jar$/ {print $3}' | sort -u)
  for jar in "$@" $found; do
    case "$jar" in javafx-*) continue ;; esac # the runtime has JavaFX as modules
    cp "$image/lib/$jar" "$dest/"
  done
  for pattern in $extra; do
    cp "$image"/lib/$pattern "$dest/"
  done
}

# The JDK modules a set of jars uses, and what jdeps cannot see: EC crypto for TLS, locale data for Swedish.
# Less java.desktop (AWT and Swing, a fifth of the runtime): only Jackson's optional java.beans support names it
# (the desktop runtime has it anyway: JavaFX requires it; the server's does not).
modules_of() { # modules_of LIBDIR
  "$java_home/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps -cp "$1/*" "$1"/lunarc-otp-*.jar \
    | tr ',' '\n' | grep -vx java.desktop | paste -sd, -
}

# A runtime of those modules, with the JDK's own class-data-sharing archive. Its modules are left uncompressed:
# the package's xz compresses them better than jlink's zip, and they load faster. The archive for heaps over
# 32 GiB goes, and native libraries lose their symbol tables. So do jrt-fs.jar (for other JDKs reading this image
# from outside) and the class list that the CDS archive was dumped from: nothing in the runtime reads them.
runtime() { # runtime OUT MODULES MODULE-PATH-EXTRA [JLINK-OPTION...]
  local out=$1 modules=$2 extra=$3
  shift 3
  "$java_home/bin/jlink" --module-path "$java_home/jmods${extra:+:$extra}" --add-modules "$modules" \
    --include-locales en,sv --strip-debug --no-header-files --no-man-pages --compress=0 \
    --generate-cds-archive "$@" --output "$out"
  rm -f "$out/lib/server/classes_nocoops.jsa" "$out/lib/jrt-fs.jar" "$out/lib/classlist"
  find "$out/lib" -name '*.so' -exec strip --strip-unneeded {} +
}

# ---- the desktop package ---------------------------------------------------------------------------------
desk=$work/desktop
app=$desk/usr/lib/lunarc-otp
extra="logback-classic-*.jar logback-core-*.jar" closure "$app/lib" lunarc-otp-client.jar lunarc-otp-common.jar
fxjars=$(ls "$image"/lib/javafx-*-linux.jar | tr '\n' ':')
# JavaFX's native libraries go into the runtime's lib folder, where JavaFX looks first, instead of staying inside
# its module: from there it would unpack them into each user's ~/.openjfx on the shared home file system
runtime "$app/runtime" "$(modules_of "$app/lib"),jdk.crypto.ec,jdk.localedata,javafx.controls,javafx.fxml" "$fxjars" \
  "--exclude-resources=glob:/javafx.graphics/*.so"
unzip -q -o -j "$(ls "$image"/lib/javafx-graphics-*-linux.jar)" '*.so' -d "$app/runtime/lib"
strip --strip-unneeded "$app"/runtime/lib/*.so
# JavaFX requires the java.desktop module, but the wizard never starts AWT, Swing, Java Sound or the splash
# screen: their native libraries stay out (about 1 MB of the package)
for lib in awt awt_headless awt_xawt jawt mlib_image lcms javajpeg fontmanager jsound splashscreen; do
  rm -f "$app/runtime/lib/lib$lib.so"
done
rm -f "$app/runtime/lib/psfont.properties.ja" "$app/runtime/lib/psfontj2d.properties" "$app/runtime/lib/jexec"
install -D -m 755 "$top/packaging/bin/lunarc-otp" "$app/bin/lunarc-otp"
(cd "$app/lib" && LC_ALL=C ls -1 ./*.jar | sed 's#^\./##' > classpath)
install -D -m 644 "$top/lunarc-otp.desktop" "$desk/usr/share/applications/lunarc-otp.desktop"
install -D -m 644 "$top/packaging/menu/lunarc-tools.menu" "$desk/etc/xdg/menus/applications-merged/lunarc-tools.menu"
install -D -m 644 -t "$desk/usr/share/desktop-directories" "$top"/packaging/menu/*.directory
install -D -m 644 "$top/packaging/icons/lunarc-otp.svg" "$desk/usr/share/icons/hicolor/scalable/apps/lunarc-otp.svg"
for png in "$top"/packaging/icons/lunarc-otp-*.png; do
  size=${png##*-}; size=${size%.png}
  install -D -m 644 "$png" "$desk/usr/share/icons/hicolor/${size}x${size}/apps/lunarc-otp.png"
done
install -D -m 644 "$top/packaging/config/client.properties" "$desk/etc/lunarc-otp/client.properties"
mkdir -p "$desk/usr/bin"
ln -s ../lib/lunarc-otp/bin/lunarc-otp "$desk/usr/bin/lunarc-otp"

# The AppCDS archive of the wizard's start: a training run to its first frame under Xvfb. A dynamic archive
# names the jars by path, so the run sees the jars where they will be installed; where that path is taken
# (the package is installed on this machine) there is no archive, and the launcher starts without one.
if [ ! -e /usr/lib/lunarc-otp ] && [ -w /usr/lib ]; then
  ln -s "$app" /usr/lib/lunarc-otp
  trap 'rm -f /usr/lib/lunarc-otp' EXIT
  xvfb-run -a env LUNARC_OTP_SERVER=https://training.invalid LUNARC_OTP_HOME=/usr/lib/lunarc-otp \
    LUNARC_OTP_CDS_DUMP=/usr/lib/lunarc-otp/lib/lunarc-otp.jsa JAVA_OPTS=-Xlog:cds=error \
    /usr/lib/lunarc-otp/bin/lunarc-otp --startup-probe 2>&1 | sed 's/^/  training run: /'
  rm -f /usr/lib/lunarc-otp
  trap - EXIT
  [ -s "$app/lib/lunarc-otp.jsa" ] || { echo "the training run made no CDS archive" >&2; exit 1; }
else
  echo "warning: /usr/lib/lunarc-otp exists or cannot be made here: the package has no AppCDS archive" >&2
fi

# ---- the server package ----------------------------------------------------------------------------------
srv=$work/server
sapp=$srv/usr/lib/lunarc-otp-server
extra="logback-classic-*.jar logback-core-*.jar sqlite-jdbc-*.jar angus-mail-*.jar angus-activation-*.jar" \
  closure "$sapp/lib" lunarc-otp-server.jar lunarc-otp-common.jar
# sqlite-jdbc carries native libraries for every platform; these packages are for Linux on x86-64
sqlite=$(ls "$sapp"/lib/sqlite-jdbc-*.jar)
zip -q -d "$sqlite" $(unzip -Z1 "$sqlite" | grep '^org/sqlite/native/' | grep -v '^org/sqlite/native/Linux/x86_64/' \
  | grep -v '/$') >/dev/null
runtime "$sapp/runtime" "$(modules_of "$sapp/lib"),jdk.crypto.ec,jdk.localedata,java.sql,java.naming,jdk.naming.dns,jdk.crypto.cryptoki" ""
install -D -m 755 "$top/packaging/bin/lunarc-otp-server" "$sapp/bin/lunarc-otp-server"
install -D -m 644 "$top/packaging/config/server.example.yaml" "$srv/etc/lunarc-otp/server.example.yaml"
install -D -m 644 "$top/packaging/config/users.example.yaml" "$srv/etc/lunarc-otp/users.example.yaml"
install -D -m 644 "$top/packaging/systemd/lunarc-otp-server.service" \
  "$srv/usr/lib/systemd/system/lunarc-otp-server.service"
mkdir -p "$srv/usr/bin"
ln -s ../lib/lunarc-otp-server/bin/lunarc-otp-server "$srv/usr/bin/lunarc-otp-server"

# ---- .deb and .rpm of each ---------------------------------------------------------------------------------
for part in desktop server; do
  stage=$work/$part
  name=$([ $part = desktop ] && echo lunarc-otp || echo lunarc-otp-server)
  kb=$(du -sk "$stage" | cut -f1)
  deb=$work/deb-$part
  cp -a "$stage" "$deb" && mkdir -p "$deb/DEBIAN"
  sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$kb/" "$top/packaging/deb/$name.control" > "$deb/DEBIAN/control"
  if [ $part = desktop ]; then
    echo /etc/lunarc-otp/client.properties > "$deb/DEBIAN/conffiles"
  fi
  for script in postinst postrm; do
    [ -f "$top/packaging/deb/$name.$script" ] && install -m 755 "$top/packaging/deb/$name.$script" "$deb/DEBIAN/$script"
  done
  fakeroot dpkg-deb --build -Zxz -z9 -Sextreme "$deb" "$out/${name}_${version}_amd64.deb" >/dev/null

  rpmtop=$work/rpmbuild-$part
  mkdir -p "$rpmtop"/{BUILD,RPMS,SOURCES,SPECS,SRPMS}
  rpmbuild -bb --quiet --define "_topdir $rpmtop" --define "stage $stage" --define "pkgversion ${version//-/_}" \
    --define "_binary_payload w9.xzdio" --define "__brp_strip /bin/true" --define "__os_install_post %{nil}" \
    "$top/packaging/rpm/$name.spec"
  cp "$rpmtop"/RPMS/*/*.rpm "$out/"
  echo "$name: installed size $((kb / 1024)) MiB"
done

echo "packages:"
ls -l "$out"
