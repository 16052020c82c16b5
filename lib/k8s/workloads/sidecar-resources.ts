import { type ResourceProfile } from '../../model/resources';

/**
 * Istio's per-pod overrides of the injected proxy's requests and limits. Set on every meshed pod,
 * so the proxy runs with exactly what the namespace quota is sized for, whatever the mesh's
 * `global.proxy.resources` says.
 * @see https://istio.io/latest/docs/reference/config/annotations/#SidecarProxyCPU
 */
export const SIDECAR_RESOURCE_ANNOTATIONS = {
  cpuRequest: 'sidecar.istio.io/proxyCPU',
  cpuLimit: 'sidecar.istio.io/proxyCPULimit',
  memoryRequest: 'sidecar.istio.io/proxyMemory',
  memoryLimit: 'sidecar.istio.io/proxyMemoryLimit',
} as const;

/** The pod annotations that give the injected Istio proxy these requests and limits. */
export function sidecarResourceAnnotations(r: ResourceProfile): Record<string, string> {
  const a = SIDECAR_RESOURCE_ANNOTATIONS;
  return {
    [a.cpuRequest]: r.cpu.request.amount,
    [a.cpuLimit]: r.cpu.limit.amount,
    [a.memoryRequest]: `${r.memory.request.toMebibytes()}Mi`,
    [a.memoryLimit]: `${r.memory.limit.toMebibytes()}Mi`,
  };
}
