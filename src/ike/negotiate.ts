/**
 * The responder's choice, read through `ike/proposal.ts` (`selectChosen`, `negotiatedAlgorithms`)
 * into the shapes the IKE SA and the CHILD_SA need. Mismatches become {@link IkeFailure}s.
 */
import { KiteError } from '../errors.js';
import type { Proposal, SaPayload } from '../wire/payloads/sa.js';
import type { IkeAlgorithms } from './ike-sa.js';
import { negotiatedAlgorithms, selectChosen } from './proposal.js';
import { IkeFailure } from './tasks/task.js';

export { offeredGroups } from './proposal.js';

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof KiteError && !(e instanceof IkeFailure)) throw new IkeFailure(e.code, e.message, '');
    throw e;
  }
}

/** The one proposal the responder chose, checked against `offered` (protocol included). */
export function checkChosen(offered: readonly Proposal[], sa: SaPayload): Proposal {
  return wrap(() => selectChosen(offered, sa.proposals));
}

/** The IKE algorithms of a chosen proposal. */
export function ikeAlgorithms(p: Proposal): IkeAlgorithms {
  return wrap(() => {
    const a = negotiatedAlgorithms(p);
    if (a.prfId === undefined || a.keGroup === undefined) throw new IkeFailure('PROPOSAL_MISMATCH', 'the chosen IKE proposal lacks a PRF or KE group', 'the gateway is misbehaving; report it with a capture');
    return { encrId: a.encrId, keyLengthBits: a.keyLengthBits, integId: a.integId, prfId: a.prfId, group: a.keGroup };
  });
}

/** ESP algorithms of a chosen CHILD_SA proposal. */
export interface EspAlgorithms {
  readonly encrId: number;
  readonly keyLengthBits: number;
  readonly integId: number;
  readonly esn: boolean;
  readonly group: number | undefined;
}

/** The ESP algorithms of a chosen proposal. */
export function espAlgorithms(p: Proposal): EspAlgorithms {
  return wrap(() => {
    const a = negotiatedAlgorithms(p);
    return { encrId: a.encrId, keyLengthBits: a.keyLengthBits, integId: a.integId, esn: a.esn, group: a.keGroup };
  });
}
