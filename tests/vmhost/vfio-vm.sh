#!/bin/bash
# vfio-vm.sh TEST_SCRIPT [OUTDIR] -- boot a real kernel under QEMU/TCG with an emulated IOMMU (VM_IOMMU=intel|amd)
# and an SR-IOV NVMe, run TEST_SCRIPT as root in the guest; its exit code becomes this script's.
# VM_KERNEL picks the kernel: debian (default: the one linux-image-amd64 depends on, 6.1), debian-6.12 (Debian 12's
# security archive: the newest linux-image-6.12.*+deb12-amd64-unsigned), ubuntu-6.8 (Ubuntu 24.04's
# linux-image-unsigned + linux-modules 6.8.0-N-generic from archive.ubuntu.com: a distribution kernel built with
# CONFIG_IOMMUFD=m, CONFIG_VFIO_DEVICE_CDEV=y and VFIO variant drivers, which no Debian kernel has).
# Guest root = host / (read-only virtio-9p) + tmpfs overlay, so the host's java and the built jar run inside;
# OUTDIR is a writable 9p share mounted at /mnt/out. The kernel and initramfs are prepared once into $VM_WORK
# (default ~/.cache/vfiokit/vmhost, one folder per VM_KERNEL) and reused: later boots take ~10 s. VM_PREPARE_ONLY=1:
# prepare, print the folder, boot nothing.
# Adapted from ../shared/vmhost/vfio-vm.sh (the workplace's reference recipe).
set -euo pipefail
K=${VM_KERNEL:-debian}
W=${VM_WORK:-${XDG_CACHE_HOME:-$HOME/.cache}/vfiokit/vmhost}; [ "$K" = debian ] || W=$W-$K
TEST=$(readlink -f "$1"); OUT=$(readlink -f "${2:-$W/out}"); IOMMU=${VM_IOMMU:-intel}
mkdir -p "$W" "$OUT"; cd "$W"
exec 9>"$W/.lock"; flock 9                       # one preparation at a time; boots may share the prepared files
ubuntu_pkg() {                                   # newest package P of Ubuntu 24.04 (noble-updates) into ./
  local f; f=$(curl -fsS --max-time 120 http://archive.ubuntu.com/ubuntu/dists/noble-updates/main/binary-amd64/Packages.xz \
    | xz -dc | awk -v P="$1" '$1=="Package:"{p=($2==P)} p&&$1=="Filename:"{print $2}' | tail -1)
  [ -n "$f" ] || { echo "no $1 in Ubuntu noble-updates" >&2; exit 98; }
  curl -fsS --max-time 600 -O "http://archive.ubuntu.com/ubuntu/$f"
}
if [ ! -f ready ]; then                          # ---- one-time preparation (~30 s, ~75-110 MB download)
  rm -rf root ird ./*.deb
  case $K in
    debian) KP=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/{print $2; exit}'); apt-get download "$KP" >/dev/null;;
    debian-6.12) KP=$(apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' | awk '{print $1}' | sort -V | tail -1)
      apt-get download "$KP" >/dev/null;;
    ubuntu-6.8) KV=$(curl -fsS --max-time 120 http://archive.ubuntu.com/ubuntu/dists/noble-updates/main/binary-amd64/Packages.xz | xz -dc \
        | awk '$1=="Package:" && $2 ~ /^linux-modules-6\.8\.0-[0-9]+-generic$/ {print $2}' | sed 's/^linux-modules-//' | sort -V | tail -1)
      ubuntu_pkg "linux-image-unsigned-$KV"; ubuntu_pkg "linux-modules-$KV"; KP=linux-image-$KV;;
    *) echo "VM_KERNEL must be debian, debian-6.12 or ubuntu-6.8" >&2; exit 97;;
  esac
  apt-get download kmod libkmod2 pciutils libpci3 >/dev/null
  for d in *.deb; do dpkg -x "$d" root; done
  KV=$(ls root/lib/modules | head -1); ln -sfn "$KV" kver
  ln -sf ../../bin/kmod root/usr/sbin/depmod; LD_LIBRARY_PATH=root/usr/lib/x86_64-linux-gnu root/usr/sbin/depmod -b "$W/root" "$KV"
  # Debian's vmlinuz hides an XZ vmlinux (booted as is: faster under TCG); other kernels boot as the bzImage they are
  python3 -c 'import lzma,sys,shutil;d=open(sys.argv[1],"rb").read();i=d.find(b"\xfd7zXZ\0")
if i<0: shutil.copy(sys.argv[1],"vmlinux")
else: open("vmlinux","wb").write(lzma.LZMADecompressor().decompress(d[i:]))' root/boot/vmlinuz-$KV
  mkdir -p ird/bin ird/m; cp /bin/busybox ird/bin/
  for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p overlay; do
    f=$(find root/lib/modules/$KV \( -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" \) | head -1)
    [ -n "$f" ] || continue                       # built into this kernel
    case $f in *.zst) zstd -qdc "$f" > ird/m/$m.ko;; *.xz) xz -dc "$f" > ird/m/$m.ko;; *) cp "$f" ird/m/;; esac
    echo "insmod /m/$m.ko" >> ird/mods; done
  touch ird/mods
  cat > ird/init <<'EOS'
#!/bin/busybox sh
B=/bin/busybox; $B mkdir -p /proc /sys /dev /lo /rw /nr; $B mount -t proc p /proc; $B mount -t sysfs s /sys; $B mount -t devtmpfs d /dev
while read c m; do $B $c $m; done < /mods
$B mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose hostroot /lo
$B mount -t tmpfs -o mode=0755 t /rw; $B mkdir /rw/u /rw/w
$B mount -t overlay o -o lowerdir=/lo,upperdir=/rw/u,workdir=/rw/w /nr
for d in proc sys dev; do $B mount --move /$d /nr/$d; done
exec $B switch_root /nr $vmwork/stage2.sh
EOS
  chmod +x ird/init; (cd ird && find . | busybox cpio -o -H newc 2>/dev/null) > initrd.cpio
  cat > stage2.sh <<'EOS'
#!/bin/bash
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
R=$vmwork/root; mount -t tmpfs t /run; mkdir -p /dev/pts /dev/shm; mount -t devpts d /dev/pts; mount -t tmpfs t /dev/shm
mkdir -p /usr/lib/modules; ln -s $R/lib/modules/$(uname -r) /usr/lib/modules/
mkdir -p /boot; cp $R/boot/config-$(uname -r) /boot/ 2>/dev/null || true   # the kernel's config, where check reads it
cp -a $R/bin/kmod $R/usr/bin/lspci $R/usr/bin/setpci /usr/bin/; cp -a $R/usr/lib/x86_64-linux-gnu/lib{kmod,pci}.so* /usr/lib/x86_64-linux-gnu/
for c in modprobe insmod rmmod lsmod modinfo depmod; do ln -sfn /usr/bin/kmod /usr/sbin/$c; done
echo /usr/sbin/modprobe > /proc/sys/kernel/modprobe
modprobe -a -q $(cat /sys/bus/pci/devices/*/modalias)          # coldplug, as udev would
mkdir -p /mnt/out; mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 out /mnt/out
bash "$vmtest" 2>&1 | tee /mnt/out/guest.log; echo ${PIPESTATUS[0]} > /mnt/out/rc
sync; /bin/busybox poweroff -f
EOS
  chmod +x stage2.sh; touch ready
