#!/bin/bash
# build-mdev-samples.sh [DIR] -> DIR/mdev/mtty.ko (default DIR ~/.cache/vfiokit/mdev-samples), built out of tree
# against the kernel vfio-vm.sh boots (the linux-image that linux-image-amd64 depends on): the kernel's sample
# mediated-device driver, a real mdev parent with types. Cached: a second run returns at once.
# Adapted from ../shared/vmhost/build-mdev-samples.sh. Needs gcc, make, apt-get download (~150 MB, once).
set -euo pipefail
D=$(readlink -f "${1:-${XDG_CACHE_HOME:-$HOME/.cache}/vfiokit/mdev-samples}"); mkdir -p "$D"
exec 9>"$D/.lock"; flock 9
[ -f "$D/mdev/mtty.ko" ] && { echo "$D/mdev/mtty.ko"; exit 0; }
mkdir -p "$D/debs" "$D/hdr" "$D/mdev"; cd "$D/debs"
KP=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/{print $2; exit}'); KV=${KP#linux-image-}  # 6.1.0-56-amd64
V=$(apt-cache show --no-all-versions "$KP" | awk '/^Version:/{print $2}')                                         # 6.1.192-2
apt-get download -q "linux-headers-$KV=$V" "linux-headers-${KV%-amd64}-common=$V" "linux-kbuild-6.1=$V" "linux-source-6.1=$V" >&2
for d in linux-headers-*.deb linux-kbuild-*.deb; do dpkg -x "$d" "$D/hdr"; done
dpkg-deb --fsys-tarfile linux-source-6.1_*.deb | tar -xO ./usr/src/linux-source-6.1.tar.xz \
  | tar -xJO linux-source-6.1/samples/vfio-mdev/mtty.c > "$D/mdev/mtty.c"
echo 'obj-m := mtty.o' > "$D/mdev/Kbuild"
S=$D/hdr/usr/src   # the -amd64 Makefile includes /usr/src/...-common/Makefile by absolute path: pass it with -f instead
make -C "$S/linux-headers-$KV" -f "$S/linux-headers-${KV%-amd64}-common/Makefile" M="$D/mdev" modules >&2
rm -rf "$D/debs" "$D/hdr"   # 150 MB of sources and headers are not needed once the module is built
echo "$D/mdev/mtty.ko"
