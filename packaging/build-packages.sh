#!/usr/bin/env bash
# Builds, from the app image that `mvn package` made (target/lunarc-otp), the packages for the HPC desktops:
#   target/runtime            a jlink'd Java runtime with only the modules used, JavaFX included (its native
#                             libraries ship inside it, so nothing is unpacked into users' home folders)
#   target/jpackage/lunarc-otp  a jpackage app image of the same
#   target/packages/*.deb, *.rpm  the installable packages (layout below)
# Usage: packaging/build-packages.sh VERSION   (run from the project folder; needs jlink, jpackage, dpkg-deb,
# fakeroot, rpmbuild)
#
# Installed layout (both packages):
#   /usr/lib/lunarc-otp/{bin/lunarc-otp, lib/*.jar, runtime/}   the program and its own runtime
#   /usr/bin/lunarc-otp                                         → the launcher
#   /usr/share/applications/lunarc-otp.desktop                  the menu entry
#   /etc/xdg/menus/applications-merged/lunarc-tools.menu        Applications → Lunarc Tools → Security
#   /usr/share/desktop-directories/lunarc-tools*.directory      the two submenus' names and icons
#   /usr/share/icons/hicolor/{scalable,NxN}/apps/lunarc-otp.*   icons
#   /etc/lunarc-otp/client.properties                           site settings (a config file: kept on upgrade)
#   /etc/lunarc-otp/server.example.yaml, users.example.yaml      backend examples
#   /usr/lib/systemd/system/lunarc-otp-server.service           the backend as a service (not enabled)
set -euo pipefail
version=${1:?version}
top=$(pwd)
image=$top/target/lunarc-otp
out=$top/target/packages
runtime=$top/target/runtime
stage=$top/target/pkgroot
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}

rm -rf "$runtime" "$stage" "$out" "$top/target/jpackage"
mkdir -p "$out"

# 1. the runtime: the JDK modules the jars use (jdeps --print-module-deps over lib/, plus the service providers
#    jdeps cannot see: EC crypto for TLS, locale data for Swedish dates) and JavaFX's modules from its Maven jars
fxjars=$(ls "$image"/lib/javafx-*-linux.jar | tr '\n' ':')
"$java_home/bin/jlink" \
  --module-path "$java_home/jmods:$fxjars" \
  --add-modules java.base,java.compiler,java.desktop,java.instrument,java.management,java.naming,java.security.jgss,java.sql,jdk.crypto.ec,jdk.localedata,jdk.unsupported,javafx.controls,javafx.fxml \
  --include-locales en,sv \
  --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$runtime"

# 2. the jars, less JavaFX's (the runtime has those as modules)
app=$stage/usr/lib/lunarc-otp
mkdir -p "$app/bin" "$app/lib"
find "$image/lib" -name '*.jar' ! -name 'javafx-*' -exec cp {} "$app/lib/" \;
cp "$image/bin/lunarc-otp" "$app/bin/"
cp -a "$runtime" "$app/runtime"

# 3. a jpackage app image from the same parts (for sites that prefer jpackage's native launcher)
"$java_home/bin/jpackage" --type app-image --name lunarc-otp --dest "$top/target/jpackage" \
  --input "$app/lib" --main-jar lunarc-otp.jar --main-class se.lu.lunarc.otp.Main \
  --runtime-image "$runtime" --app-version "${version%%[-~]*}" \
  --java-options '-Dprism.order=sw' --java-options '--add-exports=javafx.graphics/com.sun.glass.ui=ALL-UNNAMED'

# 4. desktop integration, configuration, service
install -D -m 644 "$top/lunarc-otp.desktop" "$stage/usr/share/applications/lunarc-otp.desktop"
install -D -m 644 "$top/packaging/menu/lunarc-tools.menu" "$stage/etc/xdg/menus/applications-merged/lunarc-tools.menu"
install -D -m 644 -t "$stage/usr/share/desktop-directories" "$top"/packaging/menu/*.directory
install -D -m 644 "$top/packaging/icons/lunarc-otp.svg" "$stage/usr/share/icons/hicolor/scalable/apps/lunarc-otp.svg"
for png in "$top"/packaging/icons/lunarc-otp-*.png; do
  size=${png##*-}; size=${size%.png}
  install -D -m 644 "$png" "$stage/usr/share/icons/hicolor/${size}x${size}/apps/lunarc-otp.png"
done
install -D -m 644 "$top/packaging/config/client.properties" "$stage/etc/lunarc-otp/client.properties"
install -D -m 644 "$top/packaging/config/server.example.yaml" "$stage/etc/lunarc-otp/server.example.yaml"
install -D -m 644 "$top/packaging/config/users.example.yaml" "$stage/etc/lunarc-otp/users.example.yaml"
install -D -m 644 "$top/packaging/systemd/lunarc-otp-server.service" \
  "$stage/usr/lib/systemd/system/lunarc-otp-server.service"
mkdir -p "$stage/usr/bin"
ln -s ../lib/lunarc-otp/bin/lunarc-otp "$stage/usr/bin/lunarc-otp"
installed_kb=$(du -sk "$stage" | cut -f1)

# 5. .deb
deb=$top/target/deb
rm -rf "$deb" && cp -a "$stage" "$deb" && mkdir -p "$deb/DEBIAN"
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$installed_kb/" "$top/packaging/deb/control" > "$deb/DEBIAN/control"
echo /etc/lunarc-otp/client.properties > "$deb/DEBIAN/conffiles"
install -m 755 "$top/packaging/deb/postinst" "$top/packaging/deb/postrm" "$deb/DEBIAN/"
fakeroot dpkg-deb --build -Zxz "$deb" "$out/lunarc-otp_${version}_amd64.deb" >/dev/null

# 6. .rpm (Rocky Linux 9)
rpmtop=$top/target/rpmbuild
rm -rf "$rpmtop" && mkdir -p "$rpmtop"/{BUILD,RPMS,SOURCES,SPECS,SRPMS}
rpmbuild -bb --quiet --define "_topdir $rpmtop" --define "stage $stage" --define "pkgversion ${version//-/_}" \
  --define "_binary_payload w6.xzdio" --define "__brp_strip /bin/true" --define "__os_install_post %{nil}" \
  "$top/packaging/rpm/lunarc-otp.spec"
cp "$rpmtop"/RPMS/*/*.rpm "$out/"

echo "packages:"
ls -l "$out"
echo "installed size: $((installed_kb / 1024)) MiB"
