import { App, TerraformResource } from 'cdktf';
import { buildHostServers } from './host-servers';
import { smallEstates } from './small-estates';
import { benchEstate, synthesizeApp } from './synthesize-app';
import { EstateSize } from '../../bench/estates/size';
import { DenyFlow, GcpBinding, GuardrailAllow, Peer, Port, Segment, Workload } from '../../lib';
import { HostDelivery } from '../../lib/host';
import { isPreparing } from '../../lib/private/preparation-pass';
import { gcpEstate, vm, vmWorkload } from '../gcp/gcp-fixtures';
import { kubeEstate, podWorkload } from '../kubernetes/k8s-fixtures';

/** The resource types the estates' apps declare themselves: the workloads' bound resources. Every other resource is the library's. */
const APP_TYPES = new Set([
  'aws_instance', 'azurerm_network_interface', 'vsphere_virtual_machine', 'google_compute_instance', 'google_compute_network', 'kubernetes_deployment_v1',
]);

/**
 * Synthesizes the estate at `size` and counts, by type, the library's resources whose whole body
 * cdktf's preparation pass resolves (and throws away): those the library did not build in bulk.
 */
function wholeBodiesPrepared(build: (app: App) => void): Record<string, number> {
  const original = TerraformResource.prototype.toTerraform;
  const counts: Record<string, number> = {};
  TerraformResource.prototype.toTerraform = function counted(this: TerraformResource) {
    const type = this.terraformResourceType;
    if (isPreparing(this.cdktfStack) && !APP_TYPES.has(type)) counts[type] = (counts[type] ?? 0) + 1;
    return original.call(this);
  };
  try {
    synthesizeApp(build);
  } finally {
    TerraformResource.prototype.toTerraform = original;
  }
  return counts;
}

/** The estate at twice `size`: twice the segments, workloads and flows. */
function twice(size: EstateSize): EstateSize {
  return { segments: size.segments * 2, workloads: size.workloads * 2, flows: size.flows * 2 };
}

/**
 * Estates of the platforms no bench estate has: what each holds, how it is built at a size, and
 * that size (each is also built at twice it).
 */
const OTHER_PLATFORMS: ReadonlyArray<readonly [string, (size: number) => (app: App) => void, number]> = [
  ['kubernetes: a cluster of tiers (namespace policies, a pod policy per tier whose rules are lazy values, cluster policies for a DenyFlow and a GuardrailAllow)', kubernetesTiers, 4],
  ['host firewalls delivered by SSM: servers, every other one firewalled (a document of lazy content and its association each)', (servers) => (app) => buildHostServers(app, servers), 20],
  ['host firewalls delivered as files: servers, every other one firewalled (a terraform_data of a lazy rule set each)', (servers) => (app) => buildHostServers(app, servers, HostDelivery.files()), 20],
  ['gcp: a network under a folder, segments of two instances each (policy rules, secure tags and tag bindings, a hierarchical policy for a DenyFlow and a GuardrailAllow)', gcpSegments, 4],
];

// The library builds every resource of its own in bulk (lib/private/bulk-resource.ts): cdktf's
// preparation pass resolves only their token strings. A resource kind built plainly would show here,
// and one built per membership, segment, label or subnet would grow with the estate.
describe("cdktf's preparation pass resolves the whole body of none of the library's resources", () => {
  test.each(smallEstates('aws-sg', 'aws-nacl', 'azure', 'nsx', 'mixed'))('%s', (estate, size) => {
    // GIVEN the estate at its small size and at twice that size
    // WHEN each is synthesized
    const once = wholeBodiesPrepared(benchEstate(estate, size));
    const doubled = wholeBodiesPrepared(benchEstate(estate, twice(size)));

    // THEN the pass resolved the whole body of the app's own resources only, at both sizes
    expect(once).toEqual({});
    expect(doubled).toEqual({});
  });

  test.each(OTHER_PLATFORMS)('%s', (_estate, build, size) => {
    // GIVEN the estate at its size and at twice that size
    // WHEN each is synthesized
    const once = wholeBodiesPrepared(build(size));
    const doubled = wholeBodiesPrepared(build(2 * size));

    // THEN the pass resolved the whole body of the app's own resources only, at both sizes
    expect(once).toEqual({});
    expect(doubled).toEqual({});
  });
});

/**
 * A Google Cloud estate of `count` segments of two instances each, one tagged in its own parameters
 * and one through a tag binding (network firewall policy rules, secure tags, a default deny), every
 * segment open to the next and to a CIDR, whose enforcement names a folder (a hierarchical policy
 * for the DenyFlow and the GuardrailAllow).
 */
function gcpSegments(count: number): (app: App) => void {
  return (app) => {
    const { stack } = gcpEstate(app, 'gcp', { folder: 'folders/123' });
    const segments = Array.from({ length: count }, (_, i) => new Segment(stack, `Seg${i}`, { selector: { tier: `t${i}` } }));
    for (let i = 0; i < count; i++) {
      vmWorkload(stack, `a${i}`, { tier: `t${i}` });
      new Workload(stack, `B${i}`, { binding: GcpBinding.instanceWithTagBindings(vm(stack, `b${i}`)), labels: { tier: `t${i}` } });
      segments[(i + 1) % count].allowFrom(segments[i], Port.tcp(8000 + i));
      segments[i].allowFrom(Peer.ipv4(`10.${i}.0.0/16`), Port.HTTPS);
    }
    new DenyFlow(stack, 'NoSsh', { from: segments[0], to: segments[1], ports: [Port.SSH] });
    new GuardrailAllow(stack, 'Backup', { from: Peer.ipv4('10.99.0.0/24'), to: segments[1], ports: [Port.tcp(5432)] });
  };
}

/** A cluster of `tiers` tiers in one namespace, each reaching the next, with a DenyFlow and a GuardrailAllow between the first two. */
function kubernetesTiers(tiers: number): (app: App) => void {
  return (app) => {
    const stack = kubeEstate(app, 'k8s');
    const segments = Array.from({ length: tiers }, (_, t) => {
      podWorkload(stack, 'shop', `tier${t}`);
      return new Segment(stack, `Tier${t}`, { selector: { tier: `tier${t}` } });
    });
    for (let t = 1; t < tiers; t++) segments[t].allowFrom(segments[t - 1], Port.tcp(8080));
    new DenyFlow(stack, 'NoSsh', { from: segments[0], to: segments[1], ports: [Port.SSH] });
    new GuardrailAllow(stack, 'Monitoring', { from: segments[1], to: segments[0], ports: [Port.tcp(9100)] });
  };
}
