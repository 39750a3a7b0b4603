// The door's registry of running calls: what calls.cancel reaches.
import { describe, expect, it } from 'vitest';
import { CallRegistry } from '../../electron/calls.ts';

describe('CallRegistry', () => {
  it('cancel aborts the running call with that id, once it is registered', () => {
    const calls = new CallRegistry();
    const a = calls.begin('a');
    const b = calls.begin('b');
    expect(calls.cancel('a')).toBe(true);
    expect(a.signal.aborted).toBe(true);
    expect((a.signal.reason as { code: string }).code).toBe('cancelled');
    expect(b.signal.aborted).toBe(false);
    a.end();
    b.end();
    expect(calls.size).toBe(0);
  });

  it('a cancel that arrives before its call makes the call start aborted', () => {
    const calls = new CallRegistry();
    expect(calls.cancel('late')).toBe(false);
    expect(calls.begin('late').signal.aborted).toBe(true);
    // Only once: the same id used again later is a new call.
    const again = calls.begin('other');
    expect(again.signal.aborted).toBe(false);
  });

  it('an id cannot run twice at once, and is free again after end()', () => {
    const calls = new CallRegistry();
    const first = calls.begin('same');
    expect(() => calls.begin('same')).toThrow(/already running/);
    first.end();
    first.end();
    expect(calls.begin('same').signal.aborted).toBe(false);
  });

  it('calls without an id run uncancellable and are not kept', () => {
    const calls = new CallRegistry();
    const anonymous = calls.begin(undefined);
    expect(calls.size).toBe(0);
    calls.cancelAll();
    expect(anonymous.signal.aborted).toBe(false);
  });

  it('cancelAll stops every running call', () => {
    const calls = new CallRegistry();
    const all = ['x', 'y', 'z'].map((id) => calls.begin(id));
    calls.cancelAll();
    expect(all.every((c) => c.signal.aborted)).toBe(true);
  });

  it('remembers a bounded number of early cancels', () => {
    const calls = new CallRegistry();
    for (let i = 0; i < 1500; i++) calls.cancel(`ghost-${i}`);
    expect(calls.begin('ghost-0').signal.aborted).toBe(false);
    expect(calls.begin('ghost-1499').signal.aborted).toBe(true);
  });
});
