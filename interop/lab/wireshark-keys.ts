/**
 * Wireshark key files (UAT format, as tshark 4.0 reads them and strongSwan's save-keys plugin
 * writes them): `ikev2_decryption_table` and `esp_sa`.
 */
import type { ChildKeySet, IkeKeySet } from './charon-log.js';
import type { WiresharkNames } from './suites.js';

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** One IKE SA for `ikev2_decryption_table`: SPIs as 16 hex digits. */
export interface IkeSaKeys {
  readonly spiI: string;
  readonly spiR: string;
  readonly keys: IkeKeySet;
}

/**
 * `ikev2_decryption_table` lines:
 * `SPIi,SPIr,SK_ei,SK_er,"encr",SK_ai,SK_ar,"integ"` (hex unquoted, empty SK_a* for AEAD).
 */
export function ikev2DecryptionTable(sas: readonly IkeSaKeys[], names: WiresharkNames): string {
  return sas
    .map(
      (sa) =>
        `${sa.spiI},${sa.spiR},${hex(sa.keys.skEi)},${hex(sa.keys.skEr)},"${names.ikeEncr}",` +
        `${hex(sa.keys.skAi)},${hex(sa.keys.skAr)},"${names.ikeInteg}"\n`,
    )
    .join('');
}

/** Outer addresses of the two peers (ESP-in-UDP is keyed on them). */
export interface EspEndpoints {
  readonly initiator: string;
  readonly responder: string;
}

/**
 * `esp_sa` lines, two per CHILD SA, from the key sets logged by the node that initiated every
 * CHILD exchange: its outbound SPI carries initiator keys.
 * `"IPv4","src","dst","0xSPI","encr","0xKEY","auth","0xKEY"`.
 */
export function espSaTable(children: readonly ChildKeySet[], ends: EspEndpoints, names: WiresharkNames): string {
  const line = (src: string, dst: string, spi: number, ek: Uint8Array, ak: Uint8Array): string =>
    `"IPv4","${src}","${dst}","0x${spi.toString(16).padStart(8, '0')}","${names.espEncr}","0x${hex(ek)}",` +
    `"${names.espAuth}","${ak.length > 0 ? `0x${hex(ak)}` : ''}"\n`;
  return children
    .map(
      (c) =>
        line(ends.initiator, ends.responder, c.spiOut, c.encrI, c.integI) +
        line(ends.responder, ends.initiator, c.spiIn, c.encrR, c.integR),
    )
    .join('');
}
