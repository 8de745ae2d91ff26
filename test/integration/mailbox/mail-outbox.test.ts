// The e-mail outbox contract (spec §4: queued durably), on SQLite and PostgreSQL: idempotent enqueue,
// enqueue in the message's own transaction, leases between nodes, retry times, stats and purge.
import { randomUUID } from 'node:crypto';
import type { NewMessage } from '../../../src/mailbox/index.js';
import { sharedStores, STORE_BACKENDS, stopStoreBackends } from '../../support/store-backends.js';

afterAll(stopStoreBackends, 60_000);

function message(): NewMessage {
  return {
    id: randomUUID(), mailbox: 'kim', caller: '+14255550199', callerName: null, receivedAt: new Date(), durationMs: 2000,
    codec: 'G711', audioPath: 'messages/kim/x.wav', sizeBytes: 100, urgent: false, recovered: false, callId: 'c@1',
  };
}

const entry = (id: string) => ({ id, kind: 'missed-call' as const, mailbox: 'kim', payload: { callId: id, n: 1 } });

describe.each(STORE_BACKENDS)('mail outbox on $name', (backend) => {
  // A second node on the same database (PostgreSQL is what several nodes share).
  const stores = sharedStores(backend, 'outbox');

  test('enqueue is idempotent by id and keeps the payload', async () => {
    const id = `missed-call:${randomUUID()}`;
    expect(await stores.store.outbox.enqueue(entry(id))).toBe(true);
    expect(await stores.store.outbox.enqueue({ ...entry(id), payload: { other: true } })).toBe(false);
    expect(await stores.store.outbox.get(id)).toMatchObject({ id, kind: 'missed-call', mailbox: 'kim', state: 'pending', attempts: 0, payload: { callId: id, n: 1 }, sentAt: null });
  });

  test('an entry enqueued in commitMessage commits with the message, and neither exists when the transaction fails', async () => {
    const kept = message();
    await stores.store.commitMessage(kept, { alsoInTransaction: async (tx) => void (await stores.store.outbox.enqueue({ id: `voice-mail:${kept.id}`, kind: 'voice-mail', mailbox: 'kim', payload: { messageId: kept.id } }, tx)) });
    expect(await stores.store.outbox.get(`voice-mail:${kept.id}`)).toMatchObject({ state: 'pending', payload: { messageId: kept.id } });

    const lost = message();
    await expect(stores.store.commitMessage(lost, {
      alsoInTransaction: async (tx) => {
        await stores.store.outbox.enqueue({ id: `voice-mail:${lost.id}`, kind: 'voice-mail', mailbox: 'kim', payload: { messageId: lost.id } }, tx);
        throw new Error('boom after the enqueue');
      },
    })).rejects.toThrow('boom');
    expect(await stores.store.getMessage(lost.id)).toBeUndefined();
    expect(await stores.store.outbox.get(`voice-mail:${lost.id}`)).toBeUndefined();
  });

  test('a claimed entry is leased: a second claim (this node or another) does not get it until the lease ends', async () => {
    // Drain what earlier tests queued, then queue one.
    for (const e of await stores.store.outbox.claimDue(100, 60_000)) await stores.store.outbox.markSent(e.id);
    const id = `missed-call:${randomUUID()}`;
    await stores.store.outbox.enqueue(entry(id));
    const first = await stores.store.outbox.claimDue(10, 60_000);
    expect(first.map((e) => e.id)).toEqual([id]);
    expect(await stores.store.outbox.claimDue(10, 60_000)).toEqual([]);
    if (stores.second) expect(await stores.second.outbox.claimDue(10, 60_000)).toEqual([]);
    // A lease of 0 ms has ended at once: the entry can be claimed again (a node that died mid-send).
    expect(await stores.store.outbox.markRetry(first[0]!, new Date(Date.now() - 1), 'x')).toBe(true);
    const again = await (stores.second ?? stores.store).outbox.claimDue(10, 0);
    expect(again.map((e) => e.id)).toEqual([id]);
    expect((await stores.store.outbox.claimDue(10, 60_000)).map((e) => e.id)).toEqual([id]);
    await stores.store.outbox.markSent(id);
  });

  test('a node whose lease ran out cannot undo what the node that took the entry over did', async () => {
    const id = `missed-call:${randomUUID()}`;
    await stores.store.outbox.enqueue(entry(id));
    const other = stores.second ?? stores.store;
    // Node A's lease ends at once (a send slower than the lease); node B takes the entry and sends it.
    const [stale] = await stores.store.outbox.claimDue(10, 0);
    expect(stale?.id).toBe(id);
    const [taken] = await other.outbox.claimDue(10, 60_000);
    expect(taken?.id).toBe(id);
    expect(taken!.leaseUntil!.getTime()).not.toBe(stale!.leaseUntil!.getTime());
    // A's late failure must not put B's lease back or count an attempt...
    expect(await stores.store.outbox.markRetry(stale!, new Date(Date.now() - 1), 'A: timeout')).toBe(false);
    expect(await other.outbox.get(id)).toMatchObject({ state: 'pending', attempts: 0, lastError: null });
    await other.outbox.markSent(id);
    // ...nor turn B's delivered e-mail into a failed one.
    expect(await stores.store.outbox.markFailed(stale!, 'A: refused')).toBe(false);
    expect(await other.outbox.get(id)).toMatchObject({ state: 'sent', lastError: null });
  });

  test('when two nodes claim at once, each entry goes to exactly one of them', async () => {
    const ids = Array.from({ length: 20 }, () => `missed-call:${randomUUID()}`);
    for (const id of ids) await stores.store.outbox.enqueue(entry(id));
    const other = stores.second ?? stores.store;
    const [a, b] = await Promise.all([stores.store.outbox.claimDue(50, 60_000), other.outbox.claimDue(50, 60_000)]);
    const all = [...a, ...b].map((e) => e.id).sort();
    expect(all).toEqual([...ids].sort());
    for (const id of ids) await stores.store.outbox.markSent(id);
  });

  test('a retried entry is not due before its time; attempts and the last error are kept; failed and sent entries are never claimed', async () => {
    const id = `missed-call:${randomUUID()}`;
    await stores.store.outbox.enqueue(entry(id));
    const [claimed] = await stores.store.outbox.claimDue(10, 60_000);
    const soon = new Date(Date.now() + 400);
    expect(await stores.store.outbox.markRetry(claimed!, soon, 'OPENUM_NOTIFY_DELIVERY_TEMPORARY: connection refused')).toBe(true);
    expect(await stores.store.outbox.claimDue(10, 60_000)).toEqual([]);
    expect(await stores.store.outbox.get(id)).toMatchObject({ state: 'pending', attempts: 1, lastError: 'OPENUM_NOTIFY_DELIVERY_TEMPORARY: connection refused', leaseUntil: null });
    expect((await stores.store.outbox.nextDueAt())?.getTime()).toBe(soon.getTime());
    // Not leased any more: giving up needs a lease, as the delivery loop always has one.
    expect(await stores.store.outbox.markFailed(claimed!, 'given up')).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, soon.getTime() - Date.now()) + 20));
    const [again] = await stores.store.outbox.claimDue(10, 60_000);
    expect(again?.id).toBe(id);
    expect(await stores.store.outbox.markFailed(again!, 'given up')).toBe(true);
    expect(await stores.store.outbox.get(id)).toMatchObject({ state: 'failed', attempts: 2, lastError: 'given up' });
    expect(await stores.store.outbox.nextDueAt()).toBeUndefined();
    expect(await stores.store.outbox.claimDue(10, 0)).toEqual([]);
  });

  test('stats count pending and failed entries and give the oldest pending one; purge removes old sent entries, and old failed ones on their own', async () => {
    const before = await stores.store.outbox.stats();
    expect(before.pending).toBe(0);
    const id = `missed-call:${randomUUID()}`;
    const enqueuedAt = Date.now();
    await stores.store.outbox.enqueue(entry(id));
    const stats = await stores.store.outbox.stats();
    expect(stats.pending).toBe(1);
    expect(stats.failed).toBe(before.failed);
    expect(Math.abs(stats.oldestPendingAt!.getTime() - enqueuedAt)).toBeLessThan(5000);
    await stores.store.outbox.markSent(id);
    expect((await stores.store.outbox.stats()).pending).toBe(0);
    expect(await stores.store.outbox.purgeSent(new Date(Date.now() - 60_000))).toBe(0);
    const purged = await stores.store.outbox.purgeSent(new Date(Date.now() + 1000));
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(await stores.store.outbox.get(id)).toBeUndefined();
    // Failed entries stay for inspection, until purged in their turn.
    expect((await stores.store.outbox.stats()).failed).toBe(before.failed);
    expect(before.failed).toBeGreaterThanOrEqual(1); // given up on in the test before
    expect(await stores.store.outbox.purgeFailed(new Date(Date.now() - 60_000))).toBe(0);
    expect(await stores.store.outbox.purgeFailed(new Date(Date.now() + 1000))).toBe(before.failed);
    expect((await stores.store.outbox.stats()).failed).toBe(0);
  });
});
