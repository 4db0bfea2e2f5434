import { awsThreeTier } from '../../examples/aws-three-tier/main';
import { baselinePreset } from '../../examples/baseline-preset/main';
import { newApp, synthApp } from '../helpers';

// Review finding (fixed in lib/aws/guardrail-renderer.ts): `npx cdktf synth` of the README's main
// command printed three [microseg:guardrail-nacl-exception] warnings for the vSphere-only
// baseline-preset stack ("DenyFlow ... is not rendered in network ACLs"), because the check asked
// whether ANY enforcement of the app has network ACLs (aws-three-tier has), not whether this
// DenyFlow would be rendered in one. Warnings that do not apply train users to ignore warnings.
test('a DenyFlow with no side in a subnet of a NACL enforcement gets no NACL warning', () => {
  const app = newApp();
  awsThreeTier(app);
  const preset = baselinePreset(app);
  synthApp(app);
  const warnings = preset.node.findAll().flatMap((c) => c.node.metadata)
    .filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data))
    .filter((w) => w.includes('guardrail-nacl-exception'));
  expect(warnings).toEqual([]);
});
