import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { type ResourceProfile } from './resources';

/**
 * What Istio gives its proxy when a pod's annotations do not say (`global.proxy.resources`).
 * @see https://github.com/istio/istio/blob/master/manifests/charts/istio-control/istio-discovery/values.yaml
 */
export const ISTIO_DEFAULT_PROXY_RESOURCES: ResourceProfile = {
  name: 'istio-proxy',
  cpu: { request: Cpu.millis(100), limit: Cpu.millis(2000) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(1024) },
};

/**
 * The Istio proxy's requests and limits unless the mesh config sets them. Requests are Istio's own
 * defaults ({@link ISTIO_DEFAULT_PROXY_RESOURCES}); the limits are below Istio's, which would count a
 * second CPU per pod against the namespace quota.
 */
export const DEFAULT_SIDECAR_RESOURCES: ResourceProfile = {
  name: 'istio-proxy',
  cpu: { request: ISTIO_DEFAULT_PROXY_RESOURCES.cpu.request, limit: Cpu.millis(500) },
  memory: { request: ISTIO_DEFAULT_PROXY_RESOURCES.memory.request, limit: Size.mebibytes(512) },
};

/**
 * The UID the Istio proxy runs as. Istio's iptables never redirect traffic of this UID, so a container
 * run as it (the Cloud SQL Auth Proxy) leaves the pod outside the mesh, even before the sidecar runs.
 * @see https://istio.io/latest/docs/setup/additional-setup/cni/ (init containers: run as UID 1337)
 */
export const ISTIO_PROXY_UID = 1337;

/**
 * The port istiod serves its sidecar-injection and validation webhooks on. A private GKE cluster's
 * control plane reaches nodes only on 443 and 10250 until a firewall rule opens it.
 * @see https://cloud.google.com/service-mesh/docs/private-cluster-open-port
 * @see https://istio.io/latest/docs/setup/platform-setup/gke/
 */
export const ISTIO_WEBHOOK_PORT = 15017;
