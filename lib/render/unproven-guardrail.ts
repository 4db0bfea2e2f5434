/**
 * The id of the synth error for a guardrail that synthesis cannot prove holds, because addresses
 * known only at apply decide it: suppressible with a reason (`MicrosegSuppressions.addSuppressions`).
 */
export const UNPROVEN_GUARDRAIL = 'MS-GUARDRAIL-UNPROVEN';
