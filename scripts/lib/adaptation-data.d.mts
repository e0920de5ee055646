export declare function mixtureWeightsFromSendump(data: Buffer): Buffer;
export declare function trainingConditions(snrs: readonly number[]): Array<number | null>;
export declare function denoisedConditions(
  conditions: ReadonlyArray<number | null>,
  denoising: "none" | "all" | "noisy",
): Set<number | null>;
export declare function conditionId(id: string, snr: number | null): string;
export declare function parseSnrs(text: string): number[];
export declare function trainingLists(utterances: ReadonlyArray<{ id: string; text: string }>): {
  fileids: string;
  transcription: string;
};
