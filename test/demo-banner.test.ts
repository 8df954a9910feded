import { describe, expect, it } from 'vitest';
import { demoInstructions, type DemoData } from '../src/app/demo.ts';
import { loadConfig } from '../src/config/load.ts';

const DATA: DemoData = {
  identifier: 'helene.lefevre',
  password: 'Demo-Password-1',
  personal: { p12: 'var/demo/p.p12', p12Password: 'x', serial: '01' },
  collective: { p12: 'var/demo/c.p12', p12Password: 'y', serial: '02', label: 'Poste', establishment: 'Centre' },
};

describe('npm start banner', () => {
  it('says where mail really goes, and how to stop and start afresh', () => {
    const files = demoInstructions(loadConfig({ env: {} }), DATA, { publicPort: 8443, gatewayPort: 9443 });
    expect(files).toContain('written as .eml files');
    expect(files).toContain('Start afresh');
    const smtp = demoInstructions(loadConfig({ env: { SMTP_URL: 'smtp://mail.example:2525' } }), DATA, { publicPort: 8443, gatewayPort: 9443 });
    expect(smtp).toContain('sent through mail.example:2525 (SMTP_URL)');
    expect(smtp).not.toContain('.eml');
  });
});
