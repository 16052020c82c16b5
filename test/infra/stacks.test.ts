import { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository';
import { ArtifactRegistryRepositoryIamMember } from '@cdktf/provider-google/lib/artifact-registry-repository-iam-member';
import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address';
import { ComputeAddress } from '@cdktf/provider-google/lib/compute-address';
import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool';
import { GkeBackupBackupPlan } from '@cdktf/provider-google/lib/gke-backup-backup-plan';
import { RedisInstance } from '@cdktf/provider-google/lib/redis-instance';
import { SqlDatabaseInstance } from '@cdktf/provider-google/lib/sql-database-instance';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import type {} from 'cdktf/lib/testing/adapters/jest';
import { load } from 'js-yaml';
import { grownPlatform } from '../fixtures/shop/grown';
import { fixturePlatform, platformConfig } from '../fixtures/shop/platform';
import { synthPlatform } from '../../lib/pipeline/synth';
import { platformStacks } from '../../infra/platform-stacks';
import { outputLayout } from '../../lib/model/output-layout';
import { synthStack } from '../../lib/engine/terraform';
import { naming } from '../../lib/model/naming';
import { definePlatform, type Platform } from '../../lib/model/platform';

type Resources = Record<string, Record<string, Record<string, unknown>>>;
interface TerraformDoc {
  readonly terraform: { backend: Record<string, { bucket?: string; prefix?: string; path?: string }>; required_version: string; required_providers: Record<string, { version: string }> };
  readonly resource: Resources;
  readonly output: Record<string, { value: unknown; description?: string }>;
}

describe('Terraform stacks', () => {
  const platform = fixturePlatform();
  const stacks = platformStacks(platform);
  const json = new Map(stacks.map(({ name, stack }) => [name, synthStack(stack)]));
  const text = (name: string): string => json.get(name) ?? '{}';
  const parsed = (name: string): TerraformDoc => JSON.parse(text(name)) as TerraformDoc;

  test('a bootstrap stack and one stack per cluster, in apply order', () => {
    expect(stacks.map((s) => s.name)).toEqual(['bootstrap', 'cluster-nonprod', 'cluster-prod']);
  });

  test('the bootstrap stack keeps its state locally; every other stack in its own prefix of the state bucket', () => {
    expect(parsed('bootstrap').terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
    const prefixes = ['cluster-nonprod', 'cluster-prod'].map((name) => {
      const backend = parsed(name).terraform.backend;
      expect(backend.gcs.bucket).toBe('shop-platform-tofu-state');
      return backend.gcs.prefix;
    });
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  test('state.bootstrapBackend "gcs" moves the bootstrap stack\'s own state into the bucket, under its own prefix', () => {
    const moved = definePlatform({ ...platformConfig, state: { ...platformConfig.state, bootstrapBackend: 'gcs' } });
    const doc = JSON.parse(synthStack(platformStacks(moved)[0].stack)) as TerraformDoc;
    expect(doc.terraform.backend).toEqual({ gcs: { bucket: 'shop-platform-tofu-state', prefix: 'bootstrap' } });
  });

  test('is plain Terraform JSON: only standard top-level blocks, no cdktf metadata', () => {
    for (const doc of json.values()) {
      for (const key of Object.keys(JSON.parse(doc))) expect(['terraform', 'provider', 'resource', 'data', 'output', 'locals', 'variable']).toContain(key);
      expect(doc).not.toContain('"//"');
    }
  });

  test('keys are sorted at every level', () => {
    const check = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(check);
      if (value !== null && typeof value === 'object') {
        const keys = Object.keys(value);
        expect(keys).toEqual([...keys].sort());
        Object.values(value).forEach(check);
      }
    };
    for (const doc of json.values()) check(JSON.parse(doc));
  });

  test('pins the OpenTofu and provider versions, and uses no Terraform Cloud feature', () => {
    for (const name of json.keys()) {
      const { terraform } = parsed(name);
      expect(terraform.required_version).toBe('>= 1.6.0');
      expect(terraform.required_providers.google.version).toBe('6.50.0');
      expect(Object.keys(terraform)).not.toContain('cloud');
      expect(Object.keys(terraform.backend)).not.toContain('remote');
    }
  });

  test('resource addresses are readable, with no hash suffix', () => {
    for (const doc of json.values()) {
      for (const resources of Object.values(JSON.parse(doc).resource ?? {})) {
        for (const address of Object.keys(resources as object)) expect(address).toMatch(/^[a-z][a-z0-9_]*$/);
      }
    }
    expect(Object.keys(parsed('bootstrap').resource.google_storage_bucket)).toEqual(['state_bucket']);
    // The canary uses production's instance; it has none of its own.
    expect(Object.keys(parsed('cluster-prod').resource.google_sql_database_instance)).toEqual(['databases_inventory_api_prod_instance']);
    expect(Object.keys(parsed('cluster-nonprod').resource.google_container_cluster)).toEqual(['cluster']);
  });

  test('the stacks are written under terraform/<stack>/main.tf.json', () => {
    const files = synthPlatform(fixturePlatform(), [], ['terraform']).files.map((f) => f.path);
    expect(files).toEqual(['terraform/bootstrap/main.tf.json', 'terraform/cluster-nonprod/main.tf.json', 'terraform/cluster-prod/main.tf.json']);
  });

  describe('bootstrap', () => {
    test('holds the private, versioned state bucket with a bounded history', () => {
      expect(text('bootstrap')).toHaveResourceWithProperties(StorageBucket, {
        name: 'shop-platform-tofu-state',
        versioning: { enabled: true },
        lifecycle_rule: [{ action: { type: 'Delete' }, condition: { num_newer_versions: 10, with_state: 'ARCHIVED' } }],
        uniform_bucket_level_access: true,
        public_access_prevention: 'enforced',
        soft_delete_policy: { retention_duration_seconds: 604800 },
        force_destroy: false,
      });
    });

    test('holds the image registry, which keeps the newest 5 releases and every release an environment runs', () => {
      expect(text('bootstrap')).toHaveResourceWithProperties(ArtifactRegistryRepository, {
        project: 'shop-platform',
        repository_id: 'shop',
        format: 'DOCKER',
        cleanup_policies: expect.arrayContaining([
          expect.objectContaining({ id: 'keep-newest-releases', most_recent_versions: { keep_count: 5 } }),
          expect.objectContaining({ id: 'keep-deployed-releases', condition: { tag_state: 'TAGGED', tag_prefixes: platform.releaseTags() } }),
          expect.objectContaining({ id: 'delete-old-tagged', action: 'DELETE' }),
          expect.objectContaining({ id: 'delete-untagged', action: 'DELETE' }),
        ]),
      });
    });

    test('outputs the state bucket and the registry path the images come from', () => {
      const { output } = parsed('bootstrap');
      expect(Object.keys(output).sort()).toEqual(['ci_service_accounts', 'ci_workload_identity_provider', 'registry', 'state_bucket']);
      expect(output.registry.value).toBe('europe-west1-docker.pkg.dev/shop-platform/shop');
      expect(platform.instances(platform.environments[0])[0].image.toString()).toMatch(/^europe-west1-docker\.pkg\.dev\/shop-platform\/shop\//);
    });
  });

  describe('clusters', () => {
    test('protect the production cluster from deletion, as its config says, and not the other', () => {
      expect(text('cluster-prod')).toHaveResourceWithProperties(ContainerCluster, { name: 'prod', deletion_protection: true });
      expect(text('cluster-nonprod')).toHaveResourceWithProperties(ContainerCluster, { name: 'nonprod', deletion_protection: false });
    });

    test('are private, regional GKE clusters reachable from the VPN only, with Workload Identity and Dataplane V2', () => {
      for (const [name, project, controlPlane] of [['nonprod', 'shop-nonprod', '172.16.0.0/28'], ['prod', 'shop-prod', '172.16.0.16/28']]) {
        expect(text(`cluster-${name}`)).toHaveResourceWithProperties(ContainerCluster, {
          location: 'europe-west1',
          private_cluster_config: { enable_private_nodes: true, enable_private_endpoint: true, master_ipv4_cidr_block: controlPlane },
          master_authorized_networks_config: { gcp_public_cidrs_access_enabled: false, cidr_blocks: [{ cidr_block: '10.100.0.0/16', display_name: 'vpn' }] },
          workload_identity_config: { workload_pool: `${project}.svc.id.goog` },
          datapath_provider: 'ADVANCED_DATAPATH',
          enable_shielded_nodes: true,
          remove_default_node_pool: true,
        });
      }
    });

    test('size their node pools from the cluster config', () => {
      expect(text('cluster-prod')).toHaveResourceWithProperties(ContainerNodePool, {
        autoscaling: { min_node_count: 2, max_node_count: 10 },
        management: { auto_repair: true, auto_upgrade: true },
        node_config: expect.objectContaining({ machine_type: 'e2-standard-8' }),
      });
      expect(text('cluster-prod')).toHaveResourceWithProperties(ContainerCluster, {
        release_channel: { channel: 'STABLE' },
        maintenance_policy: { daily_maintenance_window: { start_time: '02:00' } },
      });
    });

    test('back up the namespaces of their environments daily and keep 7 days', () => {
      expect(text('cluster-nonprod')).toHaveResourceWithProperties(GkeBackupBackupPlan, {
        retention_policy: { backup_retain_days: 7 },
        backup_schedule: { cron_schedule: '0 1 * * *' },
        backup_config: expect.objectContaining({ selected_namespaces: { namespaces: ['shop-dev', 'shop-stage'] } }),
      });
      expect(text('cluster-prod')).toHaveResourceWithProperties(GkeBackupBackupPlan, {
        backup_config: expect.objectContaining({ selected_namespaces: { namespaces: ['shop-prod'] } }),
      });
    });

    test('let their nodes pull from the platform\'s registry', () => {
      for (const name of ['cluster-nonprod', 'cluster-prod']) {
        expect(text(name)).toHaveResourceWithProperties(ArtifactRegistryRepositoryIamMember, {
          project: 'shop-platform',
          location: 'europe-west1',
          repository: 'shop',
          role: 'roles/artifactregistry.reader',
        });
      }
    });

    test('open the serving port to health checks and the internal apps\' port to the VPN, and nothing else', () => {
      const firewalls = Object.values(parsed('cluster-nonprod').resource.google_compute_firewall);
      // Internal apps are reached over the VPN through the internal load balancer's proxy-only subnet.
      expect(firewalls.map((f) => f.source_ranges)).toEqual([['35.191.0.0/16', '130.211.0.0/22'], ['10.100.0.0/16', '10.15.0.0/23']]);
      expect(text('cluster-nonprod')).toHaveResourceWithProperties(ComputeFirewall, {
        name: 'nonprod-allow-vpn',
        allow: [{ protocol: 'tcp', ports: ['8080'] }],
      });
    });

    test('give production databases regional HA, 28 days of backups, point-in-time recovery and deletion protection', () => {
      expect(text('cluster-prod')).toHaveResourceWithProperties(SqlDatabaseInstance, {
        name: 'inventory-api-prod',
        deletion_protection: true,
        settings: expect.objectContaining({
          tier: 'db-custom-2-7680',
          availability_type: 'REGIONAL',
          deletion_protection_enabled: true,
          backup_configuration: expect.objectContaining({
            enabled: true,
            point_in_time_recovery_enabled: true,
            backup_retention_settings: { retained_backups: 28, retention_unit: 'COUNT' },
          }),
          ip_configuration: expect.objectContaining({ ipv4_enabled: false }),
        }),
      });
    });

    test('give the other databases 14 days of backups, one zone and no deletion protection', () => {
      for (const [stack, name] of [['cluster-nonprod', 'inventory-api-dev'], ['cluster-nonprod', 'inventory-api-stage']]) {
        expect(text(stack)).toHaveResourceWithProperties(SqlDatabaseInstance, {
          name,
          deletion_protection: false,
          settings: expect.objectContaining({
            availability_type: 'ZONAL',
            deletion_protection_enabled: false,
            backup_configuration: expect.objectContaining({
              point_in_time_recovery_enabled: false,
              backup_retention_settings: { retained_backups: 14, retention_unit: 'COUNT' },
            }),
          }),
        });
      }
    });

    test('give production caches the standard HA tier and the others the basic tier', () => {
      expect(text('cluster-prod')).toHaveResourceWithProperties(RedisInstance, { name: 'inventory-api-prod', tier: 'STANDARD_HA' });
      expect(text('cluster-nonprod')).toHaveResourceWithProperties(RedisInstance, { name: 'inventory-api-dev', tier: 'BASIC' });
    });

    test('reserve a global IP for each public app and a regional internal one for each internal app, under the name the model gives it', () => {
      for (const env of platform.environments) {
        for (const { gcp } of platform.instances(env)) {
          if (gcp.staticIp === undefined) continue;
          if (gcp.staticIp.kind === 'global') {
            expect(text(naming.clusterStack(env.cluster))).toHaveResourceWithProperties(ComputeGlobalAddress, { name: gcp.staticIp.name, address_type: 'EXTERNAL' });
          } else {
            expect(gcp.staticIp.kind).toBe('regional-internal');
            expect(text(naming.clusterStack(env.cluster))).toHaveResourceWithProperties(ComputeAddress, {
              name: gcp.staticIp.name, address_type: 'INTERNAL', region: env.region, purpose: 'SHARED_LOADBALANCER_VIP',
            });
          }
        }
      }
      // Production's web enters through the Istio gateway, and the canary runs no web: no static IP in the prod cluster.
      expect(Object.keys(parsed('cluster-prod').resource.google_compute_global_address).sort()).toEqual(['network_private_services_range']);
      expect(Object.keys(parsed('cluster-nonprod').resource.google_compute_global_address).sort()).toEqual([
        'network_private_services_range',
        'static_ips_web_dev',
        'static_ips_web_stage',
      ]);
    });

    test('output the cluster, its network and pool, and each database, cache and static IP by the name the model gives it', () => {
      const { output } = parsed('cluster-prod');
      expect(Object.keys(output).sort()).toEqual([
        'cert_manager_service_account',
        'cluster_location',
        'cluster_name',
        'database_connection_names',
        'database_dump_buckets',
        'database_owner_sql',
        'dns_name_servers',
        'network',
        'node_service_account',
        'redis_hosts',
        'secret_store_service_accounts',
        'static_ip_addresses',
        'workload_pool',
      ]);
      expect(output.workload_pool.value).toBe('shop-prod.svc.id.goog');
      const prod = platform.instances(platform.environment('prod')!).find((i) => i.app.name === 'inventory-api')!.gcp;
      expect(Object.keys(output.database_connection_names.value as object)).toContain(prod.database?.instanceName);
      expect(Object.keys(output.redis_hosts.value as object)).toContain(prod.cache?.host);
      // Production's web is on the Istio gateway's address; admin keeps its internal one.
      expect(Object.keys(output.static_ip_addresses.value as object).sort()).toEqual(['admin-prod', 'prod-ingress-gateway']);
      expect(Object.keys(parsed('cluster-nonprod').output.static_ip_addresses.value as object).sort()).toEqual(['admin-dev', 'admin-stage', 'web-dev', 'web-stage']);
    });

    test('create each database where its model connection name says, and each cache under its model host name', () => {
      for (const env of platform.environments) {
        const doc = parsed(naming.clusterStack(env.cluster));
        for (const { gcp } of platform.instances(env)) {
          if (gcp.database) {
            const instance = Object.values(doc.resource.google_sql_database_instance).find((i) => i.name === gcp.database?.instanceName);
            expect(`${String(instance?.project)}:${String(instance?.region)}:${String(instance?.name)}`).toBe(gcp.database.connectionName);
          }
          if (gcp.cache) {
            const records = Object.values(doc.resource.google_dns_record_set).map((r) => r.name);
            expect(records).toContain(`${gcp.cache.host}.`);
          }
        }
      }
    });
  });
});

describe('the join between the planes', () => {
  const check = (platform: Platform): number => {
    const files = new Map(synthPlatform(platform).files.map((f) => [f.path, f.content]));
    let identities = 0;
    for (const env of platform.environments) {
      const stack = JSON.parse(files.get(outputLayout.terraformStack(naming.clusterStack(env.cluster))) ?? '{}') as TerraformDoc;
      const bindings = Object.values(stack.resource.google_service_account_iam_member ?? {}).filter((b) => b.role === 'roles/iam.workloadIdentityUser');
      for (const instance of platform.instances(env)) {
        // Both sides are read from the synthesized files, not from the model.
        const file = `${outputLayout.environmentDir(env.name)}/${naming.manifestFile('ServiceAccount', instance.name)}`;
        const ksa = load(files.get(file) ?? '') as { metadata: { name: string; namespace: string; annotations?: Record<string, string> } };
        const annotation = ksa.metadata.annotations?.['iam.gke.io/gcp-service-account'];
        const member = `serviceAccount:${env.project}.svc.id.goog[${ksa.metadata.namespace}/${ksa.metadata.name}]`;
        const bound = bindings.filter((b) => b.member === member);
        if (instance.gcp.identity === undefined) {
          expect([instance.name, annotation, bound]).toEqual([instance.name, undefined, []]);
          continue;
        }
        expect([instance.name, bound.length]).toEqual([instance.name, 1]);
        const address = /^\$\{google_service_account\.([a-z0-9_]+)\.name\}$/.exec(String(bound[0].service_account_id))?.[1] ?? '';
        const gsa = stack.resource.google_service_account[address];
        expect([instance.name, `${String(gsa.account_id)}@${String(gsa.project)}.iam.gserviceaccount.com`]).toEqual([instance.name, annotation]);
        identities += 1;
      }
    }
    return identities;
  };

  test('the Workload Identity binding and the KSA annotation name the same account, for every app in every environment', () => {
    // inventory-api in dev, stage, canary and prod.
    expect(check(fixturePlatform())).toBe(4);
  });

  test('the same holds on a larger platform', () => {
    // Three copies of inventory-api, the app with a database, in four environments.
    expect(check(grownPlatform(3))).toBe(12);
  });
});
