import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * The one enforcement of a platform a stack may have, kept on the stack under `key`: every
 * platform's `XEnforcement.of(scope)` and its constructor's check go through here.
 */
export class StackEnforcement<T extends IConstruct> {
  /** A slot named after the enforcement class; `advice` ends the duplicate error. */
  public constructor(private readonly className: string, private readonly advice: string) {}

  /** The enforcement of the stack that `scope` belongs to, if any. */
  public of(scope: IConstruct): T | undefined {
    return (TerraformStack.of(scope) as any)[this.key];
  }

  /** Makes `enforcement` its stack's one enforcement of the platform; a second one is an error naming both. */
  public claim(enforcement: T): TerraformStack {
    const stack = TerraformStack.of(enforcement);
    const existing = this.of(enforcement);
    if (existing) {
      throw new Error(`${this.className} '${enforcement.node.path}': stack '${stack.node.path}' already has ${this.className} '${existing.node.path}'. ${this.advice}`);
    }
    Object.defineProperty(stack, this.key, { value: enforcement });
    return stack;
  }

  private get key(): symbol {
    return Symbol.for(`cdktf-microseg.${this.className}`);
  }
}
