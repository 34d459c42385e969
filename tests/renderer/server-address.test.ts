import { describe, expect, it } from 'vitest';
import { addressAfterDetection, DEFAULT_SERVER_ADDRESS } from '../../src/renderer/features/settings/server-address';

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
