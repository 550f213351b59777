// Reconnect delays: exponential growth, capped, with "equal jitter" so many clients that lost the
// same server do not come back in lockstep.

export interface BackoffPolicy {
  base_ms: number;
  cap_ms: number;
}

export const kDefaultBackoff: BackoffPolicy = { base_ms: 300, cap_ms: 5000 };

/// Delay before reconnect attempt `attempt` (1-based): half of min(cap, base·2^(attempt−1)) plus a
/// random share of the other half; `random` returns [0, 1).
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const ceiling = Math.min(policy.cap_ms, policy.base_ms * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
