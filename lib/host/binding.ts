import { TerraformResource } from 'cdktf';
import { HostFirewallFlavor } from './flavor';
import { Platform } from '../platform';
import { WorkloadBinding } from '../workload-binding';

/** Options of a {@link HostBinding}. */
export interface HostBindingOptions {
  /**
   * The host firewall the server runs.
   * @default HostFirewallFlavor.NFTABLES
   */
  readonly flavor?: HostFirewallFlavor;
}

/**
 * Binds a workload to a server known only by its addresses (bare metal, an older hypervisor, a VM
 * no Terraform resource describes) whose own firewall enforces the policy. Other platforms see it
 * as a host outside the model (by its addresses); the host firewall layer renders its rule set and
 * writes it to `cdktf.out` (see {@link HostDelivery.files}).
 */
export class HostBinding extends WorkloadBinding {
  /**
   * A Linux server (nftables unless `options.flavor` says otherwise) at these addresses (IPs or
   * CIDRs; Terraform expressions allowed).
   * @param addresses the server's addresses
   * @param options the server's firewall
   */
  public static linux(addresses: string[], options: HostBindingOptions = {}): HostBinding {
    return new HostBinding(addresses, options.flavor ?? HostFirewallFlavor.NFTABLES, 'HostBinding.linux');
  }

  /**
   * A Windows server (Windows Defender Firewall) at these addresses.
   * @param addresses the server's addresses
   */
  public static windows(addresses: string[]): HostBinding {
    return new HostBinding(addresses, HostFirewallFlavor.WINDOWS, 'HostBinding.windows');
  }

  /** Whether `x` is a HostBinding. */
  public static isHostBinding(x: unknown): x is HostBinding {
    return typeof x === 'object' && x !== null && (x as any)[HOST_BINDING] === true;
  }

  /** The host firewall the server runs. */
  public readonly flavor: HostFirewallFlavor;
  private readonly boundAddresses: string[];

  private constructor(addresses: string[], flavor: HostFirewallFlavor, factory: string) {
    // a server known only by address has no Terraform resource: validate() says so instead of the base check
    super(Platform.EXTERNAL, undefined as unknown as TerraformResource, 'host', factory);
    Object.defineProperty(this, HOST_BINDING, { value: true });
    this.boundAddresses = [...(addresses ?? [])];
    this.flavor = flavor;
  }

  /** The server's addresses: they become the workload's addresses. */
  public get addresses(): string[] {
    return [...this.boundAddresses];
  }

  /** The problems of the binding (a server needs at least one address). */
  public validate(): string[] {
    if (this.boundAddresses.length > 0) return [];
    return [`is bound with ${this.factory}([]), which names no address. Give the server's addresses, for example ${this.factory}(['10.0.1.10']).`];
  }
}

const HOST_BINDING = Symbol.for('cdktf-microseg.HostBinding');
