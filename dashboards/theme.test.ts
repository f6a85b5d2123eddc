import { describe, expect, it } from 'vitest';
import { contrastRatio, themeColours, themeHref, themeStylesheet } from './theme.ts';

describe('municipality theme', () => {
  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('takes a #rrggbb primary colour with enough contrast for white text, and darkens it for hover', () => {
    expect(themeColours({ theme: { primary: '#00689E' } })).toEqual({ primary: '#00689e', dark: '#004e77' });
    expect(themeColours({ theme: { primary: '#777777' } })).toBeUndefined(); // 4.48:1, just under AA
    for (const primary of ['red', '#fff', '#00689e; color: red', 12, null]) expect(themeColours({ theme: { primary } })).toBeUndefined();
    expect(themeColours({})).toBeUndefined();
    expect(themeColours({ theme: 'blue' })).toBeUndefined();
  });

  it('writes only custom properties, and a URL that changes with the colour', () => {
    const css = themeStylesheet({ theme: { primary: '#00689e' } });
    expect(css).toMatch(/^:root\.voorbeeld-theme \{\n( {2}--[a-z0-9-]+: #[0-9a-f]{6};\n)+\}\n$/);
    expect(themeStylesheet({})).toBe('/* default theme */\n');
    expect(themeHref('GM0479', {})).toMatch(/^\/assets\/theme\/GM0479\.css\?v=[A-Za-z0-9_-]{10}$/);
    expect(themeHref('GM0479', { theme: { primary: '#00689e' } })).not.toBe(themeHref('GM0479', {}));
  });
});
