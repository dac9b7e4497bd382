#!/bin/bash
# hosts.sh up DIR N | down DIR | hang DIR -- libvirt hosts on this machine, one per network namespace.
#
# up: host i (1..N) is network namespace vfk-DIRHASH-i with veth 10.231.K.2 (this machine: 10.231.K.1), its own
# libvirtd + virtlogd (own /etc/libvirt, /var/lib/libvirt, /run/libvirt, /var/cache/libvirt, /var/log/libvirt, bind
# mounted in a private mount namespace, so domains defined on one host are not seen on another) and its own sshd
# (key-only root login with a key made here). Reached as qemu+ssh://root@10.231.K.2/system?keyfile=DIR/id&no_verify=1.
# Writes DIR/hosts (one "name address uri" line each) and DIR/ansible-inventory.ini. Needs root, iproute2, sshd.
# hang: one more namespace (index 0: 10.231.net.2, below up's hosts) whose port 22 accepts TCP and never speaks
# (a host that hangs in its ssh handshake).
# down: stops every daemon of DIR's hosts and deletes their namespaces. Idempotent.
set -euo pipefail
cmd=${1:?up|down|hang}; D=$(mkdir -p "${2:?DIR}" && readlink -f "$2")
tag=$(printf %s "$D" | md5sum | cut -c1-6)      # several beds (parallel test runs) do not collide
net=$(( 0x${tag:0:2} % 200 + 20 ))               # 10.231.(net+i).0/24 per host: 20..219, so up takes N <= 35

down() {
  for f in "$D"/h*/run.pids; do
    [ -f "$f" ] || continue
    while read -r p; do kill "$p" 2>/dev/null || true; done < "$f"
    rm -f "$f"
  done
  for ns in $(ip netns list | awk -v t="vfk-$tag-" 'index($1,t)==1{print $1}'); do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    sleep 0.3
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  for l in $(ip -o link show | awk -F': ' -v t="vk$tag" 'index($2,t)==1{sub(/@.*/,"",$2);print $2}'); do ip link del "$l" 2>/dev/null || true; done
}

netns() {                                        # netns NAME INDEX: namespace + veth, prints the guest-side address
  local ns=$1 i=$2 a=10.231.$((net + i))
  ip netns add "$ns"
  ip link add "vk$tag$i" type veth peer name eth0 netns "$ns"
  ip addr add "$a.1/24" dev "vk$tag$i"; ip link set "vk$tag$i" up
  ip -n "$ns" addr add "$a.2/24" dev eth0; ip -n "$ns" link set eth0 up; ip -n "$ns" link set lo up
  echo "$a.2"
}

up() {
  local n=${1:?N}; [ "$n" -le 35 ] || { echo "hosts.sh: at most 35 hosts (10.231.$net+N must stay an octet)" >&2; exit 2; }
  down
  [ -f "$D/id" ] || ssh-keygen -q -t ed25519 -N '' -f "$D/id" -C vfiokit-multihost
  : > "$D/hosts"; printf '[vfiokit_hosts]\n' > "$D/ansible-inventory.ini"
  mkdir -p /run/sshd
  for i in $(seq "$n"); do
    local h="$D/h$i" ns="vfk-$tag-$i" addr
    rm -rf "$h"; mkdir -p "$h"/{etc,lib,cache,log,run}
    cp -a /etc/libvirt/. "$h/etc/"
    rm -rf "$h/etc/qemu/networks/autostart" "$h/etc/qemu/"*.xml   # a fresh host: no domains, no networks started
    printf 'host_uuid = "%s"\n' "$(python3 -c 'import sys,uuid;print(uuid.uuid5(uuid.NAMESPACE_URL,sys.argv[1]))' "vfiokit:$tag:$i")" >> "$h/etc/libvirtd.conf"
    ssh-keygen -q -t ed25519 -N '' -f "$h/ssh_host_ed25519_key"
    cp "$D/id.pub" "$h/authorized_keys"
    addr=$(netns "$ns" "$i")
    cat > "$h/sshd_config" <<EOF
ListenAddress $addr
HostKey $h/ssh_host_ed25519_key
AuthorizedKeysFile $h/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile $h/run/sshd.pid
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
    # one mount namespace for libvirtd and sshd: an ssh session sees this host's /run/libvirt socket
    ip netns exec "$ns" unshare --mount --propagation private bash -c "
      set -e
      mount --bind '$h/etc' /etc/libvirt; mount --bind '$h/lib' /var/lib/libvirt
      mount --bind '$h/cache' /var/cache/libvirt; mount --bind '$h/log' /var/log/libvirt
      mount --bind '$h/run' /run/libvirt
      virtlogd -d -p /run/libvirt/virtlogd.pid
      libvirtd -d -p /run/libvirt/libvirtd.pid
      /usr/sbin/sshd -f '$h/sshd_config' -E '$h/sshd.log'
      for _ in \$(seq 100); do [ -S /run/libvirt/libvirt-sock ] && [ -s '$h/run/sshd.pid' ] && exit 0; sleep 0.1; done
      echo 'host $i: libvirtd or sshd did not start' >&2; exit 1"
    cat "$h/run/virtlogd.pid" "$h/run/libvirtd.pid" "$h/run/sshd.pid" > "$h/run.pids"
    local uri="qemu+ssh://root@$addr/system?keyfile=$D/id&no_verify=1"
    echo "h$i $addr $uri" >> "$D/hosts"
    echo "h$i ansible_host=$addr ansible_user=root ansible_ssh_private_key_file=$D/id ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null' ansible_python_interpreter=/usr/bin/python3 vfiokit_uri='$uri'" >> "$D/ansible-inventory.ini"
  done
}

hang() {                                          # a host that accepts TCP on port 22 and never answers
  local i=0 ns="vfk-$tag-0" addr                  # index 0: up's hosts are 1..N, and net+0 is always a valid octet
  if [ -f "$D/h0/run.pids" ]; then kill "$(cat "$D/h0/run.pids")" 2>/dev/null || true; fi   # an earlier call's listener
  ip netns del "$ns" 2>/dev/null || true; ip link del "vk${tag}0" 2>/dev/null || true
  addr=$(netns "$ns" "$i")
  mkdir -p "$D/h0"; rm -f "$D/h0/ready"               # a ready file left by an earlier call must not pass the wait
  ip netns exec "$ns" python3 -c "
import socket,time,os
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1); s.bind(('$addr',22)); s.listen(64)
open('$D/h0/ready','w').close()
while True: time.sleep(3600)" > /dev/null 2>&1 &
  echo $! > "$D/h0/run.pids"
  for _ in $(seq 50); do [ -f "$D/h0/ready" ] && break; sleep 0.1; done
  echo "qemu+ssh://root@$addr/system?keyfile=$D/id&no_verify=1"
}

case $cmd in
  up) up "${3:?N}";;
  down) down;;
  hang) hang;;
  *) echo "usage: hosts.sh up DIR N | down DIR | hang DIR" >&2; exit 2;;
esac
