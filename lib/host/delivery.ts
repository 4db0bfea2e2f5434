import { TerraformResource } from 'cdktf';

/** How a host firewall rule set reaches its server. */
export enum HostDeliveryKind {
  /** AWS Systems Manager: an `aws_ssm_document` run by an `aws_ssm_association` on the instance. */
  AWS_SSM = 'aws-ssm',
  /** Azure: an `azurerm_virtual_machine_run_command` on the virtual machine. */
  AZURE_RUN_COMMAND = 'azure-run-command',
  /** Files in `cdktf.out` and a Terraform output, for a configuration-management tool to apply. */
  FILES = 'files',
}

/**
 * How a workload's host firewall rule set is delivered. Every delivery is a resource of its own
 * that Terraform updates in place when a flow or a peer's address changes: the instance is never
 * replaced, and two workloads that talk to each other never reference each other's instance
 * (which `user_data` would, and which would close a dependency cycle).
 */
export class HostDelivery {
  /**
   * AWS Systems Manager (the default for a workload bound with `AwsBinding.instance`): an
   * `aws_ssm_document` (Command, `aws:runShellScript`) holding the rule set and an
   * `aws_ssm_association` targeting the instance, which runs it again whenever the document changes.
   * The instance needs the SSM agent and an instance profile that allows it.
   */
  public static awsSsm(): HostDelivery {
    return new HostDelivery(HostDeliveryKind.AWS_SSM);
  }

  /**
   * Azure: an `azurerm_virtual_machine_run_command` on `virtualMachine` (an
   * `azurerm_linux_virtual_machine` or `azurerm_windows_virtual_machine`) whose script loads the
   * rule set; a changed rule set updates the run command in place, which runs it again.
   * @param virtualMachine the virtual machine
   * @param location the Azure region of the run command (the VM's)
   */
  public static azureRunCommand(virtualMachine: TerraformResource, location: string): HostDelivery {
    return new HostDelivery(HostDeliveryKind.AZURE_RUN_COMMAND, virtualMachine, location);
  }

  /**
   * Files (the default for servers known only by address and for vSphere VMs): the rule set is
   * written to `cdktf.out/stacks/<stack>/host-firewall/` (one file per workload, addresses that
   * are Terraform expressions left as written; for iptables two files and `<name>.load.sh`, which
   * loads them and makes `INPUT` and `OUTPUT` jump to the library's chains) and carried by a
   * `terraform_data` resource whose output (`terraform output`) holds them with every address
   * resolved, for Ansible, Chef or a similar tool to apply.
   */
  public static files(): HostDelivery {
    return new HostDelivery(HostDeliveryKind.FILES);
  }

  /** The delivery's kind. */
  public readonly kind: HostDeliveryKind;
  /** The virtual machine of an Azure run command. */
  public readonly virtualMachine?: TerraformResource;
  /** The Azure region of an Azure run command. */
  public readonly location?: string;

  private constructor(kind: HostDeliveryKind, virtualMachine?: TerraformResource, location?: string) {
    this.kind = kind;
    this.virtualMachine = virtualMachine;
    this.location = location;
  }
}
