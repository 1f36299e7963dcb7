/**
 * IP-layer constants used by the dataplane and by capture readers: IP protocol numbers
 * (IANA "Assigned Internet Protocol Numbers"), EtherTypes, and pcap link types.
 */
import { nameMap } from './names.js';

/** IP protocol numbers (IPv4 Protocol / IPv6 Next Header). */
export const IpProto = {
  HOPOPT: 0,
  ICMP: 1,
  IPV4: 4,
  TCP: 6,
  UDP: 17,
  IPV6: 41,
  IPV6_ROUTE: 43,
  IPV6_FRAG: 44,
  GRE: 47,
  ESP: 50,
  AH: 51,
  ICMPV6: 58,
  NO_NEXT_HEADER: 59,
  IPV6_OPTS: 60,
  IPCOMP: 108,
} as const;
/** One IpProto value (the union of the numbers above). */
export type IpProto = (typeof IpProto)[keyof typeof IpProto];
/** IpProto number -> its name as spelled above, for logs and `kite decode`. */
export const ipProtoNames = nameMap(IpProto);

/** EtherTypes (also GRE Protocol Type, RFC 2784 §2.4). */
export const EtherType = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  IPV6: 0x86dd,
  QINQ: 0x88a8, // IEEE 802.1ad service tag
} as const;

/** pcap / pcapng LINKTYPE values (tcpdump.org link-layer header types). */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;
/** LinkType number -> its name as spelled above, for logs and `kite decode`. */
export const linkTypeNames = nameMap(LinkType);

/**
 * Address-family values in the 4-byte header of LINKTYPE_NULL / LOOPBACK frames (host byte order
 * of the capturing machine): AF_INET is 2 everywhere, AF_INET6 differs by operating system.
 */
export const LoopbackFamily = {
  INET: 2,
  INET6_LINUX: 10,
  INET6_BSD: 24, // NetBSD, OpenBSD, BSD/OS
  INET6_FREEBSD: 28,
  INET6_DARWIN: 30,
} as const;

/** The non-ESP marker that prefixes IKE messages on the NAT-T port (RFC 3948 §2.2). */
export const NON_ESP_MARKER_LENGTH = 4;
/** NAT-keepalive payload (RFC 3948 §2.3). */
export const NAT_KEEPALIVE_BYTE = 0xff;
