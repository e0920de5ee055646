/** The labelled order of one clip, as labels.json holds it. */
export interface CoffeeLabel {
  intent: string;
  slots: Record<string, string>;
}

export declare const SPEECH_DEV: string;
export declare function haveCoffee(): boolean;
export declare function coffeeLabels(): Record<string, CoffeeLabel>;
export declare function coffeeWav(clip: string): string;
export declare function coffeeHalf<T>(clips: readonly T[], half: "dev" | "check" | undefined): T[];
export declare function noiseHalf(noise: Int16Array, half: "dev" | "check" | undefined): Int16Array;
export declare function noiseSlice(noise: Int16Array, slice: "first" | "second" | undefined): Int16Array;
export declare function isLabelledOrder(understanding: unknown, label: CoffeeLabel): boolean;
