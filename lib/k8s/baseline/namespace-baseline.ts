import { ApiObject, JsonPatch, type Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IntOrString, KubeLimitRange, KubeNetworkPolicy, KubeResourceQuota, Quantity } from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { type ResourceProfile } from '../../model/resources';
import { NamespaceMtls } from '../mesh/namespace-mtls';

/** Pod Security Standards levels. @see https://kubernetes.io/docs/concepts/security/pod-security-standards/ */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** The most a namespace may request and use, all pods together. */
export interface NamespaceQuota {
  readonly cpuRequests: kplus.Cpu;
  readonly cpuLimits: kplus.Cpu;
  readonly memoryRequests: Size;
  readonly memoryLimits: Size;
  readonly pods: number;
}

/** Where the cluster's DNS runs, for the allow-DNS policy. */
export interface DnsPeer {
  /** @default 'kube-system' */
  readonly namespace?: string;
  /** @default { 'k8s-app': 'kube-dns' } */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** The Istio control plane the namespace's sidecars connect to. */
export interface MeshPeer {
  /** The namespace istiod runs in, such as `istio-system`. */
  readonly namespace: string;
  /** @default { app: 'istiod' } */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** istiod's xDS and certificate port, which every sidecar must reach. */
const ISTIOD_XDS_PORT = 15012;

/**
 * The namespace label under which istiod's webhook injects the sidecar into every new pod.
 * @see https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/
 */
export const ISTIO_INJECTION_LABEL = { name: 'istio-injection', value: 'enabled' } as const;

/** Props of {@link NamespaceBaseline}. */
export interface NamespaceBaselineProps {
  readonly namespace: string;
  /** Extra labels for the Namespace. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Enforced, audited and warned Pod Security Standards level.
   * @default 'restricted'
   */
  readonly podSecurity?: PodSecurityLevel;
  readonly quota: NamespaceQuota;
  /** Requests and limits of a container that sets none, and the limit range's default. */
  readonly defaultResources: ResourceProfile;
  /** @default - kube-dns in kube-system */
  readonly dns?: DnsPeer;
  /**
   * Enrol the namespace in the Istio mesh: sidecar injection, STRICT mTLS, and egress to istiod. The cluster
   * runs Istio with its CNI plugin, so injected pods still meet the restricted Pod Security level.
   * @default - not in the mesh
   * @see https://istio.io/latest/docs/setup/additional-setup/cni/
   */
  readonly mesh?: MeshPeer;
}

/**
 * What every environment's namespace starts with: the Namespace under enforced Pod Security
 * Standards, a ResourceQuota and LimitRange, and a default-deny NetworkPolicy for ingress and egress
 * that only lets pods resolve DNS. Apps open the rest with their own policies.
 */
export class NamespaceBaseline extends Construct {
  public readonly namespace: kplus.Namespace;

  constructor(scope: Construct, id: string, props: NamespaceBaselineProps) {
    super(scope, id);
    const level = props.podSecurity ?? 'restricted';
    const name = props.namespace;
    this.namespace = new kplus.Namespace(this, 'Namespace', {
      metadata: {
        name,
        labels: {
          ...props.labels,
          ...(props.mesh ? { [ISTIO_INJECTION_LABEL.name]: ISTIO_INJECTION_LABEL.value } : {}),
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/audit': level,
          'pod-security.kubernetes.io/warn': level,
        },
      },
    });
    // A Namespace is cluster-scoped: the chart's namespace does not apply to it, so the manifest
    // does not claim one (strict readers of the output flag it).
    ApiObject.of(this.namespace).addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    const q = props.quota;
    if (!Number.isInteger(q.pods) || q.pods < 1) {
      throw new Error(`namespace ${name}: quota.pods (${q.pods}) must be a positive integer; fix: allow at least one pod`);
    }
    new KubeResourceQuota(this, 'Quota', {
      metadata: { name: 'compute' },
      spec: {
        hard: {
          'requests.cpu': Quantity.fromString(q.cpuRequests.amount),
          'limits.cpu': Quantity.fromString(q.cpuLimits.amount),
          'requests.memory': Quantity.fromString(mebibytes(q.memoryRequests)),
          'limits.memory': Quantity.fromString(mebibytes(q.memoryLimits)),
          pods: Quantity.fromNumber(q.pods),
        },
      },
    });

    const r = props.defaultResources;
    new KubeLimitRange(this, 'Limits', {
      metadata: { name: 'defaults' },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: {
              cpu: Quantity.fromString(r.cpu.request.amount),
              memory: Quantity.fromString(mebibytes(r.memory.request)),
            },
            default: {
              cpu: Quantity.fromString(r.cpu.limit.amount),
              memory: Quantity.fromString(mebibytes(r.memory.limit)),
            },
          },
        ],
      },
    });

    new KubeNetworkPolicy(this, 'DefaultDeny', {
      metadata: { name: 'default-deny' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    const dns = props.dns ?? {};
    new KubeNetworkPolicy(this, 'AllowDns', {
      metadata: { name: 'allow-dns' },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': dns.namespace ?? 'kube-system' } },
                podSelector: { matchLabels: { ...(dns.podLabels ?? { 'k8s-app': 'kube-dns' }) } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: IntOrString.fromNumber(53) },
              { protocol: 'TCP', port: IntOrString.fromNumber(53) },
            ],
          },
        ],
      },
    });
    if (props.mesh) {
      new NamespaceMtls(this, 'Mtls');
      new KubeNetworkPolicy(this, 'AllowIstiod', {
        metadata: { name: 'allow-istiod' },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.mesh.namespace } },
                  podSelector: { matchLabels: { ...(props.mesh.podLabels ?? { app: 'istiod' }) } },
                },
              ],
              ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(ISTIOD_XDS_PORT) }],
            },
          ],
        },
      });
    }
  }
}

function mebibytes(size: Size): string {
  return `${size.toMebibytes()}Mi`;
}
