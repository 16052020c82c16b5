import { Chart, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { type WorkerProps } from '../../../lib/k8s/workloads/worker';
import { type ResourceProfile } from '../../../lib/model/resources';

/** Small fixtures built here, so these library tests never follow the sample platform. */
export const resources: ResourceProfile = {
  name: 'test',
  cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
};

export const labels = { app: 'orders', instance: 'orders', partOf: 'shop', version: 'v1.2.3' };

export const workerProps: WorkerProps = {
  name: 'orders',
  labels,
  image: 'registry.example.com/shop/orders:v1.2.3',
  replicas: 2,
  resources,
  ports: [{ name: 'metrics', port: 9090 }],
  probes: { port: 'metrics' },
  configMapName: 'orders-config',
};

/** A synthesized object: the tests read its nested fields freely, the schema tests check its shape. */
export type Manifest = ReturnType<typeof Testing.synth>[number];

/** Every object of a fresh chart in namespace `shop` after `build` ran in it. */
export function synthWith(build: (chart: Chart) => void): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop', disableResourceNameHashes: true });
  build(chart);
  return Testing.synth(chart);
}

export const ofKind = (objs: Manifest[], kind: string): Manifest[] => objs.filter((o) => o.kind === kind);
export const find = (objs: Manifest[], kind: string): Manifest | undefined => objs.find((o) => o.kind === kind);
