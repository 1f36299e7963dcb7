/**
 * Error types shared by every layer of Kite.
 *
 * Decoders throw only {@link ParseError}; protocol and crypto code throws {@link KiteError}
 * subclasses whose `code` a caller can switch on and whose message names cause and fix.
 */

/** Machine-readable reasons a decoder rejects input. */
export type ParseErrorCode =
  | 'TRUNCATED' // fewer bytes than a length field or fixed layout requires
  | 'BAD_LENGTH' // a length field is inconsistent (too small, exceeds container)
  | 'BAD_VALUE' // a field holds a value the format forbids
  | 'LIMIT' // a configured count or size limit was exceeded
  | 'UNSUPPORTED_CRITICAL_PAYLOAD' // RFC 7296 §2.5: unknown payload with the critical bit
  | 'INVALID_SYNTAX' // message rules violated (payload missing, duplicated, misplaced)
  | 'BAD_FORMAT'; // a container format (pcap, keys file, hex) is malformed

/** Thrown by every decoder on bad input: where (`offset`), what (`field`) and why (`code`). */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  /** Byte offset into the buffer the decoder was given (or line number for text formats). */
  readonly offset: number;
  /** Name of the field being decoded when the error occurred. */
  readonly field: string;
  /** Reason code. */
  readonly code: ParseErrorCode;
  /** For UNSUPPORTED_CRITICAL_PAYLOAD: the payload type that was not understood. */
  readonly payloadType: number | undefined;

  constructor(code: ParseErrorCode, field: string, offset: number, detail?: string, payloadType?: number) {
    super(`${code} in ${field} at offset ${offset}${detail !== undefined ? `: ${detail}` : ''}`);
    this.code = code;
    this.field = field;
    this.offset = offset;
    this.payloadType = payloadType;
  }
}

/** Base class for non-parse errors raised by Kite (crypto, protocol, configuration). */
export class KiteError extends Error {
  override readonly name: string = 'KiteError';
  /** Stable machine-readable code, e.g. `ICV_MISMATCH`, `INVALID_KE_PUBLIC`. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** A cryptographic check failed (ICV, signature, public value validation). */
export class CryptoError extends KiteError {
  override readonly name = 'CryptoError';
}
