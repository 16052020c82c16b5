import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { CLOUD_SQL_PROXY } from '../model/cloud-sql-proxy';
import { GOOGLE_FRONT_END_RANGES, PRIVATE_GOOGLE_APIS_CIDR } from '../model/google-ranges';
import { naming } from '../model/naming';
import { type Platform } from '../model/platform';
import { type AppInstance } from '../model/app-instance';
import { AppNetworkPolicy, type CidrPeer } from './baseline/app-network-policy';
import { InternalIngress, PublicIngress } from './exposure/app-ingress';
import { Certificate } from './exposure/certificate';
import { type AppLabels, appLabels } from './labels';
import { AppAlerts } from './monitoring/app-alerts';
import { AppOverviewDashboard } from './monitoring/app-overview-dashboard';
import { AppPodMonitor } from './monitoring/app-pod-monitor';
import { AppServiceMonitor } from './monitoring/app-service-monitor';
import { AppExternalSecret } from './secrets/app-external-secret';
import { GcpSecretStore } from './secrets/gcp-secret-store';
import { planDelivery } from './delivery/app-delivery';
import { AppSloDashboard } from './slo/app-slo-dashboard';
import { AppSloRules } from './slo/app-slo-rules';
import { applySyncWaves } from './sync-wave';
import { WebService } from './workloads/web-service';
import { Worker } from './workloads/worker';

/** The GKE metadata server, which hands Workload Identity tokens to pods. */
const METADATA_SERVER: readonly CidrPeer[] = [
  { cidr: '169.254.169.252/32', ports: [988] },
  { cidr: '169.254.169.254/32', ports: [80] },
];
/** @see https://istio.io/latest/docs/reference/config/annotations/#SidecarTrafficExcludeOutboundPorts */
const ISTIO_EXCLUDE_OUTBOUND_PORTS = 'traffic.sidecar.istio.io/excludeOutboundPorts';

/** Props of {@link AppChart}. */
export interface AppChartProps {
  /** The app as it runs in one environment. */
  readonly instance: AppInstance;
  /** The platform: its add-ons and the apps that call this one. */
  readonly platform: Platform;
}

/**
 * Every object of one app in one environment: its workload, config and secrets, network policy,
 * ingress and certificate, monitors, alerts and dashboard, each with its ArgoCD sync wave.
 */
export class AppChart extends Chart {
  public readonly workload: Worker;

