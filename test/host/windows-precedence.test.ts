import { TerraformStack } from 'cdktf';
import { DenyFlow, GuardrailAllow, Port, Workload } from '../../lib';
import { HostBinding } from '../../lib/host';
import { errorOf, newApp, synthApp } from '../helpers';
import { ruleSetFiles } from './estate';

describe('Windows Defender Firewall applies block rules first', () => {
  const estate = (grantPorts: Port[]) => {
    const app = newApp();
    const stack = new TerraformStack(app, 'win');
    const files = new Workload(stack, 'Files', { binding: HostBinding.windows(['10.2.0.5']) });
    const backup = new Workload(stack, 'Backup', { addresses: ['10.2.0.9'] });
    new DenyFlow(stack, 'NoSmb', { to: files, ports: [Port.tcp(445)] });
    new GuardrailAllow(stack, 'BackupSmb', { from: backup, to: files, ports: grantPorts });
    return app;
  };

  test('GIVEN a GuardrailAllow that must win over a DenyFlow at a Windows server THEN synthesis fails, naming both', () => {
    expect(errorOf(() => estate([Port.tcp(445)]).synth())).toContain(
      "Workload 'win/Files' runs Windows Defender Firewall, where a block rule wins over every allow rule, so GuardrailAllow 'win/BackupSmb/Flow' cannot take precedence over DenyFlow 'win/NoSmb' there.",
    );
  });

  test('GIVEN a GuardrailAllow the DenyFlow does not overlap THEN the script has the block and the allow', () => {
    const script = Object.values(ruleSetFiles(synthApp(estate([Port.tcp(5985)])).win.json))[0];
    expect(script.split('\n').filter((line) => line.startsWith('New-NetFirewallRule')).map((line) => / -Action (\w+) -Protocol TCP -LocalPort '(\d+)'/.exec(line)!.slice(1).join(' ')))
      .toEqual(['Allow 5985', 'Block 445']);
  });
});
