import { describe, expect, it } from 'vitest';
import { checkImage, imageTokens } from '../../src/core/model/model-image';
import { pngBase64 } from '../helpers/images';

const bytesOf = (base64: string) => Buffer.from(base64, 'base64').length;

describe('an image a tool returned, checked before a model is sent it', () => {
  it('is sent when its bytes are an image of the type it claims, with its size and its cost in tokens', () => {
    const png = pngBase64(40, 30);
    expect(checkImage('image/png', png, bytesOf(png))).toEqual({ ok: true, width: 40, height: 30, image: { mediaType: 'image/png', data: png, tokens: 2 } });
  });

  it('is described instead when the API would refuse it, which would fail the whole request', () => {
    const png = pngBase64(4, 4);
    expect(checkImage('image/jpeg', png, bytesOf(png))).toEqual({ ok: false, reason: 'its data is a PNG image, not image/jpeg' });
    expect(checkImage('image/png', 'not base64!', 8)).toEqual({ ok: false, reason: 'its data is not base64' });
    expect(checkImage('image/png', Buffer.from('plain text, not a picture').toString('base64'), 25)).toEqual({ ok: false, reason: 'its data is not a PNG image' });
    expect(checkImage('image/svg+xml', png, bytesOf(png))).toEqual({ ok: false, reason: 'image/svg+xml is not a format models take (PNG, JPEG, GIF or WebP)' });
    expect(checkImage('image/png', png, 4_000_000)).toEqual({ ok: false, reason: 'larger than the 3.75 MB a model takes' });
    const tall = pngBase64(2, 9_000); // a full-page screenshot
    expect(checkImage('image/png', tall, bytesOf(tall))).toEqual({ ok: false, reason: '2×9000 pixels, more than the 8,000 a side a model takes' });
  });

  it('costs a token per 750 pixels, after scaling to 1,568 pixels on its long side and about 1.15 megapixels', () => {
    expect(imageTokens(750, 1)).toBe(1);
    expect(imageTokens(1_000, 1_000)).toBe(1_334);
    expect(imageTokens(1_568, 100)).toBe(210);
    expect(imageTokens(3_136, 200)).toBe(210); // halved to 1,568 × 100
    expect(imageTokens(1_920, 1_080)).toBeLessThanOrEqual(1_534); // 1.15 MP / 750
  });
});