  constructor(scope: Construct, id: string, props: AppChartProps) {
    const { instance, platform } = props;
    const { app, env } = instance;
    super(scope, id, { namespace: env.namespace, disableResourceNameHashes: true });
    const addons = platform.addons;
    const k8s = app.kubernetes;
    const labels: AppLabels = { app: app.name, instance: instance.name, partOf: platform.name, version: instance.image.tag, track: instance.track };
    const name = instance.name;
    const exposure = app.exposure;
    const servingPort = exposure.type === 'none' ? undefined : app.ports.find((p) => p.name === exposure.port)?.port;
    const monitored = { name, labels, discoveryLabels: addons.monitoringLabels };

    // The SLO is watched where users are: the environment with progressive delivery. The error
    // budget's AnalysisTemplate belongs to the delivery, which every Rollout of the app runs.
    const slo = app.slo;
    if (slo && env.progressive) {
      const objectives = { availability: slo.availability, latency: slo.latency, window: slo.window };
      new AppSloRules(this, 'Slo', { ...monitored, name: naming.slo(name), ...objectives });
      new AppSloDashboard(this, 'SloDashboard', { name: naming.sloDashboard(name), labels, ...objectives });
    }
    const delivery = planDelivery(new Construct(this, 'Delivery'), {
      name,
      labels,
      namespace: env.namespace,
      prometheusUrl: addons.prometheusUrl,
      hasSlo: slo !== undefined,
      servingPort,
      host: instance.host,
      istioGateway: env.mesh?.istioGateway,
    }, instance.delivery);

    const secrets =
      k8s.secrets.length > 0
        ? new AppExternalSecret(this, 'Secrets', {
            name: naming.secret(name),
            labels,
            store: GcpSecretStore.fromStoreName(addons.secretStore),
            targetSecretName: naming.secret(name),
            secrets: k8s.secrets.map((s) => ({ envName: s.env, remoteKey: s.key, version: s.version })),
          })
        : undefined;

    const { database, cache } = instance.gcp;
    // The pod reaches Cloud SQL through the proxy (on 3307) and Redis directly, both on the private
    // services range; the proxy also calls the Cloud SQL Admin API on private.googleapis.com.
    const dataPorts = [...(database ? [CLOUD_SQL_PROXY.instancePort] : []), ...(cache ? [cache.port] : [])];
    const workloadProps = {
      name,
      labels,
      image: instance.image.toString(),
      replicas: instance.replicas,
      resources: instance.resources,
      ports: app.ports,
      probes: k8s.probes,
      args: app.args,
      config: instance.config,
      configMapName: naming.configMap(name),
      secretName: secrets?.secretName,
      migration: app.needs.database ? { command: app.needs.database.migrateCommand } : undefined,
      databaseProxy: database ? { connectionName: database.connectionName } : undefined,
      autoscaling: { maxReplicas: instance.maxReplicas },
      // The same identity object Terraform binds, so the two planes name one account.
      serviceAccountAnnotations: instance.gcp.identity?.kubernetesAnnotations(),
      // Redis is outside the mesh and the app calls it directly: Istio leaves its port alone. The
      // database proxy runs as Istio's own UID, which Istio never redirects (cloud-sql-proxy.ts), and
      // the app and `migrate` reach it on loopback, which Istio does not capture.
      podAnnotations: env.mesh && cache ? { [ISTIO_EXCLUDE_OUTBOUND_PORTS]: String(cache.port) } : undefined,
      rollout: delivery.rollout,
      annotations: delivery.workloadAnnotations,
      serviceSelector: delivery.serviceSelector,
      previewServiceName: delivery.previewServiceName,
    };
    const service = exposure.type === 'none' ? undefined : new WebService(this, 'Workload', workloadProps);
    this.workload = service?.workload ?? new Worker(this, 'Workload', workloadProps);
    if (service && delivery.traffic) delivery.traffic(this, service.service);
    const cluster = env.clusterConfig;
    const portOf = (appName: string): number[] => {
      const target = platform.apps.find((a) => a.name === appName);
      const e = target?.exposure;
      const port = e && e.type !== 'none' ? target?.ports.find((p) => p.name === e.port)?.port : undefined;
      return port === undefined ? [] : [port];
    };
    const fromCidrs: CidrPeer[] = [];
    const external = servingPort !== undefined && (exposure.type === 'public' || exposure.type === 'internal');
    const gatewayNamespace = env.mesh?.istioGateway.split('/')[0];
    const fromGateway = external && instance.meshIngress && gatewayNamespace !== undefined ? [{ namespace: gatewayNamespace, ports: [servingPort] }] : [];
    if (external && !instance.meshIngress) {
      const sources = exposure.type === 'internal' && cluster.network.proxyOnlyCidr ? [cluster.network.proxyOnlyCidr, ...GOOGLE_FRONT_END_RANGES] : GOOGLE_FRONT_END_RANGES;
      fromCidrs.push(...sources.map((cidr) => ({ cidr, ports: [servingPort] })));
    }
    const privateServices = cluster.network.privateServicesCidr;
    const metricsPort = k8s.metricsPort ? app.ports.find((p) => p.name === k8s.metricsPort)?.port : undefined;
    new AppNetworkPolicy(this, 'NetworkPolicy', {
      name,
      podSelector: { 'app.kubernetes.io/instance': name },
      fromApps:
        servingPort === undefined
          ? []
          : platform.apps.filter((a) => (a.needs.dependsOn ?? []).includes(app.name)).map((a) => ({ app: a.name, ports: [servingPort] })),
      fromCidrs,
      fromNamespaces: [...fromGateway, ...(metricsPort === undefined ? [] : [{ namespace: addons.monitoringNamespace, ports: [metricsPort] }])],
      toApps: (app.needs.dependsOn ?? []).map((dep) => ({ app: dep, ports: portOf(dep) })),
      toCidrs: [
        ...(dataPorts.length > 0 && privateServices ? [{ cidr: privateServices, ports: dataPorts }] : []),
        ...(database ? [{ cidr: PRIVATE_GOOGLE_APIS_CIDR, ports: [CLOUD_SQL_PROXY.adminApiPort] }] : []),
        ...(instance.gcp.identity ? METADATA_SERVER : []),
      ],
    });

    // An app whose traffic Istio splits is reached through the Istio gateway, which holds its TLS.
    if (service && instance.host && !instance.meshIngress && servingPort !== undefined && (exposure.type === 'public' || exposure.type === 'internal')) {
      const certificate = new Certificate(this, 'Certificate', {
        name: naming.tls(name),
        labels: appLabels(labels),
        clusterIssuer: addons.clusterIssuer,
        dnsNames: [instance.host],
        secretName: naming.tls(name),
      });
      const ingressProps = {
        name,
        labels: appLabels(labels),
        host: instance.host,
        service: service.service,
        port: servingPort,
        tlsSecretName: certificate.secretName,
      };
      if (exposure.type === 'public') {
        const staticIp = instance.gcp.staticIp;
        if (!staticIp) throw new Error(`${name}: a public app has no reserved static IP in the model`);
        new PublicIngress(this, 'Ingress', { ...ingressProps, staticIpName: staticIp.name });
      } else {
        new InternalIngress(this, 'Ingress', ingressProps);
      }
    }

    if (k8s.metricsPort) {
      if (service) new AppServiceMonitor(this, 'Monitor', { ...monitored, port: k8s.metricsPort });
      else new AppPodMonitor(this, 'Monitor', { ...monitored, port: k8s.metricsPort });
    }
    if (service || app.needs.database) {
      new AppAlerts(this, 'Alerts', {
        ...monitored,
        httpAlerts: service !== undefined,
        errorRatio: k8s.alerts.errorRatio,
        latencyThreshold: Duration.millis(Math.round(k8s.alerts.latencySeconds * 1000)),
        migration: app.needs.database ? { containerName: 'migrate' } : undefined,
      });
    }
    if (service) new AppOverviewDashboard(this, 'Dashboard', { name: naming.dashboard(name), labels });

    applySyncWaves(this);
  }
}
