/**
 * Theming per municipality. The pages use the open NL Design System "voorbeeld" theme; a municipality may set its
 * own primary colour in municipalities.settings (`{"theme": {"primary": "#00689e"}}`). The colour becomes a small
 * stylesheet of CSS custom properties served from /assets/theme/GM….css (a stylesheet, not a style attribute, so
 * the CSP needs no 'unsafe-inline'). A colour that is not a #rrggbb value, or whose contrast with white is below
 * WCAG AA for text (4.5:1), is ignored: buttons carry white text and links use the colour on white.
 */
import { createHash } from 'node:crypto';

export interface ThemeColours {
  primary: string;
  /** Hover and pressed states, and link text: the primary colour darkened. */
  dark: string;
}

const HEX = /^#[0-9a-fA-F]{6}$/;
export const MIN_CONTRAST = 4.5;

/** The valid theme colours in settings, or undefined (the default theme then applies). */
export function themeColours(settings: Record<string, unknown>): ThemeColours | undefined {
  const theme = settings.theme;
  if (typeof theme !== 'object' || theme === null) return undefined;
  const primary = (theme as Record<string, unknown>).primary;
  if (typeof primary !== 'string' || !HEX.test(primary)) return undefined;
  if (contrastRatio(primary, '#ffffff') < MIN_CONTRAST) return undefined;
  return { primary: primary.toLowerCase(), dark: mix(primary, '#000000', 0.25) };
}

/** The theme stylesheet: custom properties of the voorbeeld theme, overridden; empty when the default applies. */
export function themeStylesheet(settings: Record<string, unknown>): string {
  const colours = themeColours(settings);
  if (!colours) return '/* default theme */\n';
  const { primary, dark } = colours;
  // :root.voorbeeld-theme outranks the theme's own .voorbeeld-theme rule.
  return `:root.voorbeeld-theme {
  --basis-color-action-1-inverse-bg-default: ${primary};
  --basis-color-accent-1-inverse-bg-default: ${primary};
  --basis-color-accent-1-inverse-bg-hover: ${dark};
  --basis-color-accent-1-inverse-bg-active: ${dark};
  --basis-color-accent-1-color-default: ${primary};
  --basis-color-accent-1-color-hover: ${dark};
  --basis-color-accent-1-color-active: ${dark};
  --basis-color-accent-1-color-document: ${dark};
  --wijkstem-primary: ${primary};
}
`;
}

/** The URL of a municipality's theme stylesheet; the version changes with the settings, so browsers refetch. */
export function themeHref(municipalityCode: string, settings: Record<string, unknown>): string {
  const version = createHash('sha256').update(themeStylesheet(settings)).digest('base64url').slice(0, 10);
  return `/assets/theme/${municipalityCode}.css?v=${version}`;
}

function channels(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.1 contrast ratio of two #rrggbb colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function mix(hex: string, other: string, amount: number): string {
  const a = channels(hex);
  const b = channels(other);
  return `#${a.map((v, i) => Math.round(v + ((b[i] ?? 0) - v) * amount).toString(16).padStart(2, '0')).join('')}`;
}
