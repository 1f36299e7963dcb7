/**
 * Decryption of SK and SKF payloads (RFC 7296 §3.14, RFC 7383 §2.5) for `kite decode`, with keys
 * from a Wireshark `ikev2_decryption_table`. The sender's keys are chosen by the header's I flag:
 * SK_ei/SK_ai protect what the original initiator sends, SK_er/SK_ar the rest (RFC 7296 §2.14).
 */
import type { IkeSaKeys } from '../capture/keys-file.js';
import { createSkCipher } from '../crypto/sk-cipher.js';
import { KiteError } from '../errors.js';
import { bytesEqual } from '../util/bytes.js';
import type { IkeHeader } from '../wire/header.js';
import { findSkPayloadOffset } from '../wire/message.js';
import { skSplit } from '../wire/payloads/sk.js';

/** The keys in `table` for the IKE SA named by `header`'s SPIs, if any. */
export function findIkeSaKeys(table: readonly IkeSaKeys[], header: Pick<IkeHeader, 'spiI' | 'spiR'>): IkeSaKeys | undefined {
  return table.find((k) => bytesEqual(k.spiI, header.spiI) && bytesEqual(k.spiR, header.spiR));
}

/**
 * Verify and decrypt the SK or SKF payload of the encoded message `buf`, returning the inner
 * payload octets without padding (for SKF: this fragment's share of them). Throws ParseError when
 * the message has no SK/SKF payload or it is too short, CryptoError when the ICV does not verify
 * or the suite is not supported, KiteError NO_SK_PAYLOAD when there is nothing to decrypt.
 */
export function decryptSkPayload(buf: Uint8Array, header: Pick<IkeHeader, 'initiator'>, keys: IkeSaKeys): Uint8Array {
  const loc = findSkPayloadOffset(buf);
  if (loc === undefined) throw new KiteError('NO_SK_PAYLOAD', 'message has no SK or SKF payload');
  const aead = keys.integ.integId === 0;
  const cipher = createSkCipher(keys.encr.encrId, keys.encr.keyLengthBits, aead ? undefined : keys.integ.integId);
  const fromInitiator = header.initiator;
  // The SK/SKF payload runs to the end of the message; the message's Length was checked on decode.
  const body = buf.subarray(loc.bodyOffset);
  const { iv, ciphertext, icv } = skSplit(body, cipher.ivLength, cipher.icvLength, loc.bodyOffset);
  return cipher.decrypt({
    encrKey: fromInitiator ? keys.skEi : keys.skEr,
    ...(aead ? {} : { integKey: fromInitiator ? keys.skAi : keys.skAr }),
    iv,
    ciphertext,
    icv,
    aad: buf.subarray(0, loc.bodyOffset),
  });
}
