import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { expressionText } from './terraform-text';
import { familyOf, IpFamily } from '../model/cidr';

/**
 * The family of an address or CIDR. A literal is read from its text. A Terraform expression counts
 * as IPv6 when its text names IPv6 (`aws_instance.db.ipv6_addresses`, `var.partner_ipv6`), else
 * as IPv4: its value is known only at apply, and a rule must pick its family's field at synth.
 * `scope` is any construct of the app; the expression is only read, nothing is added to the tree.
 */
export function addressFamilyOf(address: string, scope: IConstruct): IpFamily {
  if (!Token.isUnresolved(address)) return familyOf(address) === 'ipv6' ? 'ipv6' : 'ipv4';
  return /ipv6/i.test(expressionText(scope, address) ?? '') ? 'ipv6' : 'ipv4';
}
