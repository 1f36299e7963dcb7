#!/bin/sh
# Regenerates the capture fixtures: a private network namespace, dumpcap on lo (pcapng and pcap)
# and on "any" (Linux cooked v1 and v2), node sends the datagrams of send.mjs. Needs root.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ns="kite-capture-$$"
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  ip netns delete "$ns" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
ip netns add "$ns"
ip netns exec "$ns" ip link set lo mtu 1280 up
tmp=$(mktemp -d)
chmod 777 "$tmp"
ip netns exec "$ns" dumpcap -q -i lo -f udp -w "$tmp/lo.pcapng" 2>/dev/null & pids="$pids $!"
ip netns exec "$ns" dumpcap -q -i lo -f udp -P -w "$tmp/lo.pcap" 2>/dev/null & pids="$pids $!"
ip netns exec "$ns" dumpcap -q -i any -f udp -P -w "$tmp/any-sll.pcap" 2>/dev/null & pids="$pids $!"
ip netns exec "$ns" dumpcap -q -i any -y LINUX_SLL2 -f udp -w "$tmp/any-sll2.pcapng" 2>/dev/null & pids="$pids $!"
sleep 2
ip netns exec "$ns" node "$here/send.mjs"
sleep 1
for p in $pids; do kill -INT "$p" 2>/dev/null || true; done
for p in $pids; do wait "$p" 2>/dev/null || true; done
pids=""
cp "$tmp"/lo.pcapng "$tmp"/lo.pcap "$tmp"/any-sll.pcap "$tmp"/any-sll2.pcapng "$here/"
rm -rf "$tmp"
