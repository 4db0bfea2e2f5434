import { TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import type { DenyFlow } from './deny-flow';
import type { AllowFlow } from './flow';
import { rootOf } from './private/app-wide';
import { withLateWrites } from './private/late-writes';
import { withOneBytePaths } from './private/one-byte-document';
import { byPath } from './private/path-of';
import { asPreparation } from './private/preparation-pass';
import { pauseTokenTraces } from './private/token-traces';
import { Allocations } from './render/allocations';
import { guardStack } from './render/app-wide-validation';
import { platformRenderers } from './render/platforms';
import { SelectorIndex } from './render/selector-index';
import { StackNeeds } from './render/stack-needs';
import type { Segment } from './segment';
import type { Workload } from './workload';

/**
 * What a platform renderer hears from the registry. Every event fires once, at construction
 * time, whatever the order of declarations, so renderers can create resources (and cross-stack
 * references) eagerly, which is what cdktf supports.
 */
export interface PlatformRenderer {
  /** A workload joined a segment (explicitly or through a selector). */
  onMembership(workload: Workload, segment: Segment): void;
  /** A flow was declared. */
  onFlow(flow: AllowFlow): void;
  /** A workload was declared. */
  onWorkload(workload: Workload): void;
  /**
   * An enforcement construct was declared in `stack`. It may be another platform's: each renderer
   * looks up its own (`XEnforcement.of(stack)`) and ignores the event when there is none. A stack
   * with enforcements of several platforms fires once per enforcement, so handling must be
   * idempotent. A renderer created after enforcements were declared hears them all first.
   */
  onEnforcement(stack: TerraformStack): void;
  /** A guardrail deny was declared (renderers that can deny render it ahead of every allow). */
  onDenyFlow?(deny: DenyFlow): void;
  /**
   * Every declaration so far has been told: after the replay, and again after each declaration
   * made later. A renderer that needs the complete program (numbers allocated over every rule)
   * finishes here, once, instead of on every event.
   */
  onRendered?(): void;
}

/** Creates the renderer of one platform for an app. */
export type RendererFactory = (registry: PolicyRegistry) => PlatformRenderer;

const REGISTRY = Symbol.for('cdktf-microseg.PolicyRegistry');
const RENDER_HOOKED = Symbol.for('cdktf-microseg.RenderHooked');

/** One recorded declaration, replayed to the renderers when the app is rendered. */
interface Declaration {
  /** Enforcements are replayed first: every workload then finds its stack's enforcement known. */
  readonly enforcement: boolean;
  readonly tell: (renderer: PlatformRenderer) => void;
}

/**
 * The app-wide index of segments, workloads and flows. It resolves membership as constructs are
 * declared (a workload declared after a segment still joins it, and the reverse) and records every
 * declaration. The platform renderers (listed in `render/platforms.ts`) are created once, when the
 * app is first prepared, synthesized or validated, and hear every declaration in declaration order:
 * they render from the complete program, and a declaration made after that is forwarded at once.
 */
export class PolicyRegistry {
  /** The registry of the app that `scope` belongs to. */
  public static of(scope: IConstruct): PolicyRegistry {
    const root = rootOf(scope) as any;
    if (!root[REGISTRY]) {
      Object.defineProperty(root, REGISTRY, { value: new PolicyRegistry(), enumerable: false });
      // the allocation file is saved after a successful app synthesis: hook it before synthesis starts
      Allocations.of(scope);
      // rules of one stack that reference another's groups can close a stack cycle: name its flows
      StackNeeds.of(scope);
      hookApp(root, root[REGISTRY]);
    }
    const registry: PolicyRegistry = root[REGISTRY];
    // The first call hooks and guards every stack of the app; a stack created later, when its
    // first policy construct asks. A look at every stack on every call would cost calls times
    // stacks. A later stack without policy constructs needs neither: it is synthesized after the
    // guarded stacks (cdktf synthesizes stacks in creation order) and renders nothing.
    const stack = stackHolding(scope);
    if (stack === undefined || (stack as any)[RENDER_HOOKED] !== true) {
      // stacks may sit under plain constructs (a stage): the first scan looks at the whole tree
      const stacks: TerraformStack[] = registry.stacksScanned
        ? (stack === undefined ? [] : [stack])
        : (root.node.findAll() as IConstruct[]).filter((child): child is TerraformStack => TerraformStack.isStack(child));
      for (const each of stacks) {
        guardStack(each, () => registry.declarationCount);
        hookStack(each, registry);
      }
      registry.stacksScanned = true;
    }
    return registry;
  }

  /** Whether {@link of} has hooked every stack the app had at its first call. */
  private stacksScanned = false;

  /** Every segment, in declaration order. */
  public readonly segments: Segment[] = [];
  /** Every workload, in declaration order. */
  public readonly workloads: Workload[] = [];
  /** The first workload bound to each resource. */
  private readonly workloadByResource = new Map<IConstruct, Workload>();
  /** Every flow, in declaration order. */
  public readonly flows: AllowFlow[] = [];
  /** Every guardrail deny, in declaration order. */
  public readonly denyFlows: DenyFlow[] = [];
  /** The stack of every enforcement (of any platform), in declaration order. */
  public readonly enforcementStacks: TerraformStack[] = [];
  private readonly renderers: PlatformRenderer[] = [];
  /** The entries of `render/platforms.ts` whose renderers this app has loaded. */
  private readonly platformsLoaded = new Set<string>();
  /** Workloads plus enforcements when the platforms in use were last looked at. */
  private bindingsSeen = -1;
  private readonly declarations: Declaration[] = [];

  /** How many declarations the registry has heard of: grows with every one, so a check can tell that nothing was declared since it ran. */
  public get declarationCount(): number {
    return this.declarations.length;
  }
  private rendered = false;
  private rendering = false;
  private readonly memberships = new Map<Segment, Set<Workload>>();
  /** Which segments' selectors each workload's labels may match, without asking every segment. */
  private readonly selectorIndex = new SelectorIndex();
  /** The position of each segment among segments, of each workload among workloads. */
  private readonly declarationOrder = new Map<Segment | Workload, number>();
  /** The same memberships by workload, so a workload's segments are found without scanning every segment. */
  private readonly segmentsByWorkload = new Map<Workload, Set<Segment>>();

  private constructor() {}

  /**
   * Records a segment and matches it against the workloads that already exist: those it names
   * (`explicitMembers`) and those whose labels have its selector's values, in declaration order.
   */
  public addSegment(segment: Segment, explicitMembers: readonly Workload[] = []): void {
    this.declarationOrder.set(segment, this.segments.length);
    this.segments.push(segment);
    this.memberships.set(segment, new Set());
    const candidates = new Set<Workload>(this.selectorIndex.addSegment(segment, this.workloads));
    for (const member of explicitMembers) if (this.declarationOrder.has(member)) candidates.add(member);
    for (const workload of this.inDeclarationOrder(candidates)) {
      if (segment.selects(workload)) this.join(workload, segment);
    }
  }

  /**
   * Records a workload and matches it against the segments that already exist: those it names
   * (`segments`) and those whose selector its labels match, in declaration order.
   */
  public addWorkload(workload: Workload): void {
    if (workload.resource !== undefined && !this.workloadByResource.has(workload.resource)) this.workloadByResource.set(workload.resource, workload);
    this.declarationOrder.set(workload, this.workloads.length);
    this.workloads.push(workload);
    this.announce((renderer) => renderer.onWorkload(workload));
    const candidates = new Set<Segment>(this.selectorIndex.addWorkload(workload));
    for (const segment of workload.explicitSegments) if (this.declarationOrder.has(segment)) candidates.add(segment);
    for (const segment of this.inDeclarationOrder(candidates)) {
      if (segment.selects(workload)) this.join(workload, segment);
    }
  }

  /** The first workload declared with a binding to `resource`, if any. */
  public workloadBoundTo(resource: IConstruct): Workload | undefined {
    return this.workloadByResource.get(resource);
  }

  /** Records a flow and hands it to every renderer. */
  public addFlow(flow: AllowFlow): void {
    this.flows.push(flow);
    this.announce((renderer) => renderer.onFlow(flow));
  }

  /** Records a guardrail deny and hands it to every renderer that can deny. */
  public addDenyFlow(deny: DenyFlow): void {
    this.denyFlows.push(deny);
    this.announce((renderer) => renderer.onDenyFlow?.(deny));
  }

  /** Tells the renderers that an enforcement construct (of any platform) now exists in `stack`. */
  public addEnforcement(stack: TerraformStack): void {
    this.enforcementStacks.push(stack);
    this.announce((renderer) => renderer.onEnforcement(stack), true);
  }

  /** Makes `workload` a member of `segment` (idempotent). */
  public join(workload: Workload, segment: Segment): void {
    const members = this.memberships.get(segment)!;
    if (members.has(workload)) return;
    members.add(workload);
    const segments = this.segmentsByWorkload.get(workload) ?? new Set<Segment>();
    segments.add(segment);
    this.segmentsByWorkload.set(workload, segments);
    this.announce((renderer) => renderer.onMembership(workload, segment));
  }

  /** The members of a segment known so far, sorted by construct path. */
  public membersOf(segment: Segment): Workload[] {
    return [...(this.memberships.get(segment) ?? [])].sort(byPath);
  }

  /**
   * Whether the registry is replaying the declarations to the renderers: every declaration, hence
   * every membership, is already known, so a renderer need not recompute what a membership event
   * cannot change.
   */
  public get replaying(): boolean {
    return this.rendering;
  }

  /** How many members a segment has so far (memberships only grow). */
  public memberCount(segment: Segment): number {
    return this.memberships.get(segment)?.size ?? 0;
  }

  /** Segments or workloads sorted as they were declared. */
  private inDeclarationOrder<T extends Segment | Workload>(items: Set<T>): T[] {
    return [...items].sort((a, b) => this.declarationOrder.get(a)! - this.declarationOrder.get(b)!);
  }

  /** The segments a workload belongs to, sorted by construct path. */
  public segmentsOf(workload: Workload): Segment[] {
    return [...(this.segmentsByWorkload.get(workload) ?? [])].sort(byPath);
  }

  /**
   * Adds a renderer to this app only (tests and extensions): it first hears every declaration made
   * so far, in order, then every later one.
   */
  public addRenderer(renderer: PlatformRenderer): void {
    this.renderers.push(renderer);
    if (!this.rendered && !this.rendering) return;
    for (const declaration of [...this.declarations]) declaration.tell(renderer);
    if (this.rendered) renderer.onRendered?.();
  }

  /** The renderer of this app created by `factory`'s class, if the app has one. */
  public rendererOf<T extends PlatformRenderer>(type: abstract new (...args: any[]) => T): T | undefined {
    this.ensureRendered();
    return this.renderers.find((renderer): renderer is T => renderer instanceof type);
  }

  /**
   * Creates the platform renderers and replays every declaration to them, once. Called when the app
   * is first prepared, synthesized or validated, and by anything that reads rendered resources.
   */
  public ensureRendered(): void {
    if (this.rendered || this.rendering) return;
    this.rendering = true;
    const resumeTokenTraces = pauseTokenTraces(); // the rules' tokens would carry traces of the library's own calls
    try {
      const added = [...this.renderers];
      this.renderers.length = 0;
      for (const factory of platformRenderers(this, this.platformsLoaded)) this.renderers.push(factory(this));
      this.renderers.push(...added);
      const ordered = [...this.declarations.filter((d) => d.enforcement), ...this.declarations.filter((d) => !d.enforcement)];
      this.declarations.splice(0, this.declarations.length, ...ordered);
      // a declaration made while replaying is recorded and replayed too: the loop reaches it
      for (let i = 0; i < this.declarations.length; i++) {
        for (const renderer of this.renderers) this.declarations[i].tell(renderer);
      }
      for (const renderer of this.renderers) renderer.onRendered?.();
    } finally {
      resumeTokenTraces();
      this.rendering = false;
      this.rendered = true;
    }
  }

  /** Records a declaration; once the app is rendered, hands it to the renderers at once. */
  private announce(tell: (renderer: PlatformRenderer) => void, enforcement = false): void {
    this.declarations.push({ tell, enforcement });
    if (!this.rendered) return;
    const resumeTokenTraces = pauseTokenTraces();
    try {
      this.renderDeclaration(tell);
    } finally {
      resumeTokenTraces();
    }
  }

  /** Hands a declaration made after rendering to every renderer (and to those of a platform it brings in). */
  private renderDeclaration(tell: (renderer: PlatformRenderer) => void): void {
    const renderers = [...this.renderers];
    for (const renderer of renderers) tell(renderer);
    // a platform the app starts to use after rendering (only a new workload or enforcement can make
    // one used): its renderers load now and hear everything
    const bindings = this.workloads.length + this.enforcementStacks.length;
    if (bindings !== this.bindingsSeen) {
      this.bindingsSeen = bindings;
      for (const factory of platformRenderers(this, this.platformsLoaded)) {
        const renderer = factory(this);
        this.renderers.push(renderer);
        renderers.push(renderer);
        const ordered = [...this.declarations.filter((d) => d.enforcement), ...this.declarations.filter((d) => !d.enforcement)];
        for (const declaration of ordered) declaration.tell(renderer);
      }
    }
    for (const renderer of renderers) renderer.onRendered?.();
  }
}

/** The innermost stack that holds `scope`, if any. */
export function stackHolding(scope: IConstruct): TerraformStack | undefined {
  let current: IConstruct | undefined = scope;
  while (current !== undefined && !TerraformStack.isStack(current)) current = current.node.scope;
  return current as TerraformStack | undefined;
}

/** Renders the app before cdktf synthesizes it. */
function hookApp(root: any, registry: PolicyRegistry): void {
  if (typeof root.synth !== 'function') return;
  const synth = root.synth.bind(root);
  root.synth = () => {
    registry.ensureRendered();
    try {
      return synth();
    } catch (error) {
      throw StackNeeds.of(root).withoutResolutionTrace(error);
    }
  };
}

/**
 * Renders the app before the stack is prepared, validated or turned into Terraform (`Testing.synth`
 * calls the last two without the app's synth), marks the preparation pass (see `isPreparing`), and
 * keeps the Terraform JSON's paths one-byte.
 */
function hookStack(hooked: TerraformStack, registry: PolicyRegistry): void {
  const stack = hooked as any;
  if (stack[RENDER_HOOKED]) return;
  Object.defineProperty(stack, RENDER_HOOKED, { value: true });
  for (const method of ['prepareStack', 'runAllValidations', 'toTerraform', 'toHclTerraform']) {
    const original = stack[method];
    if (typeof original !== 'function') continue;
    stack[method] = (...args: unknown[]) => {
      registry.ensureRendered();
      if (method === 'prepareStack') return asPreparation(stack, () => original.apply(stack, args));
      if (method !== 'toTerraform') return original.apply(stack, args);
      return withOneBytePaths(withLateWrites(stack, () => original.apply(stack, args)));
    };
  }
}

export { compare } from './private/compare';

/** The stack a construct belongs to. */
export function stackOf(scope: IConstruct): TerraformStack {
  return TerraformStack.of(scope as Construct);
}
