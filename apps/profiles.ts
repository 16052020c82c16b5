import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { type ResourceProfile } from '../lib/model/resources';

/** Resource profiles the environments pick from. */
export const profiles = {
  minimal: {
    name: 'minimal',
    cpu: { request: Cpu.millis(50), limit: Cpu.millis(250) },
    memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
  },
  standard: {
    name: 'standard',
    cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
    memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
  },
  high: {
    name: 'high',
    cpu: { request: Cpu.millis(250), limit: Cpu.millis(1000) },
    memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
  },
} as const satisfies Record<string, ResourceProfile>;
