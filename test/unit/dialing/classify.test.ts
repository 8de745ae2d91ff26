import { classify, classifyDialString, InvalidDialPlanError, isSipUri, normalizeSipUri, resolveDialCodes } from '../../../src/dialing/index.js';
import type { TraceStep } from '../../../src/dialing/index.js';
import { redmondDialPlan, subscribers } from './fixtures.js';

const plan = redmondDialPlan();
const run = (s: string) => classifyDialString(s, plan, subscribers);

describe('§2.3 worked examples (OLAC 9, IAC 011, NNP 1, CC 1, 5-digit extensions)', () => {
  test.each([
    ['425-555-1234', '914255551234', 'national'],
    ['+1 (425) 555-1234', '914255551234', 'national'],
    ['1-425-555-1234', '914255551234', 'national'],
    ['9-1-425-555-1234', '914255551234', 'national'],
    ['94255551234', '94255551234', 'national'],
    ['011 44 20 7946 0018', '9011442079460018', 'international'],
    ['+44 20 7946 0018', '9011442079460018', 'international'],
  ])('%s → %s (%s)', (typed, dialable, category) => {
    expect(run(typed)).toEqual({ kind: category, digits: typed.replace(/[^0-9]/g, ''), dialable });
  });

  test('12346 → extension', () => {
    expect(run('12346')).toEqual({ kind: 'extension', digits: '12346' });
  });
});

