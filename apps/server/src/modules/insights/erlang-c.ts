/**
 * Erlang C: the probability that a contact waits, and the service level (share answered within a target time),
 * for N agents serving Poisson arrivals with exponential handle times. Computed with the Erlang B recursion, which
 * stays stable for hundreds of agents.
 */
export function erlangB(agents: number, trafficErlangs: number): number {
  let b = 1;
  for (let k = 1; k <= agents; k += 1) b = (trafficErlangs * b) / (k + trafficErlangs * b);
  return b;
}

/** P(wait) for `agents` serving `trafficErlangs` (= arrivals per second × handle seconds). 1 when overloaded. */
export function erlangC(agents: number, trafficErlangs: number): number {
  if (trafficErlangs <= 0) return 0;
  if (agents <= trafficErlangs) return 1;
  const b = erlangB(agents, trafficErlangs);
  return (agents * b) / (agents - trafficErlangs * (1 - b));
}

export interface ServiceLevelInput {
  agents: number;
  /** contacts per hour */
  arrivalsPerHour: number;
  /** average handle time in seconds */
  handleSeconds: number;
  /** answer within this many seconds */
  targetSeconds: number;
}

/** Share of contacts answered within the target time. */
export function serviceLevel(i: ServiceLevelInput): number {
  const a = (i.arrivalsPerHour * i.handleSeconds) / 3600;
  if (a <= 0) return 1;
  if (i.agents <= a) return 0;
  const pw = erlangC(i.agents, a);
  return 1 - pw * Math.exp((-(i.agents - a) * i.targetSeconds) / i.handleSeconds);
}

/** The fewest agents that reach `target` service level (0 when nothing arrives). */
export function agentsForServiceLevel(i: Omit<ServiceLevelInput, 'agents'> & { target: number }): number {
  const a = (i.arrivalsPerHour * i.handleSeconds) / 3600;
  if (a <= 0) return 0;
  let n = Math.max(1, Math.floor(a) + 1);
  while (n < 10_000 && serviceLevel({ ...i, agents: n }) < i.target) n += 1;
  return n;
}
