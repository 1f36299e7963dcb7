/**
 * The IKEv2 wire codec's public face (re-exports only): header, payload records and codecs,
 * message and payload-chain codecs, SK/SKF helpers, message rules and limits.
 */
export * from './header.js';
export * from './limits.js';
export * from './message.js';
export * from './message-rules.js';
export * from './payload.js';
export * from './payloads/auth.js';
export * from './payloads/cert.js';
export * from './payloads/certreq.js';
export * from './payloads/cp.js';
export * from './payloads/delete.js';
export * from './payloads/eap.js';
export * from './payloads/id.js';
export * from './payloads/ke.js';
export * from './payloads/nonce.js';
export * from './payloads/notify.js';
export * from './payloads/sa.js';
export * from './payloads/sk.js';
export * from './payloads/skf.js';
export * from './payloads/ts.js';
export * from './payloads/unknown.js';
export * from './payloads/vendor-id.js';
export * from './sk-envelope.js';
