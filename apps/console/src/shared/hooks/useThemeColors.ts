import { useMemo } from 'react';

/** Resolves theme tokens (CSS variables) to colours for SVG charts, which take colours as attributes. */
export function useThemeColors<K extends string>(tokens: Record<K, string>): Record<K, string> {
  const key = JSON.stringify(tokens);
  return useMemo(() => {
    const style = typeof window === 'undefined' ? null : window.getComputedStyle(document.documentElement);
    const parsed = JSON.parse(key) as Record<K, string>;
    const out = {} as Record<K, string>;
    for (const name of Object.keys(parsed) as K[]) out[name] = style?.getPropertyValue(parsed[name]).trim() || 'currentColor';
    return out;
  }, [key]);
}
