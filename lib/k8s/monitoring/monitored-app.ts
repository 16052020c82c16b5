import { Chart, Duration } from 'cdk8s';
import { type Construct } from 'constructs';
import { type AppLabels, appLabels } from '../labels';
import { promDuration } from './promql';

/** What every per-app monitoring construct knows of its app. */
export interface MonitoredAppProps {
  /** The name of the object. */
  readonly name: string;
  /** The app's labels, as its workload carries them. */
  readonly labels: AppLabels;
  /**
   * The app's namespace: the object's own and the one its queries select.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Labels the Prometheus Operator selects monitors and rules by, such as
   * `release: kube-prometheus-stack`.
   * @default - none
   */
  readonly discoveryLabels?: Readonly<Record<string, string>>;
}

/** The namespace monitoring objects live in (and an app's queries select); fails when none is known. */
export function monitoredNamespace(scope: Construct, props: Pick<MonitoredAppProps, 'name' | 'namespace'>): string {
  const namespace = props.namespace ?? Chart.of(scope).namespace;
  if (namespace === undefined || namespace === '') {
    throw new Error(`${props.name}: no namespace; fix: set namespace, or give the chart a namespace`);
  }
  return namespace;
}

/** The labels of an app's monitoring objects: the app's own and the discovery labels. */
export function monitoringLabels(props: MonitoredAppProps): Record<string, string> {
  return { ...appLabels(props.labels), ...props.discoveryLabels };
}

/** Fails unless the duration is longer than zero. */
export function requirePositive(owner: string, field: string, duration: Duration): void {
  if (!(duration.toMilliseconds() > 0)) {
    throw new Error(`${owner}: ${field} (${duration.toMilliseconds()}ms) must be longer than zero; fix: give a positive duration`);
  }
}

/** Where and how often Prometheus scrapes an app's metrics. */
export interface AppScrapeProps extends MonitoredAppProps {
  /**
   * The name of the container or Service port serving metrics. A name, not a number, so the
   * monitor follows the port when its number changes.
   * @default 'metrics'
   */
  readonly port?: string;
  /**
   * The HTTP path of the metrics.
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * How often to scrape.
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;
  /**
   * How long a scrape may take; at most `interval`.
   * @default - Prometheus's global scrape timeout
   */
  readonly scrapeTimeout?: Duration;
}

/** The scrape settings of {@link AppScrapeProps}, defaults applied and checked. */
export interface ScrapeEndpoint {
  readonly port: string;
  readonly path: string;
  readonly interval: Duration;
  readonly scrapeTimeout?: Duration;
}

/** Applies the defaults of {@link AppScrapeProps} and checks them. */
export function scrapeEndpoint(props: AppScrapeProps): ScrapeEndpoint {
  const port = props.port ?? 'metrics';
  const path = props.path ?? '/metrics';
  const interval = props.interval ?? Duration.seconds(30);
  // IANA_SVC_NAME, the rule Kubernetes applies to port names.
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(port) || port.length > 15 || !/[a-z]/.test(port)) {
    throw new Error(
      `${props.name}: port "${port}" is not a port name (at most 15 lower-case letters, digits and '-', with a letter); fix: use the name of the metrics port, like "metrics"`,
    );
  }
  if (!path.startsWith('/')) {
    throw new Error(`${props.name}: path "${path}" must start with '/'; fix: use an absolute path, like "/metrics"`);
  }
  requirePositive(props.name, 'interval', interval);
  if (props.scrapeTimeout !== undefined) {
    requirePositive(props.name, 'scrapeTimeout', props.scrapeTimeout);
    if (props.scrapeTimeout.toMilliseconds() > interval.toMilliseconds()) {
      throw new Error(
        `${props.name}: scrapeTimeout (${promDuration(props.scrapeTimeout)}) is longer than interval (${promDuration(interval)}); fix: shorten scrapeTimeout or lengthen interval`,
      );
    }
  }
  return { port, path, interval, scrapeTimeout: props.scrapeTimeout };
}
