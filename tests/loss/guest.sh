#!/bin/bash
# guest.sh DIR NAME -- a real Linux guest for `vfiokit loss measure` on this machine's libvirtd: Debian's kernel (the
# one tests/vmhost/vfio-vm.sh prepares), booted directly, its root this machine's / read-only over virtio-9p (so the
# guest runs the same dd, sha256sum and date as the host), and qemu-guest-agent (this machine's /usr/sbin/qemu-ga)
# started on its virtio-serial port as soon as the guest is up (~8 s under TCG). Writes DIR/NAME.xml (domain type
# qemu: KVM is not used here) with the kernel, initramfs and guest init in DIR, which must be readable by QEMU's user
# (libvirt-qemu): /var/tmp/... is, /root/... is not.
set -euo pipefail
D=$1; NAME=$2
[ -x /usr/sbin/qemu-ga ] || { echo "guest.sh: /usr/sbin/qemu-ga missing (apt-get install qemu-guest-agent)" >&2; exit 98; }
W=$(VM_PREPARE_ONLY=1 bash "$(dirname "$0")/../vmhost/vfio-vm.sh" - | tail -1)
[ -f "$W/ready" ] || { echo "guest.sh: the VM host kernel was not prepared in $W" >&2; exit 97; }
mkdir -p "$D"; rm -rf "$D/ird"; cp -a "$W/ird" "$D/ird"; cp "$W/vmlinux" "$D/vmlinux"
f=$(find "$W/root/lib/modules/$(readlink "$W/kver")" -name 'virtio_console.ko*' | head -1)
if [ -n "$f" ]; then                               # absent: built into this kernel
  case $f in *.zst) zstd -qdc "$f" > "$D/ird/m/virtio_console.ko";; *.xz) xz -dc "$f" > "$D/ird/m/virtio_console.ko";; *) cp "$f" "$D/ird/m/";; esac
  echo "insmod /m/virtio_console.ko" >> "$D/ird/mods"
fi
(cd "$D/ird" && find . | busybox cpio -o -H newc 2>/dev/null) > "$D/initrd.cpio"; rm -rf "$D/ird"
# the initramfs's init mounts the 9p root and hands over to $vmwork/stage2.sh: here, the guest agent
cat > "$D/stage2.sh" <<'EOS'
#!/bin/bash
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
mount -t tmpfs t /run; mkdir -p /dev/pts /dev/shm /run/qemu-ga; mount -t devpts d /dev/pts; mount -t tmpfs t /dev/shm
P=
for i in $(seq 100); do
  for n in /sys/class/virtio-ports/*/name; do [ "$(cat "$n" 2>/dev/null)" = org.qemu.guest_agent.0 ] && P=/dev/$(basename "$(dirname "$n")"); done
  [ -n "$P" ] && break; sleep 0.1
done
echo "loss guest: qemu-ga on ${P:-no port}"
/usr/sbin/qemu-ga -m virtio-serial -p "$P" -t /run/qemu-ga
/bin/busybox poweroff -f
EOS
chmod 0755 "$D" "$D/stage2.sh"; chmod 0644 "$D/vmlinux" "$D/initrd.cpio"
cat > "$D/$NAME.xml" <<EOX
<domain type='qemu'>
  <name>$NAME</name>
  <memory unit='MiB'>512</memory>
  <vcpu>2</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>$D/vmlinux</kernel>
    <initrd>$D/initrd.cpio</initrd>
    <cmdline>console=ttyS0 panic=-1 vmwork=$D</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <devices>
    <filesystem type='mount' accessmode='passthrough'>
      <source dir='/'/>
      <target dir='hostroot'/>
      <readonly/>
    </filesystem>
    <serial type='file'>
      <source path='$D/console.log'/>
    </serial>
    <channel type='unix'>
      <target type='virtio' name='org.qemu.guest_agent.0'/>
    </channel>
  </devices>
</domain>
EOX
echo "$D/$NAME.xml"
