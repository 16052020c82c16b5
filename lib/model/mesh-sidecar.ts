import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { type ResourceProfile } from './resources';

/**
 * The Istio proxy's requests and limits unless the mesh config sets them. Requests are Istio's own
 * defaults (`global.proxy.resources`); the limits are below Istio's 2000m and 1024Mi, which would
 * count a second CPU per pod against the namespace quota.
 * @see https://github.com/istio/istio/blob/master/manifests/charts/istio-control/istio-discovery/values.yaml
 */
export const DEFAULT_SIDECAR_RESOURCES: ResourceProfile = {
  name: 'istio-proxy',
  cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
};
