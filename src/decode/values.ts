/**
 * Readable forms of payload data whose format a registry defines: identities (RFC 7296 §3.5),
 * configuration attribute values (RFC 7296 §3.15.1, RFC 8598), and the data of the Notify types
 * `kite decode` interprets (RFC 3948/7296 NAT detection, RFC 7427, RFC 7296 §3.10.1).
 */
import { ParseError } from '../errors.js';
import {
  CfgAttr, cfgAttrNames, hashAlgorithmNames, IdType, ipcompTransformNames, keGroupNames, NotifyType,
} from '../iana/ikev2.js';
import { nameOf } from '../iana/names.js';
import { ipv4ToString, ipv6ToString } from '../util/ip-text.js';
import { toHex } from '../util/bytes.js';
import { dnToString } from '../crypto/dn.js';

/** Printable ASCII text of `b`, or undefined when any octet is not printable. */
export function printable(b: Uint8Array): string | undefined {
  for (const c of b) if (c < 0x20 || c > 0x7e) return undefined;
  return String.fromCharCode(...b);
}

/** An identity as text, with the reason when it had to fall back to hex. */
export function idValue(idType: number, data: Uint8Array): { value: string; error?: string } {
  switch (idType) {
    case IdType.ID_IPV4_ADDR:
      return data.length === 4 ? { value: ipv4ToString(data) } : { value: toHex(data), error: `IPv4 address of ${data.length} octets` };
    case IdType.ID_IPV6_ADDR:
      return data.length === 16 ? { value: ipv6ToString(data) } : { value: toHex(data), error: `IPv6 address of ${data.length} octets` };
    case IdType.ID_FQDN:
    case IdType.ID_RFC822_ADDR: {
      const text = printable(data);
      return text !== undefined ? { value: text } : { value: toHex(data), error: 'not printable ASCII' };
    }
    case IdType.ID_DER_ASN1_DN:
      try {
        return { value: dnToString(data) };
      } catch (e) {
        if (e instanceof ParseError) return { value: toHex(data), error: e.message };
        throw e;
      }
    case IdType.ID_KEY_ID:
      return { value: printable(data) ?? toHex(data) };
    case IdType.ID_NULL:
      return { value: '' };
    default:
      return { value: toHex(data) };
  }
}

/** Address attribute types whose value is one IPv4 address. */
const IPV4_VALUES: readonly number[] = [
  CfgAttr.INTERNAL_IP4_ADDRESS, CfgAttr.INTERNAL_IP4_NETMASK, CfgAttr.INTERNAL_IP4_DNS, CfgAttr.INTERNAL_IP4_NBNS,
  CfgAttr.INTERNAL_IP4_DHCP, CfgAttr.P_CSCF_IP4_ADDRESS, CfgAttr.ENCDNS_IP4,
];
/** Attribute types whose value is one IPv6 address. */
const IPV6_VALUES: readonly number[] = [CfgAttr.INTERNAL_IP6_DNS, CfgAttr.INTERNAL_IP6_DHCP, CfgAttr.P_CSCF_IP6_ADDRESS];
/** Attribute types whose value is an IPv6 address followed by a prefix length octet. */
const IPV6_PREFIX_VALUES: readonly number[] = [CfgAttr.INTERNAL_IP6_ADDRESS, CfgAttr.INTERNAL_IP6_SUBNET, CfgAttr.INTERNAL_IP6_PREFIX];
/** Attribute types whose value is text. */
const TEXT_VALUES: readonly number[] = [CfgAttr.APPLICATION_VERSION, CfgAttr.INTERNAL_DNS_DOMAIN];

/** Prefix length of a contiguous IPv4 netmask, or undefined. */
function prefixLength(mask: Uint8Array): number | undefined {
  const v = (((mask[0] as number) << 24) | ((mask[1] as number) << 16) | ((mask[2] as number) << 8) | (mask[3] as number)) >>> 0;
  const inv = ~v >>> 0;
  if ((inv & (inv + 1)) !== 0) return undefined;
  return 32 - Math.log2(inv + 1);
}

/** A configuration attribute value as text; null for a zero-length value (a request). */
export function cfgValue(type: number, value: Uint8Array): string | null {
  if (value.length === 0) return null;
  if (IPV4_VALUES.includes(type) && value.length === 4) return ipv4ToString(value);
  if (IPV6_VALUES.includes(type) && value.length === 16) return ipv6ToString(value);
  if (IPV6_PREFIX_VALUES.includes(type) && value.length === 17) return `${ipv6ToString(value.subarray(0, 16))}/${value[16]}`;
  if (type === CfgAttr.INTERNAL_IP4_SUBNET && value.length === 8) {
    const mask = value.subarray(4, 8);
    const len = prefixLength(mask);
    return `${ipv4ToString(value.subarray(0, 4))}/${len ?? ipv4ToString(mask)}`;
  }
  if (TEXT_VALUES.includes(type)) {
    const text = printable(value);
    if (text !== undefined) return text;
  }
  if (type === CfgAttr.SUPPORTED_ATTRIBUTES && value.length % 2 === 0) {
    const names: string[] = [];
    for (let i = 0; i < value.length; i += 2) names.push(nameOf(cfgAttrNames, (((value[i] as number) << 8) | (value[i + 1] as number)) & 0x7fff));
    return names.join(',');
  }
  return toHex(value);
}

/** The fields of a Notify payload's data that `kite decode` interprets (see NotifyJson). */
export interface NotifyDataFields {
  hash?: string;
  hashAlgorithms?: string[];
  cpi?: number;
  transform?: string;
  group?: string;
}

/** Interpret the data of the Notify types that define a format; {} for the others or bad lengths. */
export function notifyFields(notifyType: number, data: Uint8Array): NotifyDataFields {
  switch (notifyType) {
    case NotifyType.NAT_DETECTION_SOURCE_IP:
    case NotifyType.NAT_DETECTION_DESTINATION_IP:
      return { hash: toHex(data) };
    case NotifyType.SIGNATURE_HASH_ALGORITHMS: {
      if (data.length % 2 !== 0) return {};
      const hashAlgorithms: string[] = [];
      for (let i = 0; i < data.length; i += 2) hashAlgorithms.push(nameOf(hashAlgorithmNames, ((data[i] as number) << 8) | (data[i + 1] as number)));
      return { hashAlgorithms };
    }
    case NotifyType.IPCOMP_SUPPORTED:
      if (data.length < 3) return {};
      return { cpi: ((data[0] as number) << 8) | (data[1] as number), transform: nameOf(ipcompTransformNames, data[2] as number) };
    case NotifyType.INVALID_KE_PAYLOAD:
      if (data.length !== 2) return {};
      return { group: nameOf(keGroupNames, ((data[0] as number) << 8) | (data[1] as number)) };
    default:
      return {};
  }
}
