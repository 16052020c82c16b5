/**
 * Kubernetes resource quantities (`250m`, `1.5`, `512Mi`, `1G`, `1e3`) as numbers of the base unit
 * (cores, bytes).
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */
const SUFFIXES: Readonly<Record<string, number>> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The value of a quantity; undefined when it is not one. */
export function parseQuantity(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(v.trim());
  if (m === null) return undefined;
  const n = Number(m[1]);
  return m[2] !== undefined ? n * 10 ** Number(m[2].slice(1)) : n * SUFFIXES[m[3] ?? ''];
}

/** CPU as Kubernetes writes it: `34500m`, or whole cores. */
export function formatCpu(cores: number): string {
  const millis = Math.round(cores * 1000);
  return millis % 1000 === 0 ? `${millis / 1000}` : `${millis}m`;
}

/** Memory in Mi, or Gi when whole. */
export function formatMemory(bytes: number): string {
  const mi = bytes / 2 ** 20;
  if (Number.isInteger(mi / 1024)) return `${mi / 1024}Gi`;
  return Number.isInteger(mi) ? `${mi}Mi` : `${Math.ceil(mi)}Mi`;
}
