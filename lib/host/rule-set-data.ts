// Hand-written cdktf binding for Terraform's built-in `terraform_data` resource.
// https://developer.hashicorp.com/terraform/language/resources/terraform-data

import * as cdktf from 'cdktf';
import { ValidateTerraformVersion } from 'cdktf/lib/validations/validate-terraform-version';
import { Construct } from 'constructs';

/** Configuration of a {@link RuleSetData}. */
export interface RuleSetDataConfig {
  /** The value stored in the state and reflected in `output` after apply: here, each rule set file's content by file name. */
  readonly input: { [key: string]: any };
}

const VERSION_CHECKED = Symbol.for('cdktf-microseg.TerraformDataVersionChecked');

/**
 * A `terraform_data` resource carrying one host's rule set files, written exactly as cdktf's
 * `DataResource` writes it. `DataResource` checks the Terraform binary's version (1.4 or later,
 * which `terraform_data` needs) with a validation of its own on every instance, and each check
 * starts `terraform version`: a stack carries one rule set per host, and 400 hosts spent 37 s of a
 * 41 s synthesis there. Here the stack checks once, with cdktf's own validation and message.
 */
export class RuleSetData extends cdktf.TerraformResource {
  /** Terraform resource type. */
  public static readonly tfResourceType = 'terraform_data';

  private readonly _output: cdktf.AnyMap;
  private readonly _input: { [key: string]: any };

  /**
   * Creates a `terraform_data` resource.
   *
   * @param scope The scope in which to define this construct
   * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
   * @param config RuleSetDataConfig
   */
  public constructor(scope: Construct, id: string, config: RuleSetDataConfig) {
    super(scope, id, { terraformResourceType: 'terraform_data', terraformGeneratorMetadata: { providerName: 'terraform' } });
    this._output = new cdktf.AnyMap(this, 'output');
    this._input = config.input;
    checkTerraformVersionOnce(cdktf.TerraformStack.of(this));
  }

  /** The `input` as Terraform stores it after apply (Terraform expressions in it resolved). */
  public get output(): cdktf.AnyMap {
    return this._output;
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return { input: cdktf.hashMapper(cdktf.anyToTerraform)(this._input) };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return { input: cdktf.hashMapperHcl(cdktf.anyToHclTerraform)(this._input) };
  }
}

/** Adds cdktf's check that the Terraform binary supports `terraform_data` to `stack`, once. */
function checkTerraformVersionOnce(stack: cdktf.TerraformStack): void {
  const marked = stack as unknown as { [VERSION_CHECKED]?: boolean };
  if (marked[VERSION_CHECKED]) return;
  Object.defineProperty(stack, VERSION_CHECKED, { value: true });
  stack.node.addValidation(new ValidateTerraformVersion('>=1.4', 'The built-in Terraform data resource is only supported for Terraform >=1.4. Please upgrade your Terraform version.'));
}
