import { MediaArgumentError, PortsExhaustedError } from '../../../src/media/errors.js';
import { PortPool } from '../../../src/media/port-pool.js';

describe('RTP port pool', () => {
  test('hands out even ports of the range, round-robin', () => {
    const pool = new PortPool({ min: 20001, max: 20010 });
    expect(pool.size).toBe(4);
    expect([pool.acquire(), pool.acquire()]).toEqual([20002, 20004]);
    pool.release(20002);
    // The just-released port is not reused at once.
    expect([pool.acquire(), pool.acquire(), pool.acquire()]).toEqual([20006, 20008, 20002]);
  });

  test('exhaustion is a typed error (503); a released port is available again', () => {
    const pool = new PortPool({ min: 30000, max: 30003 });
    expect([pool.acquire(), pool.acquire()]).toEqual([30000, 30002]);
    let caught: unknown;
    try {
      pool.acquire();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PortsExhaustedError);
    expect(caught).toMatchObject({ code: 'OPENUM_MEDIA_PORTS_EXHAUSTED', sipStatus: 503 });
    pool.release(30002);
    expect(pool.acquire()).toBe(30002);
    expect(pool.used).toBe(2);
  });

  test('the RTCP port (+1) must fit the range', () => {
    const pool = new PortPool({ min: 40000, max: 40002 });
    expect(pool.size).toBe(1);
    expect(() => new PortPool({ min: 40000, max: 40000 })).toThrow(MediaArgumentError);
    expect(() => new PortPool({ min: 80, max: 90 })).toThrow(MediaArgumentError);
  });
});
