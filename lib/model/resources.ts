import { type Size } from 'cdk8s';
import { type Cpu } from 'cdk8s-plus-28';

/** CPU and memory for one container: what the scheduler reserves and the most it may use. */
export interface ResourceProfile {
  /** A short name shown in docs and errors, such as `standard`. */
  readonly name: string;
  readonly cpu: { readonly request: Cpu; readonly limit: Cpu };
  readonly memory: { readonly request: Size; readonly limit: Size };
}

/** Millicores of a cdk8s-plus {@link Cpu} ("250m" or "1.5"). */
export function cpuMillis(cpu: Cpu): number {
  const amount = cpu.amount;
  return amount.endsWith('m') ? Number(amount.slice(0, -1)) : Math.round(Number(amount) * 1000);
}

/** Mebibytes of a cdk8s {@link Size}. */
export function memoryMebibytes(size: Size): number {
  return size.toMebibytes();
}
