import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { cliActor } from '../src/cli/actor.ts';

describe('CLI actor in the audit trail', () => {
  it('names the operator rather than cli:root', () => {
    expect(cliActor({ PASSERELLE_OPERATOR: 'helene.lefevre', SUDO_USER: 'admin' }).name).toBe('cli:helene.lefevre');
    expect(cliActor({ SUDO_USER: 'jmartin' }).name).toBe('cli:jmartin');
    expect(cliActor({}).name).toBe(`cli:${os.userInfo().username}`);
    // Nothing odd reaches the trail.
    expect(cliActor({ PASSERELLE_OPERATOR: 'x y;DROP', SUDO_USER: '' }).name).toBe(`cli:${os.userInfo().username}`);
  });
});