fi
[ -z "${VM_PREPARE_ONLY:-}" ] || { echo "$W"; exit 0; }   # the prepared kernel and initramfs only (tests/loss/guest.sh)
case $IOMMU in intel) VI="-device intel-iommu,intremap=on"; KA="intel_iommu=on";;
               amd)   VI="-device amd-iommu,intremap=on";   KA="iommu=pt";; esac  # amd: DMA translation of emulated nvme times out, use pt
rm -f "$OUT/rc"
timeout ${VM_TIMEOUT:-300} qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m ${VM_MEM:-1024} -nographic -no-reboot -nic none \
  -machine q35,kernel-irqchip=split $VI -kernel vmlinux -initrd initrd.cpio \
  -append "console=ttyS0 panic=-1 $KA vmwork=$W vmtest=$TEST ${VM_APPEND:-}" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -virtfs local,path="$OUT",mount_tag=out,security_model=none,multidevs=remap \
  -device pcie-root-port,id=rp1,chassis=1,addr=10.0 -device nvme-subsys,id=ns0 \
  -device nvme,bus=rp1,serial=PF0,subsys=ns0,sriov_max_vfs=4,sriov_vq_flexible=8,sriov_vi_flexible=4 \
  -device pcie-root-port,id=rp2,chassis=2,addr=11.0 -device e1000e,bus=rp2 \
  -device pcie-root-port,id=rp3,chassis=3,addr=12.0 -device virtio-net-pci,bus=rp3 \
  -device pcie-root-port,id=rp4,chassis=4,addr=13.0 -device e1000e,bus=rp4,addr=00.0,multifunction=on \
  -device virtio-net-pci,bus=rp4,addr=00.1 </dev/null > "$OUT/console.log" 2>&1 || true
exit $(cat "$OUT/rc" 2>/dev/null || echo 99)
