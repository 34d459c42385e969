import { describe, expect, it } from 'vitest';
import { addressAfterDetection, DEFAULT_SERVER_ADDRESS, unansweredAddress } from '../../src/renderer/features/settings/server-address';

const lmStudio = { baseUrl: 'http://127.0.0.1:1234/v1' };
const ollama = { baseUrl: DEFAULT_SERVER_ADDRESS };

describe('Settings → Model: the server address after the usual ports were looked at', () => {
  it('takes the server found when the field still holds the default and nothing answers there', () => {
    expect(addressAfterDetection(DEFAULT_SERVER_ADDRESS, [lmStudio])).toBe(lmStudio.baseUrl);
  });

  it('keeps the default when a server answers there, and anything the person typed or saved', () => {
    expect(addressAfterDetection(DEFAULT_SERVER_ADDRESS, [lmStudio, ollama])).toBe(DEFAULT_SERVER_ADDRESS);
    expect(addressAfterDetection('http://gpu-box:8000/v1', [lmStudio])).toBe('http://gpu-box:8000/v1');
  });

  it('keeps the default while nothing was found or the ports are still being looked at', () => {
    expect(addressAfterDetection(DEFAULT_SERVER_ADDRESS, [])).toBe(DEFAULT_SERVER_ADDRESS);
    expect(addressAfterDetection(DEFAULT_SERVER_ADDRESS, null)).toBe(DEFAULT_SERVER_ADDRESS);
  });
});

describe('Settings → Model: an address asked for its models that answered nothing', () => {
  const found = [{ kind: 'lm-studio', baseUrl: 'http://127.0.0.1:1234/v1' }];

  it('is said, with whether /v1 was asked too (an address with no path)', () => {
    expect(unansweredAddress('http://localhost:47742', found)).toEqual({ address: 'http://localhost:47742', v1Too: true });
    expect(unansweredAddress('http://gpu-box:8000/v1/', [])).toEqual({ address: 'http://gpu-box:8000/v1/', v1Too: false });
  });

  it('is not said when it answered: listed as typed, or found on its usual port however written', () => {
    expect(unansweredAddress('http://localhost:47742', [{ kind: 'typed', baseUrl: 'http://localhost:47742/v1' }])).toBeNull();
    expect(unansweredAddress('http://localhost:1234', found)).toBeNull();
    expect(unansweredAddress('http://localhost:1234/v1/', found)).toBeNull();
  });

  it('is not said for the untouched default, nothing asked, or before the answer', () => {
    expect(unansweredAddress(DEFAULT_SERVER_ADDRESS, [])).toBeNull();
    expect(unansweredAddress(null, [])).toBeNull();
    expect(unansweredAddress('http://localhost:47742', null)).toBeNull();
  });
});