describe('classification branches', () => {
  test('empty string and strings without digits are not dialable', () => {
    expect(run('')).toEqual({ kind: 'not-dialable', why: 'empty' });
    expect(run('   ')).toEqual({ kind: 'not-dialable', why: 'empty' });
    expect(run('abc-def')).toEqual({ kind: 'not-dialable', why: 'no-digits' });
    expect(run('+')).toEqual({ kind: 'not-dialable', why: 'no-digits' });
  });

  test('step 1: a SIP URI of a UM user is that user\'s extension call, matched without scheme, params or case', () => {
    expect(run('sip:Alice@Contoso.com;transport=tcp')).toEqual({ kind: 'sip-user', uri: 'sip:Alice@Contoso.com;transport=tcp', dialPlanName: 'Redmond', extension: '12345' });
    expect(run('alice@contoso.com')).toEqual(expect.objectContaining({ kind: 'sip-user' }));
    expect(run('"Alice" <sip:alice@contoso.com>')).toEqual(expect.objectContaining({ kind: 'sip-user', extension: '12345' }));
  });

  test('step 1: any other SIP URI stays a SIP URI, even with digits in it', () => {
    expect(run('sip:+14255551234@gateway.fabrikam.com;user=phone')).toEqual({ kind: 'sip', uri: 'sip:+14255551234@gateway.fabrikam.com;user=phone' });
    expect(run('SIPS:dave@fabrikam.com')).toEqual({ kind: 'sip', uri: 'SIPS:dave@fabrikam.com' });
  });

  test('step 2: E.164 with the country code is national: OLAC + NNP + rest', () => {
    expect(run('+14255551234')).toEqual(expect.objectContaining({ kind: 'national', dialable: '914255551234' }));
  });

  test('step 2: E.164 with another country code is international: OLAC + IAC + number', () => {
    expect(run('+4930123456')).toEqual(expect.objectContaining({ kind: 'international', dialable: '90114930123456' }));
  });

  test('step 2 comes before step 3: +12345 is not an extension', () => {
    expect(run('+12345')).toEqual(expect.objectContaining({ kind: 'national', dialable: '912345' }));
  });

  test('step 2 without a country code: every E.164 number is international', () => {
    const noCc = redmondDialPlan({ CountryOrRegionCode: '' });
    expect(classifyDialString('+14255551234', noCc, subscribers)).toEqual(expect.objectContaining({ kind: 'international', dialable: '901114255551234' }));
    expect(classifyDialString('+14255551234', redmondDialPlan({ CountryOrRegionCode: undefined }), subscribers)).toEqual(expect.objectContaining({ kind: 'international' }));
  });

  test('tel: URIs count as E.164 when the number begins with +', () => {
    expect(run('tel:+442079460018')).toEqual(expect.objectContaining({ kind: 'international', dialable: '9011442079460018' }));
  });

  test('step 4: starts with OLAC → dialled as is; international when it starts with OLAC + IAC', () => {
    expect(run('9011442079460018')).toEqual(expect.objectContaining({ kind: 'international', dialable: '9011442079460018' }));
    expect(run('95551234')).toEqual(expect.objectContaining({ kind: 'national', dialable: '95551234' }));
  });

  test('step 5: starts with IAC or NNP → OLAC + S', () => {
    expect(run('011442079460018')).toEqual(expect.objectContaining({ kind: 'international', dialable: '9011442079460018' }));
    expect(run('18005551234')).toEqual(expect.objectContaining({ kind: 'national', dialable: '918005551234' }));
  });

  test('step 6: a national number without prefix → OLAC + NNP + S', () => {
    expect(run('5551234')).toEqual(expect.objectContaining({ kind: 'national', dialable: '915551234' }));
  });

  test('an empty code never matches as a prefix', () => {
    const noOlac = redmondDialPlan({ OutsideLineAccessCode: '' });
    // Without OLAC, "9…" is no longer "outside line dialled": it is a national number without prefix.
    expect(classifyDialString('94255551234', noOlac, subscribers)).toEqual(expect.objectContaining({ kind: 'national', dialable: '194255551234' }));
    expect(classifyDialString('0114420', noOlac, subscribers)).toEqual(expect.objectContaining({ kind: 'international', dialable: '0114420' }));
    const noNnp = redmondDialPlan({ NationalNumberPrefix: undefined });
    expect(classifyDialString('4255551234', noNnp, subscribers)).toEqual(expect.objectContaining({ kind: 'national', dialable: '94255551234' }));
    expect(classifyDialString('+14255551234', noNnp, subscribers)).toEqual(expect.objectContaining({ kind: 'national', dialable: '94255551234' }));
    const noIac = redmondDialPlan({ InternationalAccessCode: '' });
    // With no IAC nothing typed without + is international (step 7 needs OLAC + IAC).
    expect(classifyDialString('011442079460018', noIac, subscribers)).toEqual(expect.objectContaining({ kind: 'national', dialable: '91011442079460018' }));
    expect(classifyDialString('+442079460018', noIac, subscribers)).toEqual(expect.objectContaining({ kind: 'international', dialable: '9442079460018' }));
  });

  test('the trace records each prefixing and category decision with its §2.3 step', () => {
    const trace: TraceStep[] = [];
    classify('425-555-1234', resolveDialCodes(plan), subscribers, trace);
    expect(trace).toEqual([
      { kind: 'prefix', step: 6, rule: 'national-without-prefix', dialable: '914255551234' },
      { kind: 'category', step: 7, rule: 'not-international', category: 'national' },
    ]);
  });
});

describe('dial codes and SIP URI helpers', () => {
  test('non-digit dial codes and bad extension lengths are typed errors', () => {
    expect(() => resolveDialCodes(redmondDialPlan({ OutsideLineAccessCode: '9#' }))).toThrow(InvalidDialPlanError);
    expect(() => resolveDialCodes(redmondDialPlan({ NumberOfDigitsInExtension: 0 }))).toThrow(InvalidDialPlanError);
    try {
      resolveDialCodes(redmondDialPlan({ CountryOrRegionCode: '+1' }));
    } catch (e) {
      expect((e as InvalidDialPlanError).code).toBe('OPENUM_DIALING_INVALID_DIAL_PLAN');
      expect((e as InvalidDialPlanError).property).toBe('CountryOrRegionCode');
    }
    expect.assertions(4);
  });

  test('isSipUri and normalizeSipUri', () => {
    expect(isSipUri('sip:a@b')).toBe(true);
    expect(isSipUri('a@b')).toBe(true);
    expect(isSipUri('sip:1234')).toBe(true);
    expect(isSipUri('+1 425')).toBe(false);
    expect(normalizeSipUri(' "A" <SIP:Alice@Contoso.COM;transport=tls>')).toBe('alice@contoso.com');
    expect(normalizeSipUri('sips:bob@x.com?subject=hi')).toBe('bob@x.com');
  });
});
