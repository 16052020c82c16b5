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

/**
 * The port istiod serves its sidecar-injection and validation webhooks on. A private GKE cluster's
 * control plane reaches nodes only on 443 and 10250 until a firewall rule opens it.
 * @see https://cloud.google.com/service-mesh/docs/private-cluster-open-port
 * @see https://istio.io/latest/docs/setup/platform-setup/gke/
 */
export const ISTIO_WEBHOOK_PORT = 15017;
