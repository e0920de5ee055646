/**
 * Colour names people say to lights, and the conversions Home Assistant applies before it
 * publishes a colour (homeassistant/util/color.py): RGB → hue/saturation and RGB → CIE xy.
 *
 * Values are the vivid, full-brightness versions a light should show ("green" is 0,255,0, not the
 * dim CSS green), because a light's brightness is set separately. White variants carry a colour
 * temperature so lights with a colour-temperature channel use it instead of mixing RGB.
 */

import { pyRound } from "./python.js";

export type Rgb = readonly [number, number, number];

/** A named colour: its RGB value and, for whites, a colour temperature in kelvin. */
export interface NamedColor {
  rgb: Rgb;
  kelvin?: number;
}

const COLORS: Readonly<Record<string, NamedColor>> = Object.freeze({
  red: { rgb: [255, 0, 0] },
  crimson: { rgb: [220, 20, 60] },
  orange: { rgb: [255, 165, 0] },
  amber: { rgb: [255, 191, 0] },
  gold: { rgb: [255, 215, 0] },
  yellow: { rgb: [255, 255, 0] },
  lime: { rgb: [191, 255, 0] },
  green: { rgb: [0, 255, 0] },
  "light green": { rgb: [144, 238, 144] },
  "dark green": { rgb: [0, 100, 0] },
  mint: { rgb: [152, 255, 152] },
  teal: { rgb: [0, 128, 128] },
  turquoise: { rgb: [64, 224, 208] },
  cyan: { rgb: [0, 255, 255] },
  aqua: { rgb: [0, 255, 255] },
  "sky blue": { rgb: [135, 206, 235] },
  "light blue": { rgb: [173, 216, 230] },
  blue: { rgb: [0, 0, 255] },
  "dark blue": { rgb: [0, 0, 139] },
  navy: { rgb: [0, 0, 128] },
  indigo: { rgb: [75, 0, 130] },
  violet: { rgb: [238, 130, 238] },
  purple: { rgb: [128, 0, 255] },
  lavender: { rgb: [181, 126, 220] },
  lilac: { rgb: [200, 162, 200] },
  magenta: { rgb: [255, 0, 255] },
  fuchsia: { rgb: [255, 0, 255] },
  pink: { rgb: [255, 105, 180] },
  "hot pink": { rgb: [255, 105, 180] },
  "light pink": { rgb: [255, 182, 193] },
  rose: { rgb: [255, 0, 127] },
  coral: { rgb: [255, 127, 80] },
  salmon: { rgb: [250, 128, 114] },
  peach: { rgb: [255, 218, 185] },
  brown: { rgb: [165, 42, 42] },
  white: { rgb: [255, 255, 255], kelvin: 4000 },
  "warm white": { rgb: [255, 180, 107], kelvin: 2700 },
  "soft white": { rgb: [255, 180, 107], kelvin: 2700 },
  "cool white": { rgb: [228, 235, 255], kelvin: 6500 },
  "cold white": { rgb: [228, 235, 255], kelvin: 6500 },
  daylight: { rgb: [255, 243, 239], kelvin: 5000 },
});

/** Every colour name Hearth understands, for sentence lists and speech grammars. */
export const COLOR_NAMES: readonly string[] = Object.freeze(Object.keys(COLORS));

/** Looks up a colour by name: case, spaces, hyphens and "colour"/"color" do not matter. */
export function colorByName(name: string): NamedColor | undefined {
  const key = name
    .toLowerCase()
    .replace(/\b(colou?r)\b/g, " ")
    .replace(/[-_\s]+/g, " ")
    .trim();
  if (Object.hasOwn(COLORS, key)) return COLORS[key];
  const squashed = key.replace(/ /g, "");
  const found = Object.keys(COLORS).find((k) => k.replace(/ /g, "") === squashed);
  return found ? COLORS[found] : undefined;
}

/** RGB → [hue 0–360, saturation 0–100], rounded to 3 decimals (color_RGB_to_hs via colorsys). */
export function rgbToHs(rgb: Rgb): [number, number] {
  const [r, g, b] = rgb.map((c) => c / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const delta = max - min;
  let h = 0;
  if (delta !== 0) {
    // colorsys.rgb_to_hsv
    const rc = (max - r) / delta;
    const gc = (max - g) / delta;
    const bc = (max - b) / delta;
    if (r === max) h = bc - gc;
    else if (g === max) h = 2 + rc - bc;
    else h = 4 + gc - rc;
    h = (((h / 6) % 1) + 1) % 1;
  }
  const s = max === 0 ? 0 : delta / max;
  return [pyRound(h * 360, 3), pyRound(s * 100, 3)];
}

/** RGB → CIE xy, rounded to 3 decimals (color_RGB_to_xy, Wide RGB D65, no gamut clamping). */
export function rgbToXy(rgb: Rgb): [number, number] {
  if (rgb[0] + rgb[1] + rgb[2] === 0) return [0, 0];
  const [r, g, b] = rgb.map((c) => {
    const v = c / 255;
    return v > 0.04045 ? ((v + 0.055) / 1.055) ** 2.4 : v / 12.92;
  }) as [number, number, number];
  const X = r * 0.664511 + g * 0.154324 + b * 0.162028;
  const Y = r * 0.283881 + g * 0.668433 + b * 0.047685;
  const Z = r * 0.000088 + g * 0.07231 + b * 0.986039;
  const sum = X + Y + Z;
  return [pyRound(X / sum, 3), pyRound(Y / sum, 3)];
}

/** Kelvin → mireds, as Home Assistant converts (floor of 1,000,000 / K). */
export function kelvinToMireds(kelvin: number): number {
  return Math.floor(1_000_000 / kelvin);
}
