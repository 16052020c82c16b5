import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { CLOUD_SQL_PROXY } from '../model/cloud-sql-proxy';
import { PRIVATE_GOOGLE_APIS_CIDR } from '../model/google-ranges';
import { naming } from '../model/naming';
import { type Platform } from '../model/platform';
import { type AppInstance } from '../model/app-instance';
import { inboundPeers } from '../model/inbound-peers';
import { AppNetworkPolicy, type CidrPeer } from './baseline/app-network-policy';
import { InternalIngress, PublicIngress } from './exposure/app-ingress';
import { Certificate, http01InPlace } from './exposure/certificate';
import { CLUSTER_ISSUERS } from '../model/traffic';
import { AppMeshPolicy } from './mesh/app-mesh-policy';
import { type AppLabels, appLabels } from './labels';
import { AppAlerts } from './monitoring/app-alerts';
import { AppOverviewDashboard } from './monitoring/app-overview-dashboard';
import { AppPodMonitor } from './monitoring/app-pod-monitor';
import { AppServiceMonitor } from './monitoring/app-service-monitor';
import { AppExternalSecret } from './secrets/app-external-secret';
import { DatabaseBackupCronJobs } from './data/backup-jobs';
import { GcpSecretStore } from './secrets/gcp-secret-store';
import { planDelivery } from './delivery/app-delivery';
import { AppSloDashboard } from './slo/app-slo-dashboard';
import { AppSloRules } from './slo/app-slo-rules';
import { applySyncWaves } from './sync-wave';
import { WebService } from './workloads/web-service';
import { sidecarResourceAnnotations } from './workloads/sidecar-resources';
import { Worker } from './workloads/worker';

/** The GKE metadata server, which hands Workload Identity tokens to pods. */
export const METADATA_SERVER: readonly CidrPeer[] = [
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
      instance.gcp.secrets.length > 0
        ? new AppExternalSecret(this, 'Secrets', {
            name: naming.secret(name),
            labels,
            // The namespace owner's chart emits the store; the ids are the data owner's.
            store: GcpSecretStore.fromStoreName(platform.secretStore(env).name),
            targetSecretName: naming.secret(name),
            secrets: instance.gcp.secrets.map((s) => ({ envName: s.env, remoteKey: s.secretId, version: s.version })),
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
      // the app and `migrate` reach it on loopback, which Istio does not capture. The proxy's own
      // resources are set explicitly, so the namespace quota counts what runs.
      podAnnotations: env.mesh
        ? { ...(cache ? { [ISTIO_EXCLUDE_OUTBOUND_PORTS]: String(cache.port) } : {}), ...sidecarResourceAnnotations(env.mesh.sidecarResources) }
        : undefined,
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
    const privateServices = cluster.network.privateServicesCidr;
    // One model value feeds both layers: the NetworkPolicy and, in the mesh, the Istio policies.
    const peers = inboundPeers(instance, platform);
    const podSelector = { 'app.kubernetes.io/instance': name };
    new AppNetworkPolicy(this, 'NetworkPolicy', {
      name,
      podSelector,
      fromApps: peers.apps,
      fromCidrs: peers.cidrs,
      fromNamespaces: peers.namespaces,
      toApps: (app.needs.dependsOn ?? []).map((dep) => ({ app: dep, ports: portOf(dep) })),
      toCidrs: [
        ...(dataPorts.length > 0 && privateServices ? [{ cidr: privateServices, ports: dataPorts }] : []),
        ...(database ? [{ cidr: PRIVATE_GOOGLE_APIS_CIDR, ports: [CLOUD_SQL_PROXY.adminApiPort] }] : []),
        ...(instance.gcp.identity ? METADATA_SERVER : []),
      ],
    });
    if (env.mesh) new AppMeshPolicy(this, 'MeshPolicy', { name, labels: appLabels(labels), podSelector, peers });

    // An app whose traffic Istio splits is reached through the Istio gateway, which holds its TLS.
    const ingress = instance.ingress;
    if (ingress) {
      if (!service || servingPort === undefined) {
        throw new Error(`${name} in env "${env.name}": the model gives it a GKE Ingress but it has no Service or serving port; fix: report this bug`);
      }
      const certificate = new Certificate(this, 'Certificate', {
        name: naming.tls(name),
        labels: appLabels(labels),
        annotations: ingress.challenge === 'http01' ? http01InPlace(name) : undefined,
        clusterIssuer: CLUSTER_ISSUERS[ingress.challenge],
        dnsNames: [ingress.host],
        secretName: naming.tls(name),
      });
      const ingressProps = {
        name,
        labels: appLabels(labels),
        host: ingress.host,
        service: service.service,
        port: servingPort,
        tlsSecretName: certificate.secretName,
        healthCheckPath: k8s.probes.readinessPath,
        staticIpName: ingress.staticIp.name,
      };
      if (ingress.kind === 'public') new PublicIngress(this, 'Ingress', ingressProps);
      else new InternalIngress(this, 'Ingress', ingressProps);
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
    // Production's database: its monthly restore drill and dump (docs/backups.md).
    if (instance.backups) {
      new DatabaseBackupCronJobs(this, 'Backups', {
        backups: instance.backups, image: platform.operationsImage, labels: appLabels(labels), discoveryLabels: addons.monitoringLabels, namespace: env.namespace, metadataServer: METADATA_SERVER,
      });
    }

    applySyncWaves(this);
  }
}
